"""``theano.tensor.nnet.conv3d2d`` (pytheano/tensor/nnet/conv3d2d.py): the diagonal view and
its two ops against numpy, their gradients, and conv3d against a direct 3-d convolution."""
import numpy as np
import pytest

import pytheano as theano
import pytheano.tensor as T
from pytheano.tensor.nnet.conv3d2d import (DiagonalSubtensor, IncDiagonalSubtensor, conv3d,
                                           diagonal_subtensor, get_diagonal_subtensor_view,
                                           inc_diagonal_subtensor)
from tests.helpers import check_grad, check_op, check_op_contract

RNG = np.random.default_rng(7)
T5 = T.TensorType("float64", (False,) * 5)


def _stripe(x, i0, i1):
    # The definition: view[..r..c..] = x[..r + n1 - 1 - c..c..], index by index.
    n1 = x.shape[i1]
    shape = list(x.shape)
    shape[i0] -= n1 - 1
    out = np.empty(shape, x.dtype)
    for index in np.ndindex(*shape):
        src = list(index)
        src[i0] = index[i0] + n1 - 1 - index[i1]
        out[index] = x[tuple(src)]
    return out


def test_diagonal_view_values_of_theanos_test():
    x = np.arange(20).reshape(5, 4).astype("float32")
    np.testing.assert_array_equal(get_diagonal_subtensor_view(x, 0, 1),
                                  [[12, 9, 6, 3], [16, 13, 10, 7]])
    x = np.arange(24).reshape(4, 3, 2)
    np.testing.assert_array_equal(get_diagonal_subtensor_view(x, 0, 1),
                                  [[[12, 13], [8, 9], [4, 5]], [[18, 19], [14, 15], [10, 11]]])
    np.testing.assert_array_equal(get_diagonal_subtensor_view(x, 0, 2),
                                  [[[6, 1], [8, 3], [10, 5]], [[12, 7], [14, 9], [16, 11]],
                                   [[18, 13], [20, 15], [22, 17]]])
    for xi, xvi in zip(x, get_diagonal_subtensor_view(x, 1, 2)):
        np.testing.assert_array_equal(xvi, get_diagonal_subtensor_view(xi, 0, 1))


@pytest.mark.parametrize("shape,i0,i1", [((5, 4), 0, 1), ((4, 5), 1, 0), ((4, 3, 2), 0, 2),
                                         ((3, 4, 6), 2, 1), ((3, 1), 0, 1), ((2, 2), 0, 1)])
def test_diagonal_view_is_a_writable_view(shape, i0, i1):
    x = RNG.random(shape)
    view = get_diagonal_subtensor_view(x, np.int64(i0), np.int64(i1))
    np.testing.assert_array_equal(view, _stripe(x, i0, i1))
    assert np.shares_memory(view, x)
    before = x.copy()
    view += 1
    # Every element of the stripe is a distinct element of x.
    delta = x - before
    assert delta.max() == 1 and delta.sum() == view.size


def test_diagonal_view_too_short():
    with pytest.raises(NotImplementedError):
        get_diagonal_subtensor_view(np.zeros((2, 3)), 0, 1)


@pytest.mark.parametrize("i0,i1", [(0, 1), (0, 2), (2, 1)])
def test_diagonal_subtensor_op(i0, i1):
    x = T.dtensor3("x")
    value = RNG.random((5, 3, 4))
    check_op(lambda x: diagonal_subtensor(x, i0, i1), [x], [value],
             lambda v: _stripe(v, i0, i1))
    check_grad(lambda x: diagonal_subtensor(x, i0, i1) ** 2, [value])


def test_inc_diagonal_subtensor_op():
    x, amt = T.dmatrix("x"), T.dmatrix("amt")
    xv, amtv = RNG.random((5, 3)), RNG.random((3, 3))

    def reference(x, amt):
        out = x.copy()
        get_diagonal_subtensor_view(out, 0, 1)[...] += amt
        return out

    check_op(lambda x, a: inc_diagonal_subtensor(x, 0, 1, a), [x, amt], [xv, amtv], reference)
    check_grad(lambda x, a: inc_diagonal_subtensor(x, 0, 1, a) ** 2, [xv, amtv])
    # The input is not written.
    before = xv.copy()
    theano.function([x, amt], inc_diagonal_subtensor(x, 0, 1, amt))(xv, amtv)
    np.testing.assert_array_equal(xv, before)


