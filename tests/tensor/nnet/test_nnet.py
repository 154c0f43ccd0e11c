"""Classifier ops (pytheano/tensor/nnet/nnet.py): softmax and its variants, cross-entropies,
rectifiers."""
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import pytheano
import pytheano.tensor as T
from pytheano.tensor import nnet
from pytheano.tensor.nnet import (LogSoftmax, Softmax, SoftmaxGrad, SoftmaxWithBias,
                                  binary_crossentropy, categorical_crossentropy, elu,
                                  log_softmax, logsoftmax, relu, selu,
                                  sigmoid_binary_crossentropy, softmax, softmax_with_bias,
                                  softsign)
from tests.helpers import check_grad, check_op, tensor_var

matrix_shapes = array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=5)
float_dtypes = st.sampled_from(["float32", "float64"])


def _rand(*shape, scale=3.0):
    return np.random.default_rng(sum(shape)).uniform(-scale, scale, size=shape)


def _np_softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# --------------------------------------------------------------------------- strings

def test_strings_and_types_as_theano():
    x, v = T.matrix("x"), T.vector("v")
    assert str(softmax(x)) == "Softmax.0"
    assert str(softmax(x).owner.op) == "Softmax"
    assert str(softmax_with_bias(x, v)) == "SoftmaxWithBias.0"
    assert str(logsoftmax(x)) == "LogSoftmax.0"
    assert str(categorical_crossentropy(x, T.ivector())) == "CrossentropyCategorical1Hot.0"
    assert str(relu(x)) == "Elemwise{mul,no_inplace}.0"
    assert str(elu(x)) == "Elemwise{switch,no_inplace}.0"
    assert str(softsign(x)) == "softsign.0"
    assert softmax(T.fmatrix()).dtype == "float32"
    assert relu(T.bvector()).dtype == "float32"
    assert categorical_crossentropy(x, x).type == T.TensorType("float64", (False,))
    assert log_softmax is logsoftmax
    for name in ("sigmoid", "softplus", "softmax", "relu", "categorical_crossentropy",
                 "binary_crossentropy", "ultra_fast_sigmoid", "hard_sigmoid", "elu", "selu",
                 "logsoftmax", "softmax_op", "softmax_grad", "crossentropy_categorical_1hot"):
        assert hasattr(T.nnet, name), name


# --------------------------------------------------------------------------- softmax

@given(matrix_shapes, float_dtypes)
def test_softmax_matches_numpy(shape, dtype):
    xv = tensor_var(shape, dtype, "x")
    value = _rand(*shape).astype(dtype)
    check_op(softmax, [xv], [value], lambda a: _np_softmax(a.astype("float64")).astype(dtype))
    check_op(logsoftmax, [xv], [value],
             lambda a: np.log(_np_softmax(a.astype("float64"))).astype(dtype))
    bv = tensor_var(shape[1:], dtype, "b")
    b = _rand(shape[1]).astype(dtype)
    check_op(softmax_with_bias, [xv, bv], [value, b],
             lambda a, c: _np_softmax((a + c).astype("float64")).astype(dtype))


