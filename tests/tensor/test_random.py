"""pytheano.tensor.random: RandomFunction, the raw distributions and RandomStreams."""
import pickle

import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.tensor import raw_random
from pytheano.tensor.random import RandomFunction, RandomStateType, random_state_type
from pytheano.tensor.shared_randomstreams import RandomStateSharedVariable, RandomStreams
from tests.helpers import check_infer_shape


def stream_rng(seed, i=0):
    """The numpy generator of the i-th stream of RandomStreams(seed), as Theano seeds it."""
    seedgen = np.random.RandomState(seed)
    for _ in range(i):
        seedgen.randint(2 ** 30)
    return np.random.RandomState(int(seedgen.randint(2 ** 30)))


def test_shared_randomstate_and_type():
    rng = pytheano.shared(np.random.RandomState(3))
    assert isinstance(rng, RandomStateSharedVariable)
    assert rng.type == random_state_type == RandomStateType()
    assert str(rng.type) == "RandomStateType" and str(rng) == "<RandomStateType>"
    with pytest.raises(TypeError):
        rng.set_value(np.zeros(3))
    assert random_state_type.values_eq(np.random.RandomState(1), np.random.RandomState(1))
    assert not random_state_type.values_eq(np.random.RandomState(1), np.random.RandomState(2))


def test_reprs_and_types_match_theano():
    s = RandomStreams(seed=234)
    u = s.uniform((2, 1), dtype="float64")  # floatX's default, as the peer ran it
    assert str(u.owner.op) == "RandomFunction{uniform}" and str(u) == "RandomFunction{uniform}.1"
    assert str(u.type) == "TensorType(float64, col)"
    assert str(u.owner.inputs[1]) == "Elemwise{Cast{int64}}.0"
    assert str(s.binomial((3, 1)).type) == "TensorType(int64, matrix)"
    assert str(s.random_integers((3,), 0, 5).owner.op) == "RandomFunction{random_integers_helper}"
    assert str(s.permutation(n=5).type) == "TensorType(int64, vector)"
    assert str(s.multinomial((2,), 1, [0.3, 0.7]).type) == "TensorType(int64, matrix)"
    assert str(s.uniform(()).type) == "TensorType(%s, scalar)" % pytheano.config.floatX
    assert s.uniform((2, 3), dtype="float32").dtype == "float32"
    assert s.normal((2,), avg=np.float32(0), std=np.float32(1)).dtype == pytheano.config.floatX
    assert s.updates()[0] == (u.rng, u.owner.outputs[0])
    # Theano 1.0.5 prints these numbers for this seed and draw.
    np.testing.assert_allclose(pytheano.function([], u)(), [[0.12672381], [0.97091597]],
                               rtol=1e-7)


def test_values_match_numpy_with_same_seed():
    s = RandomStreams(seed=77)
    draws = [s.uniform((2, 3), low=-1, high=2), s.normal((4,), avg=1.0, std=3.0),
             s.binomial((3, 2), n=5, p=0.3), s.random_integers((5,), low=-2, high=4),
             s.choice((4,), a=10, replace=False), s.permutation((2,), n=6),
             s.multinomial((2,), n=4, pvals=[0.2, 0.3, 0.5]), s.poisson((3,), lam=2.0)]
    got = pytheano.function([], draws)()
    r = [stream_rng(77, i) for i in range(len(draws))]
    want = [r[0].uniform(-1, 2, (2, 3)), r[1].normal(1.0, 3.0, (4,)),
            r[2].binomial(5, 0.3, (3, 2)),
            np.array([r[3].randint(-2, 5) for _ in range(5)]),
            r[4].choice(10, (4,), False), np.array([r[5].permutation(6) for _ in range(2)]),
            np.array([r[6].multinomial(4, [0.2, 0.3, 0.5]) for _ in range(2)]),
            r[7].poisson(2.0, (3,))]
    for g, w, d in zip(got, want, draws):
        assert g.dtype == d.dtype and g.ndim == d.ndim
        np.testing.assert_allclose(g, w)


def test_successive_calls_differ_and_seed_resets():
    s = RandomStreams(seed=5)
    u = s.uniform((3,))
    n = s.normal((3,))
    f = pytheano.function([], [u, n])
    a, b = f(), f()
    assert not np.allclose(a[0], b[0]) and not np.allclose(a[1], b[1])
    s.seed(5)
    c = f()
    np.testing.assert_allclose(c[0], a[0])
    np.testing.assert_allclose(c[1], a[1])
    s.seed(6)
    assert not np.allclose(f()[0], a[0])
    # A different seed from the start gives different numbers.
    assert not np.allclose(pytheano.function([], RandomStreams(6).uniform((3,)))(), a[0])


def test_no_default_updates():
    s = RandomStreams(seed=1)
    u = s.uniform((4,))
    for ndu in (True, [u.rng]):
        f = pytheano.function([], u, no_default_updates=ndu)
        np.testing.assert_allclose(f(), f())
    g = pytheano.function([], u)
    assert not np.allclose(g(), g())
    # Explicit updates from updates() also work.
    s2 = RandomStreams(seed=1)
    v = s2.uniform((4,))
    h = pytheano.function([], v, updates=s2.updates(), no_default_updates=True)
    assert not np.allclose(h(), h())


