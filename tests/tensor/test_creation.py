"""Tensor creation (pytheano/tensor/creation.py): Alloc, zeros/ones, fill, zeros_like,
Eye/identity_like, Tri, ARange, mgrid/ogrid, tile."""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import pytheano
import pytheano.tensor as T
from pytheano.tensor.creation import Alloc, AllocEmpty, ARange, Eye
from tests.helpers import ALL_DTYPES, check_grad, check_op, random_value, tensor_var

shapes = array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)
dtypes = st.sampled_from(ALL_DTYPES)


# --------------------------------------------------------------------------- seeds

def test_seed_zeros_identity_like_arange():
    pytheano.config.floatX = "float64"
    a = T.zeros((2, 3))
    out = a.eval()
    np.testing.assert_array_equal(out, np.zeros((2, 3)))
    assert out.dtype == np.float64
    b = T.identity_like(a)
    out = b.eval()
    np.testing.assert_array_equal(out, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    assert out.dtype == np.float64
    c = T.arange(10)
    out = c.eval()
    np.testing.assert_array_equal(out, np.arange(10))
    assert out.dtype == np.int64
    assert c.ndim == 1
    assert c.dtype == "int64"
    assert str(c.type) == "TensorType(int64, vector)"
    assert repr(c.type) == "TensorType(int64, vector)"


def test_seed_zeros_follow_floatx():
    pytheano.config.floatX = "float32"
    assert T.zeros((2, 3)).eval().dtype == np.float32
    assert T.ones((2,)).dtype == "float32"
    assert T.eye(2).dtype == "float32"


# --------------------------------------------------------------------------- Alloc

@given(shapes, dtypes, st.data())
def test_alloc_broadcasts_value(shape, dtype, data):
    vshape = shape[data.draw(st.integers(0, len(shape))):]
    vshape = tuple(1 if data.draw(st.booleans()) else s for s in vshape)
    v = tensor_var(vshape, dtype)
    value = random_value(vshape, dtype)
    out = check_op(lambda a: T.alloc(a, *shape), [v], [value],
                   lambda a: np.broadcast_to(a, shape).copy())
    assert out.flags.writeable


def test_alloc_symbolic_shape():
    v = T.vector()
    i = T.iscalar()
    check_op(lambda a, n: T.alloc(a, n, 3), [v, i], [np.arange(3.0), 4],
             lambda a, n: np.broadcast_to(a, (n, 3)).copy())


def test_alloc_types_and_str():
    x = T.matrix()
    out = T.alloc(0.0, 2, 3)
    assert str(out.owner.op) == "Alloc"
    assert out.type == T.TensorType("float32", (False, False))
    assert T.alloc(x, 2, 1, 3).broadcastable == (False, True, False)
    assert T.alloc(T.vector(), T.iscalar(), 3).type == T.TensorType("float64", (False, False))
    assert Alloc() == Alloc() and hash(Alloc()) == hash(Alloc())


def test_alloc_errors():
    x = T.matrix()
    with pytest.raises(TypeError, match="more dimensions"):
        T.alloc(x, 3)
    with pytest.raises(TypeError, match="must be integers, but argument 0"):
        T.alloc(1.0, 2.0)
    with pytest.raises(TypeError, match="must be a scalar"):
        T.alloc(1.0, T.lvector())
    f = pytheano.function([x], T.alloc(x, 3, 4, 5))
    with pytest.raises(ValueError, match="broadcast"):
        f(np.ones((2, 3)))


def test_alloc_grad():
    check_grad(lambda a: T.alloc(a, 3, 2), [np.array([1.0, 2.0])])
    check_grad(lambda a: T.alloc(a, 2, 4, 3), [np.arange(3.0).reshape(1, 3)])
    check_grad(lambda a: T.alloc(a, 4), [np.array(2.5)])


def test_alloc_empty():
    i = T.iscalar()
    out = AllocEmpty("float32")(i, 3)
    assert out.type == T.TensorType("float32", (False, False))
    assert str(out.owner.op) == "AllocEmpty{dtype='float32'}"
    value = pytheano.function([i], out)(2)
    assert value.shape == (2, 3) and value.dtype == np.float32


# --------------------------------------------------------------------------- zeros / ones

@given(shapes, dtypes)
def test_zeros_ones_match_numpy(shape, dtype):
    check_op(lambda: T.zeros(shape, dtype=dtype), [], [], lambda: np.zeros(shape, dtype))
    check_op(lambda: T.ones(shape, dtype=dtype), [], [], lambda: np.ones(shape, dtype))


def test_zeros_argument_forms():
    pytheano.config.floatX = "float64"
    assert T.zeros(3).type == T.TensorType("float64", (False,))
    assert T.ones([]).type == T.TensorType("float64", ())
    i = T.iscalar()
    assert T.zeros((i, 1)).type == T.TensorType("float64", (False, True))
    assert T.ones((2, 3), dtype="int32").type == T.TensorType("int32", (False, False))
    v = T.vector()
    z = T.zeros(v.shape)
    assert z.type == T.TensorType("float64", (False,))
    np.testing.assert_array_equal(z.eval({v: np.ones(4)}), np.zeros(4))
    with pytest.raises(TypeError, match="must be integers"):
        T.zeros((2, 3.0))


# --------------------------------------------------------------------------- fill & *_like

@given(shapes, dtypes, dtypes)
def test_zeros_like_ones_like(shape, dtype, dtype2):
    x = tensor_var(shape, dtype)
    value = random_value(shape, dtype)
    check_op(T.zeros_like, [x], [value], np.zeros_like)
    check_op(T.ones_like, [x], [value], np.ones_like)
    check_op(lambda a: T.zeros_like(a, dtype=dtype2), [x], [value],
             lambda a: np.zeros_like(a, dtype=dtype2))
    check_op(lambda a: a.ones_like(dtype=dtype2), [x], [value],
             lambda a: np.ones_like(a, dtype=dtype2))


def test_like_str_and_floatx():
    x = T.matrix()
    z = T.zeros_like(x)
    assert str(z.owner.op) == "Elemwise{second,no_inplace}"
    assert T.zeros_like(x, dtype="floatX").dtype == pytheano.config.floatX
    assert T.zeros_like(T.bvector()).type == T.TensorType("int8", (False,))
    assert T.zeros_like(x, opt=True).owner is not None
    assert T.zeros_like(T.dscalar(), opt=True).owner is None


@given(shapes, dtypes)
def test_fill_matches_numpy(shape, dtype):
    x = tensor_var(shape, "float32")
    v = T.TensorType(dtype, ())()
    value = random_value((), dtype)
    check_op(T.fill, [x, v], [random_value(shape, "float32"), value],
             lambda a, b: np.full(a.shape, b, dtype=dtype))


def test_fill_types():
    x = T.matrix()
    out = T.fill(x, 3)
    assert str(out.owner.op) == "Elemwise{second,no_inplace}"
    assert out.type == T.TensorType("int8", (False, False))
    assert T.second(x, T.vector()).type == T.TensorType("float64", (False, False))
    assert str(x.fill(2.5).owner.op) == "Elemwise{second,no_inplace}"


def test_fill_grad():
    check_grad(lambda a, b: T.fill(a, b) * a, [np.arange(6.0).reshape(2, 3), np.array(1.5)])


# --------------------------------------------------------------------------- Eye / Tri

@given(st.integers(0, 5), st.integers(0, 5), st.integers(-5, 5), dtypes)
def test_eye_matches_numpy(n, m, k, dtype):
    i, j, kk = T.iscalar(), T.lscalar(), T.bscalar()
    check_op(lambda a, b, c: T.eye(a, b, c, dtype=dtype), [i, j, kk], [n, m, k],
             lambda a, b, c: np.eye(a, b, c, dtype=dtype))
    check_op(lambda a, b, c: T.tri(a, b, c, dtype=dtype), [i, j, kk], [n, m, k],
             lambda a, b, c: np.tri(a, b, c, dtype=dtype))


def test_eye_str_and_errors():
    pytheano.config.floatX = "float64"
    assert str(T.eye(3).owner.op) == "Eye{dtype='float64'}"
    assert str(T.eye(T.iscalar(), dtype="int8").owner.op) == "Eye{dtype='int8'}"
    np.testing.assert_array_equal(T.eye(2, 3, 1).eval(), np.eye(2, 3, 1))
    assert Eye("int8") == Eye("int8") and Eye("int8") != Eye("int16")
    with pytest.raises(TypeError, match="n must be an integer scalar"):
        T.eye(2.5)
    with pytest.raises(TypeError, match="k must be an integer scalar"):
        T.eye(2, 2, T.lvector())


@given(array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=5), dtypes)
def test_identity_like(shape, dtype):
    x = tensor_var(shape, dtype)
    check_op(T.identity_like, [x], [random_value(shape, dtype)],
             lambda a: np.eye(*a.shape, dtype=a.dtype))


