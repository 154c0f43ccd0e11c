"""Tests of pytheano.tensor.nnet.corr3d (Corr3dMM and its gradients) against a direct loop."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.tensor.nnet.corr3d import (Corr3dMM, Corr3dMM_gradInputs,
                                         Corr3dMM_gradWeights)
from tests.helpers import assert_close, check_grad, check_infer_shape
from tests.tensor.nnet.test_corr import randn, reference_corr

CASES = [
    ((2, 2, 5, 4, 4), (3, 2, 2, 3, 2), "valid", (1, 1, 1), (1, 1, 1), 1),
    ((1, 2, 4, 5, 4), (2, 2, 3, 2, 2), "full", (1, 1, 1), (1, 1, 1), 1),
    ((1, 1, 5, 5, 6), (2, 1, 3, 3, 2), "half", (2, 1, 1), (1, 1, 2), 1),
    ((1, 4, 5, 6, 7), (2, 2, 2, 3, 2), (1, 0, 2), (1, 2, 1), (1, 1, 2), 2),
]


@pytest.mark.parametrize("ishp,kshp,mode,sub,dil,groups", CASES)
def test_forward_matches_definition_and_grad(ishp, kshp, mode, sub, dil, groups):
    x, w = T.tensor5("x"), T.tensor5("w")
    op = Corr3dMM(mode, sub, dil, num_groups=groups)
    out = op(x, w)
    xv, wv = randn(*ishp), randn(*kshp, seed=1)
    assert_close(pytheano.function([x, w], out)(xv, wv),
                 reference_corr(xv, wv, mode, sub, dil, groups))
    check_infer_shape([out], [x, w], [xv, wv])
    check_grad(op, [xv, wv])


def test_gradient_ops():
    mode, sub, dil = (1, 0, 1), (2, 1, 1), (1, 2, 1)
    xv, wv = randn(2, 2, 6, 5, 4), randn(3, 2, 2, 2, 3, seed=1)
    topv = randn(*reference_corr(xv, wv, mode, sub, dil).shape, seed=2)
    x, w, top = T.tensor5("x"), T.tensor5("w"), T.tensor5("top")
    gw = Corr3dMM_gradWeights(mode, sub, dil)(x, top, wv.shape[2:])
    gx = Corr3dMM_gradInputs(mode, sub, dil)(w, top, xv.shape[2:])
    got = pytheano.function([x, w, top], [gx, gw])(xv, wv, topv)
    forward = np.sum(reference_corr(xv, wv, mode, sub, dil) * topv)
    assert_close(np.sum(got[0] * xv), forward)
    assert_close(np.sum(got[1] * wv), forward)
    check_infer_shape([gx, gw], [x, w, top], [xv, wv, topv])
    # without the optional shape input (no subsampling): inferred from the others
    gw2 = Corr3dMM_gradWeights(mode)(x, top[:, :, ::1])
    topv1 = randn(*reference_corr(xv, wv, mode).shape, seed=3)
    assert_close(pytheano.function([x, top], gw2)(xv, topv1),
                 pytheano.function([x, top], Corr3dMM_gradWeights(mode)(
                     x, top, wv.shape[2:]))(xv, topv1))


def test_props_and_errors():
    assert Corr3dMM(1).border_mode == (1, 1, 1)
    assert str(Corr3dMM()) == "Corr3dMM{valid, (1, 1, 1), (1, 1, 1), 1}"
    assert Corr3dMM("full").pad == (-2, -2, -2)
    assert not hasattr(Corr3dMM(), "unshared")
    with pytest.raises(ValueError, match="tuple of three"):
        Corr3dMM((1, 1))
    with pytest.raises(ValueError, match="subsample must have three elements"):
        Corr3dMM("valid", (1, 1))
    with pytest.raises(TypeError, match="img must be 5D tensor"):
        Corr3dMM()(T.tensor4(), T.tensor5())
