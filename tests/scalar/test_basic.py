"""Tests of pytheano/scalar (basic.py, logic.py and math.py): the ops' output-type rules, op
identity and printing, numpy implementations on scalars, the scalar-level gradient graphs and
the errors.

The expected strings and dtypes were checked on Theano 1.0.5.
"""
import numpy as np
import pytest

import pytheano
from pytheano.scalar import basic as S
from pytheano.scalar import math as SM


def sv(dtype, name=None):
    return S.get_scalar_type(dtype)(name)


def test_output_type_rule_errors():
    b = sv("bool")
    with pytest.raises(TypeError, match="bool output not supported"):
        S.sub(b, b)
    with pytest.raises(TypeError, match="bool input not supported"):
        S.neg(b)
    with pytest.raises(TypeError, match="only float type are supported"):
        S.round_half_to_even(sv("int32"))
    with pytest.raises(TypeError, match="complex argument not supported"):
        S.floor(sv("complex64"))
    with pytest.raises(TypeError, match="complex type are not supported"):
        S.clip(sv("complex128"), sv("float64"), sv("float64"))
    with pytest.raises(TypeError, match="must have type"):
        S.and_(sv("float64"), sv("int8"))
    with pytest.raises(TypeError, match="must have type"):
        S.invert(sv("float32"))
    with pytest.raises(S.ComplexError, match="integer division"):
        S.int_div(sv("complex64"), sv("complex64"))
    with pytest.raises(TypeError, match="Wrong number of inputs for sub.make_node"):
        S.sub(sv("float64"))
    with pytest.raises(TypeError, match="at least one input"):
        S.add()


def test_special_output_types():
    assert S.abs_(sv("complex64")).type.dtype == "float32"
    assert S.real(sv("complex128")).type.dtype == "float64"
    assert S.angle(sv("int8")).type.dtype == "float64"
    assert S.conj(sv("bool")).type.dtype == "int8"
    assert S.pow(sv("bool"), sv("bool")).type.dtype == "int8"
    assert S.complex(sv("float32"), sv("int16")).type.dtype == "complex64"
    assert S.complex(sv("float32"), sv("int32")).type.dtype == "complex128"
    assert S.switch(sv("float64"), sv("int8"), sv("float32")).type.dtype == "float32"
    assert S.second(sv("float64"), sv("int8")).type.dtype == "int8"
    assert S.lt(sv("complex64"), sv("int8")).type.dtype == "bool"
    assert S.and_(sv("bool"), sv("bool")).type.dtype == "bool"
    assert S.true_div(sv("int8"), sv("int8")).type.dtype == pytheano.config.floatX


def test_true_div_of_ints_is_floatx():
    pytheano.config.floatX = "float32"
    assert S.true_div(sv("int64"), sv("int64")).type.dtype == "float32"


# --------------------------------------------------------------------------- identity, printing

@pytest.mark.parametrize("op,text", [
    (S.add, "add"), (S.int_div, "int_div"), (S.floor_div, "int_div"), (S.pow, "pow"),
    (S.abs_, "Abs"), (S.sgn, "sgn"), (S.lt, "LT"), (S.neq, "NEQ"), (S.switch, "Switch"),
    (S.and_, "AND"), (S.invert, "Invert"), (S.isnan, "IsNan"), (S.second, "second"),
    (S.identity, "identity"), (S.convert_to_int32, "Cast{int32}"),
    (S.round_half_to_even, "RoundHalfToEven"), (SM.erf, "erf"), (SM.arctan2, "arctan2"),
    (S.inopenrange, "InRange{openlow=True, openhi=True}"), (S.clip, "clip"),
])
def test_op_str(op, text):
    assert str(op) == text
    assert repr(op) == text


