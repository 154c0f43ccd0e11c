"""TypedListType (pytheano/typed_list/type.py)."""
import numpy as np
import pytest

import pytheano.tensor as T
from pytheano.typed_list import TypedListType

MATRIX = T.TensorType("float64", (False, False))


def test_type_identity_depth_and_str():
    t = TypedListType(MATRIX)
    assert t == TypedListType(MATRIX) and hash(t) == hash(TypedListType(MATRIX))
    assert t != TypedListType(T.TensorType("float64", ()))
    assert TypedListType(MATRIX, 2) == TypedListType(TypedListType(TypedListType(MATRIX)))
    assert TypedListType(MATRIX, 2).get_depth() == 2 and t.get_depth() == 0
    assert TypedListType(t) != TypedListType(TypedListType(t))
    assert str(t) == "TypedList <TensorType(float64, matrix)>"
    assert t.ndim == 3 and t.dtype == MATRIX
    with pytest.raises(TypeError, match="Expected a Theano Type"):
        TypedListType(None)
    with pytest.raises(ValueError, match="depth superior or equal to 0"):
        TypedListType(MATRIX, -1)


def test_filter():
    t = TypedListType(MATRIX)
    x = np.ones((2, 3))
    out = t.filter([x])
    assert isinstance(out, list) and out[0] is x
    # Elements are filtered by the element type: float32 values become float64 there.
    assert TypedListType(MATRIX).filter([x.astype("float32")])[0].dtype == "float64"
    nested = TypedListType(t).filter([[x]])
    np.testing.assert_array_equal(nested[0][0], x)
    with pytest.raises(TypeError):
        t.filter([4])
    with pytest.raises(TypeError):
        t.filter(4)
    with pytest.raises(TypeError, match="Expected a python list"):
        t.filter((x,), strict=True)


def test_values_eq_and_may_share_memory():
    t = TypedListType(MATRIX)
    x, y = np.ones((2, 2)), np.zeros((2, 2))
    assert t.values_eq([x, y], [x.copy(), y.copy()])
    assert not t.values_eq([x, y], [y, x]) and not t.values_eq([x], [x, y])
    assert t.may_share_memory([x], [y, x]) and not t.may_share_memory([x], [y])
