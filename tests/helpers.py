"""Shared checks for op tests: compare with numpy, check infer_shape against real shapes.

    check_op(lambda x, y: x + y, [T.dmatrix(), T.dvector()], [a, b], lambda a, b: a + b)

compiles the graph in several modes (``modes=``; default_modes(), or all_modes() with
``ALL_MODES`` / PYTHEANO_TEST_ALL_MODES=1), compares the value (and dtype, unless
``check_dtype=False``) with the numpy reference, and checks every node's ``infer_shape``
against the shapes it really produced. ``check_rewrite`` shows a rewrite's graph before and
after and checks that it keeps the values; ``check_op_contract`` checks an op's eq/hash, str,
pickling and make_node's TypeError. ``C_MODE``/``PY_MODE``, ``memory_layout`` and ``outcome``
serve the tests comparing an op's C with its perform.
"""
import copy
import os
import pickle

import numpy as np

import pytheano
from pytheano._core.graph import Constant, Variable, io_toposort
from pytheano.compile.mode import Mode
from pytheano.graph.basic import graph_inputs
from pytheano.graph.op import infer_shape as op_infer_shape

FLOAT_DTYPES = ("float32", "float64")
INT_DTYPES = ("int8", "int16", "int32", "int64")
ALL_DTYPES = ("bool", "uint8") + INT_DTYPES + FLOAT_DTYPES

# C against perform: every C-capable node compiled, or every node through perform.
C_MODE = Mode(linker="c", optimizer=None)
PY_MODE = Mode(linker="py", optimizer=None)
LAYOUTS = ("c", "transposed", "strided", "reversed")


def memory_layout(a, kind):
    """An array equal to ``a`` in memory layout ``kind`` (one of LAYOUTS): C-contiguous,
    transposed (Fortran order), every other element of a bigger array, or negative strides
    in every dimension."""
    if kind == "c" or a.ndim == 0:
        return a
    if kind == "transposed":
        return np.ascontiguousarray(a.T).T
    if kind == "reversed":
        return np.ascontiguousarray(a[(slice(None, None, -1),) * a.ndim])[
            (slice(None, None, -1),) * a.ndim]
    big = np.zeros(tuple(2 * n for n in a.shape), dtype=a.dtype)
    view = big[(slice(None, None, 2),) * a.ndim]
    view[...] = a
    return view


def run_c_thunk(node, values, out=None):
    """(the node's output computed by its precompiled C thunk, ``op.c_thunk(node)``, the
    thunk); ``out``: what the output cell holds before the call (a buffer to reuse)."""
    thunk_class, args = node.op.c_thunk(node)
    cell = [out]
    thunk = thunk_class(node, [[v] for v in values], [cell], node.op.perform, *args)
    thunk()
    return cell[0], thunk


def run_perform(node, values):
    """The node's output computed by its perform."""
    cell = [None]
    node.op.perform(node, list(values), [cell])
    return cell[0]


def outcome(f, args):
    """(f's results, None), or (None, the class of what f raised): what C and perform must
    agree on."""
    try:
        return f(*args), None
    except Exception as e:  # noqa: BLE001 -- the class is what is compared
        return None, type(e)


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


def all_modes():
    """Every (linker, optimizer) pair: each registered linker (read from the registry, so
    backends that register linkers later join in) with no rewrite, the FAST_RUN query and the
    FAST_COMPILE query."""
    from pytheano.compile.mode import OPT_FAST_COMPILE, OPT_FAST_RUN, Mode
    from pytheano.link.linkers import linker_registry

    return [Mode(linker, opt) for linker in linker_registry
            for opt in (None, OPT_FAST_RUN, OPT_FAST_COMPILE)]


def default_modes():
    """The cheap default: perform only and no rewrite ('py'), and the default mode."""
    from pytheano.compile.mode import Mode, get_default_mode

    return [Mode("py", None), get_default_mode()]


# check_op's ``modes=ALL_MODES`` (or PYTHEANO_TEST_ALL_MODES=1 in the environment) compares
# every mode of all_modes(); the default is default_modes().
ALL_MODES = "all"