def test_op_equality_ignores_the_name():
    # Theano: equal class and output-type rule make equal ops (the name only prints).
    assert S.Add(S.upcast_out) == S.add
    assert hash(S.Add(S.upcast_out)) == hash(S.add)
    assert S.Add(S.transfer_type(0)) != S.add
    assert S.Add(S.upcast_out) != S.Mul(S.upcast_out)
    assert S.Cast(S.int32) == S.convert_to_int32
    assert S.Cast(S.int32) != S.convert_to_int64
    assert S.InRange(True, False) != S.inopenrange
    with pytest.raises(TypeError, match="callable"):
        S.Add("not a rule")


def test_make_new_inplace():
    inplace = S.add.make_new_inplace(S.transfer_type(0))
    assert type(inplace) is S.Add and str(inplace) == "Add"
    assert inplace(sv("int8"), sv("float64")).type.dtype == "int8"
    cast = S.convert_to_float32.make_new_inplace(S.transfer_type(0))
    assert cast == S.convert_to_float32


def test_scalar_variable_operators_build_graphs():
    x, y = sv("float64", "x"), sv("int32", "y")
    assert (x + y).owner.op is S.add
    assert (2 * x).owner.op is S.mul
    assert (x / y).owner.op is S.true_div
    assert (x // y).owner.op is S.int_div
    assert (x ** 2).owner.op is S.pow
    assert (-x).owner.op is S.neg
    assert abs(x).owner.op is S.abs_
    assert (x < y).owner.op is S.lt and (x < y).type.dtype == "bool"
    assert (y & y).owner.op is S.and_
    assert (~y).owner.op is S.invert
    assert x.ndim == 0 and x.dtype == "float64"
    assert x.zeros_like().owner.op is S.second
    assert y.zeros_like(dtype="float32").type.dtype == "float32"
    assert y.astype("float32").owner.op == S.convert_to_float32
    assert y.astype("int32") is y
    # numpy arrays on the left defer to the variable
    assert (np.float64(2.0) * x).owner.op is S.mul


def test_scalar_int_division_follows_config():
    y = sv("int32", "y")
    pytheano.config.int_division = "floatX"
    assert (y / y).owner.op is S.true_div
    pytheano.config.int_division = "raise"
    with pytest.raises(S.IntegerDivisionError):
        y / y
    pytheano.config.int_division = "int"
    with pytest.warns(DeprecationWarning):
        assert (y / y).owner.op is S.int_div


def test_cast():
    x = sv("float64")
    assert S.cast(x, "float64") is x
    assert S.cast(x, "floatX") is x
    assert S.cast(x, np.int8).type.dtype == "int8"
    assert S.cast(x, np.dtype("uint16")).owner.op == S.convert_to_uint16
    with pytest.raises(TypeError, match="ambiguous"):
        S.cast(sv("complex64"), "float32")
    with pytest.raises(S.UnknownDtypeError, match="Unknown dtype 'foo'"):
        S.cast(x, "foo")
    with pytest.raises(KeyError):  # Theano raised KeyError
        S.cast(x, "int31")


# --------------------------------------------------------------------------- implementations

def _run(op, *values):
    inputs = [sv(np.asarray(v).dtype.name) for v in values]
    node = op.make_node(*inputs)
    storage = [[None] for _ in node.outputs]
    op.perform(node, [np.asarray(v) for v in values], storage)
    out = storage[0][0]
    assert str(np.asarray(out).dtype) == node.outputs[0].type.dtype
    return out


@pytest.mark.parametrize("op,values,expected", [
    (S.add, (np.int8(100), np.int8(100)), np.int8(-56)),
    (S.add, (np.bool_(True), np.bool_(True)), True),
    (S.mul, (np.bool_(True), np.bool_(False)), False),
    (S.int_div, (np.int32(-7), np.int32(2)), -4),
    (S.mod, (np.int32(-7), np.int32(2)), 1),
    (S.mod, (np.int32(7), np.int32(-2)), -1),
    (S.mod, (np.float64(-7.5), np.float64(2.0)), 0.5),
    (S.pow, (np.int32(2), np.int32(-1)), 0),      # Theano's C truncation, numpy would raise
    (S.pow, (np.int32(-1), np.int32(-1)), -1),
    (S.pow, (np.bool_(True), np.bool_(False)), 1),
    (S.true_div, (np.int8(1), np.int8(2)), 0.5),
    (S.round_half_away_from_zero, (np.float64(2.5),), 3.0),
    (S.round_half_away_from_zero, (np.float64(-2.5),), -3.0),
    (S.round_half_away_from_zero, (np.float32(0.49999997),), 0.0),
    (S.round_half_to_even, (np.float64(2.5),), 2.0),
    (S.clip, (np.float64(0.5), np.float64(3.0), np.float64(1.0)), 3.0),   # min wins
    (S.switch, (np.float64(np.nan), np.int8(1), np.int8(2)), 1),
    (S.inv, (np.int8(4),), 0.25),
    (S.sgn, (np.int32(-5),), -1),
    (S.invert, (np.bool_(True),), False),
    (S.invert, (np.int8(0),), -1),
    (S.xor, (np.bool_(True), np.bool_(True)), False),
    (S.identity, (np.float32(1.5),), 1.5),
    (S.second, (np.float32(1.5), np.int8(3)), 3),
    (S.convert_to_int8, (np.float64(-1.7),), -1),
    (S.real, (np.complex64(1 + 2j),), 1.0),
    (S.imag, (np.complex64(1 + 2j),), 2.0),
    (S.angle, (np.float64(-1.0),), np.pi),
    (S.complex, (np.float32(1.0), np.float32(2.0)), 1 + 2j),
    (S.complex_from_polar, (np.float64(2.0), np.float64(0.0)), 2 + 0j),
    (S.conj, (np.complex128(1 + 2j),), 1 - 2j),
    (S.inopenrange, (np.float64(1.0), np.float64(1.0), np.float64(2.0)), False),
    (S.inclosedrange, (np.float64(1.0), np.float64(1.0), np.float64(2.0)), True),
    (SM.arctan2, (np.float64(1.0), np.float64(0.0)), np.pi / 2),
    (SM.erf, (np.float64(0.0),), 0.0),
    (SM.gammaln, (np.float64(3.0),), np.log(2.0)),
    (SM.psi, (np.float64(1.0),), -0.5772156649015329),
    (SM.tri_gamma, (np.float64(1.0),), np.pi ** 2 / 6),
    (SM.jv, (np.float64(0.0), np.float64(0.0)), 1.0),
    (SM.chi2sf, (np.float64(0.0), np.float64(2.0)), 1.0),
    (SM.gammal, (np.float64(1.0), np.float64(np.inf)), 1.0),
])
def test_impl_on_scalars(op, values, expected):
    np.testing.assert_allclose(_run(op, *values), expected, rtol=1e-7)


def test_small_ints_are_computed_in_float32():
    # numpy would compute exp(int8) in float16 (3 significant digits).
    out = _run(S.exp, np.int8(3))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, np.exp(3.0), rtol=1e-6)
    np.testing.assert_allclose(_run(SM.sin, np.uint8(3)), np.sin(3.0), rtol=1e-6)


