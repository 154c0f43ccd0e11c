"""Shared checks for op tests: compare with numpy, check infer_shape against real shapes.

    check_op(lambda x, y: x + y, [T.dmatrix(), T.dvector()], [a, b], lambda a, b: a + b)

compiles the graph, compares the value (and dtype, unless ``check_dtype=False``) with the
numpy reference, and checks every node's ``infer_shape`` against the shapes it really
produced.
"""
import numpy as np

import pytheano
from pytheano._core.graph import Constant, Variable, io_toposort
from pytheano.graph.basic import graph_inputs
from pytheano.graph.op import infer_shape as op_infer_shape

FLOAT_DTYPES = ("float32", "float64")
INT_DTYPES = ("int8", "int16", "int32", "int64")
ALL_DTYPES = ("bool", "uint8") + INT_DTYPES + FLOAT_DTYPES


def random_value(shape, dtype, rng=None, low=-3, high=3, positive=False):
    """A random array of ``dtype``: floats in [low, high) (or (0.1, high) if positive),
    ints in [low, high], bools."""
    rng = rng if rng is not None else np.random.default_rng(42)
    if dtype == "bool":
        return rng.integers(0, 2, size=shape).astype(bool)
    if np.dtype(dtype).kind in "iu":
        lo = 1 if positive or np.dtype(dtype).kind == "u" else low
        return rng.integers(lo, high + 1, size=shape).astype(dtype)
    if positive:
        return rng.uniform(0.1, high, size=shape).astype(dtype)
    return rng.uniform(low, high, size=shape).astype(dtype)


def randn(*shape):
    """A standard-normal float64 array of ``shape``, the same each time for a shape."""
    return np.random.default_rng(sum(shape) + len(shape)).standard_normal(shape)


def tensor_var(shape, dtype, name=None):
    """A symbolic tensor of ``dtype`` with ``len(shape)`` dimensions, none broadcastable."""
    return pytheano.tensor.TensorType(dtype, [False] * len(shape))(name)


def check_grad(fun, values):
    """``pytheano.gradient.verify_grad`` with a fixed rng."""
    from pytheano.gradient import verify_grad

    verify_grad(fun, values, rng=np.random.default_rng(0))


def assert_close(actual, expected, dtype=None, rtol=None, atol=None):
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    kind = np.result_type(actual.dtype, expected.dtype)
    if kind.kind in "biu":
        np.testing.assert_array_equal(actual, expected)
        return
    tol = 1e-4 if "float32" in (str(actual.dtype), str(expected.dtype)) else 1e-7
    np.testing.assert_allclose(actual, expected, rtol=rtol or tol, atol=atol or tol,
                               equal_nan=True)


def check_op(build, input_vars, input_values, reference, check_dtype=True, rtol=None,
             atol=None, expected_dtype=None):
    """Check ``build(*input_vars)`` against ``reference(*input_values)``.

    Checks the value, the dtype (the reference's, or ``expected_dtype``), the output type's
    ndim, and infer_shape of every node. Returns the computed value(s).
    """
    out = build(*input_vars)
    outs = out if isinstance(out, (list, tuple)) else [out]
    f = pytheano.function(list(input_vars), outs, on_unused_input="ignore")
    got = f(*input_values)
    expected = reference(*[np.array(v, copy=True) for v in input_values])
    expected = expected if isinstance(out, (list, tuple)) else [expected]
    for o, g, e in zip(outs, got, expected):
        assert g.ndim == o.type.ndim, (g.shape, o.type)
        for d, b in enumerate(o.type.broadcastable):
            assert not b or g.shape[d] == 1, ("broadcastable dim not 1", g.shape, o.type)
        if check_dtype:
            want = expected_dtype or np.asarray(e).dtype
            assert str(g.dtype) == str(want), (g.dtype, want)
            assert o.type.dtype == str(g.dtype), (o.type.dtype, g.dtype)
        assert_close(g, e, rtol=rtol, atol=atol)
    check_infer_shape(outs, list(input_vars), input_values)
    return got if isinstance(out, (list, tuple)) else got[0]


def check_infer_shape(outputs, inputs, values):
    """Every node's ``infer_shape``, fed the real input shapes, gives the real output
    shapes."""
    outputs = list(outputs)
    nodes = io_toposort(list(graph_inputs(outputs)), outputs)
    variables = []
    for node in nodes:
        for v in node.inputs + node.outputs:
            if v not in variables and not isinstance(v, Constant):
                variables.append(v)
    f = pytheano.function(inputs, variables, on_unused_input="ignore")
    vals = dict(zip(variables, f(*values)))
    for node in nodes:
        infer = getattr(node.op, "infer_shape", None)
        if infer is None:
            continue
        in_shapes = []
        for v in node.inputs:
            val = v.data if isinstance(v, Constant) else vals[v]
            shp = getattr(val, "shape", None)
            in_shapes.append(None if shp is None else tuple(
                pytheano.tensor.constant(np.int64(d)) for d in shp))
        inferred = op_infer_shape(None, node, in_shapes)
        for out, shp in zip(node.outputs, inferred):
            if shp is None:
                continue
            real = np.shape(vals[out])
            got = tuple(_evaluate(s, inputs, values) for s in shp)
            assert got == tuple(real), "%s: infer_shape gives %s, real shape %s" % (
                node, got, real)


def _evaluate(s, inputs=(), values=()):
    if isinstance(s, Variable):
        if isinstance(s, Constant):
            return int(s.data)
        # infer_shape may return expressions of the node's inputs (Alloc returns its shape
        # inputs): evaluate them on the same input values.
        f = pytheano.function(list(inputs), s, on_unused_input="ignore")
        return int(f(*values))
    return int(s)