def _modes(modes):
    if modes is None:
        modes = ALL_MODES if os.environ.get("PYTHEANO_TEST_ALL_MODES") else default_modes()
    if modes == ALL_MODES:
        modes = all_modes()
    distinct, seen = [], set()
    for mode in modes:
        key = (mode.linker.name, mode.linker.allow_gc, mode.optimizer)
        if key not in seen:
            seen.add(key)
            distinct.append(mode)
    return distinct


def check_op(build, input_vars, input_values, reference, check_dtype=True, rtol=None,
             atol=None, expected_dtype=None, modes=None):
    """Check ``build(*input_vars)`` against ``reference(*input_values)`` in several modes.

    In each mode (compiled once per distinct (linker, optimizer) per call): the value, the
    dtype (the reference's, or ``expected_dtype``), the output type's ndim and broadcastable
    dims. Then infer_shape of every node. ``modes``: a list of Modes, ``ALL_MODES`` (every
    registered linker x {no rewrite, FAST_RUN, FAST_COMPILE}), or None: ``default_modes()``
    ('py' without rewrites, and the default mode), or ALL_MODES when the environment sets
    PYTHEANO_TEST_ALL_MODES. Returns the computed value(s) of the first mode.
    """
    out = build(*input_vars)
    outs = out if isinstance(out, (list, tuple)) else [out]
    expected = reference(*[np.array(v, copy=True) for v in input_values])
    expected = expected if isinstance(out, (list, tuple)) else [expected]
    first = None
    for mode in _modes(modes):
        f = pytheano.function(list(input_vars), outs, on_unused_input="ignore", mode=mode)
        # Fresh copies: an in-place rewrite must not change the next mode's inputs.
        got = f(*[v.copy() if isinstance(v, np.ndarray) else v for v in input_values])
        for o, g, e in zip(outs, got, expected):
            where = "mode %s, output %s" % (mode, o)
            assert g.ndim == o.type.ndim, (where, g.shape, o.type)
            for d, b in enumerate(o.type.broadcastable):
                assert not b or g.shape[d] == 1, ("broadcastable dim not 1", where, g.shape,
                                                  o.type)
            if check_dtype:
                want = expected_dtype or np.asarray(e).dtype
                assert str(g.dtype) == str(want), (where, g.dtype, want)
                assert o.type.dtype == str(g.dtype), (where, o.type.dtype, g.dtype)
            try:
                assert_close(g, e, rtol=rtol, atol=atol)
            except AssertionError as err:
                raise AssertionError("%s: %s" % (where, err)) from None
        if first is None:
            first = got
    check_infer_shape(outs, list(input_vars), input_values)
    return first if isinstance(out, (list, tuple)) else first[0]


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


def random_input(type, rng=None, special=(), shape_range=(2, 4)):
    """A random value for a variable of ``type``: a tensor of its dtype with 1 on its
    broadcastable dims (others drawn from ``shape_range``), a 0-d array for a scalar type.
    ``special``: some of "nan", "inf", "-inf" written into a float value's first entries."""
    rng = rng if rng is not None else np.random.default_rng(42)
    dtype = getattr(type, "dtype", None)
    if dtype is None:
        raise TypeError("check_rewrite cannot draw a value of type %s: pass values=" % type)
    broadcastable = getattr(type, "broadcastable", ())
    shape = tuple(1 if b else int(rng.integers(shape_range[0], shape_range[1] + 1))
                  for b in broadcastable)
    value = np.asarray(random_value(shape, dtype, rng))
    if special and value.dtype.kind in "fc":
        flat = value.reshape(-1)
        for i, s in enumerate(special[:flat.size]):
            flat[i] = float(s)
    return value if broadcastable or hasattr(type, "broadcastable") else value[()]


