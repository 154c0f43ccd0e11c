"""pytheano.sandbox.rng_mrg: MRG_RandomStreams' interface on numpy generators."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.sandbox.rng_mrg import MRG_RandomStreams
from tests.helpers import check_infer_shape

floatX = pytheano.config.floatX


def test_types():
    m = MRG_RandomStreams(12)
    assert str(m.uniform((2, 3)).type) == "TensorType(%s, matrix)" % floatX
    assert str(m.uniform(size=(2, 1)).type) == "TensorType(%s, col)" % floatX
    assert m.normal((2, 3)).dtype == floatX
    assert str(m.binomial((2, 3)).type) == "TensorType(int64, matrix)"
    assert str(m.multinomial(pvals=T.matrix()).type) == "TensorType(int64, matrix)"
    assert str(m.choice(size=2, replace=False, p=T.matrix()).type) == "TensorType(int64, matrix)"


def test_seed_validation():
    for bad in (0, 2147462579, [0, 0, 0, 1, 1, 1], [1, 1, 1, 0, 0, 0]):
        with pytest.raises(ValueError):
            MRG_RandomStreams(bad)
    with pytest.raises(TypeError):
        MRG_RandomStreams([1, 2])
    MRG_RandomStreams([1, 2, 3, 4, 5, 6])


def test_streams_advance_and_reseed():
    m = MRG_RandomStreams(234)
    x = T.matrix("x")
    u = m.uniform(x.shape, low=2.0, high=3.0)
    n = m.normal((1001,), avg=1.0, std=2.0)
    b = m.binomial(size=x.shape, p=0.25)
    f = pytheano.function([x], [u, n, b])
    xv = np.zeros((20, 30), dtype=floatX)
    a1, a2 = f(xv), f(xv)
    assert a1[0].shape == (20, 30) and np.all((a1[0] >= 2) & (a1[0] < 3))
    assert a1[1].shape == (1001,) and abs(a1[1].mean() - 1.0) < 0.3
    assert abs(a1[1].std() - 2.0) < 0.3
    assert set(np.unique(a1[2])) <= {0, 1} and 0.15 < a1[2].mean() < 0.35
    assert not np.allclose(a1[0], a2[0])
    m.seed()
    for got, want in zip(f(xv), a1):
        np.testing.assert_allclose(got, want)
    # The same seed in a new container gives the same numbers.
    m2 = MRG_RandomStreams(234)
    np.testing.assert_allclose(pytheano.function([x], m2.uniform(x.shape, 2.0, 3.0))(xv), a1[0])


def test_truncated_normal():
    m = MRG_RandomStreams(3)
    v = pytheano.function([], [m.normal((500,), truncate=True, std=2.0),
                               m.truncated_normal((500,))])()
    assert np.abs(v[0]).max() <= 4.0 and np.abs(v[1]).max() <= 2.0 / 0.87962566103423978


def test_multinomial_and_choice():
    m = MRG_RandomStreams(5)
    p = T.matrix("p")
    mult = m.multinomial(pvals=p, n=3)
    ch = m.choice(size=2, replace=False, p=p)
    pv = np.array([[0.2, 0.3, 0.5], [0.5, 0.5, 0.0]], dtype=floatX)
    mv, cv = pytheano.function([p], [mult, ch])(pv)
    assert mv.shape == (2, 3) and mv.dtype == "int64" and np.all(mv.sum(axis=1) == 3)
    assert mv[1, 2] == 0
    assert cv.shape == (2, 2) and cv.dtype == "int64"
    assert len(set(cv[0])) == 2 and set(cv[1]) == {0, 1}
    check_infer_shape([mult, ch], [p], [pv])
    with pytest.raises(NotImplementedError):
        m.choice(size=2, p=p)
    with pytest.raises(ValueError):
        m.multinomial(size=(2,), pvals=p)


def test_dropout_gradient():
    m = MRG_RandomStreams(7)
    x = T.matrix("x")
    mask = m.binomial(size=x.shape, p=0.5, dtype=floatX)
    g = pytheano.grad((x * mask).sum(), x)
    xv = np.ones((4, 5), dtype=floatX)
    mv, gv = pytheano.function([x], [mask, g], no_default_updates=True)(xv)
    np.testing.assert_allclose(gv, mv)


def test_substream_rstates_and_mrg_uniform_match_theano():
    # Recorded from Theano 1.0.5 (its Python implementation), seed 234.
    from pytheano.sandbox.rng_mrg import mrg_uniform

    r = MRG_RandomStreams(234)
    st = r.get_substream_rstates(3, "float32")
    assert st.dtype == np.int32
    assert st.tolist() == [
        [234] * 6,
        [704833060, 506023153, 12815654, 2123355916, 1966261459, 499152958],
        [897902406, 1118436668, 316920929, 575077299, 634078435, 1750513707]]
    assert r.rstate.tolist() == [1272953745, 1280499058, 107112410, 1182066990, 1703886948,
                                 139386023]
    expected = {
        "float64": [0.12257870472967625, 0.4827051400206983, 0.07152132363989949,
                    0.22224461007863283, 0.5584683176130056],
        "float32": [0.1225786954164505, 0.48270511627197266, 0.0715213194489479,
                    0.22224459052085876, 0.5584682822227478],
        "float16": [0.3173828125, 0.56298828125, 0.2210693359375, 0.0227508544921875,
                    0.7783203125]}
    for dtype, values in expected.items():
        rs = pytheano.shared(r.get_substream_rstates(4, dtype, inc_rstate=False))
        new_r, u = mrg_uniform.new(rs, 2, dtype, (3, 3))
        a, b = pytheano.function([], [new_r, u])()
        assert u.dtype == b.dtype == dtype and u.broadcastable == (False, False)
        assert b.ravel()[:5].tolist() == values
        assert a[0].tolist() == [1334289052, 1512539804, 339508815, 689654299, 313238224,
                                 76273051]
    rs = pytheano.shared(r.get_substream_rstates(2, "float64"))
    assert mrg_uniform.new(rs, 1, "float64", (1,))[1].broadcastable == (True,)
    op = mrg_uniform.new(rs, 1, "float64", (3,))[1].owner.op
    assert str(op) == "mrg_uniform{TensorType(float64, vector),no_inplace}"
