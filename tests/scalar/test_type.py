"""Tests of pytheano/scalar/type.py: numpy promotion (upcast), the output-type rules, ScalarType
constants and as_scalar with its converter registry."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.scalar import basic as S
from pytheano.scalar import type as ST


# --------------------------------------------------------------------------- upcast and rules

@pytest.mark.parametrize("dtypes,expected", [
    (("int8", "uint8"), "int16"),
    (("int32", "float32"), "float64"),
    (("int16", "float32"), "float32"),
    (("int8", "float16"), "float16"),
    (("uint64", "int64"), "float64"),
    (("bool", "bool"), "bool"),
    (("bool", "int8"), "int8"),
    (("float32", "complex64"), "complex64"),
    (("float64", "complex64"), "complex128"),
    (("int64", "complex64"), "complex128"),
])
def test_upcast(dtypes, expected):
    assert S.upcast(*dtypes) == expected


def test_upcast_numpy_floatx_policy_keeps_float32():
    pytheano.config.floatX = "float32"
    pytheano.config.cast_policy = "numpy+floatX"
    assert S.upcast("int32", "float32") == "float32"
    # An explicit float64 wins.
    assert S.upcast("float64", "float32") == "float64"


@pytest.mark.parametrize("floatX", ["float32", "float64"])
def test_autocast_numpy_floatx_policy_follows_numpy(floatX):
    """Theano's test_autocast: under numpy+floatX a Python int takes numpy's dtype (int64),
    a Python float takes floatX; the default policy picks the smallest int dtype."""
    pytheano.config.floatX = floatX
    values = [0, 1, -1, 127, 128, -129, 2 ** 31, 2 ** 63 - 1, -2 ** 63]
    pytheano.config.cast_policy = "numpy+floatX"
    for x in values:
        assert T.constant(x).dtype == np.asarray(x).dtype
    assert T.constant(1.5).dtype == floatX
    assert T.constant(np.float64(1.5)).dtype == "float64"
    pytheano.config.cast_policy = "custom"
    assert [T.constant(x).dtype for x in values] == [
        "int8", "int8", "int8", "int8", "int16", "int16", "int64", "int64", "int64"]


@pytest.mark.parametrize("dtype,expected", [
    ("bool", "float32"), ("int8", "float32"), ("uint8", "float32"), ("int16", "float32"),
    ("uint16", "float32"), ("int32", "float64"), ("uint32", "float64"), ("int64", "float64"),
    ("uint64", "float64"), ("float16", "float16"), ("float32", "float32"),
    ("float64", "float64"), ("complex64", "complex64"),
])
def test_upgrade_to_float(dtype, expected):
    assert S.upgrade_to_float(S.get_scalar_type(dtype))[0].dtype == expected


def test_transfer_type_and_specific_out():
    assert S.transfer_type(1)(S.int8, S.float32) == (S.float32,)
    assert S.transfer_type(None, "int64", 0)(S.int8, S.float32) == (
        S.float32, S.int64, S.int8)
    assert S.transfer_type(0) == S.transfer_type(0)
    assert hash(S.transfer_type(0)) == hash(S.transfer_type(0))
    assert S.transfer_type(0) != S.transfer_type(1)
    assert S.specific_out(S.float64)() == (S.float64,)
    with pytest.raises(TypeError):
        S.transfer_type(1.5)


def test_as_scalar_and_constant():
    c = S.constant(0.5)
    assert c.type.dtype == "float32" and c.data == 0.5
    assert S.as_scalar(3).type.dtype == "int8"
    with pytest.raises(TypeError, match="Cannot convert"):
        S.as_scalar("a")
    nan = S.constant(np.float64("nan"))
    assert nan.type.dtype == "float64" and np.isnan(nan.data)


def test_as_scalar_of_a_0d_tensor_goes_through_the_registered_converter():
    x = T.dscalar("x")
    s = S.as_scalar(x)
    assert isinstance(s.type, S.ScalarType) and s.type.dtype == "float64"
    assert type(s.owner.op).__name__ == "ScalarFromTensor"
    assert any(cls is T.TensorType for cls, _ in ST._scalar_converters)
    with pytest.raises(TypeError, match="it has 1 dimensions"):
        S.as_scalar(T.dvector())


def test_basic_reexports_the_type_layer():
    for name in ("ScalarType", "upcast", "convert", "get_scalar_type", "upcast_out",
                 "transfer_type", "float64", "bool", "as_scalar", "constant"):
        assert getattr(S, name) is getattr(ST, name), name