def test_integer_division_by_zero_raises():
    with pytest.raises(ZeroDivisionError, match="integer division by zero"):
        _run(S.int_div, np.int32(1), np.int32(0))
    with pytest.raises(ZeroDivisionError, match="integer modulo by zero"):
        _run(S.mod, np.int64(1), np.int64(0))
    with pytest.raises(ValueError, match="polar radius"):
        _run(S.complex_from_polar, np.float64(-1.0), np.float64(0.0))
    # floats follow IEEE: no error
    assert np.isinf(_run(S.int_div, np.float64(1.0), np.float64(0.0)))


def test_kernel_fast_ufunc_declares_when_a_ufunc_is_exact():
    assert S.add.kernel.fast_ufunc(("float64", "float64")) is np.add
    assert S.add.kernel.fast_ufunc(("float64",) * 3) is None
    assert S.lt.kernel.fast_ufunc(("int8", "int8")) is np.less
    assert S.exp.kernel.fast_ufunc(("float32",)) is np.exp
    assert S.exp.kernel.fast_ufunc(("int8",)) is None          # float16 in numpy
    assert S.int_div.kernel.fast_ufunc(("int32", "int32")) is None   # zero check
    assert S.int_div.kernel.fast_ufunc(("float32", "int32")) is np.floor_divide
    assert S.switch.kernel.fast_ufunc(("bool", "float64", "float64")) is None
    assert isinstance(SM.erf.kernel.fast_ufunc(("float64",)), np.ufunc)


