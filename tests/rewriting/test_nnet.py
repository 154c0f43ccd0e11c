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


def _matrix_bias(dtype):
    return [T.matrix("x", dtype=dtype), T.vector("b", dtype=dtype)]


def _matrix_bias_labels(dtype):
    return _matrix_bias(dtype) + [T.ivector("y")]


def _with_bias(rng, shape, dtype):
    return [(3 * rng.randn(*shape)).astype(dtype), rng.randn(shape[1]).astype(dtype)]


def _with_bias_labels(rng, shape, dtype):
    return _with_bias(rng, shape, dtype) + [
        rng.randint(0, shape[1], size=shape[0]).astype("int32")]


BIG = [np.array([[-800.0, -40.0, 0.0], [40.0, 800.0, 3.0]])]
ROWS_BIG = [np.array([[0.0, -1000.0, 5.0], [900.0, -900.0, 0.0]]), np.array([1, 1], "int32")]
ROWS_BIG_BIAS = [ROWS_BIG[0], np.array([0.0, -100.0, 2.0]), ROWS_BIG[1]]
TARGETS_BIG = [BIG[0], np.array([[0.3, 1.0, 0.5], [0.0, 0.7, 1.0]])]


def _softplus(x):
    return np.logaddexp(0, x)


def _xent(x, y):
    return -log_softmax(x, axis=1)[np.arange(len(y)), y]