def debugprint_str(fgraph_or_outputs):
    """The graph as debugprint prints it, without ids (what ``expected=`` strings compare
    to)."""
    from pytheano.printing import debugprint

    outputs = getattr(fgraph_or_outputs, "outputs", fgraph_or_outputs)
    text = debugprint(list(outputs), file="str", ids="")
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def _as_plan(rewrite, db):
    from pytheano.compile.mode import Mode
    from pytheano.graph.rewriting import (CANONICALIZE, NodeRewriter, Query, RewriteDatabase,
                                          RewritePlan, rewrite_db)

    if isinstance(rewrite, RewritePlan):
        return rewrite
    if isinstance(rewrite, NodeRewriter):
        private = RewriteDatabase()
        private.register(rewrite, CANONICALIZE, "check_rewrite")
        return private.query(Query(include=("check_rewrite",)))
    if isinstance(rewrite, Mode):
        rewrite = rewrite.optimizer
    if isinstance(rewrite, Query):
        return (rewrite_db if db is None else db).query(rewrite)
    raise TypeError("check_rewrite: rewrite must be a NodeRewriter, a RewritePlan, a Query or "
                    "a Mode, not %r" % (rewrite,))


def _graph_matches(fgraph, expected):
    if expected is None:
        return True
    if callable(expected) and not isinstance(expected, (list, tuple, type)):
        return bool(expected(fgraph))
    if isinstance(expected, str):
        want = "\n".join(line.rstrip() for line in expected.strip("\n").splitlines())
        return debugprint_str(fgraph) == _dedent(want)
    ops = [node.op for node in fgraph.toposort()]
    if len(ops) != len(expected):
        return False
    return all(isinstance(op, e) if isinstance(e, type) else op == e
               for op, e in zip(ops, expected))


def _dedent(text):
    import textwrap

    return textwrap.dedent(text).strip("\n")


def check_rewrite(graph, rewrite, expected=None, inputs=None, values=None, special=(),
                  db=None, rng=None, rtol=None, atol=None):
    """Rewrite a copy of ``graph``, check the result's shape and that values do not change.

    graph: a FunctionGraph; outputs (a variable or a list; inputs=their graph inputs); or a
    builder ``graph(*inputs)`` returning the outputs. rewrite: a NodeRewriter (run alone, in
    a private database, to a fixed point), a RewritePlan, a Query over ``db`` (default: the
    global rewrite_db) or a Mode (its query). expected: a predicate ``expected(fgraph)``, an
    expected ``debugprint_str`` text, or the list of ops of the rewritten toposort (an op
    class matches its instances). values: the inputs' values; by default drawn per input
    type (dtype and broadcastable aware), with ``special`` ("nan", "inf", "-inf") written into
    float inputs. The values of the graph before (no rewrite, 'py' linker) and after must
    match in dtype, shape and value. The assertion messages show both graphs. Returns the
    rewritten FunctionGraph.
    """
    from pytheano._core.fgraph import FunctionGraph
    from pytheano.compile.mode import Mode

    if isinstance(graph, FunctionGraph):
        inputs, outputs = list(graph.inputs), list(graph.outputs)
    elif callable(graph) and not hasattr(graph, "owner"):
        inputs = list(inputs)
        out = graph(*inputs)
        outputs = list(out) if isinstance(out, (list, tuple)) else [out]
    else:
        outputs = list(graph) if isinstance(graph, (list, tuple)) else [graph]
        if inputs is None:
            inputs = [v for v in graph_inputs(outputs) if not isinstance(v, Constant)]
        inputs = list(inputs)
    fgraph = FunctionGraph(inputs, outputs, clone=True)
    before = debugprint_str(fgraph)
    _as_plan(rewrite, db).rewrite(fgraph)
    after = debugprint_str(fgraph)
    shown = "\nbefore:\n%s\nafter:\n%s" % (before, after)
    assert _graph_matches(fgraph, expected), "the rewritten graph is not the expected one" + (
        "\nexpected:\n%s" % _dedent(expected) if isinstance(expected, str) else "") + shown

    rng = rng if rng is not None else np.random.default_rng(0)
    if values is None:
        values = [random_input(v.type, rng, special) for v in inputs]
    plain = Mode("py", None)
    f_before = pytheano.function(inputs, outputs, mode=plain, on_unused_input="ignore")
    f_after = pytheano.function(list(fgraph.inputs), list(fgraph.outputs), mode=plain,
                                on_unused_input="ignore")
    want = f_before(*[v.copy() if isinstance(v, np.ndarray) else v for v in values])
    got = f_after(*[v.copy() if isinstance(v, np.ndarray) else v for v in values])
    for i, (g, w) in enumerate(zip(got, want)):
        if isinstance(w, np.ndarray) or np.isscalar(w):
            g, w = np.asarray(g), np.asarray(w)
            assert g.dtype == w.dtype, ("output %d: dtype %s after, %s before" % (i, g.dtype,
                                                                                 w.dtype)) + shown
            try:
                assert_close(g, w, rtol=rtol, atol=atol)
            except AssertionError as err:
                raise AssertionError("output %d changed value: %s%s" % (i, err, shown)) from None
        else:
            assert g == w, "output %d changed value: %r after, %r before%s" % (i, g, w, shown)
    return fgraph


