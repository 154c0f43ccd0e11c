"""Constructors, constants and as_tensor_variable (pytheano/tensor/basic.py)."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T

KINDS = {"scalar": "scalar", "vector": "vector", "row": "row", "col": "col",
         "matrix": "matrix", "tensor3": "3D", "tensor4": "4D", "tensor5": "5D"}
PREFIX = {"b": "int8", "w": "int16", "i": "int32", "l": "int64", "f": "float32",
          "d": "float64", "c": "complex64", "z": "complex128"}


@pytest.mark.parametrize("kind", KINDS)
def test_generic_constructors_follow_floatx(kind):
    v = getattr(T, kind)("v")
    assert str(v.type) == "TensorType(float64, %s)" % KINDS[kind]
    assert v.name == "v"
    pytheano.config.floatX = "float32"
    assert str(getattr(T, kind)().type) == "TensorType(float32, %s)" % KINDS[kind]
    assert str(getattr(T, kind)(dtype="int16").type) == "TensorType(int16, %s)" % KINDS[kind]


@pytest.mark.parametrize("prefix", PREFIX)
@pytest.mark.parametrize("kind", KINDS)
def test_typed_constructors(prefix, kind):
    v = getattr(T, prefix + kind)()
    assert repr(v) == "<TensorType(%s, %s)>" % (PREFIX[prefix], KINDS[kind])
    pytheano.config.floatX = "float32"
    assert getattr(T, prefix + kind)().dtype == PREFIX[prefix]


def test_plural_constructors():
    x, y, z = T.matrices("x", "y", "z")
    assert [v.name for v in (x, y, z)] == ["x", "y", "z"]
    assert x.type == T.matrix().type
    a, b = T.ivectors("a", "b")
    assert a.dtype == "int32" and b.name == "b"
    assert len(T.dscalars(3)) == 3


def test_tensor_constructor():
    v = T.tensor("float32", (False, True), "q")
    assert str(v.type) == "TensorType(float32, col)" and v.name == "q"
    assert str(T.tensor(dtype="int8", broadcastable=(True, False, True)).type) == \
        "TensorType(int8, (True, False, True))"


@pytest.mark.parametrize("value,floatx,dtype", [
    (1, "float64", "int8"), (300, "float64", "int16"), (70000, "float64", "int32"),
    (2 ** 40, "float64", "int64"), (-1, "float64", "int8"), (True, "float64", "int8"),
    (1.5, "float64", "float32"), (0.1, "float64", "float64"), (1e300, "float64", "float64"),
    (0.1, "float32", "float32"), ([1, 2], "float64", "int64"), ([1.5, 2.5], "float64",
                                                                 "float64"),
    (np.float32(0.1), "float64", "float32"), (np.float64(0.1), "float32", "float64"),
])
def test_constant_autocast_matches_theano(value, floatx, dtype):
    pytheano.config.floatX = floatx
    assert T.constant(value).dtype == dtype


def test_constant_str():
    assert str(T.constant(1)) == "TensorConstant{1}"
    assert str(T.constant(1.5)) == "TensorConstant{1.5}"
    assert str(T.constant(np.arange(30))) == "TensorConstant{[ 0  1  2 .. 27 28 29]}"
    assert str(T.constant([1.0, 2.0])) == "TensorConstant{[1. 2.]}"
    assert str(T.constant(2, name="two")) == "two"


def test_constant_broadcastable_and_ndim():
    c = T.constant(np.zeros((1, 3)))
    assert c.broadcastable == (True, False)
    assert T.constant(5, ndim=2).broadcastable == (True, True)
    with pytest.raises(ValueError):
        T.constant(np.zeros((2, 2)), ndim=1)


def test_as_tensor_variable():
    assert str(T.as_tensor_variable([[1, 2], [3, 4]]).type) == "TensorType(int64, matrix)"
    assert str(T.as_tensor_variable(np.zeros((1, 3))).type) == "TensorType(float64, row)"
    x = T.dvector()
    assert T.as_tensor_variable(x) is x
    assert T.as_tensor_variable(x.owner or x) is x
    with pytest.raises(TypeError, match="Cannot convert"):
        T.as_tensor_variable(object())
    with pytest.raises(TypeError):
        T.as_tensor_variable("abc")


def test_get_scalar_constant_value():
    assert T.get_scalar_constant_value(T.constant(3)) == 3
    assert T.get_scalar_constant_value(np.array(2.5)) == 2.5
    with pytest.raises(T.EmptyConstantError):
        T.get_scalar_constant_value(np.array([]))
    with pytest.raises(T.NotScalarConstantError):
        T.get_scalar_constant_value(np.array([0, 1]))
    with pytest.raises(T.NotScalarConstantError):
        T.get_scalar_constant_value(T.dscalar())
    # Theano 1.0: through an Assert whose conditions are constants that hold, and through
    # constant indices into a constant of any rank.
    c = T.constant(2)
    assert T.get_scalar_constant_value(T.opt.Assert()(c, c > 1)) == 2
    with pytest.raises(T.NotScalarConstantError):
        T.get_scalar_constant_value(T.opt.Assert()(c, c > 2))
    m = np.arange(12.0).reshape(3, 4)
    assert T.get_scalar_constant_value(T.constant(m)[1, 2]) == m[1, 2]


def test_extract_constant_returns_a_copy_of_the_value_or_the_variable():
    c = T.constant(3)
    d = T.extract_constant(c)
    d += 1  # Theano: the constant's own storage is never handed out
    assert T.extract_constant(c) == 3 and isinstance(T.extract_constant(c), np.ndarray)
    x = T.dscalar("x")
    assert T.extract_constant(x) is x


def test_patternbroadcast_and_rebroadcast_runtime_check():
    x = T.dmatrix("x")
    y = T.addbroadcast(x, 0)
    assert y.broadcastable == (True, False)
    assert str(y.owner.op) == "Rebroadcast{1}"
    f = pytheano.function([x], y)
    assert f(np.ones((1, 3))).shape == (1, 3)
    with pytest.raises(ValueError, match="supposed to be 1"):
        f(np.ones((2, 3)))
    assert T.unbroadcast(y, 0).broadcastable == (False, False)
    assert T.patternbroadcast(x, (False, False)) is x


@pytest.mark.parametrize("bcast", [(False, False), (True, False), (True, True)])
def test_rebroadcast_folds_at_build_time(bcast):
    """Theano 1.0 folds consecutive Rebroadcasts and drops flags that change nothing when
    add/unbroadcast build them (its test_unbroadcast_addbroadcast): the result is the input
    itself when nothing is left, else one Rebroadcast of the input."""
    x = T.TensorType("float64", bcast)("x")
    for axes in [(0,), (1,), (0, 1), (1, 0)]:
        for outer, inner in [(T.unbroadcast, T.addbroadcast), (T.addbroadcast, T.unbroadcast),
                             (T.unbroadcast, T.unbroadcast), (T.addbroadcast, T.addbroadcast)]:
            y = outer(inner(x, *axes), *axes)
            want = list(bcast)
            for a in axes:
                want[a] = outer is T.addbroadcast
            assert y.broadcastable == tuple(want)
            if tuple(want) == bcast:
                assert y is x
            else:
                assert y.owner.inputs[0] is x and isinstance(y.owner.op, T.Rebroadcast)
    assert T.unbroadcast(x, -1).broadcastable == bcast[:1] + (False,)
    with pytest.raises(ValueError, match="non-existent dimension 2"):
        T.addbroadcast(x, 2)


def test_variable_attributes_and_python_protocols():
    x = T.dmatrix("x")
    assert x.ndim == 2 and x.dtype == "float64" and x.type == T.dmatrix().type
    assert x.broadcastable == (False, False)
    with pytest.raises(TypeError, match="boolean"):
        bool(x)
    with pytest.raises(TypeError, match="len"):
        len(x)
    with pytest.raises(TypeError, match="immutable"):
        x[0] = 1


def test_transfer_cpu_is_identity():
    x = T.matrix("x")
    assert x.transfer("cpu") is x


def test_scalar_tensor_roundtrip():
    x = T.dscalar("x")
    s = T.scalar_from_tensor(x)
    back = T.tensor_from_scalar(s)
    assert back.type == x.type
    assert pytheano.function([x], back)(2.5) == 2.5


@pytest.mark.parametrize("dtype", ["int8", "int64", "uint8", "float32", "float64"])
def test_tensor_from_scalar_grad(dtype):
    """An integer scalar gets a zero gradient in floatX (Theano 1.0.5 prints the same);
    a float one gets the output gradient back."""
    s = pytheano.scalar.get_scalar_type(dtype)("s")
    t = T.tensor_from_scalar(s)
    g = pytheano.grad((t * 3).sum(), s)
    value = pytheano.function([s], g)(5)
    if dtype.startswith("float"):
        assert g.type.dtype == dtype and value == 3
    else:
        assert g.type.dtype == pytheano.config.floatX and value == 0


def test_bool_literals_are_refused_with_a_hint():
    x = T.dvector("x")
    with pytest.raises(T.AsTensorError, match="use theano.tensor.eq"):
        T.as_tensor_variable(True)
    with pytest.raises(TypeError):
        x + True


def test_operator_errors_are_not_swallowed():
    # A TypeError from the op itself (not a conversion failure) reaches the user.
    x = T.dvector("x")
    with pytest.raises(TypeError) as info:
        x & T.dvector("y")
    assert "unsupported operand" not in str(info.value)


def test_warn_float64():
    pytheano.config.warn_float64 = "raise"
    try:
        T.fmatrix("f") * 2
        with pytest.raises(Exception, match="float64 dtype"):
            T.dmatrix("x")
        with pytest.raises(Exception, match="float64 dtype"):
            T.fmatrix("f") * T.constant(0.1, dtype="float64")
        pytheano.config.warn_float64 = "warn"
        with pytest.warns(UserWarning, match="float64 dtype"):
            T.dvector()
    finally:
        pytheano.config.warn_float64 = "ignore"


def test_allclose_tolerances_theano():
    # Recorded from Theano 1.0.5: float32 uses atol=rtol=1e-5, float64 atol=1e-8, rtol=1e-5.
    from pytheano.tensor.basic import _allclose

    assert not _allclose(np.float32(1), np.float32(1 + 2e-5))
    assert not _allclose(1.0, 1 + 2e-5)
    assert _allclose(1.0, 1 + 2e-6)
    assert _allclose(np.float16(1), np.float16(1.001))


def test_tensor_shared_is_tensor_constructor():
    import pytheano.tensor as TT

    assert str(TT._shared(np.ones((2, 1))).type) == "TensorType(float64, matrix)"
    assert TT.Tensor is TT.TensorType


def test_plural_constructors_split_one_string_as_theano():
    # Theano 1.0.5: T.matrices('xyz') -> [x, y, z]; T.matrices('x') -> x (not a list).
    xs = T.matrices("xyz")
    assert [v.name for v in xs] == ["x", "y", "z"]
    assert T.matrices("x").name == "x"
    assert [v.name for v in T.dvectors("a", "bc")] == ["a", "bc"]
    assert len(T.scalars(2)) == 2


def test_test_tolerances_are_module_globals_as_in_theano(monkeypatch):
    from pytheano.tensor import basic
    f32, f64 = np.float32(1), np.float64(1)
    assert basic._get_atol_rtol(f32, f64) == (basic.float32_atol, basic.float32_rtol)
    monkeypatch.setattr(basic, "float32_atol", 0.5)  # Theano's tests set them around a check
    assert basic._get_atol_rtol(f32, f64)[0] == 0.5
    assert basic._get_atol_rtol(f64, f64) == (basic.float64_atol, basic.float64_rtol)


def test_theano_basic_names_isnan_dot_is_flat():
    """Names Theano 1.0's tensor.basic holds: the raw isnan_/isinf_ Elemwise (on integers
    too, where isnan(x) is a constant False), the Dot instance _dot, is_flat."""
    for x in [T.matrix(), T.imatrix(), T.matrix(dtype="bool")]:
        for raw, fn, np_fn in [(T.isnan_, T.isnan, np.isnan), (T.isinf_, T.isinf, np.isinf)]:
            assert isinstance(fn(x).owner.op, T.Elemwise) == (x.dtype not in T.discrete_dtypes)
            y = raw(x)
            assert isinstance(y.owner.op, T.Elemwise) and y.dtype == "bool"
            value = np.array([[0, 1, 2]], dtype=x.dtype)
            np.testing.assert_array_equal(pytheano.function([x], y)(value), np_fn(value))
    assert T.basic.isnan_ is T.isnan_
    assert isinstance(T.basic._dot, T.Dot)
    with pytest.raises(TypeError):
        T.basic._dot(T.dscalar(), T.dvector())
    assert T.basic._dot(T.dmatrix(), T.dvector()).ndim == 1
    assert T.is_flat(T.vector()) and T.basic.is_flat is T.is_flat
    assert T.is_flat(T.tensor3(), ndim=3) and not T.is_flat(T.tensor3())
    assert T.is_flat(T.tensor4().reshape((T.iscalar(),) * 3), ndim=3)
    with pytest.warns(UserWarning, match="outdim parameter is deprecated"):
        assert T.is_flat(T.matrix(), outdim=2)
    with pytest.raises(ValueError, match="only specify ndim"):
        T.is_flat(T.matrix(), ndim=2, outdim=2)
