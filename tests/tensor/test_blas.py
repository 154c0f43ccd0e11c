"""Dot products (pytheano/tensor/blas.py): Dot, dot for every rank combination, tensordot,
outer, BatchedDot, batched_dot, batched_tensordot."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano.tensor.blas import BatchedDot, Dot
from tests.helpers import ALL_DTYPES, check_grad, check_op, randn, random_value, tensor_var

dtypes = st.sampled_from(ALL_DTYPES)


# Shapes that dot accepts, by (a.ndim, b.ndim): the summed length is 3.
def _dot_shapes(na, nb):
    a = (2, 4, 5, 3)[4 - na:] if na else ()
    if nb == 0:
        b = ()
    elif nb == 1:
        b = (3,) if na else (4,)
    else:
        b = (2, 6, 3, 4)[4 - nb:]
    if na == 0:
        a = ()
    return a, b


RANKS = [(na, nb) for na in range(5) for nb in range(5)]


# --------------------------------------------------------------------------- dot

@pytest.mark.parametrize("na, nb", RANKS)
def test_dot_every_rank_combination(na, nb):
    ashape, bshape = _dot_shapes(na, nb)
    av, bv = tensor_var(ashape, "float64", "a"), tensor_var(bshape, "float64", "b")
    out = check_op(T.dot, [av, bv], [randn(*ashape), randn(*bshape)], np.dot)
    assert out.shape == np.dot(np.empty(ashape), np.empty(bshape)).shape
    if na in (1, 2) and nb in (1, 2):
        assert isinstance(T.dot(av, bv).owner.op, Dot)


@given(st.sampled_from(RANKS), dtypes, dtypes)
def test_dot_dtypes_match_numpy(ranks, da, db):
    na, nb = ranks
    ashape, bshape = _dot_shapes(na, nb)
    av, bv = tensor_var(ashape, da, "a"), tensor_var(bshape, db, "b")
    check_op(T.dot, [av, bv], [random_value(ashape, da), random_value(bshape, db, rng=np.random.
                                                                       default_rng(1))],
             lambda a, b: np.dot(a, b) if a.ndim and b.ndim else a * b,
             expected_dtype=T.dot(av, bv).dtype)
    assert T.dot(av, bv).dtype == pytheano.scalar.upcast(da, db)


def test_dot_methods_and_operators():
    a, b = T.matrix("a"), T.matrix("b")
    av, bv = randn(2, 3), randn(3, 4)
    f = pytheano.function([a, b], [a.dot(b), a @ b, pytheano.dot(a, b), T.dot(a, b)])
    for out in f(av, bv):
        np.testing.assert_allclose(out, av.dot(bv))
    out = (av @ b).eval({b: bv})  # the ndarray defers to the variable
    np.testing.assert_allclose(out, av.dot(bv))


def test_dot_string_and_types():
    x, v = T.matrix("x"), T.vector("v")
    assert str(T.dot(x, x)) == "dot.0"
    assert str(T.dot(x, x).owner.op) == "dot"
    assert T.dot(v, v).type == T.TensorType("float64", ())
    assert T.dot(T.row(), T.col()).broadcastable == (True, True)
    assert T.dot(T.fmatrix(), T.dmatrix()).dtype == "float64"
    assert T.dot(T.ivector(), T.ivector()).dtype == "int32"


def test_dot_shape_mismatch_names_the_shapes():
    a, b = T.matrix("a"), T.matrix("b")
    f = pytheano.function([a, b], T.dot(a, b))
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 5\)"):
        f(np.zeros((2, 3)), np.zeros((4, 5)))
    v = T.vector("v")
    f = pytheano.function([a, v], T.dot(a, v))
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(2,\)"):
        f(np.zeros((2, 3)), np.zeros(2))


def test_dot_op_rejects_other_ranks():
    with pytest.raises(TypeError, match="Consider calling theano.tensor.dot"):
        Dot()(T.tensor3(), T.matrix())
    with pytest.raises(TypeError, match="2 arguments required"):
        Dot()(T.matrix())


@pytest.mark.parametrize("na, nb", [r for r in RANKS if r != (0, 0)])
def test_dot_grad_every_rank_combination(na, nb):
    ashape, bshape = _dot_shapes(na, nb)
    check_grad(T.dot, [randn(*ashape), randn(*bshape)])


def test_dot_grad_with_broadcastable_dims():
    r, c = T.row("r"), T.matrix("c")
    g = pytheano.gradient.grad(T.dot(r, c).sum(), r)
    assert g.broadcastable == r.broadcastable
    np.testing.assert_allclose(g.eval({r: np.ones((1, 3)), c: randn(3, 2)}),
                               randn(3, 2).sum(axis=1)[None, :])


def test_dot_rop():
    a, b = T.matrix("a"), T.vector("b")
    ea, eb = T.matrix("ea"), T.vector("eb")
    out = T.dot(a, b)
    r = pytheano.gradient.Rop(out, [a, b], [ea, eb])
    vals = [randn(2, 3), randn(3), randn(3, 2).T.copy(), randn(1, 3)[0]]
    got = pytheano.function([a, b, ea, eb], r)(*vals)
    np.testing.assert_allclose(got, vals[2].dot(vals[1]) + vals[0].dot(vals[3]))


# --------------------------------------------------------------------------- tensordot, outer

@pytest.mark.parametrize("ashape, bshape, axes", [
    ((2, 3, 4), (3, 4, 5), 2),
    ((2, 3, 4), (4, 5), 1),
    ((2, 3), (4, 5), 0),
    ((2, 3, 4), (5, 6, 4, 3), [[1, 2], [3, 2]]),
    ((2, 3, 4), (4, 2), [[0, 2], [1, 0]]),
    ((3,), (3,), 1),
    ((3, 2), (2, 3), [[0, 1], [1, 0]]),
    ((2, 3), (3,), [[1], [0]]),
    ((2, 3, 4), (3, 4, 5), [[-2, -1], [0, 1]]),
    ((2, 3), (4,), [[], []]),
])
def test_tensordot_matches_numpy(ashape, bshape, axes):
    av, bv = tensor_var(ashape, "float64", "a"), tensor_var(bshape, "float64", "b")
    check_op(lambda a, b: T.tensordot(a, b, axes), [av, bv], [randn(*ashape), randn(*bshape)],
             lambda a, b: np.tensordot(a, b, axes))
    check_grad(lambda a, b: T.tensordot(a, b, axes), [randn(*ashape), randn(*bshape)])


def test_tensordot_keeps_broadcastable_dims():
    out = T.tensordot(T.tensor3(), T.row(), [[2], [1]])
    assert out.broadcastable == (False, False, True)


@pytest.mark.parametrize("axes, match", [
    ([[1, 2], [0]], "same length"),
    ([[5], [0]], "greater than or equal"),
    (4, "larger than the dimension"),
    ([[0], [1], [2]], "len 2"),
])
def test_tensordot_bad_axes(axes, match):
    with pytest.raises(ValueError, match=match):
        T.tensordot(T.tensor3(), T.tensor3(), axes)


@pytest.mark.parametrize("xshape, yshape", [((3,), (4,)), ((2, 2), (3,)), ((1,), (2, 1, 2))])
def test_outer_matches_numpy(xshape, yshape):
    xv, yv = tensor_var(xshape, "float64", "x"), tensor_var(yshape, "float64", "y")
    check_op(T.outer, [xv, yv], [randn(*xshape), randn(*yshape)], np.outer)
    check_grad(T.outer, [randn(*xshape), randn(*yshape)])


# --------------------------------------------------------------------------- batched

def _batched_reference(a, b):
    return np.array([np.dot(a[i], b[i]) for i in range(a.shape[0])])


BATCH_SHAPES = [((3, 4), (3, 4)), ((3, 2, 4), (3, 4)), ((3, 4), (3, 4, 2)),
                ((3, 2, 4), (3, 4, 5)), ((3,), (3, 4)), ((3, 4, 2), (3,)),
                ((3, 2, 2, 4), (3, 4, 5)), ((3, 2, 4), (3, 2, 4, 5)), ((3,), (3,))]


@pytest.mark.parametrize("ashape, bshape", BATCH_SHAPES)
def test_batched_dot_matches_numpy(ashape, bshape):
    av, bv = tensor_var(ashape, "float64", "a"), tensor_var(bshape, "float64", "b")
    check_op(T.batched_dot, [av, bv], [randn(*ashape), randn(*bshape)], _batched_reference)
    check_grad(T.batched_dot, [randn(*ashape), randn(*bshape)])


@given(dtypes, dtypes)
def test_batched_dot_dtypes(da, db):
    av, bv = tensor_var((2, 3, 4), da, "a"), tensor_var((2, 4), db, "b")
    out = T.batched_dot(av, bv)
    assert isinstance(out.owner.op, BatchedDot)
    assert out.dtype == pytheano.scalar.upcast(da, db)
    a, b = random_value((2, 3, 4), da), random_value((2, 4), db)
    check_op(T.batched_dot, [av, bv], [a, b],
             lambda a, b: _batched_reference(a.astype(out.dtype), b.astype(out.dtype)))


def test_batched_dot_string_and_errors():
    out = T.batched_dot(T.tensor3(), T.tensor3())
    assert str(out.owner.op) == "BatchedDot"
    with pytest.raises(TypeError, match="batch"):
        T.batched_dot(T.scalar(), T.vector())
    a, b = T.tensor3("a"), T.tensor3("b")
    f = pytheano.function([a, b], T.batched_dot(a, b))
    with pytest.raises(ValueError, match=r"batch sizes unequal.*\(2, 3, 4\).*\(3, 4, 5\)"):
        f(np.zeros((2, 3, 4)), np.zeros((3, 4, 5)))
    with pytest.raises(ValueError, match="summation axis"):
        f(np.zeros((2, 3, 4)), np.zeros((2, 3, 5)))


@pytest.mark.parametrize("ashape, bshape, axes", [
    ((2, 3, 4), (2, 4, 5), [[2], [1]]),
    ((2, 3, 4), (2, 5, 3), [[1], [2]]),
    ((2, 3, 4, 5), (2, 4, 5), 2),
    ((2, 3, 4), (2, 4, 3), [[1, 2], [2, 1]]),
])
def test_batched_tensordot_matches_numpy(ashape, bshape, axes):
    if np.isscalar(axes):
        np_axes = (list(range(len(ashape) - axes, len(ashape))), list(range(1, axes + 1)))
    else:
        np_axes = axes

    def reference(a, b):
        return np.array([np.tensordot(a[i], b[i], [[k - 1 for k in np_axes[0]],
                                                    [k - 1 for k in np_axes[1]]])
                         for i in range(a.shape[0])])

    av, bv = tensor_var(ashape, "float64", "a"), tensor_var(bshape, "float64", "b")
    check_op(lambda a, b: T.batched_tensordot(a, b, axes), [av, bv],
             [randn(*ashape), randn(*bshape)], reference)
    check_grad(lambda a, b: T.batched_tensordot(a, b, axes), [randn(*ashape),
                                                               randn(*bshape)])


def test_batched_tensordot_rejects_batch_axis():
    with pytest.raises(ValueError, match="batch axis"):
        T.batched_tensordot(T.tensor3(), T.tensor3(), [[0], [1]])
    with pytest.raises(ValueError, match="batch axis"):
        T.batched_tensordot(T.matrix(), T.matrix(), 2)


def test_dot22_is_the_matrix_product():
    from pytheano.tensor.blas import _dot22

    x, y = T.dmatrix("x"), T.dmatrix("y")
    z = _dot22(x, y)
    assert str(z.owner.op) == "Dot22" and z.type == T.dmatrix
    a, b = np.arange(6.0).reshape(2, 3), np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(pytheano.function([x, y], z)(a, b), a.dot(b))
    with pytest.raises(TypeError, match="two matrices of one float dtype"):
        _dot22(T.dvector(), y)
    with pytest.raises(TypeError, match="two matrices of one float dtype"):
        _dot22(T.fmatrix(), y)
