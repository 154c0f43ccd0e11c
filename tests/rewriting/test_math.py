"""pytheano/rewriting/math.py: log1p, expm1 and logsumexp (the shared row checks are in
tests/rewriting/stability.py)."""
import numpy as np
import pytest
from scipy.special import logsumexp, softmax

import pytheano.tensor as T
from tests.rewriting import stability
from tests.rewriting.stability import Row


def _matrix(dtype):
    return [T.matrix("x", dtype=dtype)]


def _uniform(low, high):
    def values(rng, shape, dtype):
        return [rng.uniform(low, high, size=shape).astype(dtype)]
    return values


TINY = [np.full((2, 3), 1e-17)]
HUGE = [np.array([[1000.0, 999.0, -5.0], [-1e4, -1e4 - 1, -1e4 - 2]])]

# The logsumexp rows' gradients at HUGE are finite by local_logsumexp_grad (T.grad writes
# exp(x) / sum(exp(x)) before any rewrite).
ROWS = [
    Row("local_log1p", lambda x: T.log(1 + x), _matrix, _uniform(-0.9, 3), TINY,
        np.log1p, "log1p"),
    Row("local_log1p", lambda x: T.log(x + 1.0), _matrix, _uniform(-0.9, 3), TINY,
        np.log1p, "log1p"),
    Row("local_expm1", lambda x: T.exp(x) - 1, _matrix, _uniform(-3, 3), TINY,
        np.expm1, "expm1"),
    Row("local_logsumexp", lambda x: T.log(T.sum(T.exp(x), axis=1)), _matrix,
        _uniform(-3, 3), HUGE, lambda x: logsumexp(x, axis=1), "MaxAndArgmax"),
    Row("local_logsumexp", lambda x: T.log(T.exp(x).sum(axis=0, keepdims=True)), _matrix,
        _uniform(-3, 3), [HUGE[0].T], lambda x: logsumexp(x, axis=0, keepdims=True),
        "MaxAndArgmax"),
    Row("local_logsumexp", lambda x: T.log(T.sum(T.exp(x))), _matrix, _uniform(-3, 3),
        HUGE, logsumexp, "MaxAndArgmax"),
]


@pytest.mark.parametrize("row", ROWS, ids=repr)
def test_graph(row):
    stability.check_graph(row)


@pytest.mark.parametrize("row", ROWS, ids=repr)
def test_values(row):
    stability.check_values(row)


@pytest.mark.parametrize("row", ROWS, ids=repr)
def test_extreme(row):
    stability.check_extreme(row)


@pytest.mark.parametrize("row", ROWS, ids=repr)
def test_gradient(row):
    stability.check_gradient(row)


def test_logsumexp_keeps_inf_rows():
    # An all -inf row is -inf (not nan), a +inf entry inf, a nan entry nan: the exact math.
    x = T.matrix("x", dtype="float64")
    f = stability.pytheano.function([x], T.log(T.sum(T.exp(x), axis=1)))
    out = f(np.array([[-np.inf, -np.inf], [np.inf, 0.0], [np.nan, 0.0]]))
    assert out[0] == -np.inf and out[1] == np.inf and np.isnan(out[2])


def test_no_rewrite_when_the_dtype_would_change():
    # log(1 + x) on int8 is float32; log1p(x) of the same ints would be too, but an int64
    # constant 1 upcasts: only a replacement of the same type is taken.
    x = T.vector("x", dtype="int8")
    out = T.log(np.int64(1) + x)
    f = stability.pytheano.function([x], out)
    assert f.maker.fgraph.outputs[0].type == out.type
    np.testing.assert_allclose(f(np.array([1, 2], dtype="int8")), np.log([2, 3]))


@pytest.mark.xfail(strict=True, raises=ValueError,
                   reason="logsumexp's max raises on an empty axis (as Theano 1.0.5's does)")
def test_logsumexp_of_an_empty_axis_is_minus_inf():
    x = T.matrix("x", dtype="float64")
    f = stability.pytheano.function([x], T.log(T.sum(T.exp(x), axis=1)))
    np.testing.assert_array_equal(f(np.zeros((2, 0))), [-np.inf, -np.inf])


@pytest.mark.parametrize("axis,keepdims", [(1, False), (0, True), (None, False)])
def test_logsumexp_grad_is_the_softmax(axis, keepdims):
    x = T.matrix("x", dtype="float64")
    g = stability.pytheano.grad(T.log(T.sum(T.exp(x), axis=axis, keepdims=keepdims)).sum(), x)
    f = stability.pytheano.function([x], g, mode=stability.FAST_RUN)
    np.testing.assert_allclose(f(HUGE[0]), softmax(HUGE[0], axis=axis), atol=1e-12)
    off = stability.FAST_RUN.excluding("local_logsumexp_grad")
    assert not np.all(np.isfinite(stability.pytheano.function([x], g, mode=off)(HUGE[0])))
