"""The C of the softmax and cross-entropy ops (their ``c_code_node``, run by ArrayCThunk)
against their perform, as tests/link/c/test_reduce_c.py does for reductions: for float32
and float64 (mixed where the op takes two floats) and several label dtypes, on inputs that
are contiguous, transposed, strided, reversed, empty, with NaN and huge values, and with
labels out of range, negative, fewer or more than the rows (both must raise perform's
error class). DebugMode and verify_grad run them too.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano._core.cthunk_array import ArrayCThunk
from pytheano.compile.mode import Mode
from pytheano.tensor.nnet import nnet as N
from pytheano.tensor.type import TensorType
from tests.helpers import C_MODE, LAYOUTS, PY_MODE, memory_layout, outcome

pytestmark = pytest.mark.skipif(not pytheano.config.cxx, reason="no C compiler (cxx='')")

_functions = {}


def _compiled(xdtype, bdtype, ldtype):
    """(C function, perform function) of every op of the family for these dtypes."""
    key = (xdtype, bdtype, ldtype)
    if key not in _functions:
        x = TensorType(xdtype, (False, False))("x")
        b = TensorType(bdtype, (False,))("b")
        dy = TensorType(bdtype, (False,))("dy")
        dy0 = TensorType(bdtype, ())("dy0")
        g = TensorType(bdtype, (False, False))("g")
        y = TensorType(ldtype, (False,))("y")
        outs = [N.softmax_op(x), N.logsoftmax_op(x), N.softmax_with_bias(x, b),
                N.softmax_grad(g, x), N.crossentropy_categorical_1hot(x, y),
                N.crossentropy_categorical_1hot_grad(dy, x, y),
                N.crossentropy_softmax_1hot_with_bias_dx(dy, x, y),
                N.crossentropy_softmax_1hot_with_bias_dx(dy0, x, y)]
        outs += list(N.crossentropy_softmax_argmax_1hot_with_bias(x, b, y))
        inputs = [x, b, y, dy, dy0, g]
        f_c = pytheano.function(inputs, outs, mode=C_MODE)
        f_py = pytheano.function(inputs, outs, mode=PY_MODE)
        assert sum(isinstance(t, ArrayCThunk) for t in f_c.vm.thunks) == 9
        _functions[key] = f_c, f_py
    return _functions[key]


@settings(max_examples=50, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([("float64", "float64"), ("float32", "float32"),
                        ("float32", "float64")]),
       st.sampled_from(["int64", "int32", "uint8", "int8"]),
       st.integers(0, 4), st.integers(0, 5), st.sampled_from(LAYOUTS),
       st.sampled_from(["ok", "ok", "ok", "too big", "negative", "too negative", "nan",
                        "huge"]),
       st.booleans(), st.integers(-1, 1), st.integers(0, 2 ** 16))
def test_nnet_ops_match_perform(dtypes, ldtype, rows, cols, layout, case, dy_per_row,
                                extra_labels, seed):
    xdtype, bdtype = dtypes
    f_c, f_py = _compiled(xdtype, bdtype, ldtype)
    rng = np.random.default_rng(seed)
    x = (rng.random((rows, cols)) * 4 - 2).astype(xdtype)
    if case == "nan" and x.size:
        x.flat[rng.integers(x.size)] = np.nan
    if case == "huge":
        x *= 1e4 if xdtype == "float64" else 40  # exp would overflow without the max
    x = np.abs(x) + 0.1 if case != "nan" and rng.random() < 0.5 else x  # positive coding
    # One label a row, one fewer (a row with no label) or one more (numpy's IndexError).
    n_labels = max(rows + extra_labels, 0)
    labels = rng.integers(0, max(cols, 1), n_labels)
    if case == "too big" and n_labels:
        labels[rng.integers(n_labels)] = cols
    if case == "negative" and n_labels and ldtype[0] != "u":
        labels[rng.integers(n_labels)] = -rng.integers(1, max(cols, 1) + 1)
    if case == "too negative" and n_labels and ldtype[0] != "u":
        labels[rng.integers(n_labels)] = -cols - 1
    args = [memory_layout(x, layout),
            memory_layout(rng.standard_normal(cols).astype(bdtype), layout),
            memory_layout(labels.astype(ldtype), layout),
            memory_layout(rng.standard_normal(n_labels if dy_per_row else 1).astype(bdtype),
                          layout),
            np.asarray(rng.standard_normal(), dtype=bdtype),
            memory_layout(rng.standard_normal((rows, cols)).astype(bdtype), layout)]
    with np.errstate(all="ignore"):
        expected, e_err = outcome(f_py, args)
        got, g_err = outcome(f_c, args)
    assert g_err == e_err
    if expected is None:
        return
    for k, (g, e) in enumerate(zip(got, expected)):
        assert g.dtype == e.dtype and g.shape == e.shape, k
        if e.dtype.kind == "f":
            rtol = 1e-4 if "float32" in dtypes else 1e-10
            np.testing.assert_allclose(g, e, rtol=rtol, atol=rtol, equal_nan=True,
                                       err_msg=str(k))
        else:
            np.testing.assert_array_equal(g, e, err_msg=str(k))


def test_c_runs_and_is_stable():
    x, b, y = T.dmatrix(), T.dvector(), T.lvector()
    outs = [N.softmax_op(x), N.logsoftmax_op(x)] + \
        list(N.crossentropy_softmax_argmax_1hot_with_bias(x, b, y))
    f = pytheano.function([x, b, y], outs, mode=C_MODE)
    big = np.array([[1000.0, 0.0, -1000.0], [-1e300, 1e300, 0.0]])
    sm, lsm, nll, sm2, am = f(big, np.zeros(3), np.array([0, 2]))
    assert all(t.c_calls == 1 for t in f.vm.thunks if isinstance(t, ArrayCThunk))
    np.testing.assert_allclose(sm, [[1, 0, 0], [0, 1, 0]], atol=1e-300)
    np.testing.assert_allclose(lsm[0], [0, -1000, -2000])
    np.testing.assert_allclose(nll, [0, 1e300])
    np.testing.assert_array_equal(am, [0, 1])


def test_out_of_range_labels_raise_performs_error():
    x, y = T.dmatrix(), T.lvector()
    nll = N.crossentropy_softmax_argmax_1hot_with_bias(x, T.zeros_like(x[0]), y)[0]
    f = pytheano.function([x, y], [N.crossentropy_categorical_1hot(x, y)], mode=C_MODE)
    g = pytheano.function([x, y], nll, mode=C_MODE)
    a = np.full((2, 3), 0.5)
    with pytest.raises(IndexError, match="out of bounds"):
        f(a, np.array([0, 3]))
    with pytest.raises(IndexError):
        g(a, np.array([0, 3]))
    with pytest.raises(IndexError, match="out of bounds for axis 1"):
        g(a, np.array([0, -4]))
    with pytest.raises(IndexError, match="3 labels for a matrix of 2 rows"):
        g(a, np.array([0, 1, 2]))
    np.testing.assert_allclose(g(a, np.array([-1])), [np.log(3)])  # numpy's a[[0], [-1]]
    with pytest.raises(ValueError):
        pytheano.function([x], N.softmax_op(x), mode=C_MODE)(np.zeros((2, 0)))


def test_nnet_ops_pass_debugmode_and_verify_grad():
    x, b, y = T.dmatrix(), T.dvector(), T.lvector()
    nll, sm, am = N.crossentropy_softmax_argmax_1hot_with_bias(x, b, y)
    cost = nll.sum() + N.logsoftmax_op(x).sum() + (N.softmax_op(x) ** 2).sum() + \
        N.crossentropy_categorical_1hot(N.softmax_with_bias(x, b), y).sum()
    grads = pytheano.grad(cost, [x, b])
    f = pytheano.function([x, b, y], [cost] + grads, mode="DebugMode")
    rng = np.random.default_rng(0)
    a, bb, labels = rng.standard_normal((4, 5)), rng.standard_normal(5), np.array([0, 4, 2, 2])
    f(a, bb, labels)
    rng = np.random.RandomState(0)
    for fn in (lambda v: N.logsoftmax_op(v), lambda v: N.softmax_op(v),
               lambda v: N.crossentropy_softmax_argmax_1hot_with_bias(
                   v, T.constant(bb), T.constant(labels))[0]):
        T.verify_grad(fn, [a], rng=rng, mode=Mode(linker="c", optimizer="fast_run"))