ROWS = [
    # Theano's tutorial form. Its gradient, as T.grad writes it, keeps exp(-x) / (1 + exp(-x))**2,
    # which is inf / inf past |x| ~ 709: the sigmoid-product rules below make it finite.
    Row("local_inv_1_plus_exp", lambda x: T.log(1 / (1 + T.exp(-x))), _matrix, _normal, BIG,
        lambda x: -_softplus(-x), "softplus"),
    Row("local_inv_1_plus_exp", lambda x: 1.0 / (T.exp(-x) + 1.0), _matrix, _normal,
        [np.array([[-40.0, 800.0]])], expit, "sigmoid", none_wrong=False),
    # Its gradient keeps sigmoid(x) / sigmoid(x) - sigmoid(x) (Theano: 1 - sigmoid(x)): the
    # quotient alone holds the NaN of a NaN x, so local_sigmoid_over_sigmoid leaves it.
    Row("local_exp_over_1_plus_exp", lambda x: T.log(T.exp(x) / (1 + T.exp(x))), _matrix,
        _normal, [np.array([[-40.0, 800.0]])], lambda x: -_softplus(-x), "softplus",
        stable_grad=False),
    # The gradient of 1 / (1 + exp(-x)) as T.grad writes it, and as users write it (their
    # own gradients, second derivatives of the sigmoid, stay as T.grad writes them).
    Row("local_exp_over_1_plus_exp",
        lambda x: pytheano.grad((1 / (1 + T.exp(-x))).sum(), x), _matrix, _normal, BIG,
        lambda x: expit(x) * expit(-x), "sigmoid", stable_grad=False),  # (the 2nd derivative)
    Row("local_exp_over_1_plus_exp", lambda x: T.exp(-x) / (1 + T.exp(-x)) ** 2, _matrix,
        _normal, BIG, lambda x: expit(x) * expit(-x), "sigmoid", stable_grad=False),
    Row("local_exp_over_1_plus_exp", lambda x: 3 * T.exp(x) / (T.sqr(1 + T.exp(x)) / x),
        _matrix, _normal, BIG, lambda x: 3 * expit(x) * expit(-x) * x, "sigmoid",
        stable_grad=False),
    Row("local_sigm_times_exp", lambda x: sigmoid(x) * T.exp(-x), _matrix, _normal, BIG,
        lambda x: expit(-x), "scalar_sigmoid((-i0))"),
    Row("local_sigm_times_exp", lambda x: -T.exp(x) * (sigmoid(-x) * x), _matrix, _normal,
        BIG, lambda x: -expit(x) * x, "scalar_sigmoid(i0)"),
    Row("local_1msigmoid", lambda x: 1 - sigmoid(x), _matrix, _normal, BIG,
        lambda x: expit(-x), "(-i0)"),  # fused: Composite{scalar_sigmoid((-i0))}
    Row("local_log_sigmoid", lambda x: T.log(sigmoid(x)), _matrix, _normal, BIG,
        lambda x: -_softplus(-x), "softplus"),
    # log(1 - sigmoid(x)) -> log(sigmoid(-x)) -> -softplus(x), by the two rules above.
    Row("local_1msigmoid", lambda x: T.log(1.0 - sigmoid(x)), _matrix, _normal, BIG,
        lambda x: -_softplus(x), "softplus"),
    Row("local_log_softmax", lambda x: T.log(nnet.softmax(x)), _matrix, _normal,
        [ROWS_BIG[0]], lambda x: log_softmax(x, axis=1), "LogSoftmax"),
    Row("local_advanced_indexing_crossentropy_onehot",
        lambda x, y: -T.log(nnet.softmax(x))[T.arange(y.shape[0]), y], _matrix_labels,
        _with_labels, ROWS_BIG, _xent, "CrossentropySoftmaxArgmax1HotWithBias"),
    # The deep-learning tutorial's cost; and log of the picked entries (Theano's 2nd form).
    Row("local_advanced_indexing_crossentropy_onehot",
        lambda x, y: -T.mean(T.log(nnet.softmax(x))[T.arange(y.shape[0]), y]),
        _matrix_labels, _with_labels, ROWS_BIG, lambda x, y: _xent(x, y).mean(),
        "CrossentropySoftmaxArgmax1HotWithBias"),
    Row("local_advanced_indexing_crossentropy_onehot",
        lambda x, y: -T.log(nnet.softmax(x)[T.arange(y.shape[0]), y]), _matrix_labels,
        _with_labels, ROWS_BIG, _xent, "CrossentropySoftmaxArgmax1HotWithBias"),
    # With a bias, as softmax(dot(x, W) + b) writes it.
    Row("local_advanced_indexing_crossentropy_onehot",
        lambda x, b, y: -T.mean(T.log(nnet.softmax(x + b))[T.arange(y.shape[0]), y]),
        _matrix_bias_labels, _with_bias_labels, ROWS_BIG_BIAS,
        lambda x, b, y: _xent(x + b, y).mean(), "CrossentropySoftmaxArgmax1HotWithBias",
        grad_args=(0, 1)),
    Row("local_softmax_with_bias", lambda x, b: nnet.softmax(x + b), _matrix_bias,
        _with_bias, ROWS_BIG_BIAS[:2], lambda x, b: np.exp(log_softmax(x + b, axis=1)),
        "SoftmaxWithBias", grad_args=(0, 1), none_wrong=False),
    Row("local_log_softmax",
        lambda x, y: -T.log(nnet.softmax(x))[T.arange(y.shape[0]), y[::-1]], _matrix_labels,
        _with_labels, ROWS_BIG, lambda x, y: _xent(x, y[::-1]), "LogSoftmax"),
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
    off = FAST_RUN.excluding("local_sigmoid_div_cancel", "local_sigmoid_over_sigmoid")
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


def _picked_xent(form, x, b, y):
    rows = T.arange(y.shape[0])
    sm = nnet.softmax(x + b) if b is not None else nnet.softmax(x)
    if form == "log_then_index":
        return -T.mean(T.log(sm)[rows, y])
    return -T.mean(T.log(sm[rows, y]))


@pytest.mark.parametrize("form", ["log_then_index", "index_then_log"])
@pytest.mark.parametrize("bias", [False, True])
def test_indexing_crossentropy_gradient_is_softmax_minus_onehot(form, bias):
    x, b, y = T.dmatrix("x"), (T.dvector("b") if bias else None), T.ivector("y")
    cost = _picked_xent(form, x, b, y)
    params = [x] + ([b] if bias else [])
    grads = pytheano.grad(cost, params)
    xv, yv = ROWS_BIG
    bv = np.array([0.0, -100.0, 2.0])
    args = [xv] + ([bv] if bias else []) + [yv]
    f = pytheano.function(params + [y], [cost] + grads, mode=FAST_RUN)
    z = xv + (bv if bias else 0)
    exact = np.exp(log_softmax(z, axis=1))
    exact[np.arange(2), yv] -= 1
    exact /= 2
    out = f(*args)
    np.testing.assert_allclose(out[0], _xent(z, yv).mean(), rtol=1e-12)
    np.testing.assert_allclose(out[1], exact, atol=1e-12)
    if bias:
        np.testing.assert_allclose(out[2], exact.sum(axis=0), atol=1e-12)
    kinds = [type(n.op).__name__ for n in f.maker.fgraph.toposort()]
    assert "CrossentropySoftmax1HotWithBiasDx" in kinds
    assert "CrossentropySoftmaxArgmax1HotWithBias" in kinds
    for gone in ("Softmax", "SoftmaxWithBias", "SoftmaxGrad", "LogSoftmax",
                 "AdvancedSubtensor", "AdvancedIncSubtensor"):
        assert gone not in kinds, kinds
    # As T.grad writes it, the gradient divides by a probability that rounds to 0.
    plain = pytheano.function(params + [y], grads[0], mode=NONE)
    assert not np.all(np.isfinite(plain(*args)))
    off = FAST_RUN.excluding("local_advanced_indexing_crossentropy_onehot_grad")
    kinds_off = [type(n.op).__name__ for n in
                 pytheano.function(params + [y], grads, mode=off).maker.fgraph.toposort()]
    assert "CrossentropySoftmax1HotWithBiasDx" not in kinds_off


def test_tutorial_logreg_step_compiles_to_theanos_graph():
    # Theano 1.0.5 (cxx=) prints 13 nodes for this step: CrossentropySoftmaxArgmax1HotWithBias,
    # CrossentropySoftmax1HotWithBiasDx, Gemm{inplace}, the mean's Sum / Cast(Shape_i) /
    # TrueDiv, the bias update's Sum and Composite, and its 1/n (Inv of a DimShuffle there).
    rng = np.random.RandomState(0)
    x, y = T.dmatrix("x"), T.ivector("y")
    W = pytheano.shared(rng.randn(5, 3), name="W")
    b = pytheano.shared(np.zeros(3), name="b")
    p = nnet.softmax(T.dot(x, W) + b)
    cost = -T.mean(T.log(p)[T.arange(y.shape[0]), y])
    gW, gb = pytheano.grad(cost, [W, b])
    f = pytheano.function([x, y], cost, updates=[(W, W - 0.1 * gW), (b, b - 0.1 * gb)],
                          mode=FAST_RUN)
    kinds = sorted(str(n.op) if not str(n.op).startswith("Elemwise{Composite")
                   else "Composite" for n in f.maker.fgraph.toposort())
    assert len(kinds) == 13, kinds
    for op in ("CrossentropySoftmaxArgmax1HotWithBias", "CrossentropySoftmax1HotWithBiasDx",
               "Gemm{inplace}", "Shape_i{0}", "Sum{acc_dtype=float64}",
               "Sum{axis=[0], acc_dtype=float64}", "InplaceDimShuffle{1,0}",
               "Elemwise{TrueDiv}[(0, 0)]", "Elemwise{Cast{float64}}"):
        assert op in kinds, kinds
    xv, yv = rng.randn(4, 5), np.array([0, 2, 1, 1], "int32")
    W0 = W.get_value()
    z = xv @ W0
    want = _xent(z, yv).mean()
    np.testing.assert_allclose(f(xv, yv), want, rtol=1e-12)
    g = np.exp(log_softmax(z, axis=1))
    g[np.arange(4), yv] -= 1
    np.testing.assert_allclose(W.get_value(), W0 - 0.1 * xv.T @ g / 4, rtol=1e-12)


def test_indexing_crossentropy_errors():
    # The one-pass ops read the labels as the indexing does (tensor/nnet/nnet.py's
    # _picked_labels): fewer labels than rows and negative labels give the indexing's
    # values, where Theano 1.0.5's rewritten graph raises ValueError; more labels than rows
    # and labels out of range raise its IndexError. test_nnet_xent.py draws the cases.
    x, y = T.dmatrix("x"), T.ivector("y")
    cost = -T.log(nnet.softmax(x))[T.arange(y.shape[0]), y]
    g = pytheano.grad(cost.sum(), x)
    f_none = pytheano.function([x, y], [cost, g], mode=NONE)
    f_run = pytheano.function([x, y], [cost, g], mode=FAST_RUN)
    assert "CrossentropySoftmax1HotWithBiasDx" in pytheano.printing.debugprint(f_run,
                                                                               file="str")
    xv = np.arange(6.0).reshape(2, 3)
    for labels in ([0, 1, 2], [0, 3], [-4]):  # more labels than rows; out of range
        for f in (f_none, f_run):
            with pytest.raises(IndexError):
                f(xv, np.array(labels, "int32"))
    for labels in ([1], [0, -1], []):
        want = f_none(xv, np.array(labels, "int32"))
        got = f_run(xv, np.array(labels, "int32"))
        for w, o in zip(want, got):
            assert w.shape == o.shape
            np.testing.assert_allclose(o, w, rtol=1e-12, atol=1e-15)


def test_merged_softmax_is_the_crossentropy_ops_output():
    # The gradient's softmax(x) is the one the forward op computes (Theano keeps both).
    x, y = T.dmatrix("x"), T.ivector("y")
    cost = -T.log(nnet.softmax(x))[T.arange(y.shape[0]), y]
    f = pytheano.function([x, y], [cost, pytheano.grad(cost.sum(), x)], mode=FAST_RUN)
    kinds = [type(n.op).__name__ for n in f.maker.fgraph.toposort()]
    assert "Softmax" not in kinds and kinds.count("CrossentropySoftmaxArgmax1HotWithBias") == 1
    off = FAST_RUN.excluding("graph_merge_softmax_with_crossentropy_softmax")
    kinds_off = [type(n.op).__name__ for n in pytheano.function(
        [x, y], [cost, pytheano.grad(cost.sum(), x)], mode=off).maker.fgraph.toposort()]
    assert "Softmax" in kinds_off


@pytest.mark.parametrize("build", [lambda x: T.log(1 - sigmoid(x)) ** -1,
                                   lambda x: T.log(sigmoid(x)) ** -1,
                                   lambda x: 1.0 / T.log(1.0 - sigmoid(x))])
def test_log_sigmoid_keeps_the_sign_of_zero(build):
    # Where sigmoid rounds to 0 or 1, log(...) is +0.0: the softplus form must be too, or
    # 1 / log(...) flips from +inf to -inf (found by tools/random_graphs.py).
    x = T.dvector("x")
    v = np.array([-np.inf, np.inf, -40.0, 40.0, 0.0, np.nan])
    want = pytheano.function([x], build(x), mode=NONE)(v)
    got = pytheano.function([x], build(x), mode=FAST_RUN)(v)
    exact_at = [0, 1, 4, 5]
    np.testing.assert_array_equal(got[exact_at], want[exact_at])
    assert "softplus" in pytheano.printing.debugprint(
        pytheano.function([x], build(x), mode=FAST_RUN), file="str")


def test_softmax_merge_does_not_make_a_cycle():
    # Labels computed from the softmax itself: its node cannot become the cross-entropy's.
    x = T.dmatrix("x")
    sm = nnet.softmax(x)
    y = T.argmax(sm, axis=1)
    cost = -T.log(sm)[T.arange(y.shape[0]), y]
    f = pytheano.function([x], [cost, pytheano.grad(cost.sum(), x)], mode=FAST_RUN)
    v = np.random.RandomState(0).randn(3, 4)
    for got, want in zip(f(v), pytheano.function([x], [cost, pytheano.grad(cost.sum(), x)],
                                                 mode=NONE)(v)):
        np.testing.assert_allclose(got, want, atol=1e-12)
