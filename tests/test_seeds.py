"""Every CPU example of the seed documents (/work/shared/seeds), asserting what they show.

The seeds were written against Theano; each test changes only the import, as a user would.
"""
import numpy as np
import pytest

import pytheano as theano
import pytheano.tensor as T
from pytheano import shared


def _floatx32():
    theano.config.floatX = "float32"


# --------------------------------------------------------------------- seed 000 (epiphany)

def test_seed000_scalar_add():
    a = theano.tensor.scalar("a")
    b = theano.tensor.scalar("b")
    c = a + b
    f = theano.function([a, b], c)
    result = f(1, 2)
    assert repr(result) == "array(3.)"


# --------------------------------------------------------------------- seed 001 (how it works)

def test_seed001_polynomial():
    x = T.dscalar("x")
    y = 2 * x + x ** 3
    f = theano.function([x], y)
    assert f(2.0) == 12.0


# --------------------------------------------------------------------- seed 002 (quick intro)

def test_seed002_graph_and_logistic():
    x = T.dmatrix("x")
    y = T.dmatrix("y")
    z = x + y
    assert theano.pp(z) == "(x + y)"
    x = T.dmatrix("x")
    sigmoid = 1 / (1 + T.exp(-x))
    logistic = theano.function([x], sigmoid)
    out = logistic([[0, 1], [-1, -2]])
    np.testing.assert_allclose(out, [[0.5, 0.73105858], [0.26894142, 0.11920292]],
                               rtol=1e-7)


# --------------------------------------------------------------------- seed 003 (logistic grad)

