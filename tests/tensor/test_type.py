"""TensorType: reprs, equality, Theano's filtering rules."""
import builtins
import json
import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pytheano
from pytheano.tensor.type import TensorType

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "float32", "float64",
          "complex64", "complex128"]


@pytest.mark.parametrize("bcast,name", [
    ((), "scalar"), ((False,), "vector"), ((True, False), "row"), ((False, True), "col"),
    ((False, False), "matrix"), ((False,) * 3, "3D"), ((False,) * 4, "4D"),
    ((True, False, True), "(True, False, True)")])
def test_str(bcast, name):
    assert str(TensorType("float32", bcast)) == "TensorType(float32, %s)" % name
    assert repr(TensorType("float32", bcast)) == "TensorType(float32, %s)" % name


def test_equality_and_hash():
    a = TensorType("float32", (False, True))
    assert a == TensorType("float32", [0, 1])
    assert hash(a) == hash(TensorType("float32", (False, True)))
    assert a != TensorType("float64", (False, True))
    assert a != TensorType("float32", (False, False))


def test_floatx_dtype_and_bad_dtype():
    assert TensorType("floatX", ()).dtype == pytheano.config.floatX
    with pytest.raises(TypeError, match="Unsupported dtype"):
        TensorType("float8", ())


@given(st.sampled_from(DTYPES), st.sampled_from(DTYPES))
def test_filter_refuses_exactly_the_lossy_array_casts(src, dst):
    t = TensorType(dst, (False,))
    value = np.zeros(3, dtype=src)
    lossless = np.promote_types(src, dst) == np.dtype(dst)
    if lossless:
        out = t.filter(value)
        assert out.dtype == dst
    else:
        with pytest.raises(TypeError, match="without risking loss of precision"):
            t.filter(value)
        assert t.filter(value, allow_downcast=True).dtype == dst


def test_filter_python_values():
    t = TensorType("int32", (False,))
    assert t.filter([1.0, 2.0]).dtype == "int32"
    with pytest.raises(TypeError) as info:
        t.filter([1.5])
    assert info.value.args[0].startswith(
        "TensorType(int32, vector) cannot store accurately value [1.5], it would be "
        "represented as [1].")
    f32 = TensorType("float32", ())
    with pytest.raises(TypeError):
        f32.filter(0.1)  # floatX is float64: a float literal is not lossless in float32
    pytheano.config.floatX = "float32"
    assert f32.filter(0.1).dtype == "float32"  # literals may go to floatX


def test_filter_strict():
    t = TensorType("float64", (False,))
    with pytest.raises(TypeError, match="expected a ndarray object"):
        t.filter([1.0], strict=True)
    with pytest.raises(TypeError, match="dtype = float64"):
        t.filter(np.zeros(2, dtype="float32"), strict=True)
    v = np.zeros(2)
    assert t.filter(v, strict=True) is v


def test_filter_ndim_and_broadcastable():
    t = TensorType("float64", (False,))
    with pytest.raises(TypeError) as info:
        t.filter(np.zeros((2, 2)))
    assert str(info.value) == "Wrong number of dimensions: expected 1, got 2 with shape (2, 2)."
    with pytest.raises(TypeError, match="Non-unit value on shape on a broadcastable"):
        TensorType("float64", (True,)).filter(np.zeros(3))


def test_filter_refuses_variables_and_objects():
    t = TensorType("float64", ())
    with pytest.raises(TypeError, match="Variable"):
        t.filter(pytheano.tensor.dscalar())
    # Theano 1.0: numpy's ValueError for a string that is no number.
    with pytest.raises(ValueError, match="could not convert string to float"):
        t.filter("abc")


def test_filter_exact_array_is_returned_as_is():
    t = TensorType("float32", (False, False))
    v = np.ones((2, 2), dtype="float32")
    assert t.filter(v) is v


def test_values_eq_and_approx():
    assert TensorType.values_eq(np.array([1.0, np.nan]), np.array([1.0, np.nan]))
    assert not TensorType.values_eq(np.array([1.0]), np.array([2.0]))
    assert TensorType.values_eq_approx(np.array([1.0]), np.array([1.0 + 1e-9]))
    assert not TensorType.values_eq_approx(np.array([1.0]), np.array([1.1]))