class _Different:
    """A prop value equal to nothing else."""

    def __repr__(self):
        return "<different>"


def _with_prop(op, name, value):
    clone = copy.copy(op)
    clone.__dict__[name] = value
    return clone


def check_op_contract(op, inputs=None, values=None, bad_inputs=None):
    """The Op protocol's contract for ``op``.

    eq/hash from ``__props__``: a copy with equal (deep-copied) props is equal and hashes
    equal; changing any one prop makes it unequal. ``str``/``repr`` do not fail and are
    stable. Pickling round-trips to an equal op. With ``inputs`` (variables) the graph
    ``op(*inputs)`` unpickles and computes the same on ``values`` (default: random, per
    type). With ``bad_inputs`` (a list of input lists), ``make_node`` refuses each with
    TypeError.
    """
    props = getattr(op, "__props__", None)
    assert op == op and not (op != op), "%s is not equal to itself" % (type(op).__name__,)
    hash(op)
    if props is not None:
        twin = copy.copy(op)
        twin.__dict__.update({p: copy.deepcopy(getattr(op, p)) for p in props})
        assert twin == op and hash(twin) == hash(op), (
            "%s: equal props must give equal ops with equal hashes" % type(op).__name__)
        for p in props:
            other = _with_prop(op, p, _Different())
            assert other != op and not (other == op), (
                "%s: ops differing in %r compare equal" % (type(op).__name__, p))
    text = str(op)
    assert isinstance(text, str) and text and str(op) == text, type(op).__name__
    assert isinstance(repr(op), str)
    if props is not None:
        assert str(copy.copy(op)) == text, "%s: str differs between equal ops" % text
    back = pickle.loads(pickle.dumps(op))
    assert type(back) is type(op)
    if props is not None:
        assert back == op and hash(back) == hash(op), "%s: pickling changes the op" % text
        assert str(back) == text, (str(back), text)
    if inputs is not None:
        _check_pickled_graph(op, list(inputs), values)
    for bad in bad_inputs or ():
        try:
            op.make_node(*bad)
        except TypeError:
            continue
        except Exception as err:
            raise AssertionError("%s.make_node(%s) raised %s, not TypeError: %s"
                                 % (text, bad, type(err).__name__, err)) from None
        raise AssertionError("%s.make_node(%s) accepted bad input" % (text, bad))


def _check_pickled_graph(op, inputs, values):
    from pytheano.compile.mode import Mode

    out = op(*inputs)
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    ins2, outs2 = pickle.loads(pickle.dumps((inputs, outs)))
    if values is None:
        rng = np.random.default_rng(0)
        values = [random_input(v.type, rng) for v in inputs]
    mode = Mode("py", None)
    want = pytheano.function(inputs, outs, mode=mode)(*values)
    got = pytheano.function(ins2, outs2, mode=mode)(*values)
    for g, w in zip(got, want):
        if isinstance(w, (np.ndarray, np.generic)):
            assert_close(g, w)
        else:
            assert g == w, (g, w)


def assert_same_as_unrewritten(inputs, out, special=("nan", "inf", "-inf"), seed=1):
    """``out`` compiled with FAST_RUN gives exactly (dtype and every bit) what it gives with
    optimizer=None, on random inputs holding the ``special`` values."""
    import pytheano

    rng = np.random.default_rng(seed)
    values = [random_input(v.type, rng, special) for v in inputs]
    want = pytheano.function(inputs, out, mode=pytheano.Mode(optimizer=None))(*values)
    got = pytheano.function(inputs, out, mode="FAST_RUN")(*values)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    np.testing.assert_array_equal(got, want)