def test_inplace_forms():
    # Theano's in-place variants: a view of the input, or the input updated.
    assert DiagonalSubtensor(True).view_map == {0: [0]}
    assert IncDiagonalSubtensor(True).destroy_map == {0: [0]}
    assert str(DiagonalSubtensor(True)) == "DiagonalSubtensor{inplace}"
    assert str(inc_diagonal_subtensor) == "IncDiagonalSubtensor"
    x = T.dmatrix("x")
    node = DiagonalSubtensor(True)(x, 0, 1).owner
    value = RNG.random((4, 2))
    out = [[None]]
    node.op.perform(node, [value, np.int64(0), np.int64(1)], out)
    assert np.shares_memory(out[0][0], value)
    for op in (diagonal_subtensor, DiagonalSubtensor(True), inc_diagonal_subtensor):
        check_op_contract(op)


def _conv3d_reference(s, f, border_mode):
    Nf, Tf, _, Hf, Wf = f.shape
    pad = {"valid": (0, 0, 0), "full": (Tf - 1, Hf - 1, Wf - 1),
           "half": (Tf // 2, Hf // 2, Wf // 2)}[border_mode]
    sp = np.pad(s, [(0, 0), (pad[0],) * 2, (0, 0), (pad[1],) * 2, (pad[2],) * 2])
    To, Ho, Wo = sp.shape[1] - Tf + 1, sp.shape[3] - Hf + 1, sp.shape[4] - Wf + 1
    flipped = f[:, ::-1, :, ::-1, ::-1]
    out = np.zeros((s.shape[0], To, Nf, Ho, Wo))
    for t, h, w in np.ndindex(To, Ho, Wo):
        patch = sp[:, t:t + Tf, :, h:h + Hf, w:w + Wf]
        out[:, t, :, h, w] = np.einsum("ntchw,mtchw->nm", patch, flipped)
    return out


@pytest.mark.parametrize("border_mode", ["valid", "full", "half"])
@pytest.mark.parametrize("Tf,Hf,Wf", [(2, 2, 3), (3, 3, 1), (1, 2, 2)])
@pytest.mark.parametrize("known_shapes", [False, True])
def test_conv3d_against_a_direct_convolution(border_mode, Tf, Hf, Wf, known_shapes):
    s, f = RNG.random((2, 4, 2, 5, 6)), RNG.random((3, Tf, 2, Hf, Wf))
    S, F = T5("s"), T5("f")
    shapes = dict(signals_shape=s.shape, filters_shape=f.shape) if known_shapes else {}
    out = theano.function([S, F], conv3d(S, F, border_mode=border_mode, **shapes))(s, f)
    np.testing.assert_allclose(out, _conv3d_reference(s, f, border_mode), rtol=1e-12)


@pytest.mark.parametrize("border_mode", ["valid", "full", "half"])
@pytest.mark.parametrize("Tf", [1, 2])
def test_conv3d_verify_grad(border_mode, Tf):
    s, f = RNG.random((2, 3, 2, 4, 4)), RNG.random((2, Tf, 2, 2, 2))
    check_grad(lambda s, f: conv3d(s, f, border_mode=border_mode), [s, f])


def test_conv3d_border_mode_errors():
    S, F = T5(), T5()
    with pytest.raises(NotImplementedError, match="height and width bordermodes must match"):
        conv3d(S, F, border_mode=("valid", "full", "valid"))
    with pytest.raises(ValueError, match="invalid border_mode wide"):  # conv2d's
        conv3d(S, F, border_mode="wide")
    with pytest.raises(ValueError, match="invalid border mode"):
        conv3d(S, F, border_mode=("wide", "valid", "valid"))