def test_softmax_is_stable():
    xv = T.dmatrix("x")
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        sm, lsm = pytheano.function([xv], [softmax(xv), logsoftmax(xv)])(
            np.array([[1000.0, 0.0], [-1000.0, 0.0]]))
    np.testing.assert_array_equal(sm, [[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_allclose(lsm, [[0.0, -1000.0], [-1000.0, 0.0]])


def test_softmax_of_vector_is_a_row_with_a_warning():
    # Theano 1.0 compat: a vector is padded to a one-row matrix.
    v = T.vector("v")
    with pytest.warns(UserWarning, match="DEPRECATION"):
        out = softmax(v)
    assert out.broadcastable == (True, False)
    np.testing.assert_allclose(out.eval({v: np.array([1.0, 2.0])}),
                               _np_softmax(np.array([[1.0, 2.0]])))


def test_softmax_rejects_bad_inputs():
    with pytest.raises(ValueError, match="1-d or 2-d tensor of floats"):
        softmax(T.tensor3())
    with pytest.raises(ValueError, match="1-d or 2-d tensor of floats"):
        softmax(T.lmatrix())
    with pytest.raises(ValueError, match="2-d tensor of floats"):
        softmax_with_bias(T.vector(), T.vector())
    with pytest.warns(UserWarning, match="shape 1"):
        softmax(T.col())
    xv, bv = T.matrix("x"), T.vector("b")
    f = pytheano.function([xv, bv], softmax_with_bias(xv, bv))
    with pytest.raises(ValueError, match="same number of columns"):
        f(np.zeros((2, 3)), np.zeros(2))


def test_softmax_grads():
    x = _rand(3, 4)
    check_grad(softmax, [x])
    check_grad(logsoftmax, [x])
    check_grad(softmax_with_bias, [x, _rand(4)])
    check_grad(lambda a, b: nnet.softmax_grad(a, b), [x, _np_softmax(x)])


def test_softmax_rop():
    xv, ev = T.matrix("x"), T.matrix("e")
    x, e = _rand(2, 3), _rand(2, 3) * 0.1
    eps = 1e-6
    for fn in (softmax, logsoftmax):
        r = pytheano.gradient.Rop(fn(xv), xv, ev)
        got = pytheano.function([xv, ev], r)(x, e)
        f = pytheano.function([xv], fn(xv))
        numeric = (f(x + eps * e) - f(x - eps * e)) / (2 * eps)
        np.testing.assert_allclose(got, numeric, rtol=1e-5, atol=1e-8)


def test_infer_shapes():
    from tests.helpers import check_infer_shape

    xv, bv, yv = T.matrix("x"), T.vector("b"), T.lvector("y")
    outs = [softmax(xv), logsoftmax(xv), softmax_with_bias(xv, bv),
            categorical_crossentropy(softmax(xv), yv), SoftmaxGrad()(xv, softmax(xv))]
    check_infer_shape(outs, [xv, bv, yv], [_rand(3, 4), _rand(4), np.array([0, 3, 1])])
    assert isinstance(outs[0].owner.op, Softmax)
    assert isinstance(outs[1].owner.op, LogSoftmax)
    assert isinstance(outs[2].owner.op, SoftmaxWithBias)


# --------------------------------------------------------------------------- cross-entropy

def test_categorical_crossentropy_with_labels_and_one_hot():
    p = _np_softmax(_rand(4, 3))
    labels = np.array([0, 2, 1, 2])
    one_hot = np.eye(3)[labels]
    expected = -np.log(p[np.arange(4), labels])
    pv = T.matrix("p")
    for dtype in ("int8", "int32", "int64"):
        lv = T.TensorType(dtype, (False,))("y")
        check_op(categorical_crossentropy, [pv, lv], [p, labels.astype(dtype)],
                 lambda a, b: expected)
    ov = T.matrix("o")
    check_op(categorical_crossentropy, [pv, ov], [p, one_hot], lambda a, b: expected)


def test_categorical_crossentropy_errors():
    pv, lv = T.matrix("p"), T.lvector("y")
    with pytest.raises(TypeError, match="rank mismatch"):
        categorical_crossentropy(pv, T.tensor3())
    with pytest.raises(TypeError, match="integer vector required"):
        nnet.crossentropy_categorical_1hot(pv, T.dvector())
    f = pytheano.function([pv, lv], categorical_crossentropy(pv, lv))
    # The labels read as p[arange(len(y)), y] reads them (what the rewrites replace).
    with pytest.raises(IndexError, match=r"index 5 is out of bounds for axis 1 with size 3"):
        f(np.full((2, 3), 1 / 3), [0, 5])
    with pytest.raises(IndexError, match=r"index -4 is out of bounds for axis 1"):
        f(np.full((2, 3), 1 / 3), [0, -4])
    with pytest.raises(IndexError, match=r"3 labels for a matrix of 2 rows"):
        f(np.full((2, 3), 1 / 3), [0, 1, 2])
    p = np.array([[0.2, 0.3, 0.5], [0.1, 0.6, 0.3]])
    for labels in ([0, -1], [2], []):
        want = -np.log(p[np.arange(len(labels)), np.array(labels, int)])
        np.testing.assert_allclose(f(p, labels), want, rtol=1e-6)


def test_crossentropy_grads():
    x = _rand(4, 3)
    labels = np.array([0, 2, 1, 2])
    check_grad(lambda a: categorical_crossentropy(softmax(a), labels), [x])
    check_grad(lambda a: categorical_crossentropy(softmax(a), np.eye(3)[labels]), [x])
    t = np.random.default_rng(1).uniform(0, 1, size=(4, 3))
    check_grad(lambda a: binary_crossentropy(nnet.sigmoid(a), t), [x])
    check_grad(lambda a: sigmoid_binary_crossentropy(a, t), [x])


def test_binary_crossentropy_matches_numpy():
    p = np.random.default_rng(2).uniform(0.05, 0.95, size=(3, 4))
    t = np.random.default_rng(3).uniform(0, 1, size=(3, 4))
    pv, tv = T.matrix("p"), T.matrix("t")
    ref = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    check_op(binary_crossentropy, [pv, tv], [p, t], lambda a, b: ref)
    logits = np.log(p / (1 - p))
    check_op(sigmoid_binary_crossentropy, [pv, tv], [logits, t], lambda a, b: ref)
    # Stable where the naive form overflows.
    out = sigmoid_binary_crossentropy(pv, tv).eval({pv: np.array([[1000.0, -1000.0]]),
                                                    tv: np.array([[0.0, 1.0]])})
    np.testing.assert_allclose(out, [[1000.0, 1000.0]])


# --------------------------------------------------------------------------- rectifiers

@given(array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4), float_dtypes,
       st.sampled_from([0, 0.1, 1.0, -0.5]))
def test_relu_matches_numpy(shape, dtype, alpha):
    xv = tensor_var(shape, dtype, "x")
    value = _rand(*shape).astype(dtype) if shape else np.asarray(1.5, dtype)
    out_dtype = relu(xv, alpha).dtype
    check_op(lambda a: relu(a, alpha), [xv], [value],
             lambda a: np.where(a > 0, a, alpha * a).astype(out_dtype))


def test_relu_with_tensor_alpha():
    xv, av = T.matrix("x"), T.vector("alpha")
    x, a = _rand(3, 4), np.array([0.1, 0.2, 0.3, 0.4])
    check_op(relu, [xv, av], [x, a], lambda x_, a_: np.where(x_ > 0, x_, a_ * x_))
    check_grad(relu, [x, a])


def test_elu_selu_softsign_match_numpy():
    x = _rand(3, 4)
    xv = T.matrix("x")
    check_op(elu, [xv], [x], lambda a: np.where(a > 0, a, np.expm1(a)))
    check_op(lambda a: elu(a, 0.5), [xv], [x], lambda a: np.where(a > 0, a, 0.5 * np.expm1(a)))
    scale, alpha = 1.0507009873554805, 1.6732632423543772
    check_op(selu, [xv], [x], lambda a: scale * np.where(a > 0, a, alpha * np.expm1(a)))
    check_op(softsign, [xv], [x], lambda a: a / (1 + np.abs(a)))


@pytest.mark.parametrize("fn", [relu, lambda a: relu(a, 0.2), elu, selu, softsign])
def test_rectifier_grads(fn):
    x = _rand(3, 4)
    x[np.abs(x) < 0.1] = 0.5  # keep away from the kink
    check_grad(fn, [x])


def test_softmax_row_warning_not_raised_for_matrix():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        softmax(T.matrix())


# --- the one-hot softmax cross-entropy family ---------------------------------------------

XV = np.array([[1.0, 2, 3], [0.5, -1, 2], [3, 3, 0]])
BV = np.array([0.1, -0.2, 0.3])
YV = np.array([2, 0, 1])


def _np_softmax(a):
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@given(matrix_shapes, float_dtypes, st.sampled_from(["int64", "int32", "uint8"]), st.data())
def test_crossentropy_softmax_argmax_1hot_with_bias_matches_numpy(shape, dtype, idx_dtype,
                                                                 data):
    rng = np.random.default_rng(0)
    xv = rng.uniform(-3, 3, shape).astype(dtype)
    bv = rng.uniform(-1, 1, shape[1]).astype(dtype)
    yv = rng.integers(0, shape[1], shape[0]).astype(idx_dtype)
    x, b = tensor_var(shape, dtype), tensor_var(shape[1:], dtype)
    y = tensor_var(shape[:1], idx_dtype)

    def reference(xv, bv, yv):
        sm = _np_softmax(xv.astype("float64") + bv)
        nll = -np.log(sm[np.arange(len(yv)), yv])
        return [nll.astype(dtype), sm.astype(dtype), np.argmax(xv + bv, axis=1).astype(idx_dtype)]
    check_op(lambda x, b, y: list(nnet.crossentropy_softmax_argmax_1hot_with_bias(x, b, y)),
             [x, b, y], [xv, bv, yv], reference)


def test_crossentropy_softmax_theano_values():
    # Types, str and values recorded from Theano 1.0.5.
    x, b, y = T.matrix("x"), T.vector("b"), T.lvector("y")
    outs = nnet.crossentropy_softmax_argmax_1hot_with_bias(x, b, y)
    assert [str(o.type) for o in outs] == ["TensorType(float64, vector)",
                                           "TensorType(float64, matrix)",
                                           "TensorType(int64, vector)"]
    assert str(outs[0].owner.op) == "CrossentropySoftmaxArgmax1HotWithBias"
    nll, sm, am = pytheano.function([x, b, y], outs)(XV, BV, YV)
    np.testing.assert_allclose(nll, [0.28813196012021886, 1.8929984449894557,
                                     0.8886908578336431])
    np.testing.assert_allclose(sm[2], [0.5550534531820703, 0.4111937115695844,
                                       0.03375283524834518])
    np.testing.assert_array_equal(am, [2, 2, 0])
    nll1, sm1 = nnet.crossentropy_softmax_1hot(x, y)
    np.testing.assert_allclose(pytheano.function([x, y], nll1)(XV, YV),
                               [0.4076059644443804, 1.7413112966571571, 0.7177359186667026])
    max_pr, argmax = pytheano.function(
        [x, b, y], list(nnet.crossentropy_softmax_max_and_argmax_1hot_with_bias(x, b, y)[2:]))(
        XV, BV, YV)
    np.testing.assert_allclose(max_pr, [0.7496626601368835, 0.8244832562182682,
                                        0.5550534531820703])
    np.testing.assert_array_equal(argmax, [2, 2, 0])
    g = pytheano.grad((nll1 * [1.0, 2.0, 3.0]).sum() + (sm1 * XV).sum(), x)
    np.testing.assert_allclose(pytheano.function([x, y], g)(XV, YV),
                               [[-0.05178652, 0.10395811, -0.05217159],
                                [-1.84569655, -0.02423911, 1.86993565],
                                [1.49911507, -1.50088493, 0.00176985]], atol=1e-8)
    f32 = nnet.crossentropy_softmax_argmax_1hot_with_bias(T.fmatrix(), T.fvector(), T.bvector())
    assert str(f32[0].type) == "TensorType(float32, vector)"


def test_crossentropy_softmax_1hot_with_bias_dx():
    dy, x, y = T.vector(), T.matrix(), T.lvector()
    dx = nnet.crossentropy_softmax_1hot_with_bias_dx(dy, x, y)
    assert str(dx.type) == "TensorType(float64, matrix)"
    f = pytheano.function([dy, x, y], dx)
    # Theano 1.0.5's values: dy[i] * (sm[i] - onehot(y[i])); one dy for all rows.
    np.testing.assert_array_equal(f(np.array([1.0, 2, 3]), XV, YV),
                                  [[1, 2, 2], [-1, -2, 4], [9, 6, 0]])
    np.testing.assert_array_equal(f(np.array([2.0]), XV, YV), [[2, 4, 4], [-1, -2, 4], [6, 4, 0]])
    gdy, gx = pytheano.function([dy, x, y], pytheano.grad((dx * XV).sum(), [dy, x]))(
        np.array([1.0, 2, 3]), XV, YV)
    np.testing.assert_allclose(gdy, [11.0, 4.75, 15.0])
    np.testing.assert_allclose(gx, [[1, 2, 3], [1, -2, 4], [9, 9, 0]])
    check_op(lambda d, s, y: nnet.crossentropy_softmax_1hot_with_bias_dx(d, s, y), [dy, x, y],
             [np.array([1.0, 2, 3]), _np_softmax(XV), YV],
             lambda d, s, y: d[:, None] * (s - np.eye(3)[y]))
    s = T.scalar()
    assert str(nnet.crossentropy_softmax_1hot_with_bias_dx(s, x, y).type) == \
        "TensorType(float64, matrix)"
    check_grad(lambda d, s: nnet.crossentropy_softmax_1hot_with_bias_dx(d, s, YV),
               [np.array([1.0, 2, 3]), _np_softmax(XV)])
    check_grad(lambda d, s: nnet.crossentropy_softmax_1hot_with_bias_dx(d, s, YV),
               [np.array(1.5), _np_softmax(XV)])


def test_crossentropy_softmax_grads():
    check_grad(lambda x, b: nnet.crossentropy_softmax_argmax_1hot_with_bias(x, b, YV)[0],
               [XV, BV])
    check_grad(lambda x, b: nnet.crossentropy_softmax_argmax_1hot_with_bias(x, b, YV)[1],
               [XV, BV])
    check_grad(lambda x: nnet.crossentropy_softmax_1hot(x, YV)[0], [XV])
    x, b, y = T.matrix(), T.vector(), T.lvector()
    # Differentiating through the argmax output fails as in Theano 1.0.5 (its y_idx term is
    # an integer zero).
    am = nnet.crossentropy_softmax_argmax_1hot_with_bias(x, b, y)[2]
    with pytest.raises(TypeError, match="grad illegally  returned an integer-valued variable"):
        pytheano.grad(am.sum(), x)


def test_crossentropy_softmax_errors():
    # Exception classes and messages from Theano 1.0.5.
    x, b, y = T.matrix(), T.vector(), T.lvector()
    op = nnet.crossentropy_softmax_argmax_1hot_with_bias
    for args, msg in [((T.vector(), b, y), "x must be 2-d tensor of floats"),
                      ((x, T.matrix(), y), "b must be 1-d tensor of floats"),
                      ((x, b, T.vector()), r"y_idx must be 1-d tensor of \[u\]ints")]:
        with pytest.raises(ValueError, match=msg):
            op(*args)
    with pytest.raises(ValueError, match=r"dy must be \{0,1\}-d tensor of floats"):
        nnet.crossentropy_softmax_1hot_with_bias_dx(T.matrix(), x, y)
    f = pytheano.function([x, b, y], op(x, b, y))
    for args, exc, msg in [((XV, BV[:2], YV), ValueError, "b must have same number of columns"),
                           ((XV[:, :0], BV[:0], YV[:0]), ValueError, "zero-size array"),
                           ((XV[:2], BV, YV), IndexError, "3 labels for a matrix of 2 rows"),
                           ((XV, BV, -YV - 2), IndexError, "index -4 is out of bounds"),
                           ((XV, BV, YV + 5), IndexError, "out of bounds")]:
        with pytest.raises(exc, match=msg):
            f(*args)
    # Not Theano 1.0.5's ValueError: fewer labels than rows, or negative ones, read as
    # numpy's (x + b)[arange(len(y)), y] reads them, the indexing the rewrites replace.
    z = XV + BV
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    for labels in (YV[:2], -YV, YV[:0]):
        nll, sm, am = f(XV, BV, labels)
        np.testing.assert_allclose(nll, -logp[np.arange(len(labels)), labels], rtol=1e-6)
        np.testing.assert_allclose(sm, np.exp(logp), rtol=1e-6)
        np.testing.assert_array_equal(am, z.argmax(axis=1))


def test_prepend_to_each_row():
    # str, types and values recorded from Theano 1.0.5.
    x, s = T.matrix("x"), T.scalar("s")
    assert str(nnet.prepend_0_to_each_row) == "Prepend_scalar_constant_to_each_row{Constant{0.0}}"
    assert str(nnet.Prepend_scalar_constant_to_each_row(5)) == \
        "Prepend_scalar_constant_to_each_row{5}"
    assert str(nnet.prepend_scalar_to_each_row) == "Prepend_scalar_to_each_row"
    assert str(nnet.prepend_1_to_each_row(x).type) == "TensorType(float64, matrix)"
    xv = np.arange(6.0).reshape(2, 3)
    check_op(nnet.prepend_1_to_each_row, [x], [xv],
             lambda a: np.array([[1.0, 0, 1, 2], [1, 3, 4, 5]]))
    check_op(nnet.prepend_scalar_to_each_row, [s, x], [3.5, xv],
             lambda v, a: np.array([[3.5, 0, 1, 2], [3.5, 3, 4, 5]]))
    np.testing.assert_array_equal(nnet.prepend_scalar_to_each_row(2.0, x).eval({x: xv}),
                                  [[2, 0, 1, 2], [2, 3, 4, 5]])
    # Different constants are different ops (Theano 1.0.5 compares them equal).
    assert nnet.prepend_0_to_each_row != nnet.prepend_1_to_each_row
    # Gradients (Theano 1.0.5's are broken for both ops).
    check_grad(nnet.prepend_0_to_each_row, [xv])
    check_grad(nnet.prepend_scalar_to_each_row, [np.array(3.5), xv])
    with pytest.raises(TypeError, match="Expected a matrix as input"):
        nnet.prepend_0_to_each_row(T.vector())


def test_confusion_matrix():
    # Values and types recorded from Theano 1.0.5.
    a, p = T.vector(), T.vector()
    conf, order = pytheano.function([a, p], nnet.confusion_matrix(a, p))(
        [2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2])
    np.testing.assert_array_equal(conf, [[2, 0, 0], [0, 0, 1], [1, 0, 2]])
    np.testing.assert_array_equal(order, [0.0, 1.0, 2.0])
    assert [str(v.type) for v in nnet.confusion_matrix(a, p)] == [
        "TensorType(int64, matrix)", "TensorType(float64, vector)"]
    assert [str(v.type) for v in nnet.confusion_matrix(T.ivector(), T.ivector())] == [
        "TensorType(int64, matrix)", "TensorType(int32, vector)"]
    with pytest.raises(ValueError, match="actual must be 1-d tensor variable"):
        nnet.confusion_matrix(T.matrix(), a)
    with pytest.raises(ValueError, match="pred must be 1-d tensor variable"):
        nnet.confusion_matrix(a, T.matrix())


def test_h_softmax():
    rng = np.random.RandomState(1)
    bs, n_in, n_out, n_cl, per = 4, 5, 10, 3, 4
    x, W1, b1, W2, b2 = T.matrix(), T.matrix(), T.vector(), T.tensor3(), T.matrix()
    y = T.ivector()
    vals = [rng.rand(bs, n_in), rng.rand(n_in, n_cl), rng.rand(n_cl), rng.rand(n_cl, n_in, per),
            rng.rand(n_cl, per)]
    labels = np.array([0, 9, 5, 3], dtype="int32")
    full = nnet.h_softmax(x, bs, n_out, n_cl, per, W1, b1, W2, b2)
    tgt = nnet.h_softmax(x, bs, n_out, n_cl, per, W1, b1, W2, b2, y)
    assert str(full.type) == "TensorType(float64, matrix)"
    assert str(tgt.type) == "TensorType(float64, vector)"
    got = pytheano.function([x, W1, b1, W2, b2], full)(*vals)
    # Theano 1.0.5's first row.
    np.testing.assert_allclose(got[0], [0.02815087, 0.11658003, 0.05507073, 0.07447698,
                                        0.14732123, 0.05696733, 0.06633304, 0.09059651,
                                        0.04351216, 0.10088954], atol=1e-8)
    xv, w1, bv1, w2, bv2 = vals
    pc = _np_softmax(xv @ w1 + bv1)
    po = np.stack([_np_softmax(xv @ w2[c] + bv2[c]) for c in range(n_cl)], 1)
    np.testing.assert_allclose(got, (pc[:, :, None] * po).reshape(bs, -1)[:, :n_out])
    t = pytheano.function([x, W1, b1, W2, b2, y], tgt)(*vals, labels)
    np.testing.assert_allclose(t, [0.02815087, 0.12465494, 0.03500164, 0.06938106], atol=1e-8)
    np.testing.assert_allclose(t, got[np.arange(bs), labels])
    check_grad(lambda a, w: nnet.h_softmax(a, bs, n_out, n_cl, per, vals[1], vals[2], w,
                                           vals[4], labels), [xv, w2])
