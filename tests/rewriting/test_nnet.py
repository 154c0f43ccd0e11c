"""pytheano/rewriting/nnet.py: the sigmoid, softplus, softmax and cross-entropy rules (the
shared row checks are in tests/rewriting/stability.py)."""
import numpy as np
import pytest
from scipy.special import expit, log_softmax

import pytheano
import pytheano.tensor as T
from pytheano.tensor import nnet
from tests.rewriting import stability
from tests.rewriting.stability import FAST_RUN, NONE, Row

sigmoid = nnet.sigmoid


def _matrix(dtype):
    return [T.matrix("x", dtype=dtype)]


def _matrix_labels(dtype):
    return [T.matrix("x", dtype=dtype), T.ivector("y")]


def _matrix_targets(dtype):
    return [T.matrix("x", dtype=dtype), T.matrix("t", dtype=dtype)]


def _normal(rng, shape, dtype):
    return [(3 * rng.randn(*shape)).astype(dtype)]


def _with_labels(rng, shape, dtype):
    return [(3 * rng.randn(*shape)).astype(dtype),
            rng.randint(0, shape[1], size=shape[0]).astype("int32")]


def _with_targets(rng, shape, dtype):
    return [(3 * rng.randn(*shape)).astype(dtype), rng.uniform(0, 1, shape).astype(dtype)]


BIG = [np.array([[-800.0, -40.0, 0.0], [40.0, 800.0, 3.0]])]
ROWS_BIG = [np.array([[0.0, -1000.0, 5.0], [900.0, -900.0, 0.0]]), np.array([1, 1], "int32")]
TARGETS_BIG = [BIG[0], np.array([[0.3, 1.0, 0.5], [0.0, 0.7, 1.0]])]


def _softplus(x):
    return np.logaddexp(0, x)


def _xent(x, y):
    return -log_softmax(x, axis=1)[np.arange(len(y)), y]


ROWS = [
    # Theano's tutorial form. Its gradient, as T.grad writes it, keeps exp(-x) / (1 + exp(-x))**2,
    # which is inf / inf past |x| ~ 709: finite at moderate inputs only.
    Row("local_inv_1_plus_exp", lambda x: T.log(1 / (1 + T.exp(-x))), _matrix, _normal, BIG,
        lambda x: -_softplus(-x), "softplus", stable_grad=False),
    Row("local_inv_1_plus_exp", lambda x: 1.0 / (T.exp(-x) + 1.0), _matrix, _normal,
        [np.array([[-40.0, 800.0]])], expit, "sigmoid", stable_grad=False, none_wrong=False),
    Row("local_exp_over_1_plus_exp", lambda x: T.log(T.exp(x) / (1 + T.exp(x))), _matrix,
        _normal, [np.array([[-40.0, 800.0]])], lambda x: -_softplus(-x), "softplus",
        stable_grad=False),
    Row("local_1msigmoid", lambda x: 1 - sigmoid(x), _matrix, _normal, BIG,
        lambda x: expit(-x), "(-i0)"),  # fused: Composite{scalar_sigmoid((-i0))}
    Row("local_log_sigmoid", lambda x: T.log(sigmoid(x)), _matrix, _normal, BIG,
        lambda x: -_softplus(-x), "softplus"),
    # log(1 - sigmoid(x)) -> log(sigmoid(-x)) -> -softplus(x), by the two rules above.
    Row("local_1msigmoid", lambda x: T.log(1.0 - sigmoid(x)), _matrix, _normal, BIG,
        lambda x: -_softplus(x), "softplus"),
    Row("local_log_softmax", lambda x: T.log(nnet.softmax(x)), _matrix, _normal,
        [ROWS_BIG[0]], lambda x: log_softmax(x, axis=1), "LogSoftmax"),
    Row("local_log_softmax",
        lambda x, y: -T.log(nnet.softmax(x))[T.arange(y.shape[0]), y], _matrix_labels,
        _with_labels, ROWS_BIG, _xent, "LogSoftmax"),
    Row("local_crossentropy_softmax",
        lambda x, y: nnet.categorical_crossentropy(nnet.softmax(x), y), _matrix_labels,
        _with_labels, ROWS_BIG, _xent, "CrossentropySoftmaxArgmax1HotWithBias"),
    Row("local_crossentropy_softmax",
        lambda x, y: nnet.crossentropy_categorical_1hot(nnet.softmax(x), y), _matrix_labels,
        _with_labels, ROWS_BIG, _xent, "CrossentropySoftmaxArgmax1HotWithBias"),
    Row("local_log_sigmoid",
        lambda x, t: nnet.binary_crossentropy(sigmoid(x), t), _matrix_targets, _with_targets,
        TARGETS_BIG, lambda x, t: t * _softplus(-x) + (1 - t) * _softplus(x), "softplus"),
    Row("local_log_sigmoid",
        lambda x, t: -t * T.log(sigmoid(x)) - (1 - t) * T.log(1 - sigmoid(x)),
        _matrix_targets, _with_targets, TARGETS_BIG,
        lambda x, t: t * _softplus(-x) + (1 - t) * _softplus(x), "softplus"),
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


def test_crossentropy_gradient_is_softmax_minus_onehot():
    x, y = T.matrix("x", dtype="float64"), T.ivector("y")
    cost = nnet.categorical_crossentropy(nnet.softmax(x), y).sum()
    g = pytheano.grad(cost, x)
    xv, yv = ROWS_BIG
    exact = np.exp(log_softmax(xv, axis=1))
    exact[np.arange(2), yv] -= 1
    f = pytheano.function([x, y], g, mode=FAST_RUN)
    np.testing.assert_allclose(f(xv, yv), exact, atol=1e-12)
    assert "CrossentropySoftmax1HotWithBiasDx" in pytheano.printing.debugprint(f, file="str")
    assert not np.all(np.isfinite(pytheano.function([x, y], g, mode=NONE)(xv, yv)))


def test_sigmoid_div_cancel_is_the_gradient_fix():
    # Without local_sigmoid_div_cancel, the gradient of log(sigmoid(x)) is nan at -800.
    x = T.vector("x", dtype="float64")
    g = pytheano.grad(T.log(sigmoid(x)).sum(), x)
    v = np.array([-800.0, 0.0, 800.0])
    np.testing.assert_allclose(pytheano.function([x], g, mode=FAST_RUN)(v), expit(-v))
    off = FAST_RUN.excluding("local_sigmoid_div_cancel")
    assert np.isnan(pytheano.function([x], g, mode=off)(v)[0])


def test_crossentropy_label_errors_stay():
    # The fused op refuses what crossentropy_categorical_1hot refuses.
    x, y = T.matrix("x", dtype="float64"), T.ivector("y")
    out = nnet.categorical_crossentropy(nnet.softmax(x), y)
    for mode in (NONE, FAST_RUN):
        f = pytheano.function([x, y], out, mode=mode)
        with pytest.raises((ValueError, IndexError)):
            f(np.zeros((2, 3)), np.array([0, 1, 2], "int32"))
        with pytest.raises((ValueError, IndexError)):
            f(np.zeros((2, 3)), np.array([0, 3], "int32"))


def test_rewrites_keep_the_source_line():
    x = T.matrix("x", dtype="float64")
    out = T.log(sigmoid(x))
    f = pytheano.function([x], out, mode=FAST_RUN)
    site = out.creation_site
    new = [n for n in f.maker.fgraph.apply_nodes if "softplus" in str(n.op)]
    assert new and all(n.outputs[0].creation_site == site for n in new)