def test_values_eq_approx_remove_inf_and_nan():
    """Theano 1.0's rule: an inf (nan) of `a` accepts any value of `b` there when asked."""
    a = np.asarray([-np.inf, -1, 0, 1, np.inf, np.nan])
    eq = TensorType.values_eq_approx
    assert eq(a, a)
    assert not eq(a, np.asarray([np.inf, -1, 0, 1, np.inf, np.nan]))
    assert eq(a, np.asarray([np.inf, -1, 0, 1, 5, np.nan]), allow_remove_inf=True)
    assert not eq(a, np.asarray([np.inf, -1, 0, 1, 5, 6]), allow_remove_inf=True)
    assert eq(a, np.asarray([-np.inf, -1, 0, 1, np.inf, 6]), allow_remove_nan=True)
    assert not eq(a, np.asarray([-np.inf, -1, 0, 1, 5, 6]), allow_remove_nan=True)
    assert eq(a, np.asarray([1, -1, 0, 1, 5, 6]), allow_remove_inf=True, allow_remove_nan=True)
    assert not eq(a, np.asarray([1, -1, 0, 2, 5, 6]), allow_remove_inf=True,
                  allow_remove_nan=True)


def test_convert_variable_to_more_general_type():
    row = pytheano.tensor.drow("r")
    mat_t = TensorType("float64", (False, False))
    converted = mat_t.filter_variable(row)
    assert converted.type == mat_t
    with pytest.raises(TypeError, match="Cannot convert Type"):
        TensorType("float64", (True, False)).filter_variable(pytheano.tensor.dmatrix())


def test_filter_none_and_string_arrays_say_what_is_wrong():
    t = TensorType("float64", (False,))
    with pytest.raises(TypeError, match="cannot hold None"):
        t.filter(None)
    with pytest.raises(TypeError, match="dtype <U1"):
        t.filter(np.array(["a"]))


# --------------------------------------------------------------------------- constructors
# theano_types.json: what Theano 1.0.5 made of each call (record_theano_types.py, floatX
# float64).

_RECORDED = json.load(open(os.path.join(os.path.dirname(__file__), "theano_types.json")))


def _describe(v):
    if isinstance(v, list):
        return {"list": [_describe(x) for x in v]}
    return {"name": v.name, "type": str(v.type), "dtype": v.type.dtype,
            "broadcastable": list(v.type.broadcastable)}


@pytest.mark.parametrize("call", sorted(_RECORDED["calls"]))
def test_constructor_calls_match_theano(call):
    import pytheano.tensor as T

    pytheano.config.floatX = "float64"
    expected = _RECORDED["calls"][call]
    if "raises" in expected:
        with pytest.raises(getattr(builtins, expected["raises"])):
            eval("T." + call, {"T": T})
    else:
        assert _describe(eval("T." + call, {"T": T})) == expected


def test_constructor_names_match_theano():
    """Every constructor Theano has exists here, of the same kind: the prefixed singulars are
    TensorType instances (with Theano's repr), the floatX ones and the plurals functions."""
    import pytheano.tensor as T

    for name, theano_kind in sorted(_RECORDED["names"].items()):
        obj = getattr(T, name)
        if theano_kind["kind"] == "TensorType":
            assert isinstance(obj, TensorType), name
            assert repr(obj) == theano_kind["repr"], name
        else:
            assert callable(obj) and not isinstance(obj, TensorType), name
    assert not hasattr(T, "ubscalar")  # Theano has no unsigned constructors


def test_a_prefixed_constructor_is_the_type_of_what_it_makes():
    import pytheano.tensor as T

    x = T.dscalar("x")
    assert x.type is T.dscalar and x.name == "x"
    assert repr(T.dscalar) == "TensorType(float64, scalar)"
    assert T.btensor3().type is T.btensor3 and repr(T.btensor3) == "TensorType(int8, 3D)"
    assert x.creation_site[0] == __file__  # the creation site is the caller's line
    a, b = T.fmatrices("ab")
    assert a.type is T.fmatrix and (a.name, b.name) == ("a", "b")
    assert a.creation_site[0] == __file__


def test_as_op_takes_types_and_constructor_functions():
    import pytheano.tensor as T
    from pytheano.compile.ops import as_op

    @as_op(itypes=[T.dmatrix], otypes=[T.matrix])
    def double(x):
        return 2 * x

    pytheano.config.floatX = "float64"
    m = T.dmatrix()
    out = double(m)
    assert out.type == T.dmatrix
    np.testing.assert_allclose(pytheano.function([m], out)(np.ones((2, 2))), 2 * np.ones((2, 2)))


def test_allow_downcast_wraps_python_ints_as_theano():
    # Theano 1.0.5 (numpy 1.19): [2**20, 2**15 + 3, -2**16 - 1] into int16 -> [0, -32765, -1].
    import pytheano
    import pytheano.tensor as T

    a = T.wvector("a")
    f = pytheano.function([a], a, allow_input_downcast=True)
    assert f([2 ** 20, 2 ** 15 + 3, -2 ** 16 - 1]).tolist() == [0, -32765, -1]
