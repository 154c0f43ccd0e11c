"""Draws from uniforms (pytheano/sandbox/multinomial.py): MultinomialFromUniform,
ChoiceFromUniform."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.sandbox import multinomial as M
from tests.helpers import check_infer_shape

PV = np.array([[0.1, 0.2, 0.7], [0.5, 0.0, 0.5], [0.0, 0.0, 1.0]])
UV = np.array([0.05, 0.6, 0.3, 0.35, 0.29, 0.999])


def test_multinomial_and_choice_theano_values():
    # str, types and values recorded from Theano 1.0.5.
    p, u, n = T.matrix("p"), T.vector("u"), T.iscalar("n")
    for odtype, out_dtype, choice_dtype in [("auto", "float64", "int64"),
                                            ("int32", "int32", "int32"),
                                            ("float32", "float32", "float32")]:
        y = M.MultinomialFromUniform(odtype)(p, u, n)
        assert str(y.owner.op) == "MultinomialFromUniform{%s}" % odtype
        assert y.type == T.TensorType(out_dtype, (False, False))
        out = pytheano.function([p, u, n], y)(PV, UV, 2)
        assert out.dtype == out_dtype
        np.testing.assert_array_equal(out, [[1, 0, 1], [1, 0, 1], [0, 0, 2]])
        check_infer_shape([y], [p, u, n], [PV, UV, 2])
        c = M.ChoiceFromUniform(odtype)(p, u, n)
        assert str(c.owner.op) == "ChoiceFromUniform{odtype=%r, replace=False}" % odtype
        assert c.type == T.TensorType(choice_dtype, (False, False))
        np.testing.assert_array_equal(pytheano.function([p, u, n], c)(PV[:2], UV[:4], 2),
                                      [[0, 2], [2, 0]])
        check_infer_shape([c], [p, u, n], [PV[:2], UV[:4], 2])
    one = pytheano.function([p, u], M.MultinomialFromUniform("auto")(p, u))(PV, UV[:3])
    np.testing.assert_array_equal(one, [[1, 0, 0], [0, 0, 1], [0, 0, 1]])
    rep = M.ChoiceFromUniform("auto", replace=True)
    np.testing.assert_array_equal(pytheano.function([p, u, n], rep(p, u, n))(PV, UV, 2),
                                  [[0, 2], [2, 0], [2, 2]])
    assert str(rep) == "ChoiceFromUniform{odtype='auto', replace=True}"
    assert M.ChoiceFromUniform("auto") == M.ChoiceFromUniform("auto", False) != rep
    assert M.MultinomialFromUniform("auto")(T.row(), u).broadcastable == (True, False)
    g = pytheano.grad(M.MultinomialFromUniform("float64")(p, u).sum(), [p, u])
    assert [str(v.type) for v in g] == ["TensorType(float64, matrix)",
                                        "TensorType(float64, vector)"]
    np.testing.assert_array_equal(g[0].eval({p: PV}), np.zeros((3, 3)))


def test_draws_follow_the_distribution():
    rng = np.random.default_rng(0)
    pv = np.array([[0.2, 0.3, 0.5], [0.9, 0.05, 0.05]])
    p, u, n = T.matrix(), T.vector(), T.iscalar()
    counts = pytheano.function([p, u, n], M.MultinomialFromUniform("int64")(p, u, n))(
        pv, rng.random(2 * 20000), 20000)
    assert counts.sum(axis=1).tolist() == [20000, 20000]
    np.testing.assert_allclose(counts / 20000, pv, atol=0.015)
    picks = pytheano.function([p, u, n], M.ChoiceFromUniform("auto")(p, u, n))(
        np.full((500, 4), 0.25), rng.random(500 * 4), 4)
    # Without replacement every row is a permutation.
    assert (np.sort(picks, axis=1) == np.arange(4)).all()


def test_multinomial_errors():
    # Classes and messages from Theano 1.0.5.
    p, u, n = T.matrix(), T.vector(), T.iscalar()
    with pytest.raises(NotImplementedError, match="pvals ndim should be 2"):
        M.MultinomialFromUniform("auto")(T.vector(), u)
    with pytest.raises(NotImplementedError, match="unis ndim should be 1"):
        M.MultinomialFromUniform("auto")(p, T.matrix())
    with pytest.raises(ValueError, match=r"unis.shape\[0\] != pvals.shape\[0\] \* n_samples"):
        pytheano.function([p, u, n], M.MultinomialFromUniform("auto")(p, u, n))(PV, UV, 3)
    choice = pytheano.function([p, u, n], M.ChoiceFromUniform("auto")(p, u, n))
    with pytest.raises(ValueError, match="Cannot sample without replacement n samples bigger"):
        choice(PV, UV, 4)
    with pytest.raises(ValueError, match=r"unis.shape\[0\] != pvals.shape\[0\] \* n_samples"):
        choice(PV, UV, 1)
    with pytest.warns(DeprecationWarning, match="MultinomialWOReplacementFromUniform is "
                                                "deprecated"):
        M.MultinomialWOReplacementFromUniform("auto")
    import pytheano.sandbox.multinomial as by_path  # Theano's import path

    assert by_path.ChoiceFromUniform is M.ChoiceFromUniform