@given(array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=5), st.integers(-3, 3))
def test_tril_triu(shape, k):
    x = tensor_var(shape, "float64")
    value = random_value(shape, "float64")
    check_op(lambda a: T.tril(a, k), [x], [value], lambda a: np.tril(a, k))
    check_op(lambda a: T.triu(a, k), [x], [value], lambda a: np.triu(a, k))


# --------------------------------------------------------------------------- ARange

def test_arange_dtype_rules():
    pytheano.config.floatX = "float64"
    cases = [
        (lambda: T.arange(10), "int64"),
        (lambda: T.arange(T.iscalar()), "int64"),
        (lambda: T.arange(T.bscalar()), "int64"),
        (lambda: T.arange(2.5), "float32"),
        (lambda: T.arange(1, 10, 2), "int64"),
        (lambda: T.arange(T.iscalar(), T.lscalar()), "int64"),
        (lambda: T.arange(0.0, 1.0, 0.1), "float64"),
        (lambda: T.arange(T.fscalar()), "float32"),
        (lambda: T.arange(T.TensorType("uint8", ())()), "int64"),
        (lambda: T.arange(*[T.TensorType("uint8", ())() for _ in range(3)]), "uint64"),
    ]
    for build, dtype in cases:
        out = build()
        assert str(out.owner.op) == "ARange{dtype='%s'}" % dtype
        assert out.type == T.TensorType(dtype, (False,))
    assert T.arange(10).owner.op is T.arange(3).owner.op


