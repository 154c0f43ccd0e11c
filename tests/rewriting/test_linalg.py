"""The linear-algebra rewrites (pytheano/rewriting/linalg.py, Theano's sandbox.linalg rules):
each changes the graph as it says and not what it computes (well-conditioned random
matrices; a singular one raises the same exception class before and after)."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.compile.mode import Mode
from pytheano.rewriting.linalg import inv_as_solve, tag_solve_triangular, transinv_to_invtrans
from pytheano.tensor.elemwise import DimShuffle
from pytheano.tensor.nlinalg import MatrixInverse, matrix_inverse
from pytheano.tensor.slinalg import Cholesky, Solve, solve
from tests.helpers import check_rewrite

RNG = np.random.default_rng(5)


def _well_conditioned(n):
    return RNG.random((n, n)) + n * np.eye(n)


def _spd(n):
    m = RNG.random((n, n))
    return m @ m.T + n * np.eye(n)


def test_transinv_to_invtrans():
    X = T.dmatrix("X")
    fg = check_rewrite(matrix_inverse(X).T, transinv_to_invtrans,
                       expected=[DimShuffle, MatrixInverse], values=[_well_conditioned(4)])
    inverse, = [n for n in fg.toposort() if isinstance(n.op, MatrixInverse)]
    assert inverse.inputs[0].owner.inputs[0].name == "X"
    # Another DimShuffle is left alone.
    check_rewrite(matrix_inverse(X).dimshuffle(0, 1, "x"), transinv_to_invtrans,
                  expected=[MatrixInverse, DimShuffle], values=[_well_conditioned(3)])


@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("b_ndim", [1, 2])
def test_tag_solve_triangular(lower, transposed, b_ndim):
    A = T.dmatrix("A")
    b = T.dvector("b") if b_ndim == 1 else T.dmatrix("b")
    factor = Cholesky(lower=lower)(A)
    if transposed:
        factor = factor.T
    want = "lower_triangular" if lower != transposed else "upper_triangular"
    b_value = RNG.random(4) if b_ndim == 1 else RNG.random((4, 2))
    fg = check_rewrite(solve(factor, b), tag_solve_triangular,
                       expected=lambda fg: [n.op.A_structure for n in fg.toposort()
                                            if isinstance(n.op, Solve)] == [want],
                       inputs=[A, b], values=[_spd(4), b_value])
    assert fg.outputs[0].type == solve(factor, b).type


def test_tag_solve_triangular_leaves_other_solves():
    A, b = T.dmatrix("A"), T.dvector("b")
    check_rewrite(solve(A, b), tag_solve_triangular,
                  expected=lambda fg: fg.toposort()[-1].op == Solve(),
                  inputs=[A, b], values=[_well_conditioned(3), RNG.random(3)])


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("b_ndim", [1, 2])
def test_inv_as_solve(side, b_ndim):
    A = T.dmatrix("A")
    b = T.dvector("b") if b_ndim == 1 else T.dmatrix("b")
    out = T.dot(matrix_inverse(A), b) if side == "left" else T.dot(b, matrix_inverse(A))
    b_value = RNG.random(4) if b_ndim == 1 else RNG.random((4, 4))
    check_rewrite(out, inv_as_solve,
                  expected=lambda fg: not any(isinstance(n.op, MatrixInverse)
                                              for n in fg.toposort()),
                  inputs=[A, b], values=[_well_conditioned(4), b_value], rtol=1e-10)
    [new] = inv_as_solve.transform(out.owner)  # Theano's one-argument form
    assert isinstance((new.owner.inputs[0] if side == "right" else new).owner.op, Solve)


def test_inv_as_solve_singular_raises_linalg_error_both_ways():
    A, b = T.dmatrix("A"), T.dvector("b")
    out = T.dot(matrix_inverse(A), b)
    for mode in (Mode("py", None), Mode("py", "fast_run").including("inv_as_solve")):
        f = pytheano.function([A, b], out, mode=mode)
        with pytest.raises(np.linalg.LinAlgError):
            f(np.ones((3, 3)), np.ones(3))


def test_inv_as_solve_is_opt_in():
    import pytheano.sandbox.linalg  # noqa: F401  (registers the rules)

    A, b = T.dmatrix("A"), T.dmatrix("b")
    out = T.dot(matrix_inverse(A), b)
    default = pytheano.function([A, b], out, mode=Mode("py", "fast_run"))
    assert any(isinstance(n.op, MatrixInverse) for n in default.maker.fgraph.toposort())
    opted = pytheano.function([A, b], out,
                              mode=Mode("py", "fast_run").including("inv_as_solve"))
    assert not any(isinstance(n.op, MatrixInverse) for n in opted.maker.fgraph.toposort())
    a_value, b_value = _well_conditioned(3), RNG.random((3, 2))
    np.testing.assert_allclose(opted(a_value, b_value), default(a_value, b_value))
