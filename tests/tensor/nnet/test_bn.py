"""Batch normalization (pytheano/tensor/nnet/bn.py): batch_normalization,
batch_normalization_train, batch_normalization_test, against numpy and Theano's values."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.tensor.nnet import bn
from tests.helpers import assert_close, check_grad, check_infer_shape, check_op, randn


def _np_train(x, g, b, axes, eps, f=None, rm=None, rv=None):
    mean = x.mean(axes, keepdims=True)
    var = x.var(axes, keepdims=True)
    invstd = 1.0 / np.sqrt(var + eps)
    out = (x - mean) * (g * invstd) + b
    res = [out, mean, invstd]
    if rm is not None:
        m = float(np.prod([x.shape[a] for a in axes]))
        res += [rm * (1 - f) + mean * f, rv * (1 - f) + m / (m - 1) * var * f]
    return res


def test_module_importable_as_in_theano():
    from pytheano.tensor.nnet import bn as bn2

    assert bn2 is pytheano.tensor.nnet.bn
    assert pytheano.tensor.nnet.bn.batch_normalization_train is bn.batch_normalization_train


@pytest.mark.parametrize("mode", ["low_mem", "high_mem"])
def test_batch_normalization_formula(mode):
    x, g, b, m, s = T.dmatrix(), T.drow(), T.drow(), T.drow(), T.drow()
    vals = [randn(4, 3), randn(1, 3), randn(1, 3), randn(1, 3), np.abs(randn(1, 3)) + 0.5]
    check_op(lambda *a: bn.batch_normalization(*a, mode=mode), [x, g, b, m, s], vals,
             lambda x, g, b, m, s: (x - m) / s * g + b)
    check_grad(lambda *a: bn.batch_normalization(*a, mode=mode), vals)
    with pytest.raises(ValueError, match='mode must be either "low_mem", "high_mem"'):
        bn.batch_normalization(x, g, b, m, s, mode="fast")


def test_train_matches_theano_printed_values():
    # Values printed by Theano 1.0.5 for this RandomState(0) input.
    rng = np.random.RandomState(0)
    X = rng.randn(5, 3)
    G = rng.rand(3) + .5
    B = rng.randn(3)
    M = rng.randn(3)
    V = rng.rand(3) + .5
    x, g, b, m, s = T.matrix(), T.vector(), T.vector(), T.vector(), T.vector()
    r = bn.batch_normalization_train(x, g, b, running_mean=m, running_var=s, epsilon=1e-3,
                                     running_average_factor=0.3)
    out, mean, invstd, rm, rv = pytheano.function([x, g, b, m, s], list(r))(X, G, B, M, V)
    assert_close(out[0], [1.5128357606, -0.5124840051, 0.9775898374], atol=1e-9)
    assert_close(mean, [1.225334038, 0.4764153156, 0.3592755984], atol=1e-9)
    assert_close(invstd, [1.4803194383, 1.3930594666, 1.1793001488], atol=1e-9)
    assert_close(rm, [-0.3049280168, 0.4067734772, 0.1311899295], atol=1e-9)
    assert_close(rv, [0.8110160857, 0.7280516713, 1.1612274915], atol=1e-9)
    test_out = pytheano.function([x, g, b, m, s], bn.batch_normalization_test(x, g, b, m, s))(
        X, G, B, M, V)
    assert_close(test_out[0], [4.5461536825, -0.3399586845, 1.0803312803], atol=1e-9)


@pytest.mark.parametrize("axes,xshape,gshape", [
    ("per-activation", (5, 3), (3,)),
    ("per-activation", (5, 3), (1, 3)),
    ("spatial", (2, 3, 2, 2), (3,)),
    ("spatial", (2, 3, 2, 2), (1, 3, 1, 1)),
    ((0, 2), (3, 2, 4), (2,)),
    ((1,), (3, 4), (3,)),
])
def test_train_and_test_match_numpy(axes, xshape, gshape):
    ndim = len(xshape)
    ax = {"per-activation": (0,), "spatial": (0,) + tuple(range(2, ndim))}.get(axes, axes)
    full = tuple(1 if d in ax else n for d, n in enumerate(xshape))
    x = T.TensorType("float64", [False] * ndim)()
    ptype = T.TensorType("float64", [False] * len(gshape))
    if len(gshape) == ndim:
        ptype = T.TensorType("float64", [n == 1 for n in gshape])
    g, b, rm, rv = (ptype() for _ in range(4))
    vals = [randn(*xshape), randn(*gshape) + 2, randn(*gshape), randn(*gshape),
            np.abs(randn(*gshape)) + 0.5]

    def ref(xv, gv, bv, rmv, rvv):
        res = _np_train(xv, gv.reshape(full), bv.reshape(full), ax, 1e-4, 0.1,
                        rmv.reshape(full), rvv.reshape(full))
        return [res[0]] + [r.reshape(gshape) for r in res[1:]]

    outs = check_op(lambda *a: list(bn.batch_normalization_train(
        a[0], a[1], a[2], axes=axes, running_mean=a[3], running_var=a[4])),
        [x, g, b, rm, rv], vals, ref)
    assert [o.shape for o in outs[1:]] == [gshape] * 4
    check_op(lambda *a: list(bn.batch_normalization_train(a[0], a[1], a[2], axes=axes)),
             [x, g, b], vals[:3], lambda *v: ref(*v, vals[3], vals[4])[:3])
    check_op(lambda *a: bn.batch_normalization_test(*a, axes=axes), [x, g, b, rm, rv], vals,
             lambda xv, gv, bv, mv, vv: (xv - mv.reshape(full)) * gv.reshape(full)
             / np.sqrt(vv.reshape(full) + 1e-4) + bv.reshape(full))


def test_types_match_theano():
    x, g = T.matrix(), T.vector()
    r = bn.batch_normalization_train(x, g, g, running_mean=g, running_var=g)
    assert [str(v.type) for v in r] == ["TensorType(float64, matrix)"] + \
        ["TensorType(float64, vector)"] * 4
    g4 = T.tensor4()
    r = bn.batch_normalization_train(T.tensor4(), g4, g4, axes="spatial", running_mean=g4,
                                     running_var=g4)
    assert [v.broadcastable for v in r[1:]] == [(True, False, True, True)] * 4
    xf, gf = T.fmatrix(), T.fvector()
    r = bn.batch_normalization_train(xf, gf, gf, running_mean=gf, running_var=gf)
    assert [v.dtype for v in r] == ["float32"] * 5
    assert [v.dtype for v in bn.batch_normalization_train(xf, g, gf)] == ["float64"] * 3
    assert bn.batch_normalization_test(xf, gf, gf, gf, gf).dtype == "float32"


def test_float32_values():
    xf, gf = T.fmatrix(), T.fvector()
    X = randn(6, 2).astype("float32")
    G = np.ones(2, dtype="float32")
    r = bn.batch_normalization_train(xf, gf, gf, running_mean=gf, running_var=gf)
    got = pytheano.function([xf, gf], list(r))(X, G)
    want = _np_train(X.astype("float64"), G, G, (0,), 1e-4, 0.1, G, G)
    for a, e in zip(got, want):
        assert a.dtype == np.float32
        assert_close(a, e.reshape(a.shape), atol=1e-5, rtol=1e-5)


def test_gradients():
    x4 = randn(2, 3, 2, 2)
    check_grad(lambda x, g, b: bn.batch_normalization_train(x, g, b, axes="spatial")[0],
               [x4, randn(3) + 2, randn(3)])
    check_grad(lambda x, g, b: bn.batch_normalization_train(x, g, b)[0] ** 2,
               [randn(5, 3), randn(3) + 2, randn(3)])
    check_grad(lambda x, g, b, m, v: bn.batch_normalization_test(x, g, b, m, v),
               [randn(4, 3), randn(3), randn(3), randn(3), np.abs(randn(3)) + 0.5])


def test_infer_shape():
    x, g, b = T.tensor4(), T.vector(), T.vector()
    outs = bn.batch_normalization_train(x, g, b, axes="spatial", running_mean=g,
                                        running_var=b)
    check_infer_shape(list(outs), [x, g, b], [randn(2, 3, 2, 2), randn(3), np.ones(3)])


def test_errors_match_theano():
    x, g, b, m, s = T.matrix(), T.vector(), T.vector(), T.vector(), T.vector()
    cases = [
        (lambda: bn.batch_normalization_train(x, g, b, epsilon=1e-6),
         "epsilon must be at least 1e-5, got 1e-06"),
        (lambda: bn.batch_normalization_train(x, g, b, axes=()),
         "there should be at least one normalization axis"),
        (lambda: bn.batch_normalization_train(x, g, b, axes=(2,)),
         r"axes should be less than ndim \(<2\), but \(2,\) given"),
        (lambda: bn.batch_normalization_train(x, T.scalar(), b),
         "gamma and beta dimensionality must match the number of non-normalized axes, or "
         "have the same number of dimensions as the inputs; got 0 and 1 instead of 1"),
        (lambda: bn.batch_normalization_train(x, g, b, running_mean=m),
         "running_mean and running_var must either both be given or both be None"),
        (lambda: bn.batch_normalization_train(x, g, b, running_mean=T.scalar(),
                                              running_var=s),
         "running_mean must be of the same dimensionality as gamma and beta; got 0 instead "
         "of 1"),
        (lambda: bn.batch_normalization_test(x, g, b, T.scalar(), s),
         "mean and var must be of the same dimensionality as gamma and beta; got 0 and 1 "
         "instead of 1"),
    ]
    for build, message in cases:
        with pytest.raises(ValueError, match=message):
            build()
    with pytest.raises(ValueError) as info:
        bn.batch_normalization_train(x, g, b, axes="foo")
    assert str(info.value) == "('invalid axes: %s', 'foo')"