def test_arange_numpy_cast_policy():
    pytheano.config.cast_policy = "numpy+floatX"
    pytheano.config.floatX = "float32"
    assert T.arange(T.fscalar(), 3).dtype == "float32"
    assert T.arange(T.iscalar(), 3.5).dtype == "float32"
    assert T.arange(T.dscalar()).dtype == "float64"


@given(st.integers(-6, 6), st.integers(-6, 6), st.integers(-3, 3).filter(bool),
       st.sampled_from(["int8", "int32", "int64"]))
def test_arange_int_matches_numpy(start, stop, step, dtype):
    a, b, c = (T.TensorType(dtype, ())() for _ in range(3))
    check_op(lambda x, y, z: T.arange(x, y, z), [a, b, c],
             [np.asarray(start, dtype), np.asarray(stop, dtype), np.asarray(step, dtype)],
             lambda x, y, z: np.arange(x, y, z, dtype="int64"))
    check_op(lambda y: T.arange(y), [b], [np.asarray(stop, dtype)],
             lambda y: np.arange(y, dtype="int64"))
    check_op(lambda x, y: T.arange(x, y), [a, b],
             [np.asarray(start, dtype), np.asarray(stop, dtype)],
             lambda x, y: np.arange(x, y, dtype="int64"))


@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(0.25, 2) | st.floats(-2, -0.25))
def test_arange_float_matches_numpy(start, stop, step):
    a, b, c = T.dscalars(3)
    check_op(lambda x, y, z: T.arange(x, y, z), [a, b, c], [start, stop, step],
             lambda x, y, z: np.arange(x, y, z))


def test_arange_constant_values_and_errors():
    np.testing.assert_array_equal(T.arange(5, 1).eval(), np.arange(5, 1))
    np.testing.assert_allclose(T.arange(0, 1, 0.3).eval(), np.arange(0, 1, 0.3))
    i = T.iscalar()
    f = pytheano.function([i], T.arange(0, 5, i))
    with pytest.raises(ValueError, match="step must not be zero"):
        f(0)
    with pytest.raises(ValueError, match="step must not be zero"):
        T.arange(0, 5, 0)
    # The length of a constant range is computed, not the range itself.
    big = T.arange(10 ** 12)
    assert big.owner.op.infer_shape(None, big.owner, [(), (), ()]) == [(10 ** 12,)]
    with pytest.raises(TypeError, match="stop must be a scalar"):
        T.arange(T.vector())
    assert ARange("int64") == ARange("int64")


def test_arange_grad():
    check_grad(lambda a, b: T.arange(a, 3.0, b).sum() * 1.0, [np.array(0.5), np.array(0.7)])
    a = T.dscalar()
    out = T.arange(a, 3.0, 0.5)
    gradient = pytest.importorskip("pytheano.gradient")
    g = gradient.grad((out ** 2).sum(), a)
    f = pytheano.function([a], g)
    np.testing.assert_allclose(f(0.25), 2 * np.arange(0.25, 3.0, 0.5).sum())


# --------------------------------------------------------------------------- grids

