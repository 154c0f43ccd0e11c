"""Tests of pytheano.tensor.nnet.corr (CorrMM and its gradients): values against a direct
loop, shapes, gradients (first and second order), unshared and grouped filters, errors."""
import itertools

import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.tensor.nnet.corr import CorrMM, CorrMM_gradInputs, CorrMM_gradWeights
from tests.helpers import assert_close, check_grad, check_infer_shape


def _pads(border_mode, dil_k):
    if border_mode == "valid":
        return [(0, 0)] * len(dil_k)
    if border_mode == "full":
        return [(k - 1, k - 1) for k in dil_k]
    if border_mode == "half":
        return [(k // 2, k // 2) for k in dil_k]
    if isinstance(border_mode, int):
        return [(border_mode, border_mode)] * len(dil_k)
    return [m if isinstance(m, tuple) else (m, m) for m in border_mode]


def reference_corr(img, kern, border_mode="valid", subsample=None, dilation=None,
                   num_groups=1, unshared=False):
    """Cross-correlation by its definition: one sum per output element."""
    nd = img.ndim - 2
    subsample = subsample or (1,) * nd
    dilation = dilation or (1,) * nd
    ksp = kern.shape[-nd:]
    dil_k = [(k - 1) * d + 1 for k, d in zip(ksp, dilation)]
    img = np.pad(img, [(0, 0), (0, 0)] + _pads(border_mode, dil_k))
    out_sp = [(i - k) // s + 1 for i, k, s in zip(img.shape[2:], dil_k, subsample)]
    cpg = img.shape[1] // num_groups
    kpg = kern.shape[0] // num_groups
    out = np.zeros((img.shape[0], kern.shape[0]) + tuple(out_sp))
    for b, k in itertools.product(range(img.shape[0]), range(kern.shape[0])):
        grp = k // kpg
        for pos in itertools.product(*(range(o) for o in out_sp)):
            sl = tuple(slice(p * s, p * s + dk, d)
                       for p, s, dk, d in zip(pos, subsample, dil_k, dilation))
            patch = img[(b, slice(grp * cpg, (grp + 1) * cpg)) + sl]
            f = kern[(k,) + pos] if unshared else kern[k]
            out[(b, k) + pos] = np.sum(patch * f)
    return out


def randn(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


CASES = [
    # image, filters, border_mode, subsample, filter_dilation, num_groups
    ((2, 3, 6, 5), (4, 3, 3, 2), "valid", (1, 1), (1, 1), 1),
    ((1, 2, 5, 5), (3, 2, 3, 3), "full", (1, 1), (1, 1), 1),
    ((2, 1, 6, 7), (2, 1, 3, 4), "half", (1, 1), (1, 1), 1),
    ((1, 2, 7, 6), (2, 2, 3, 3), 1, (2, 2), (1, 1), 1),
    ((1, 2, 8, 8), (2, 2, 2, 3), ((1, 2), (0, 1)), (1, 2), (1, 1), 1),
    ((2, 2, 9, 8), (3, 2, 3, 2), "valid", (1, 2), (2, 3), 1),
    ((1, 2, 7, 7), (2, 2, 3, 3), "half", (2, 1), (2, 2), 1),
    ((2, 4, 6, 6), (6, 2, 3, 3), (1, 1), (1, 1), (1, 1), 2),
]


def _grad_fn(op, bottom, weights, top):
    gx, gw = pytheano.grad(None, [bottom, weights], known_grads={op(bottom, weights): top})
    return pytheano.function([bottom, weights, top], [gx, gw])


@pytest.mark.parametrize("ishp,kshp,mode,sub,dil,groups", CASES)
def test_forward_matches_definition(ishp, kshp, mode, sub, dil, groups):
    x, w = T.tensor4("x"), T.tensor4("w")
    op = CorrMM(mode, sub, dil, groups)
    out = op(x, w)
    xv, wv = randn(*ishp), randn(*kshp, seed=1)
    assert_close(pytheano.function([x, w], out)(xv, wv),
                 reference_corr(xv, wv, mode, sub, dil, groups))
    check_infer_shape([out], [x, w], [xv, wv])


@pytest.mark.parametrize("ishp,kshp,mode,sub,dil,groups", CASES[:3] + CASES[5:])
def test_gradients(ishp, kshp, mode, sub, dil, groups):
    op = CorrMM(mode, sub, dil, groups)
    check_grad(op, [randn(*ishp), randn(*kshp, seed=1)])


def test_gradient_ops_match_grad_and_second_order():
    ishp, kshp, mode, sub, dil = (2, 2, 7, 6), (3, 2, 3, 2), "half", (2, 1), (1, 2)
    xv, wv = randn(*ishp), randn(*kshp, seed=1)
    topv = randn(*reference_corr(xv, wv, mode, sub, dil).shape, seed=2)
    x, w, top = T.tensor4("x"), T.tensor4("w"), T.tensor4("top")
    gw = CorrMM_gradWeights(mode, sub, dil)(x, top, kshp[2:])
    gx = CorrMM_gradInputs(mode, sub, dil)(w, top, ishp[2:])
    got = pytheano.function([x, w, top], [gx, gw])(xv, wv, topv)
    want = _grad_fn(CorrMM(mode, sub, dil), x, w, top)(xv, wv, topv)
    for g, e in zip(got, want):
        assert_close(g, e)
    # the adjoint identity <corr(x, w), top> == <x, gradInputs(w, top)> == <w, gradW(x, top)>
    forward = np.sum(reference_corr(xv, wv, mode, sub, dil) * topv)
    assert_close(np.sum(got[0] * xv), forward)
    assert_close(np.sum(got[1] * wv), forward)
    check_infer_shape([gx, gw], [x, w, top], [xv, wv, topv])
    check_grad(lambda a, t: CorrMM_gradWeights(mode, sub, dil)(a, t, kshp[2:]), [xv, topv])
    check_grad(lambda k, t: CorrMM_gradInputs(mode, sub, dil)(k, t, ishp[2:]), [wv, topv])


@pytest.mark.parametrize("mode", ["valid", "full", (1, 2)])
def test_gradient_ops_infer_the_omitted_shape(mode):
    xv, wv = randn(2, 2, 6, 7), randn(3, 2, 3, 2, seed=1)
    topv = randn(*reference_corr(xv, wv, mode).shape, seed=2)
    x, w, top = T.tensor4("x"), T.tensor4("w"), T.tensor4("top")
    gw, gx = CorrMM_gradWeights(mode)(x, top), CorrMM_gradInputs(mode)(w, top)
    assert len(gw.owner.inputs) == 2
    got = pytheano.function([x, w, top], [gx, gw])(xv, wv, topv)
    want = _grad_fn(CorrMM(mode), x, w, top)(xv, wv, topv)
    for g, e in zip(got, want):
        assert_close(g, e)
    check_infer_shape([gx, gw], [x, w, top], [xv, wv, topv])


def test_unshared():
    x, w = T.tensor4("x"), T.TensorType("float64", (False,) * 6)("w")
    op = CorrMM("valid", (1, 2), (1, 1), 1, True)
    xv, wv = randn(2, 2, 5, 6), randn(3, 3, 3, 2, 3, 2, seed=1)
    out = op(x, w)
    assert_close(pytheano.function([x, w], out)(xv, wv),
                 reference_corr(xv, wv, "valid", (1, 2), unshared=True))
    check_infer_shape([out], [x, w], [xv, wv])
    check_grad(op, [xv, wv])
    with pytest.raises(ValueError, match="one filter per output position"):
        pytheano.function([x, w], out)(xv, randn(3, 2, 2, 2, 3, 2))


def test_props_str_and_dtype():
    op = CorrMM(2, (1, 1))
    assert op.border_mode == ((2, 2), (2, 2))
    assert op == CorrMM(((2, 2), 2)) and hash(op) == hash(CorrMM(((2, 2), 2)))
    assert str(CorrMM()) == "CorrMM{valid, (1, 1), (1, 1), 1 False}"
    assert CorrMM("half").pad == ((-1, -1), (-1, -1)) and CorrMM().direction == 0
    assert CorrMM_gradInputs().direction == 2
    out = CorrMM()(T.ftensor4(), T.dtensor4())
    assert out.dtype == "float64"


def test_errors():
    with pytest.raises(ValueError, match="invalid border_mode"):
        CorrMM(-1)
    with pytest.raises(ValueError, match="invalid border_mode"):
        CorrMM("same")
    with pytest.raises(ValueError, match="subsample must have two elements"):
        CorrMM("valid", (1, 1, 1))
    with pytest.raises(ValueError, match="Number of groups should be greater than 0"):
        CorrMM(num_groups=0)
    with pytest.raises(TypeError, match="img must be 4D tensor"):
        CorrMM()(T.matrix(), T.tensor4())
    with pytest.raises(TypeError, match="kern must be 6D tensor"):
        CorrMM(unshared=True)(T.tensor4(), T.tensor4())
    with pytest.raises(ValueError, match="shape must be given"):
        CorrMM_gradWeights("half")(T.tensor4(), T.tensor4())
    with pytest.raises(ValueError, match="shape must be given"):
        CorrMM_gradInputs("valid", (2, 1))(T.tensor4(), T.tensor4())
    x, w = T.tensor4(), T.tensor4()
    f = pytheano.function([x, w], CorrMM()(x, w))
    with pytest.raises(ValueError, match="channels"):
        f(randn(1, 2, 5, 5), randn(1, 3, 2, 2))
    with pytest.raises(ValueError, match="larger than the padded image"):
        f(randn(1, 2, 2, 2), randn(1, 2, 3, 3))


def test_matches_theano_corrmm():
    """Two of the cases recorded from Theano 1.0.5's CorrMM (its C code): grouped, 'half',
    subsampled and dilated; and unshared."""
    import json
    import pathlib

    recorded = json.loads((pathlib.Path(__file__).parent / "theano_conv_outputs.json")
                          .read_text())
    cases = [((2, 3, 7, 6), (4, 3, 3, 2), "valid", (1, 1), (1, 1), 1, False),
             ((2, 4, 7, 8), (4, 2, 3, 3), "half", (2, 1), (1, 2), 2, False),
             ((1, 2, 6, 6), (3, 2, 2, 3), ((1, 2), (0, 1)), (1, 2), (1, 1), 1, False),
             ((2, 2, 5, 5), (3, 4, 4, 2, 2, 2), "valid", (1, 1), (1, 1), 1, True)]
    rng = np.random.RandomState(0)  # the inputs Theano was given, drawn in the same order
    for i, (ishp, kshp, mode, sub, dil, groups, unshared) in enumerate(cases):
        op = CorrMM(mode, sub, dil, groups, unshared)
        xv, wv = rng.randn(*ishp), rng.randn(*kshp)
        x, w = T.tensor4(), T.TensorType("float64", (False,) * len(kshp))()
        y = op(x, w)
        topv = rng.randn(*pytheano.function([x, w], y.shape)(xv, wv))
        if i not in (1, 3):
            continue
        top = T.tensor4()
        got = [pytheano.function([x, w], y)(xv, wv)] + _grad_fn(op, x, w, top)(xv, wv, topv)
        for name, value in zip(("y", "gx", "gw"), got):
            assert_close(value, recorded["corrmm_case%d_%s" % (i, name)], rtol=1e-9,
                         atol=1e-9)