def test_symbolic_size():
    s = RandomStreams(seed=2)
    x = T.matrix("x")
    n = T.iscalar("n")
    u = s.uniform(x.shape)
    assert u.type.broadcastable == (False, False)
    v = s.normal((n, 3), dtype="float32")
    assert v.type.broadcastable == (False, False) and v.dtype == "float32"
    w = s.uniform(size=T.stack([n, n]), ndim=2)
    xv = np.zeros((2, 5), dtype=pytheano.config.floatX)
    f = pytheano.function([x, n], [u, v, w])
    a, b, c = f(xv, 4)
    assert a.shape == (2, 5) and b.shape == (4, 3) and c.shape == (4, 4)
    assert b.dtype == "float32"
    check_infer_shape([u, v, w], [x, n], [xv, 4])


def test_infer_shape_added_dims():
    s = RandomStreams(seed=2)
    n = T.lscalar("n")
    outs = [s.permutation((3,), n=n), s.permutation(n=n),
            s.multinomial((2,), n=3, pvals=[0.5, 0.5]), s.uniform((2, 1))]
    check_infer_shape(outs, [n], [4])


def test_size_none_takes_parameter_shape():
    s = RandomStreams(seed=3)
    low = T.vector("low")
    u = s.uniform(low=low, high=low + 1)
    lv = np.arange(4).astype(pytheano.config.floatX)
    val = pytheano.function([low], u)(lv)
    assert val.shape == (4,) and np.all((val >= lv) & (val < lv + 1))


def test_bad_inputs():
    with pytest.raises(ValueError):
        raw_random.uniform(pytheano.shared(np.random.RandomState(0)), (2, 3), ndim=3)
    with pytest.raises(TypeError):
        RandomFunction("uniform", T.dvector)(T.dvector(), (2,), 0.0, 1.0)
    s = RandomStreams(0)
    n = T.lscalar()
    u = s.uniform(size=T.stack([n, n]), ndim=1)  # wrong ndim: found at run time
    with pytest.raises(ValueError, match="Shape mismatch"):
        pytheano.function([n], u)(2)


def test_dropout_and_gradient_treat_noise_as_constant():
    s = RandomStreams(seed=9)
    x = T.matrix("x")
    mask = s.binomial(size=x.shape, p=0.5)
    assert mask.dtype == "int64"
    cost = (x * mask).sum()
    g = pytheano.grad(cost, x)
    f = pytheano.function([x], [x * mask, g])
    xv = np.arange(1, 13, dtype=pytheano.config.floatX).reshape(3, 4)
    out, grad = f(xv)
    m = out / xv
    assert set(np.unique(m)) <= {0.0, 1.0}
    np.testing.assert_allclose(grad, m)
    out2, _ = f(xv)
    assert not np.allclose(out, out2)
    # A float noise: d(sum(x * u))/dx is u itself.
    u = s.uniform(size=x.shape)
    h = pytheano.function([x], [u, pytheano.grad((x * u).sum(), x)], no_default_updates=True)
    uv, gv = h(xv)
    np.testing.assert_allclose(gv, uv)


def test_pickle_function_with_stream():
    s = RandomStreams(seed=4)
    u = s.uniform((3,))
    f = pytheano.function([], u)
    f()
    f2 = pickle.loads(pickle.dumps(f))
    np.testing.assert_allclose(f2(), f())
    op = u.owner.op
    assert pickle.loads(pickle.dumps(op)) == op
    assert pickle.loads(pickle.dumps(s.permutation(n=3).owner.op)) is not None


def test_getitem_setitem():
    s = RandomStreams(seed=4)
    u = s.uniform((2,))
    f = pytheano.function([], u)
    s[u.rng] = np.random.RandomState(11)
    np.testing.assert_allclose(f(), np.random.RandomState(11).uniform(size=(2,)))
    assert isinstance(s[u.rng], np.random.RandomState)


def test_shuffle_row_elements_matches_theano():
    # Recorded from Theano 1.0.5: RandomStreams(234), two calls.
    rs = RandomStreams(234)
    out = rs.shuffle_row_elements(T.constant(np.arange(6.0).reshape(2, 3)))
    f = pytheano.function([], out)
    assert f().tolist() == [[1.0, 2.0, 0.0], [5.0, 3.0, 4.0]]
    assert f().tolist() == [[1.0, 0.0, 2.0], [3.0, 5.0, 4.0]]
    assert out.permutation.ndim == 2


def test_theano_raw_random_conventions():
    # Theano 1.0.5's test_raw_random / test_shared_randomstreams conventions.
    from pytheano.tensor.raw_random import _infer_ndim_bcast, permutation_helper  # noqa: F401

    rf = RandomFunction(np.random.RandomState.uniform, T.dvector)  # T.dvector for a type
    assert rf.outtype == T.TensorType("float64", (False,))
    # choice(size, a, replace, p=0): p=0 means uniform (Theano wrote `p or []`).
    random = RandomStreams(666)
    fn = pytheano.function([], random.choice((11, 8), 10, 1, 0))
    rng = np.random.RandomState(int(np.random.RandomState(666).randint(2 ** 30)))
    np.testing.assert_array_equal(fn(), rng.choice(10, (11, 8), True, None))
    np.testing.assert_array_equal(fn(), rng.choice(10, (11, 8), True, None))