def test_mgrid_ogrid_like_numpy():
    grids = T.mgrid[0:5, 0:3]
    assert len(grids) == 2
    assert [g.type for g in grids] == [T.TensorType("int64", (False, False))] * 2
    assert str(grids[0].owner.op) == "Elemwise{mul,no_inplace}"
    for got, want in zip(grids, np.mgrid[0:5, 0:3]):
        out = got.eval()
        np.testing.assert_array_equal(out, want)
        assert out.dtype == np.int64
    open_grids = T.ogrid[0:5, 0:3]
    assert [g.broadcastable for g in open_grids] == [(False, True), (True, False)]
    for got, want in zip(open_grids, np.ogrid[0:5, 0:3]):
        np.testing.assert_array_equal(got.eval(), want)
    np.testing.assert_allclose(T.mgrid[0:1:0.25].eval(), np.mgrid[0:1:0.25])
    for got, want in zip(T.mgrid[1:7:2, 0:1:0.5, 3:0:-1], np.mgrid[1:7:2, 0:1:0.5, 3:0:-1]):
        np.testing.assert_allclose(got.eval(), want)
    # Symbolic bounds (Theano's TestNdGrid): no truth test on a variable.
    i, j, k = T.dscalars("i", "j", "k")
    f = pytheano.function([i, j, k], T.mgrid[i:1:.1, 1:j:1., 10:100:k] + T.ogrid[i:1:.1, 1:j])
    got = f(0, 10, 10.0)
    want = list(np.mgrid[0:1:.1, 1:10:1., 10:100:10.]) + list(np.ogrid[0:1:.1, 1:10])
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w)


def test_mgrid_symbolic_bounds():
    n = T.iscalar()
    grids = T.mgrid[0:n, 1:3]
    f = pytheano.function([n], grids)
    for got, want in zip(f(4), np.mgrid[0:4, 1:3]):
        np.testing.assert_array_equal(got, want)


# --------------------------------------------------------------------------- tile

@given(array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3),
       st.lists(st.integers(0, 3), min_size=1, max_size=4), dtypes)
def test_tile_matches_numpy(shape, reps, dtype):
    x = tensor_var(shape, dtype)
    check_op(lambda a: T.tile(a, reps), [x], [random_value(shape, dtype)],
             lambda a: np.tile(a, reps))


def test_tile_forms_and_errors():
    v = T.vector()
    assert str(T.tile(v, 3).owner.op) == "Reshape{1}"
    assert str(T.tile(T.matrix(), (2, 2)).owner.op) == "Reshape{2}"
    i = T.iscalar()
    check_op(lambda a, r: T.tile(a, r), [v, i], [np.arange(3.0), 2],
             lambda a, r: np.tile(a, r))
    check_op(lambda a, r: T.tile(a, [r, 2], ndim=3), [v, i], [np.arange(3.0), 2],
             lambda a, r: np.tile(a, (1, r, 2)))
    with pytest.raises(ValueError, match="ndim should be equal or larger"):
        T.tile(T.matrix(), 2, ndim=1)
    with pytest.raises(ValueError, match="integer dtype"):
        T.tile(v, 2.5)
    with pytest.raises(ValueError, match="if reps is tensor.vector, you should specify the ndim"):
        T.tile(v, T.lvector())


@given(array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3), st.integers(0, 2),
       st.lists(st.integers(0, 3), min_size=0, max_size=4))
def test_tile_symbolic_reps_vector(shape, extra, reps):
    """A reps vector of unknown length with ndim given (Theano's test_tile): padded with 1s
    on the left up to ndim; longer than ndim fails at run time."""
    ndim = len(shape) + extra
    assume(ndim > 0)  # a 0-d result reads no reps
    x, r = tensor_var(shape, "float64"), T.lvector("r")
    f = pytheano.function([x, r], T.tile(x, r, ndim))
    a = random_value(shape, "float64")
    if len(reps) > ndim:
        with pytest.raises(AssertionError):
            f(a, reps)
    else:
        expected = np.tile(a.reshape((1,) * extra + a.shape), [1] * (ndim - len(reps)) + reps)
        np.testing.assert_array_equal(f(a, reps), expected)


def test_tile_grad():
    check_grad(lambda a: T.tile(a, (2, 3)), [np.arange(6.0).reshape(2, 3)])


def test_alloc_rop_and_constant_shape_vector():
    gradient = pytest.importorskip("pytheano.gradient")
    x, ev = T.vector(), T.vector()
    y = T.alloc(x, 2, 3)
    f = pytheano.function([x, ev], gradient.Rop(y, x, ev), on_unused_input="ignore")
    np.testing.assert_allclose(f(np.ones(3), np.arange(3.0)), np.tile(np.arange(3.0), (2, 1)))
    z = T.zeros(T.constant([2, 3]))
    np.testing.assert_array_equal(z.eval(), np.zeros((2, 3)))


def test_deprecated_tile_op():
    x = T.dmatrix("x")
    with pytest.warns(UserWarning, match="Tile op is deprecated"):
        out = T.Tile(2)(x, [2, 1])
    assert str(out.owner.op) == "Tile{ndim=2}"
    a = np.arange(4.0).reshape(2, 2)
    np.testing.assert_array_equal(pytheano.function([x], out)(a), np.tile(a, [2, 1]))
