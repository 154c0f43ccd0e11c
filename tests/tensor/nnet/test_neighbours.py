"""Neighbourhoods (pytheano/tensor/nnet/neighbours.py): Images2Neibs / images2neibs,
neibs2images."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano.gradient import NullTypeGradError
from pytheano.tensor.nnet import neighbours
from pytheano.tensor.nnet.neighbours import Images2Neibs, images2neibs, neibs2images
from tests.helpers import check_grad, check_infer_shape

V = np.arange(2 * 1 * 5 * 6, dtype="float64").reshape(2, 1, 5, 6)


def _reference(ten4, shape, step, mode):
    """Theano's loop definition: pad (or wrap) the image, then take the patches in order."""
    c, d = shape
    sx, sy = step
    pad = {"half": (c // 2, d // 2), "full": (c - 1, d - 1)}.get(mode, (0, 0))
    img = np.pad(ten4, ((0, 0), (0, 0), (pad[0],) * 2, (pad[1],) * 2))
    height, width = ten4.shape[2:]
    if mode == "wrap_centered":
        starts_r = range(0, height, sx)
        starts_c = range(0, width, sy)
    else:
        starts_r = range(0, img.shape[2] - c + 1, sx)
        starts_c = range(0, img.shape[3] - d + 1, sy)
    rows = []
    for n in range(ten4.shape[0]):
        for s in range(ten4.shape[1]):
            for r in starts_r:
                for q in starts_c:
                    if mode == "wrap_centered":
                        ri = (np.arange(c) + r - c // 2) % height
                        ci = (np.arange(d) + q - d // 2) % width
                        rows.append(ten4[n, s][np.ix_(ri, ci)].ravel())
                    else:
                        rows.append(img[n, s, r:r + c, q:q + d].ravel())
    return np.array(rows, dtype=ten4.dtype).reshape(-1, c * d)


# (mode, neib_shape, neib_step, input) -> (shape, sum, sum(out * arange)) from Theano 1.0.5.
THEANO_CASES = [
    ("valid", (2, 3), None, V[:, :, :4], (8, 6), 1272.0, 40724.0),
    ("valid", (3, 2), (1, 2), V, (18, 6), 3186.0, 223722.0),
    ("ignore_borders", (2, 4), None, V, (4, 8), 816.0, 17488.0),
    ("ignore_borders", (2, 2), (3, 1), V, (20, 4), 2360.0, 125320.0),
    ("wrap_centered", (3, 3), None, V, (8, 9), 2268.0, 102468.0),
    ("wrap_centered", (3, 5), (2, 2), V, (18, 15), 7938.0, 1354176.0),
    ("half", (3, 3), (1, 1), V, (60, 9), 12272.0, 4346952.0),
    ("half", (2, 2), (1, 2), V, (48, 4), 3540.0, 448240.0),
    ("full", (2, 3), (1, 1), V, (96, 6), 10620.0, 4044510.0),
    ("full", (3, 2), (1, 2), V, (56, 6), 5310.0, 1169730.0),
]


@pytest.mark.parametrize("mode, shape, step, value, out_shape, total, weighted", THEANO_CASES)
def test_images2neibs_theano_values(mode, shape, step, value, out_shape, total, weighted):
    x = T.tensor4("x")
    y = images2neibs(x, shape, step, mode=mode)
    out = pytheano.function([x], y)(value)
    assert out.shape == out_shape
    assert out.sum() == total
    assert (out * np.arange(out.size).reshape(out.shape)).sum() == weighted
    np.testing.assert_array_equal(out, _reference(value, shape, step or shape, mode))
    check_infer_shape([y], [x], [value])


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["valid", "ignore_borders", "half", "full", "wrap_centered"]),
       st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3),
       st.integers(3, 7), st.integers(3, 7), st.sampled_from(["float32", "int16"]))
def test_images2neibs_matches_reference(mode, c, d, sx, sy, h, w, dtype):
    if mode == "wrap_centered":
        c, d = 2 * (c // 2) + 1, 2 * (d // 2) + 1
    extra = {"valid": (-c, -d), "half": (-(c % 2), -(d % 2)), "full": (c - 2, d - 2)}
    if mode in extra:  # sizes these modes accept: a whole number of steps
        h += (-(h + extra[mode][0])) % sx
        w += (-(w + extra[mode][1])) % sy
    value = np.arange(2 * 3 * h * w).reshape(2, 3, h, w).astype(dtype)
    x = T.tensor4(dtype=dtype)
    y = images2neibs(x, (c, d), (sx, sy), mode=mode)
    assert y.type == T.TensorType(dtype, (False, False))
    out = pytheano.function([x], y)(value)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, _reference(value, (c, d), (sx, sy), mode))
    check_infer_shape([y], [x], [value])


def test_images2neibs_symbolic_shape():
    x, shp, step = T.tensor4(), T.lvector(), T.lvector()
    y = images2neibs(x, shp, step)
    out = pytheano.function([x, shp, step], y)(V, [3, 2], [1, 2])
    np.testing.assert_array_equal(out, _reference(V, (3, 2), (1, 2), "valid"))
    check_infer_shape([y], [x, shp, step], [V, np.array([3, 2]), np.array([1, 2])])


def test_images2neibs_grad():
    rng = np.random.default_rng(0)
    value = rng.standard_normal((2, 2, 6, 4))
    check_grad(lambda a: images2neibs(a, (2, 2)), [value])
    check_grad(lambda a: images2neibs(a, (3, 2), (1, 2)), [value])  # overlapping patches
    check_grad(lambda a: images2neibs(a, (2, 3), mode="ignore_borders"), [value[:, :, :5]])
    x = T.tensor4("x")
    # Theano 1.0.5's values for sum(images2neibs(x) * arange).
    for shape, step, value, want in [((2, 3), None, V[:, :, :4], 35612.0),
                                     ((3, 2), (1, 2), V, 223722.0)]:
        y = images2neibs(x, shape, step)
        w = np.arange(np.prod(pytheano.function([x], y.shape)(value))).reshape(-1, np.prod(shape))
        g = pytheano.grad((y * w).sum(), x)
        gv = pytheano.function([x], g)(value)
        assert (gv * np.arange(gv.size).reshape(gv.shape)).sum() == want


@pytest.mark.parametrize("mode, step", [("half", None), ("full", None),
                                        ("wrap_centered", None), ("ignore_borders", (1, 1))])
def test_images2neibs_grad_not_implemented(mode, step):
    # Theano 1.0.5 has no gradient for these.
    x = T.tensor4("x")
    with pytest.raises(NullTypeGradError, match="grad method for input 0 .x. of the "
                                                "Images2Neibs{%s} op is not implemented" % mode):
        pytheano.grad(images2neibs(x, (3, 3), step, mode=mode).sum(), x)


def test_neibs2images():
    n = T.matrix()
    nv = np.arange(48.0).reshape(8, 6)
    # Theano 1.0.5's output and type.
    out = neibs2images(n, (2, 3), (2, 1, 4, 6))
    assert out.type == T.TensorType("float64", (False, True, False, False))
    got = pytheano.function([n], out)(nv)
    np.testing.assert_array_equal(got.ravel()[:12], [0, 1, 2, 6, 7, 8, 3, 4, 5, 9, 10, 11])
    # It inverts images2neibs.
    x = T.tensor4()
    img = np.arange(48.0).reshape(2, 1, 4, 6)
    back = neibs2images(images2neibs(x, (2, 3)), (2, 3), (2, 1, 4, 6))
    np.testing.assert_array_equal(pytheano.function([x], back)(img), img)
    pad = pytheano.function([n], neibs2images(n, (2, 3), (2, 1, 5, 7), mode="ignore_borders"))(nv)
    assert pad.shape == (2, 1, 5, 7)
    np.testing.assert_array_equal(pad.sum(axis=(0, 1))[0], [24, 26, 28, 36, 38, 40, 0])
    assert not pad[:, :, 4].any() and not pad[:, :, :, 6].any()
    check_grad(lambda a: neibs2images(a, (2, 3), (2, 1, 4, 6)), [nv])
    with pytest.raises(NotImplementedError, match="neibs2images do not support mode=half"):
        neibs2images(n, (2, 3), (2, 1, 4, 6), mode="half")


def test_images2neibs_errors():
    # Exception classes and messages from Theano 1.0.5.
    x = T.tensor4("x")
    cases = [(images2neibs(x, (2, 2)), TypeError,
              r"neib_shape\[0\]=2, neib_step\[0\]=2 and ten4.shape\[2\]=5 not consistent"),
             (images2neibs(x, (2, 2), mode="wrap_centered"), TypeError,
              "Images2Neibs: in mode wrap_centered need patch with odd shapes"),
             (images2neibs(x, (2, 2), (0, 1)), ValueError,
              r"neib_step wrong step ; values <= 0. Got \[0 1\]"),
             (images2neibs(x, (2, 3), (2, 1), mode="full"), TypeError,
              r"neib_shape\[0\]=2, neib_step\[0\]=2 and ten4.shape\[2\]=5 not consistent")]
    for y, exc, msg in cases:
        with pytest.raises(exc, match=msg):
            pytheano.function([x], y)(V)
    with pytest.raises(TypeError, match="Images2Neibs: in wrap_centered mode, don't support "
                                        "image shapes smaller then the patch shapes"):
        pytheano.function([x], images2neibs(x, (3, 3), mode="wrap_centered"))(V[:, :, :2])
    with pytest.raises(NotImplementedError, match="Only modes full, half, ignore_borders, "
                                                  "valid, wrap_centered have been implemented"):
        images2neibs(x, (2, 2), mode="foo")
    with pytest.raises(TypeError, match="4-d"):
        images2neibs(T.matrix(), (2, 2))


def test_images2neibs_op_identity_and_paths():
    assert str(Images2Neibs("half")) == "Images2Neibs{half}"
    assert Images2Neibs() == Images2Neibs("valid") != Images2Neibs("full")
    assert hash(Images2Neibs()) == hash(Images2Neibs("valid"))
    assert T.nnet.neighbours is neighbours
    import pytheano.tensor.nnet.neighbours as by_path  # Theano's import path

    assert by_path.images2neibs is images2neibs


def test_sandbox_path():
    from pytheano.sandbox import neighbours as old  # Theano 1.0's old path

    assert old.images2neibs is images2neibs and old.Images2Neibs is Images2Neibs
