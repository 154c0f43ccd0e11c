"""The C of Pool and MaxPoolGrad (signal/pool.py) against their perform, bit for bit: every
mode, window, stride and padding, ignore_border both ways, float and integer dtypes, NaN,
non-contiguous and negative strides, several leading axes; what perform refuses (bad
parameters, shapes that do not agree) and zero-size cases give perform's result or error."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano._core.cthunk_array import ArrayCThunk
from pytheano.tensor.signal.pool import MaxPoolGrad, Pool
from pytheano.tensor.type import TensorType
from tests.helpers import C_MODE, LAYOUTS, PY_MODE, memory_layout, outcome

pytestmark = pytest.mark.skipif(not pytheano.config.cxx, reason="no C compiler (cxx='')")

SETTINGS = settings(max_examples=80, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
MODES = ["max", "sum", "average_inc_pad", "average_exc_pad"]
_functions = {}


def functions(op, types):
    """(C function, perform function) of ``op`` over inputs of ``types``; ws, stride and
    pad are int64 vector inputs."""
    key = (op, tuple(types))
    if key not in _functions:
        xs = [t() for t in types]
        params = [T.lvector() for _ in range(3)]
        out = op(*(xs + params))
        f_c = pytheano.function(xs + params, out, mode=C_MODE)
        assert any(type(t) is ArrayCThunk for t in f_c.vm.thunks)
        _functions[key] = (f_c, pytheano.function(xs + params, out, mode=PY_MODE))
    return _functions[key]


def same_outcome(f_c, f_py, args):
    """The C and perform agree; the C computed it when the result is not empty."""
    thunk, = [t for t in f_c.vm.thunks if type(t) is ArrayCThunk]
    before = thunk.c_calls
    got, g_err = outcome(f_c, args)
    expected, e_err = outcome(f_py, args)
    assert g_err == e_err
    if e_err is None:
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_array_equal(got, expected)
        assert thunk.c_calls == before + (got.size > 0 and args[0].size > 0)
    return got


@st.composite
def windows(draw):
    ib = draw(st.booleans())
    ws = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    pad = (0, 0)
    if ib and draw(st.booleans()):
        pad = (draw(st.integers(0, ws[0] - 1)), draw(st.integers(0, ws[1] - 1)))
    lead = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    img = (draw(st.integers(1, 7)), draw(st.integers(1, 7)))
    return ib, ws, stride, pad, lead + img


def _values(shp, dtype, layout, rng, nan):
    if dtype.startswith("float"):
        x = rng.standard_normal(shp).astype(dtype)
        x[rng.random(shp) < 0.2] = 0.5  # ties
        if nan:
            x[rng.random(shp) < 0.1] = np.nan
    else:
        x = rng.integers(0, 100 if dtype.startswith("u") else -100, size=shp,
                         endpoint=True).astype(dtype) if dtype.startswith("u") else \
            rng.integers(-100, 100, size=shp).astype(dtype)
    return memory_layout(x, layout)


@SETTINGS
@given(windows(), st.sampled_from(MODES),
       st.sampled_from(["float64", "float32", "int8", "uint8", "int64"]),
       st.sampled_from(LAYOUTS), st.booleans(), st.integers(0, 2 ** 16))
def test_pool_as_perform(case, mode, dtype, layout, nan, seed):
    ib, ws, stride, pad, shp = case
    t = TensorType(dtype, (False,) * len(shp))
    if mode.startswith("average") and not dtype.startswith("float"):
        # numpy's float division of an int64 sum: perform's (no C).
        node = Pool(ignore_border=ib, mode=mode)(t(), *[T.lvector() for _ in range(3)]).owner
        assert node.op.c_code_node(node) is None
        return
    f_c, f_py = functions(Pool(ignore_border=ib, mode=mode), [t])
    x = _values(shp, dtype, layout, np.random.default_rng(seed), nan)
    same_outcome(f_c, f_py, [x, np.array(ws), np.array(stride), np.array(pad)])


@SETTINGS
@given(windows(), st.sampled_from(["float64", "float32"]), st.sampled_from(LAYOUTS),
       st.booleans(), st.integers(0, 2 ** 16))
def test_max_pool_grad_as_perform(case, dtype, layout, nan, seed):
    ib, ws, stride, pad, shp = case
    rng = np.random.default_rng(seed)
    x = _values(shp, dtype, layout, rng, nan)
    params = [np.array(ws), np.array(stride), np.array(pad)]
    pool_c, _ = functions(Pool(ignore_border=ib), [TensorType(dtype, (False,) * len(shp))])
    maxout = pool_c(x, *params)
    gz = memory_layout(rng.standard_normal(maxout.shape).astype(dtype), layout)
    if nan and gz.size:
        gz.flat[0] = np.inf  # 0 * inf: NaN where an element is not its window's max
    t = TensorType(dtype, (False,) * len(shp))
    f_c, f_py = functions(MaxPoolGrad(ib), [t, t, t])
    same_outcome(f_c, f_py, [x, maxout, gz] + params)


def test_what_perform_refuses_or_computes_alone():
    x = T.dtensor4()
    params = [T.lvector() for _ in range(3)]
    for ib in (True, False):
        f_c, f_py = functions(Pool(ignore_border=ib), [x.type])
        xv = np.random.default_rng(0).standard_normal((1, 2, 5, 4))
        for ws, stride, pad in (((2, 2), (2, 2), (0, 0)),   # computed by the C
                                ((0, 2), (1, 1), (0, 0)),   # ws < 1
                                ((2, 2), (0, 1), (0, 0)),   # stride < 1
                                ((2, 2), (1, 1), (2, 0)),   # pad >= ws
                                ((2, 2), (1, 1), (1, 0)),   # pad without ignore_border
                                ((2, 2, 2), (1, 1), (0, 0)),  # three values
                                ((6, 2), (1, 1), (0, 0))):  # no window (ignore_border)
            same_outcome(f_c, f_py, [xv] + [np.array(v) for v in (ws, stride, pad)])
        same_outcome(f_c, f_py, [np.zeros((1, 0, 5, 4))] + [np.array((2, 2))] * 2 +
                     [np.array((0, 0))])
    assert len(params) == 3
    t = x.type
    g_c, g_py = functions(MaxPoolGrad(True), [t, t, t])
    xv = np.ones((1, 1, 4, 4))
    args = [np.array((2, 2)), np.array((2, 2)), np.array((0, 0))]
    same_outcome(g_c, g_py, [xv, np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2))] + args)
    same_outcome(g_c, g_py, [xv, np.ones((1, 1, 3, 2)), np.ones((1, 1, 3, 2))] + args)


def test_the_lenet_step_pools_in_c():
    x = T.tensor4(dtype="float32")
    from pytheano.tensor.signal.pool import pool_2d
    y = pool_2d(x, (2, 2), ignore_border=True)
    cost = (y ** 2).sum()
    f = pytheano.function([x], [y, pytheano.grad(cost, x)])
    kinds = {type(n.op): t for n, t in zip(f.maker.fgraph.toposort(), f.vm.thunks)}
    assert type(kinds[Pool]) is ArrayCThunk and type(kinds[MaxPoolGrad]) is ArrayCThunk
    xv = np.random.default_rng(0).standard_normal((2, 3, 6, 5)).astype("float32")
    g = pytheano.function([x], [y, pytheano.grad(cost, x)],
                          mode=pytheano.compile.Mode(linker="py"))
    for got, expected in zip(f(xv), g(xv)):
        np.testing.assert_array_equal(got, expected)