# --------------------------------------------------------------------------- scalar gradients

def test_scalar_grads_are_scalar_graphs():
    x, gz = sv("float64", "x"), sv("float64", "gz")
    gx, = S.exp.L_op([x], [S.exp(x)], [gz])
    assert isinstance(gx.type, S.ScalarType)
    assert gx.owner.op is S.mul
    gx, gy = S.pow.L_op([x, x], [S.pow(x, x)], [gz])
    assert gy.owner.op is S.switch


@pytest.mark.parametrize("op,n", [(S.lt, 2), (S.isnan, 1), (S.and_, 2), (S.invert, 1),
                                  (S.int_div, 2), (S.sgn, 1), (S.floor, 1),
                                  (S.round_half_to_even, 1)])
def test_flat_ops_have_float_zero_grads(op, n):
    dtype = "int32" if op in (S.and_, S.invert) else "float64"
    xs = [sv(dtype) for _ in range(n)]
    grads = op.L_op(xs, [op(*xs)], [sv("float64")])
    for g in grads:
        assert g.type.dtype in S.float_types
        assert g.owner.op is S.second or g.owner.inputs[0].owner.op is S.second


def test_discrete_output_grads_are_zeros_of_floatx():
    x = sv("int32")
    for op in (S.add, S.mul, S.sub, S.maximum, S.neg, S.abs_, S.sqr, S.pow, S.mod):
        ins = [x] * op.nin if op.nin > 0 else [x, x]
        grads = op.L_op(ins, [op(*ins)], [sv("float64")])
        assert all(g.type.dtype == pytheano.config.floatX for g in grads), op


def test_second_grad_is_disconnected_from_the_shape_input():
    from pytheano.gradient import DisconnectedType

    x, y = sv("float64"), sv("float64")
    node = S.second.make_node(x, y)
    assert S.second.connection_pattern(node) == [[False], [True]]
    gx, gy = S.second.grad([x, y], [sv("float64")])
    assert isinstance(gx.type, DisconnectedType)
    gx, gy = S.second.grad([x, sv("int8")], [sv("float64")])
    assert gy.owner.op is S.second


def test_complex_grads_not_implemented():
    z = sv("complex128")
    with pytest.raises(NotImplementedError, match="complex"):
        S.exp.L_op([z], [S.exp(z)], [z])
    with pytest.raises(NotImplementedError):
        S.add.L_op([z, z], [S.add(z, z)], [z])


def test_theano_plural_constructors_and_autocast_float_as():
    import pytheano
    import pytheano.tensor as T
    from pytheano.scalar import basic as S2

    x, y = S2.floats("xy")
    assert (x.name, y.name, str(x.type)) == ("x", "y", "float64")
    assert S2.ints("a").type.dtype == "int64" and S2.ints("a").name == "a"
    assert S2.complexs64("zw")[1].type.dtype == "complex64"
    old = pytheano.config.cast_policy
    try:
        pytheano.config.cast_policy = "custom"
        with S2.autocast_float_as("float32"):
            assert (T.fvector() + 1.1).dtype == "float32"
        assert (T.fvector() + 1.1).dtype == "float64"
        pytheano.config.cast_policy = "numpy+floatX"
        with pytest.raises(AssertionError, match="cast_policy == 'custom'"):
            S2.autocast_float_as("float32")
    finally:
        pytheano.config.cast_policy = old
    assert T.integer_dtypes == ["int8", "int16", "int32", "int64", "uint8", "uint16",
                                "uint32", "uint64"]
    assert T.discrete_dtypes[0] == "bool" and "float16" in T.float_dtypes