def test_seed003_logistic_regression_error_and_gradient():
    from pytheano.tensor.nnet import sigmoid

    X = T.matrix(name="X")
    y = T.vector(name="y")
    w = T.vector(name="w")
    eta = X.dot(w)
    mu = sigmoid(eta)
    E = -(y * T.log(mu) + (1 - y) * T.log(1 - mu)).sum()
    Efun = theano.function([X, w, y], E, allow_input_downcast=True)
    rng = np.random.RandomState(0)
    X_ = rng.randn(1000, 100)
    w_ = rng.randn(100)
    y_ = rng.rand(1000) > .5
    error_val = Efun(X_, w_, y_)
    mu_ = 1 / (1 + np.exp(-X_.dot(w_)))
    expected = -(y_ * np.log(mu_) + (1 - y_) * np.log(1 - mu_)).sum()
    np.testing.assert_allclose(error_val, expected, rtol=1e-6)

    g1 = (y - mu).dot(X)
    g2 = T.grad(E, w)
    gfun = theano.function([X, w, y], [g1, g2], allow_input_downcast=True)
    g1_, g2_ = gfun(X_, w_, y_)
    # The seed calls them "the same thing"; they are equal up to sign, as in Theano 1.0.5
    # (dE/dw = (mu - y).X, while the hand-written g1 is (y - mu).X): the seed's text is loose.
    np.testing.assert_allclose(g2_, -g1_, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(g1_[:3], [24.15477562, -53.33213106, 18.37532258], rtol=1e-7)


# --------------------------------------------------------------------- seed 004 (the chapter)

def test_seed004_config():
    assert theano.config.device == "cpu"
    assert theano.config.floatX == "float64"
    text = str(theano.config)
    assert "floatX" in text and "device" in text
    theano.config.floatX = "float32"
    assert theano.config.floatX == "float32"


def test_seed004_scalar_constructors():
    _floatx32()
    assert repr(T.scalar()) == "<TensorType(float32, scalar)>"
    assert repr(T.iscalar()) == "<TensorType(int32, scalar)>"
    assert repr(T.fscalar()) == "<TensorType(float32, scalar)>"
    assert repr(T.dscalar()) == "<TensorType(float64, scalar)>"
    theano.config.floatX = "float64"
    assert repr(T.scalar()) == "<TensorType(float64, scalar)>"
    assert repr(T.fscalar()) == "<TensorType(float32, scalar)>"
    theano.config.floatX = "float32"
    assert repr(T.scalar()) == "<TensorType(float32, scalar)>"


def test_seed004_first_graph():
    _floatx32()
    x = T.matrix("x")
    y = T.matrix("y")
    z = x + y
    assert theano.pp(z) == "(x + y)"
    out = z.eval({x: [[1, 2], [1, 3]], y: [[1, 0], [3, 4]]})
    assert out.dtype == "float32"
    np.testing.assert_array_equal(out, [[2.0, 2.0], [4.0, 7.0]])


def test_seed004_names():
    _floatx32()
    a = T.matrix()
    b = T.matrix()
    assert theano.pp(a + b) == "(<TensorType(float32, matrix)> + <TensorType(float32, matrix)>)"
    x = T.matrix("x")
    x = x + x
    assert theano.pp(x) == "(x + x)"
    x, y, z = T.matrices("x", "y", "z")
    assert (x.name, y.name, z.name) == ("x", "y", "z")


def test_seed004_display(capsys):
    _floatx32()
    x = T.matrix("x")
    y = T.matrix("y")
    z = x + y
    assert repr(z) == "Elemwise{add,no_inplace}.0"
    assert theano.pp(z) == "(x + y)"
    assert theano.printing.pprint(z) == "(x + y)"
    theano.printing.debugprint(z)
    out = capsys.readouterr().out
    assert out == ("Elemwise{add,no_inplace} [id A] ''   \n"
                   " |x [id B]\n"
                   " |y [id C]\n")


def test_seed004_function_list_output_and_downcast():
    _floatx32()
    x = T.matrix("x")
    y = T.matrix("y")
    z = x + y
    addition = theano.function([x, y], [z])
    out = addition([[1, 2], [1, 3]], [[1, 0], [3, 4]])
    assert isinstance(out, list) and out[0].dtype == "float32"
    np.testing.assert_array_equal(out[0], [[2.0, 2.0], [4.0, 7.0]])
    x = T.matrix()
    assert repr(x) == "<TensorType(float32, matrix)>"
    y = T.matrix()
    addition = theano.function([x, y], [x + y])
    with pytest.raises(TypeError) as info:
        addition(np.ones((2, 2)), np.zeros((2, 2)))
    assert info.value.args[1] == (
        "TensorType(float32, matrix) cannot store a value of dtype float64 without risking "
        "loss of precision. If you do not mind this loss, you can: 1) explicitly cast your "
        "data to float32, or 2) set \"allow_input_downcast=True\" when calling \"function\".")
    assert info.value.args[0].startswith("Bad input argument to theano function with name ")
    out = addition(np.ones((2, 2), dtype=theano.config.floatX),
                   np.zeros((2, 2), dtype=theano.config.floatX))
    np.testing.assert_array_equal(out[0], np.ones((2, 2)))
    out = addition(np.ones((2, 2)).astype(theano.config.floatX),
                   np.diag((2, 3)).astype(theano.config.floatX))
    np.testing.assert_array_equal(out[0], [[3.0, 1.0], [1.0, 4.0]])
    addition = theano.function([x, y], [x + y], allow_input_downcast=True)
    out = addition(np.ones((2, 2)), np.zeros((2, 2)))
    assert out[0].dtype == "float32"


def test_seed004_creation():
    a = T.zeros((2, 3))
    assert repr(a.eval()) == repr(np.zeros((2, 3)))
    b = T.identity_like(a)
    np.testing.assert_array_equal(b.eval(), [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    c = T.arange(10)
    np.testing.assert_array_equal(c.eval(), np.arange(10))
    assert c.ndim == 1
    assert c.dtype == "int64"
    assert repr(c.type) == "TensorType(int64, vector)"


def test_seed004_shape():
    _floatx32()
    a = T.matrix()
    assert repr(a.shape) == "Shape.0"
    assert repr(a.shape.eval({a: [[1, 2], [1, 3]]})) == "array([2, 2])"
    shape_fct = theano.function([a], a.shape)
    assert repr(shape_fct([[1, 2], [1, 3]])) == "array([2, 2])"
    n = T.iscalar()
    c = T.arange(n)
    assert repr(c.shape.eval({n: 10})) == "array([10])"


def test_seed004_reshape_and_chain():
    a = T.arange(10)
    b = T.reshape(a, (5, 2))
    np.testing.assert_array_equal(b.eval(), np.arange(10).reshape(5, 2))
    out = T.arange(10).reshape((5, 2))[::-1].T.eval()
    np.testing.assert_array_equal(out, [[8, 6, 4, 2, 0], [9, 7, 5, 3, 1]])


def test_seed004_elementwise():
    _floatx32()
    a, b = T.matrices("a", "b")
    z = a * b
    out = z.eval({a: np.ones((2, 2)).astype(theano.config.floatX),
                  b: np.diag((3, 3)).astype(theano.config.floatX)})
    np.testing.assert_array_equal(out, [[3.0, 0.0], [0.0, 3.0]])
    z = T.mul(a, b)
    z = T.mul(a, b, a, b)
    assert z.eval({a: np.full((2, 2), 2, "float32"), b: np.full((2, 2), 3, "float32")})[0, 0] \
        == 36
    a = T.matrix()
    z = a ** 2
    np.testing.assert_array_equal(z.eval({a: np.diag((3, 3)).astype(theano.config.floatX)}),
                                  [[9.0, 0.0], [0.0, 9.0]])
    a = T.matrix()
    b = T.scalar()
    z = a * b
    out = z.eval({a: np.diag((3, 3)).astype(theano.config.floatX), b: 3})
    np.testing.assert_array_equal(out, [[9.0, 0.0], [0.0, 9.0]])


def test_seed004_switch():
    _floatx32()
    cond = T.vector("cond")
    x, y = T.vectors("x", "y")
    z = T.switch(cond, x, y)
    out = z.eval({cond: [1, 0], x: [10, 10], y: [3, 2]})
    assert out.dtype == "float32"
    np.testing.assert_array_equal(out, [10.0, 2.0])


def test_seed004_ifelse():
    from pytheano.ifelse import ifelse

    z = ifelse(1, 5, 4)
    assert repr(z.eval()) == "array(5, dtype=int8)"


def test_seed004_reductions():
    _floatx32()
    a = T.matrix("a")
    assert repr(T.max(a).eval({a: [[1, 2], [3, 4]]})) == "array(4., dtype=float32)"
    np.testing.assert_array_equal(T.max(a, axis=0).eval({a: [[1, 2], [3, 4]]}), [3.0, 4.0])
    np.testing.assert_array_equal(T.max(a, axis=1).eval({a: [[1, 2], [3, 4]]}), [2.0, 4.0])
    assert T.max(a, axis=1).eval({a: [[1, 2], [3, 4]]}).dtype == "float32"


def test_seed004_join_and_subtensor_updates():
    a = T.arange(10).reshape((5, 2))
    b = a[::-1]
    np.testing.assert_array_equal(b.eval(), np.arange(10).reshape(5, 2)[::-1])
    np.testing.assert_array_equal(a.eval(), np.arange(10).reshape(5, 2))
    cat = np.concatenate([np.arange(10).reshape(5, 2), np.arange(10).reshape(5, 2)[::-1]])
    np.testing.assert_array_equal(T.concatenate([a, b]).eval(), cat)
    np.testing.assert_array_equal(
        T.concatenate([a, b], axis=1).eval(),
        [[0, 1, 8, 9], [2, 3, 6, 7], [4, 5, 4, 5], [6, 7, 2, 3], [8, 9, 0, 1]])
    np.testing.assert_array_equal(
        T.stack([a, b]).eval(),
        np.stack([np.arange(10).reshape(5, 2), np.arange(10).reshape(5, 2)[::-1]]))
    np.testing.assert_array_equal(T.set_subtensor(a[3:], [-1, -1]).eval(),
                                  [[0, 1], [2, 3], [4, 5], [-1, -1], [-1, -1]])
    np.testing.assert_array_equal(T.inc_subtensor(a[3:], [-1, -1]).eval(),
                                  [[0, 1], [2, 3], [4, 5], [5, 6], [7, 8]])
    np.testing.assert_array_equal(a.eval(), np.arange(10).reshape(5, 2))


def test_seed004_transfer_cpu(capsys):
    _floatx32()
    a = T.matrix()
    b = a.transfer("cpu")
    theano.printing.debugprint(b)
    assert capsys.readouterr().out == "<TensorType(float32, matrix)> [id A]\n"


def test_seed004_shared_state():
    state = shared(0)
    assert repr(state) == "<TensorType(int64, scalar)>"
    assert repr(state.get_value()) == "array(0)"
    state.set_value(1)
    assert repr(state.get_value()) == "array(1)"


def test_seed004_multiple_outputs():
    _floatx32()
    a = T.matrix()
    ex = theano.function([a], [T.exp(a), T.log(a), a ** 2])
    v = np.random.RandomState(0).randn(3, 3).astype(theano.config.floatX)
    out = ex(v)
    assert isinstance(out, list) and len(out) == 3
    assert all(o.dtype == "float32" for o in out)
    np.testing.assert_allclose(out[0], np.exp(v), rtol=1e-6)
    with np.errstate(invalid="ignore"):
        np.testing.assert_allclose(out[1], np.log(v), rtol=1e-6)
    np.testing.assert_allclose(out[2], v ** 2, rtol=1e-6)


def test_seed004_updates():
    w = shared(1.0)
    x = T.scalar("x")
    mul = theano.function([x], updates=[(w, w * x)])
    assert mul(4) == []
    assert repr(w.get_value()) == "array(4.)"


def test_seed004_grad_of_square():
    a = T.scalar()
    pow_ = a ** 2
    g = theano.grad(pow_, a)
    f = theano.function([a], g)
    assert f(3.0) == 6.0


def test_seed004_debug_modes():
    theano.config.exception_verbosity = "high"
    assert theano.config.mode == "Mode"
    theano.config.optimizer = "fast_compile"
    try:
        a = T.vector()
        f = theano.function([a], a * 2, mode="FAST_COMPILE")
        np.testing.assert_array_equal(f([1.0, 2.0]), [2.0, 4.0])
    finally:
        theano.config.optimizer = "o4"


def test_seed004_profile():
    a = T.vector()
    s0 = T.scalar("s0")
    results = a * s0 + 1
    f = theano.function([a, s0], results, profile=True)
    f(np.ones(5), 2.0)
    import io

    buf = io.StringIO()
    f.profile.summary(file=buf)
    text = buf.getvalue()
    assert "Function profiling" in text
    assert "Time in 1 calls to Function.__call__" in text
    assert "Class" in text and "Ops" in text and "Apply" in text
