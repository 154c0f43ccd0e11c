"""The C backend's reductions (link/c/reduce.py, CAReduce.c_code_node) against
CAReduce.perform: Sum, Prod, max, min, Any, All and plain CAReduces over every set of axes,
for each dtype, on inputs that are contiguous, transposed, strided, reversed (negative
strides), empty or 0-d.

One function per (dtype, rank) holds every reduction of that rank (one C module, cached);
hypothesis draws the input's shape and layout. The 'c' linker runs the C, the 'py' linker
perform; max/min of an empty axis must raise perform's error class in both.
"""
import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano._core.cthunk_array import ArrayCThunk
from pytheano.scalar import basic as S
from pytheano.scalar import logic as L
from pytheano.tensor.reduction import CAReduce, Prod, Sum
from pytheano.tensor.type import TensorType
from tests.helpers import C_MODE, LAYOUTS, PY_MODE, memory_layout

pytestmark = pytest.mark.skipif(not pytheano.config.cxx, reason="no C compiler (cxx='')")

DTYPES = ["bool", "int8", "uint8", "int32", "int64", "float32", "float64"]


def _reductions(x, dtype, axes):
    """The reductions of ``x`` over ``axes``: [(label, variable)]; (max/min separately)."""
    out = [("sum", Sum(axis=axes)(x)), ("prod", Prod(axis=axes)(x)),
           ("any", T.any(x, axis=axes)), ("all", T.all(x, axis=axes))]
    if dtype in ("int8", "float32"):
        # An explicit accumulator / output dtype.
        out.append(("sum acc float64", Sum(axis=axes, acc_dtype="float64")(x)))
        out.append(("sum dtype int16" if dtype == "int8" else "sum dtype float32",
                    Sum(axis=axes, dtype="int16" if dtype == "int8" else "float32")(x)))
    if dtype != "bool":
        out.append(("CAReduce add", CAReduce(S.add, axes)(x)))
    if dtype in ("int8", "uint8", "int64", "bool"):
        out.append(("CAReduce and", CAReduce(L.and_, axes)(x)))
        out.append(("CAReduce xor", CAReduce(L.xor, axes)(x)))
    return out


def _extrema(x, axes):
    return [("max", CAReduce(S.maximum, axes)(x)), ("min", CAReduce(S.minimum, axes)(x))]


_functions = {}


def _compiled(dtype, ndim, extrema):
    """(labels, C function, perform function) of every reduction of that rank and dtype."""
    key = (dtype, ndim, extrema)
    if key not in _functions:
        x = TensorType(dtype, (False,) * ndim)("x")
        outs = []
        for n in range(ndim + 1):
            for axes in itertools.combinations(range(ndim), n):
                outs += _extrema(x, list(axes)) if extrema else \
                    _reductions(x, dtype, list(axes))
        outs += _extrema(x, None) if extrema else _reductions(x, dtype, None)
        labels = [label for label, _ in outs]
        variables = [v for _, v in outs]
        f_c = pytheano.function([x], variables, mode=C_MODE)
        f_py = pytheano.function([x], variables, mode=PY_MODE)
        assert sum(isinstance(t, ArrayCThunk) for t in f_c.vm.thunks) >= len(variables) // 2
        _functions[key] = labels, f_c, f_py
    return _functions[key]


def _values(rng, dtype, shape):
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype.startswith("float"):
        v = rng.standard_normal(shape).astype(dtype)
        return v
    info = np.iinfo(dtype)
    # Small values so that prod wraps the same way in C and numpy; big ones for sum.
    return rng.integers(max(info.min, -3), min(info.max, 3) + 1, shape).astype(dtype)


def _check(labels, f_c, f_py, value):
    try:
        expected = f_py(value)
    except ValueError:
        with pytest.raises(ValueError):
            f_c(value)
        return
    got = f_c(value)
    for label, e, g in zip(labels, expected, got):
        assert g.dtype == e.dtype, label
        assert g.shape == e.shape, label
        if e.dtype.kind == "f":
            rtol = 1e-5 if e.dtype == np.float32 else 1e-12
            np.testing.assert_allclose(g, e, rtol=rtol, atol=rtol, err_msg=label)
        else:
            np.testing.assert_array_equal(g, e, err_msg=label)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(DTYPES), st.integers(0, 3), st.booleans(), st.data())
def test_reductions_match_perform(dtype, ndim, extrema, data):
    labels, f_c, f_py = _compiled(dtype, ndim, extrema)
    shape = tuple(data.draw(st.lists(st.integers(0, 4), min_size=ndim, max_size=ndim)))
    kind = data.draw(st.sampled_from(LAYOUTS))
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 16)))
    a = _values(rng, dtype, shape)
    if dtype.startswith("float") and a.size and data.draw(st.booleans()):
        a.flat[0] = np.nan  # max/min propagate NaN like numpy
    _check(labels, f_c, f_py, memory_layout(a, kind))


def test_int8_sum_accumulates_in_int64_and_float32_sum_stays_precise():
    x8 = T.bmatrix()
    xf = T.fmatrix()
    outs = [T.sum(x8), T.sum(x8, axis=0), T.sum(xf), T.sum(xf, axis=1), T.prod(xf[:, :3])]
    f_c = pytheano.function([x8, xf], outs, mode=C_MODE)
    f_py = pytheano.function([x8, xf], outs, mode=PY_MODE)
    assert sum(isinstance(t, ArrayCThunk) for t in f_c.vm.thunks) == len(outs)
    a8 = np.full((1000, 300), 100, dtype="int8")  # 3e7 > int8, int16, int32 range sums
    af = np.random.default_rng(0).standard_normal((1000, 300)).astype("float32") + 1e3
    for g, e in zip(f_c(a8, af), f_py(a8, af)):
        assert g.dtype == e.dtype
        np.testing.assert_allclose(g, e, rtol=1e-6)
    assert f_c(a8, af)[0] == 100 * 1000 * 300
    # The C ran (the thunk counts the calls that did not fall back to perform).
    assert all(t.c_calls > 0 for t in f_c.vm.thunks if isinstance(t, ArrayCThunk))


def test_max_of_an_empty_axis_raises_performs_error():
    x = T.dmatrix()
    f = pytheano.function([x], CAReduce(S.maximum, [1])(x), mode=C_MODE)
    assert isinstance(f.vm.thunks[0], ArrayCThunk)
    with pytest.raises(ValueError, match="zero-size"):
        f(np.zeros((3, 0)))
    assert f(np.zeros((0, 3))).shape == (0,)  # no reduced axis is empty


def test_reductions_pass_debugmode():
    x = T.dtensor3()
    outs = [T.sum(x, axis=[0, 2]), T.prod(x, axis=1), CAReduce(S.maximum, [2])(x),
            CAReduce(S.minimum)(x), T.any(x > 0, axis=0)]
    f = pytheano.function([x], outs, mode="DebugMode")
    a = np.random.default_rng(1).standard_normal((3, 4, 5))[:, ::-1, ::2]
    for g, e in zip(f(a), [a.sum(axis=(0, 2)), a.prod(axis=1), a.max(axis=2), a.min(),
                           (a > 0).any(axis=0)]):
        np.testing.assert_allclose(g, e, rtol=1e-12)
