"""Tests of pytheano/tensor/math.py: every elementwise function against numpy over dtypes and
broadcast patterns, Theano 1.0's dtype rules (the tables below were produced by Theano
1.0.5 itself, with floatX float64 and float32), op names, errors, gradients (finite
differences) and R_op.
"""
import itertools

import numpy as np
import pytest
import scipy.special
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano.gradient import Rop, verify_grad
from pytheano.scalar import basic as scal
from tests.helpers import check_op

ABBREV = {"b": "bool", "i8": "int8", "u8": "uint8", "i16": "int16", "u16": "uint16",
          "i32": "int32", "u32": "uint32", "i64": "int64", "u64": "uint64", "f16": "float16",
          "f32": "float32", "f64": "float64", "c64": "complex64", "c128": "complex128"}


def vec(dtype, name=None):
    return T.TensorType(dtype, (False,))(name)


def _dtype_or_error(fn, *args):
    try:
        return fn(*args).dtype
    except (TypeError, ValueError, NotImplementedError):
        return "-"


# --------------------------------------------------------------------------- dtype rules

# Binary ops: the row is the first input's dtype, the column the second's.
BIN_DTYPES = ["bool", "int8", "uint8", "int16", "int32", "int64", "uint64", "float16",
              "float32", "float64", "complex64"]

UPCAST_TABLE = """
    b i8 u8 i16 i32 i64 u64 f16 f32 f64 c64
    i8 i8 i16 i16 i32 i64 f64 f16 f32 f64 c64
    u8 i16 u8 i16 i32 i64 u64 f16 f32 f64 c64
    i16 i16 i16 i16 i32 i64 f64 f32 f32 f64 c64
    i32 i32 i32 i32 i32 i64 f64 f64 f64 f64 c128
    i64 i64 i64 i64 i64 i64 f64 f64 f64 f64 c128
    u64 f64 u64 f64 f64 f64 u64 f64 f64 f64 c128
    f16 f16 f16 f32 f64 f64 f64 f16 f32 f64 c64
    f32 f32 f32 f32 f64 f64 f64 f32 f32 f64 c64
    f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 c128
    c64 c64 c64 c64 c128 c128 c128 c64 c64 c128 c64
"""
SUB_TABLE = UPCAST_TABLE.replace("\n    b i8", "\n    - i8", 1)
POW_TABLE = UPCAST_TABLE.replace("\n    b i8 u8", "\n    i8 i8 u8", 1)
TRUE_DIV_TABLE_F64 = """
    f64 f64 f64 f64 f64 f64 f64 f16 f32 f64 c64
    f64 f64 f64 f64 f64 f64 f64 f16 f32 f64 c64
    f64 f64 f64 f64 f64 f64 f64 f16 f32 f64 c64
    f64 f64 f64 f64 f64 f64 f64 f32 f32 f64 c64
    f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 c128
    f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 c128
    f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 c128
    f16 f16 f16 f32 f64 f64 f64 f16 f32 f64 c64
    f32 f32 f32 f32 f64 f64 f64 f32 f32 f64 c64
    f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 c128
    c64 c64 c64 c64 c128 c128 c128 c64 c64 c128 c64
"""
TRUE_DIV_TABLE_F32 = """
    f32 f32 f32 f32 f32 f32 f32 f16 f32 f64 c64
    f32 f32 f32 f32 f32 f32 f32 f16 f32 f64 c64
    f32 f32 f32 f32 f32 f32 f32 f16 f32 f64 c64
    f32 f32 f32 f32 f32 f32 f32 f32 f32 f64 c64
    f32 f32 f32 f32 f32 f32 f32 f64 f64 f64 c128
    f32 f32 f32 f32 f32 f32 f32 f64 f64 f64 c128
    f32 f32 f32 f32 f32 f32 f32 f64 f64 f64 c128
    f16 f16 f16 f32 f64 f64 f64 f16 f32 f64 c64
    f32 f32 f32 f32 f64 f64 f64 f32 f32 f64 c64
    f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 c128
    c64 c64 c64 c64 c128 c128 c128 c64 c64 c128 c64
"""
ARCTAN2_TABLE = """
    f32 f32 f32 f32 f64 f64 f64 f32 f32 f64 c64
    f32 f32 f32 f32 f64 f64 f64 f32 f32 f64 c64
    f32 f32 f32 f32 f64 f64 f64 f32 f32 f64 c64
    f32 f32 f32 f32 f64 f64 f64 f32 f32 f64 c64
    f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 c128
    f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 c128
    f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 c128
    f32 f32 f32 f32 f64 f64 f64 f16 f32 f64 c64
    f32 f32 f32 f32 f64 f64 f64 f32 f32 f64 c64
    f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 c128
    c64 c64 c64 c64 c128 c128 c128 c64 c64 c128 c64
"""
BITOP_TABLE = """
    b - - - - - - - - - -
    - i8 i16 i16 i32 i64 f64 - - - -
    - i16 u8 i16 i32 i64 u64 - - - -
    - i16 i16 i16 i32 i64 f64 - - - -
    - i32 i32 i32 i32 i64 f64 - - - -
    - i64 i64 i64 i64 i64 f64 - - - -
    - f64 u64 f64 f64 f64 u64 - - - -
    - - - - - - - - - - -
    - - - - - - - - - - -
    - - - - - - - - - - -
    - - - - - - - - - - -
"""
COMPLEX_TABLE = """
    c64 c64 c64 c64 c128 c128 c128 c64 c64 c128 -
    c64 c64 c64 c64 c128 c128 c128 c64 c64 c128 -
    c64 c64 c64 c64 c128 c128 c128 c64 c64 c128 -
    c64 c64 c64 c64 c128 c128 c128 c64 c64 c128 -
    c128 c128 c128 c128 c128 c128 c128 c128 c128 c128 -
    c128 c128 c128 c128 c128 c128 c128 c128 c128 c128 -
    c128 c128 c128 c128 c128 c128 c128 c128 c128 c128 -
    c64 c64 c64 c64 c128 c128 c128 c64 c64 c128 -
    c64 c64 c64 c64 c128 c128 c128 c64 c64 c128 -
    c128 c128 c128 c128 c128 c128 c128 c128 c128 c128 -
    - - - - - - - - - - -
"""
SECOND_TABLE = "\n".join(["    b i8 u8 i16 i32 i64 u64 f16 f32 f64 c64"] * 11)
BOOL_TABLE = "\n".join([" ".join(["b"] * 11)] * 11)


def _table(text):
    rows = [line.split() for line in text.strip().splitlines()]
    return {(d1, d2): ABBREV.get(cell, cell)
            for d1, row in zip(BIN_DTYPES, rows) for d2, cell in zip(BIN_DTYPES, row)}


BINARY_RULES = [
    (T.add, UPCAST_TABLE, "float64"), (T.mul, UPCAST_TABLE, "float64"),
    (T.maximum, UPCAST_TABLE, "float64"), (T.minimum, UPCAST_TABLE, "float32"),
    (T.sub, SUB_TABLE, "float64"), (T.pow, POW_TABLE, "float32"),
    (T.true_div, TRUE_DIV_TABLE_F64, "float64"), (T.true_div, TRUE_DIV_TABLE_F32, "float32"),
    (T.arctan2, ARCTAN2_TABLE, "float64"), (T.and_, BITOP_TABLE, "float64"),
    (T.or_, BITOP_TABLE, "float32"), (T.xor, BITOP_TABLE, "float64"),
    (T.complex, COMPLEX_TABLE, "float64"), (T.second, SECOND_TABLE, "float32"),
    (T.lt, BOOL_TABLE, "float64"), (T.eq, BOOL_TABLE, "float32"),
    (T.neq, BOOL_TABLE, "float64"),
]


@pytest.mark.parametrize("fn,table,floatx", BINARY_RULES,
                         ids=["%s-%s" % (r[0], r[2]) for r in BINARY_RULES])
def test_binary_dtype_rules_match_theano(fn, table, floatx):
    pytheano.config.floatX = floatx
    expected = _table(table)
    got = {(d1, d2): _dtype_or_error(fn, vec(d1), vec(d2))
           for d1, d2 in expected}
    assert got == expected


@pytest.mark.parametrize("fn", [T.int_div, T.floor_div, T.mod])
def test_int_div_and_mod_dtypes(fn):
    # As add for reals; complex numbers are refused when the graph is built (Theano 1.0
    # only failed when compiling the function).
    expected = _table(UPCAST_TABLE)
    for (d1, d2), want in expected.items():
        if "complex" in d1 or "complex" in d2:
            with pytest.raises(scal.ComplexError):
                fn(vec(d1), vec(d2))
        else:
            assert fn(vec(d1), vec(d2)).dtype == want, (d1, d2)


UNARY_DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64",
                "uint64", "float16", "float32", "float64", "complex64", "complex128"]
UNARY_RULES = {
    "- i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 c64 c128": ["neg"],
    "b i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 f32 f64": ["abs_", "real", "imag"],
    "- i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 - -": ["sgn"],
    "f32 f32 f32 f32 f32 f64 f64 f64 f64 f16 f32 f64 c64 c128": [
        "sqrt", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan",
        "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh",
        "erf", "deg2rad", "rad2deg", "gamma", "gammaln", "inv", "psi", "j0", "j1", "i0", "i1",
        "tri_gamma"],
    "b i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 c64 c128": ["sqr", "tensor_copy"],
    "f32 f32 f32 f32 f32 f64 f64 f64 f64 f16 f32 f64 - -": [
        "floor", "ceil", "trunc", "erfc", "erfinv", "erfcx", "erfcinv"],
    "- - - - - - - - - f16 f32 f64 - -": [
        "round_half_to_even", "round_half_away_from_zero", "round"],
    "- - - - - - - - - i64 i64 i64 - -": ["iround"],
    "b b b b b b b b b b b b b b": ["isnan", "isinf"],
    "b i8 u8 i16 u16 i32 u32 i64 u64 - - - - -": ["invert"],
    "f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64": ["angle"],
    "i8 i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 c64 c128": ["conj"],
}


@pytest.mark.parametrize("floatx", ["float64", "float32"])
@pytest.mark.parametrize("row,names", list(UNARY_RULES.items()),
                         ids=[names[0] for names in UNARY_RULES.values()])
def test_unary_dtype_rules_match_theano(row, names, floatx):
    pytheano.config.floatX = floatx
    expected = [ABBREV.get(c, c) for c in row.split()]
    for name in names:
        fn = getattr(T, name)
        got = [_dtype_or_error(fn, vec(d)) for d in UNARY_DTYPES]
        assert got == expected, name


# Python literals: x * lit, lit * x, x + lit, x ** lit, lit ** x have these dtypes; x / lit
# and lit / x the second table. Columns: x's dtype.
LITERAL_DTYPES = ["bool", "int8", "uint8", "int16", "int32", "int64", "float16", "float32",
                  "float64"]
LITERALS = [2, 0.5, 0.1, -1, 300, 70000, 2 ** 40]
ARITH_LITERALS = {
    "float64": """
        i8 i8 i16 i16 i32 i64 f16 f32 f64
        f32 f32 f32 f32 f64 f64 f32 f32 f64
        f64 f64 f64 f64 f64 f64 f64 f64 f64
        i8 i8 i16 i16 i32 i64 f16 f32 f64
        i16 i16 i16 i16 i32 i64 f32 f32 f64
        i32 i32 i32 i32 i32 i64 f64 f64 f64
        i64 i64 i64 i64 i64 i64 f64 f64 f64""",
    "float32": """
        i8 i8 i16 i16 i32 i64 f16 f32 f64
        f32 f32 f32 f32 f64 f64 f32 f32 f64
        f32 f32 f32 f32 f64 f64 f32 f32 f64
        i8 i8 i16 i16 i32 i64 f16 f32 f64
        i16 i16 i16 i16 i32 i64 f32 f32 f64
        i32 i32 i32 i32 i32 i64 f64 f64 f64
        i64 i64 i64 i64 i64 i64 f64 f64 f64""",
}
DIV_LITERALS = {
    "float64": """
        f64 f64 f64 f64 f64 f64 f16 f32 f64
        f32 f32 f32 f32 f64 f64 f32 f32 f64
        f64 f64 f64 f64 f64 f64 f64 f64 f64
        f64 f64 f64 f64 f64 f64 f16 f32 f64
        f64 f64 f64 f64 f64 f64 f32 f32 f64
        f64 f64 f64 f64 f64 f64 f64 f64 f64
        f64 f64 f64 f64 f64 f64 f64 f64 f64""",
    "float32": """
        f32 f32 f32 f32 f32 f32 f16 f32 f64
        f32 f32 f32 f32 f64 f64 f32 f32 f64
        f32 f32 f32 f32 f64 f64 f32 f32 f64
        f32 f32 f32 f32 f32 f32 f16 f32 f64
        f32 f32 f32 f32 f32 f32 f32 f32 f64
        f32 f32 f32 f32 f32 f32 f64 f64 f64
        f32 f32 f32 f32 f32 f32 f64 f64 f64""",
}


def _literal_table(text):
    rows = [line.split() for line in text.strip().splitlines()]
    return {(lit, d): ABBREV[c] for lit, row in zip(LITERALS, rows)
            for d, c in zip(LITERAL_DTYPES, row)}


@pytest.mark.parametrize("floatx", ["float64", "float32"])
def test_python_literal_dtypes_match_theano(floatx):
    pytheano.config.floatX = floatx
    arith = _literal_table(ARITH_LITERALS[floatx])
    div = _literal_table(DIV_LITERALS[floatx])
    for (lit, d), want in arith.items():
        x = vec(d)
        got = [(x * lit).dtype, (lit * x).dtype, (x + lit).dtype, (x ** lit).dtype,
               (lit ** x).dtype]
        assert got == [want] * 5, (lit, d)
        assert (x < lit).dtype == "bool"
    for (lit, d), want in div.items():
        x = vec(d)
        assert [(x / lit).dtype, (lit / x).dtype] == [want, want], (lit, d)


@pytest.mark.parametrize("name,row", [
    ("jv", "f32 f32 f64 f32 f64"), ("iv", "f32 f32 f64 f32 f64"),
    ("gammainc", "f32 f32 f64 f32 f64"), ("gammaincc", "f32 f32 f64 f32 f64"),
    ("gammau", "f32 f32 f64 f32 f64"), ("gammal", "f32 f32 f64 f32 f64"),
    ("chi2sf", "f64 f64 f64 f64 f64"),
])
def test_special_binary_dtypes(name, row):
    # first input of each dtype, second a float32 vector
    got = [getattr(T, name)(vec(d), T.fvector()).dtype
           for d in ("bool", "int8", "int32", "float32", "float64")]
    assert got == [ABBREV[c] for c in row.split()]


def test_dtype_examples_from_the_brief():
    assert (T.fvector() + T.ivector()).dtype == "float64"
    assert (T.fvector() + T.bvector()).dtype == "float32"
    assert (T.ivector() / T.ivector()).dtype == "float64"
    assert (T.ivector() // T.ivector()).dtype == "int32"
    assert (T.ivector() % T.ivector()).dtype == "int32"
    assert T.exp(T.ivector()).dtype == "float64"
    assert (T.fvector() * 0.1).dtype == "float64"
    pytheano.config.floatX = "float32"
    assert (T.ivector() / T.ivector()).dtype == "float32"
    assert (T.fvector() * 0.1).dtype == "float32"
    assert T.exp(T.ivector()).dtype == "float64"


def test_int_division_flag_does_not_change_slash():
    # Python 3's `/` is true division whatever config.int_division says (as in Theano).
    i = T.ivector()
    for flag in ("int", "raise", "floatX"):
        pytheano.config.int_division = flag
        assert (i / i).owner.op is T.true_div
    pytheano.config.int_division = "raise"
    with pytest.raises(scal.IntegerDivisionError):
        T.div_proxy(i, i)
    pytheano.config.int_division = "floatX"
    assert T.div_proxy(i, i).owner.op is T.true_div


# --------------------------------------------------------------------------- names

@pytest.mark.parametrize("fn,text", [
    (T.add, "Elemwise{add,no_inplace}"), (T.true_div, "Elemwise{true_div,no_inplace}"),
    (T.int_div, "Elemwise{int_div,no_inplace}"), (T.floor_div, "Elemwise{int_div,no_inplace}"),
    (T.pow, "Elemwise{pow,no_inplace}"), (T.abs_, "Elemwise{abs_,no_inplace}"),
    (T.switch, "Elemwise{switch,no_inplace}"), (T.where, "Elemwise{switch,no_inplace}"),
    (T.bitwise_and, "Elemwise{and_,no_inplace}"), (T.sqr, "Elemwise{sqr,no_inplace}"),
    (T.round_half_to_even, "Elemwise{round_half_to_even,no_inplace}"),
    (T.second, "Elemwise{second,no_inplace}"), (T.tensor_copy, "Elemwise{identity}"),
    (T.erf, "Elemwise{erf,no_inplace}"), (T.clip, "Elemwise{clip,no_inplace}"),
])
def test_elemwise_names(fn, text):
    assert str(fn) == text


def test_variable_and_cast_names():
    x = T.dmatrix("x")
    assert str(x + 1) == "Elemwise{add,no_inplace}.0"
    assert repr(T.exp(x)) == "Elemwise{exp,no_inplace}.0"
    assert str(T.cast(x, "int32").owner.op) == "Elemwise{Cast{int32}}"
    assert str(T.iround(x).owner.op) == "Elemwise{Cast{int64}}"
    assert str(T.iround(x).owner.inputs[0].owner.op) == "Elemwise{round_half_to_even," \
                                                        "no_inplace}"
    assert str(x.astype("float32").owner.op) == "Elemwise{Cast{float32}}"
    assert str((x + 1).owner.inputs[1].owner.op) == "InplaceDimShuffle{x,x}"


# --------------------------------------------------------------------------- values vs numpy

BOOL_INT = ("bool", "int8", "uint8", "int16", "int32", "int64")
NUM = ("int8", "uint8", "int16", "int32", "int64", "float32", "float64")
ALL = ("bool",) + NUM
FLOAT = ("float32", "float64")
INT = ("int8", "uint8", "int16", "int32", "int64")


def _same(f):
    """Reference computed by numpy in the output dtype (integer overflow included)."""
    return lambda dtype: (lambda *a: f(*[x.astype(dtype) for x in a]))


def _flt(f):
    """Reference computed in float64 (compared at the output dtype's precision)."""
    return lambda dtype: (lambda *a: f(*[np.asarray(x, dtype=np.float64) for x in a]))


def _plain(f):
    return lambda dtype: f


def _away(x):
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


class Case:
    def __init__(self, name, fn, ref, dtypes, domains=((-3, 3),), valid=None, gen=None):
        self.name, self.fn, self.ref, self.dtypes = name, fn, ref, dtypes
        self.domains = domains
        self.nin = len(domains)
        self.valid = valid
        self.gen = gen      # gen(rng, shape, dtype) -> values, instead of the domains

    def combos(self):
        combos = itertools.product(self.dtypes, repeat=self.nin)
        return [c for c in combos if self.valid is None or self.valid(*c)]

    def __repr__(self):
        return self.name


POS = (0.5, 3)
UNIT = (-0.9, 0.9)


def _halves(rng, shape, dtype):
    """Values with ties (k + 0.5) and near-ties, where the rounding modes differ."""
    ties = rng.integers(-8, 9, size=shape) / 2.0
    return (ties + rng.choice([0.0, 0.0, 1e-3, -1e-3], size=shape)).astype(dtype)


def _bitop_valid(*dts):
    return all(d == "bool" for d in dts) or all(d != "bool" for d in dts)


CASES = [
    Case("add", T.add, _same(np.add), ALL, ((-3, 3),) * 2),
    Case("add3", T.add, _same(lambda a, b, c: a + b + c), ALL, ((-3, 3),) * 3),
    Case("sub", T.sub, _same(np.subtract), NUM, ((-3, 3),) * 2),
    Case("mul", T.mul, _same(np.multiply), ALL, ((-3, 3),) * 2),
    Case("mul4", lambda a, b, c, d: T.mul(a, b, c, d), _same(lambda a, b, c, d: a * b * c * d),
         NUM, ((-3, 3),) * 4),
    Case("true_div", T.true_div, _flt(np.true_divide), ALL, ((-3, 3), POS)),
    Case("int_div", T.int_div, _same(np.floor_divide), NUM, ((-3, 3), POS)),
    Case("mod", T.mod, _same(np.remainder), NUM, ((-3, 3), POS)),
    Case("pow", T.pow, _same(np.power), ALL, ((0.5, 3), (0, 3))),
    Case("maximum", T.maximum, _same(np.maximum), ALL, ((-3, 3),) * 2),
    Case("minimum", T.minimum, _same(np.minimum), ALL, ((-3, 3),) * 2),
    Case("clip", T.clip, _same(np.clip), NUM, ((-3, 3), (-3, -1), (1, 3)),
         lambda x, lo, hi: lo != "uint8"),
    Case("neg", T.neg, _same(np.negative), NUM),
    Case("abs_", T.abs_, _same(np.abs), ALL),
    Case("sgn", T.sgn, _same(np.sign), NUM),
    Case("sqr", T.sqr, _same(np.square), NUM),
    Case("inv", T.inv, _flt(np.reciprocal), NUM, (POS,)),
    Case("sqrt", T.sqrt, _flt(np.sqrt), ALL, (POS,)),
    Case("exp", T.exp, _flt(np.exp), ALL),
    Case("exp2", T.exp2, _flt(np.exp2), ALL),
    Case("expm1", T.expm1, _flt(np.expm1), ALL),
    Case("log", T.log, _flt(np.log), NUM, (POS,)),
    Case("log2", T.log2, _flt(np.log2), NUM, (POS,)),
    Case("log10", T.log10, _flt(np.log10), NUM, (POS,)),
    Case("log1p", T.log1p, _flt(np.log1p), ALL, (POS,)),
    Case("sin", T.sin, _flt(np.sin), ALL),
    Case("cos", T.cos, _flt(np.cos), ALL),
    Case("tan", T.tan, _flt(np.tan), FLOAT, ((-1.2, 1.2),)),
    Case("arcsin", T.arcsin, _flt(np.arcsin), FLOAT, (UNIT,)),
    Case("arccos", T.arccos, _flt(np.arccos), FLOAT, (UNIT,)),
    Case("arctan", T.arctan, _flt(np.arctan), ALL),
    Case("arctan2", T.arctan2, _flt(np.arctan2), ALL, ((-3, 3),) * 2),
    Case("sinh", T.sinh, _flt(np.sinh), ALL),
    Case("cosh", T.cosh, _flt(np.cosh), ALL),
    Case("tanh", T.tanh, _flt(np.tanh), ALL),
    Case("arcsinh", T.arcsinh, _flt(np.arcsinh), ALL),
    Case("arccosh", T.arccosh, _flt(np.arccosh), FLOAT, ((1.1, 3),)),
    Case("arctanh", T.arctanh, _flt(np.arctanh), FLOAT, (UNIT,)),
    Case("deg2rad", T.deg2rad, _flt(np.deg2rad), ALL),
    Case("rad2deg", T.rad2deg, _flt(np.rad2deg), ALL),
    Case("erf", T.erf, _flt(scipy.special.erf), ALL),
    Case("erfc", T.erfc, _flt(scipy.special.erfc), ALL),
    Case("erfcx", T.erfcx, _flt(scipy.special.erfcx), FLOAT, ((-1, 3),)),
    Case("erfinv", T.erfinv, _flt(scipy.special.erfinv), FLOAT, (UNIT,)),
    Case("erfcinv", T.erfcinv, _flt(scipy.special.erfcinv), FLOAT, ((0.1, 1.9),)),
    Case("gamma", T.gamma, _flt(scipy.special.gamma), NUM, (POS,)),
    Case("gammaln", T.gammaln, _flt(scipy.special.gammaln), NUM, (POS,)),
    Case("psi", T.psi, _flt(scipy.special.psi), NUM, (POS,)),
    Case("j0", T.j0, _flt(scipy.special.j0), NUM),
    Case("j1", T.j1, _flt(scipy.special.j1), NUM),
    Case("i0", T.i0, _flt(scipy.special.i0), NUM),
    Case("i1", T.i1, _flt(scipy.special.i1), NUM),
    Case("jv", T.jv, _flt(scipy.special.jv), NUM, ((0, 3), POS)),
    Case("iv", T.iv, _flt(scipy.special.iv), NUM, ((0, 3), POS)),
    Case("chi2sf", T.chi2sf, _flt(lambda x, k: scipy.stats.chi2.sf(x, k)), NUM, (POS, POS)),
    Case("gammainc", T.gammainc, _flt(scipy.special.gammainc), NUM, (POS, POS)),
    Case("gammaincc", T.gammaincc, _flt(scipy.special.gammaincc), NUM, (POS, POS)),
    Case("gammau", T.gammau, _flt(lambda k, x: scipy.special.gammaincc(k, x)
                                  * scipy.special.gamma(k)), NUM, (POS, POS)),
    Case("gammal", T.gammal, _flt(lambda k, x: scipy.special.gammainc(k, x)
                                  * scipy.special.gamma(k)), NUM, (POS, POS)),
    Case("floor", T.floor, _flt(np.floor), ALL),
    Case("ceil", T.ceil, _flt(np.ceil), ALL),
    Case("trunc", T.trunc, _flt(np.trunc), ALL),
    Case("round", T.round, _same(np.round), FLOAT, gen=_halves),
    Case("round_half_to_even", T.round_half_to_even, _same(np.round), FLOAT, gen=_halves),
    Case("round_half_away_from_zero", T.round_half_away_from_zero, _same(_away), FLOAT,
         gen=_halves),
    Case("iround", T.iround, _plain(lambda x: np.round(x).astype("int64")), FLOAT,
         gen=_halves),
    Case("lt", T.lt, _plain(np.less), ALL, ((-3, 3),) * 2),
    Case("gt", T.gt, _plain(np.greater), ALL, ((-3, 3),) * 2),
    Case("le", T.le, _plain(np.less_equal), ALL, ((-3, 3),) * 2),
    Case("ge", T.ge, _plain(np.greater_equal), ALL, ((-3, 3),) * 2),
    Case("eq", T.eq, _plain(np.equal), ALL, ((-3, 3),) * 2),
    Case("neq", T.neq, _plain(np.not_equal), ALL, ((-3, 3),) * 2),
    Case("isnan", T.isnan, _plain(np.isnan), ALL),
    Case("isinf", T.isinf, _plain(np.isinf), ALL),
    Case("isclose", T.isclose, _plain(np.isclose), NUM, ((-3, 3),) * 2),
    Case("and_", T.and_, _same(np.bitwise_and), BOOL_INT, ((-3, 3),) * 2, _bitop_valid),
    Case("or_", T.or_, _same(np.bitwise_or), BOOL_INT, ((-3, 3),) * 2, _bitop_valid),
    Case("xor", T.xor, _same(np.bitwise_xor), BOOL_INT, ((-3, 3),) * 2, _bitop_valid),
    Case("invert", T.invert, _same(np.invert), BOOL_INT),
    Case("switch", T.switch, _plain(lambda c, a, b: np.where(c, a, b)), ALL, ((-1, 1),
                                                                            (-3, 3), (-3, 3))),
    Case("second", T.second, _plain(lambda a, b: np.broadcast_to(b, np.broadcast(a, b).shape)),
         ALL, ((-3, 3),) * 2),
    Case("tensor_copy", T.tensor_copy, _plain(np.copy), ALL),
    Case("real", T.real, _plain(np.real), ALL),
    Case("imag", T.imag, _plain(np.imag), ALL),
    Case("angle", T.angle, _flt(np.angle), ALL),
    Case("conj", T.conj, _same(np.conj), NUM),
]


def _values(rng, shape, dtype, domain):
    low, high = domain
    if dtype == "bool":
        if low > 0:
            return np.ones(shape, dtype=bool)
        return rng.integers(0, 2, size=shape).astype(bool)
    if np.dtype(dtype).kind in "iu":
        lo, hi = int(np.ceil(low)), int(np.floor(high))
        if np.dtype(dtype).kind == "u":
            lo = max(lo, 0)
        return rng.integers(lo, hi + 1, size=shape).astype(dtype)
    return rng.uniform(low, high, size=shape).astype(dtype)


@st.composite
def _broadcast_inputs(draw, nin):
    """Per input: its broadcastable pattern (right-aligned, lower ranks allowed) and shape."""
    ndim = draw(st.integers(0, 3))
    shape = draw(st.lists(st.integers(1, 4), min_size=ndim, max_size=ndim))
    specs = []
    for _ in range(nin):
        k = draw(st.integers(0, ndim)) if nin > 1 else ndim
        bcast = tuple(draw(st.lists(st.booleans(), min_size=k, max_size=k)))
        specs.append((bcast, tuple(1 if b else s for b, s in zip(bcast, shape[ndim - k:]))))
    return specs


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@settings(max_examples=8)
@given(data=st.data())
def test_values_match_numpy(case, data):
    dtypes = data.draw(st.sampled_from(case.combos()), label="dtypes")
    specs = data.draw(_broadcast_inputs(case.nin), label="inputs")
    seed = data.draw(st.integers(0, 2 ** 16), label="seed")
    rng = np.random.default_rng(seed)
    variables = [T.TensorType(dt, bcast)("x%d" % i)
                 for i, (dt, (bcast, _)) in enumerate(zip(dtypes, specs))]
    values = [case.gen(rng, shape, dt) if case.gen else _values(rng, shape, dt, dom)
              for dt, (_, shape), dom in zip(dtypes, specs, case.domains)]
    out_dtype = case.fn(*variables).dtype
    check_op(case.fn, variables, values, case.ref(out_dtype), expected_dtype=out_dtype)


def test_complex_values():
    z = T.zvector("z")
    c = T.cvector("c")
    zv = np.array([1 + 2j, -3 - 0.5j, 0j])
    cv = zv.astype("complex64")
    check_op(lambda a: T.real(a), [z], [zv], np.real)
    check_op(lambda a: T.imag(a), [c], [cv], np.imag)
    check_op(lambda a: T.abs_(a), [z], [zv], np.abs)
    check_op(lambda a: T.angle(a), [z], [zv], np.angle)
    check_op(lambda a: T.conj(a), [c], [cv], np.conj)
    check_op(lambda a: T.exp(a), [z], [zv], np.exp)
    check_op(lambda a, b: a * b + a, [z, c], [zv, cv], lambda a, b: a * b + a)
    x, y = T.dvector("x"), T.fvector("y")
    check_op(T.complex, [x, y], [np.array([1., 2.]), np.array([3., -4.], "float32")],
             lambda a, b: a + 1j * b.astype("float64"))
    check_op(T.complex_from_polar, [x, T.dvector("t")], [np.array([1., 2.]), np.array([0.5, 2.])],
             lambda r, t: r * np.exp(1j * t))
    with pytest.raises(TypeError, match="ambiguous"):
        T.cast(z, "float64")


def test_nan_and_inf_values():
    x = T.dvector("x")
    f = pytheano.function([x], [T.isnan(x), T.isinf(x), T.sgn(x), T.maximum(x, 0.),
                                T.switch(x, 1, 2)])
    v = np.array([np.nan, np.inf, -np.inf, 0., 1.])
    isnan, isinf, sgn, mx, sw = f(v)
    np.testing.assert_array_equal(isnan, np.isnan(v))
    np.testing.assert_array_equal(isinf, np.isinf(v))
    np.testing.assert_array_equal(sgn, np.sign(v))
    np.testing.assert_array_equal(mx, np.maximum(v, 0.))
    np.testing.assert_array_equal(sw, [1, 1, 1, 2, 1])   # nan is true, as in C


def test_isclose_and_allclose():
    a = np.array([1e10, 1e-7, 1.0, np.nan, np.inf, np.inf, -np.inf])
    b = np.array([1.00001e10, 1e-8, 1.0, np.nan, np.inf, -np.inf, -np.inf])
    x, y = T.dvector("x"), T.dvector("y")
    for kwargs in ({}, {"equal_nan": True}, {"rtol": 0.1, "atol": 0.0}):
        got = T.isclose(x, y, **kwargs).eval({x: a, y: b})
        np.testing.assert_array_equal(got, np.isclose(a, b, **kwargs))
        assert got.dtype == bool
    assert T.allclose(x, y).dtype == "bool"
    assert bool(T.allclose(x, y).eval({x: a[:3], y: a[:3]}))
    assert not bool(T.allclose(x, y).eval({x: a[:3], y: a[:3] + 1}))


def test_isnan_of_integers_is_a_constant_false():
    i = T.imatrix("i")
    out = T.isnan(i)
    assert type(out.owner.op).__name__ == "Alloc"
    np.testing.assert_array_equal(out.eval({i: np.ones((2, 3), "int32")}),
                                  np.zeros((2, 3), bool))
    assert type(T.isinf(T.bvector()).owner.op).__name__ == "Alloc"


def test_integer_division_by_zero_names_the_node():
    i, j = T.ivector("i"), T.ivector("j")
    f = pytheano.function([i, j], [i // j])
    with pytest.raises(ZeroDivisionError) as info:
        f(np.array([1, 2], "int32"), np.array([1, 0], "int32"))
    assert "integer division by zero" in str(info.value)
    assert "Elemwise{int_div,no_inplace}(i, j)" in str(info.value)
    g = pytheano.function([i, j], [i % j])
    with pytest.raises(ZeroDivisionError, match="integer modulo by zero"):
        g(np.array([1, 2], "int32"), np.array([1, 0], "int32"))


def test_int_pow_negative_exponent_truncates_like_theano():
    i, j = T.ivector("i"), T.ivector("j")
    out = (i ** j).eval({i: np.array([2, 1, -1, 3], "int32"),
                         j: np.array([-1, -2, -1, 2], "int32")})
    np.testing.assert_array_equal(out, [0, 1, -1, 9])


def test_variadic_add_and_mul():
    a, b, c = T.dmatrix("a"), T.dmatrix("b"), T.dvector("c")
    z = T.mul(a, b, a, b)
    assert z.owner.op is T.mul and len(z.owner.inputs) == 4
    av, bv = np.ones((2, 2)), np.diag((3., 3.))
    np.testing.assert_array_equal(z.eval({a: av, b: bv}), (av * bv) ** 2)
    s = T.add(a, b, c)
    assert str(s.owner.op) == "Elemwise{add,no_inplace}"
    np.testing.assert_array_equal(s.eval({a: av, b: bv, c: np.array([1., 2.])}),
                                  av + bv + [1., 2.])
    single = T.add(a)
    np.testing.assert_array_equal(single.eval({a: av}), av)
    with pytest.raises(TypeError, match="at least one input"):
        T.add()


# --------------------------------------------------------------------------- functions

def test_cast():
    x = T.dmatrix("x")
    assert T.cast(x, "float64") is x
    assert T.cast(x, "floatX") is x
    assert x.astype(np.float64) is x
    assert T.cast(x, np.int16).dtype == "int16"
    pytheano.config.floatX = "float32"
    assert T.cast(x, "floatX").dtype == "float32"
    with pytest.raises(scal.UnknownDtypeError, match="Unknown dtype 'int31'"):
        T.cast(x, "int31")
    with pytest.raises(KeyError):   # Theano 1.0 raised KeyError
        T.cast(x, "foo")
    with pytest.raises(TypeError, match="Unknown dtype 5"):
        T.cast(x, 5)
    for dtype in ("bool", "int8", "uint8", "int32", "uint64", "float16", "float32",
                  "complex64"):
        v = np.array([[0., 1.7], [-1.2, 3.]])
        check_op(lambda a, d=dtype: T.cast(a, d), [x], [v], lambda a, d=dtype: a.astype(d))


def test_round_modes():
    x = T.dvector("x")
    v = np.array([0.5, 1.5, 2.5, -0.5, -1.5, 2.4])
    np.testing.assert_array_equal(T.round(x).eval({x: v}), [0., 2., 2., 0., -2., 2.])
    np.testing.assert_array_equal(T.round(x, "half_away_from_zero").eval({x: v}),
                                  [1., 2., 3., -1., -2., 2.])
    np.testing.assert_array_equal(T.iround(x).eval({x: v}), [0, 2, 2, 0, -2, 2])
    np.testing.assert_array_equal(round(x).eval({x: v}), [0., 2., 2., 0., -2., 2.])
    np.testing.assert_array_equal(x.round("half_away_from_zero").eval({x: v}),
                                  [1., 2., 3., -1., -2., 2.])
    with pytest.raises(ValueError, match="round mode foo is not implemented"):
        T.round(x, "foo")


def test_divmod_and_ceil_intdiv():
    i, j = T.ivector("i"), T.ivector("j")
    iv, jv = np.array([7, -7, 6], "int32"), np.array([2, 2, 3], "int32")
    q, r = T.divmod(i, j)
    np.testing.assert_array_equal(q.eval({i: iv, j: jv}), iv // jv)
    np.testing.assert_array_equal(r.eval({i: iv, j: jv}), iv % jv)
    q, r = divmod(i, j)
    np.testing.assert_array_equal(r.eval({i: iv, j: jv}), iv % jv)
    np.testing.assert_array_equal(T.ceil_intdiv(i, j).eval({i: iv, j: jv}), [4, -3, 2])
    assert T.ceil_intdiv(i, j).dtype == "int32"
    with pytest.raises(scal.ComplexError):
        T.mod_check(T.zvector(), i)
    # the operators raise it too (Theano's test_complex_mod), not a TypeError from Python
    for op in (lambda z: z % 5, lambda z: 5 % z, lambda z: z // 2, lambda z: 2 // z):
        with pytest.raises(scal.ComplexError):
            op(T.vector(dtype="complex64"))


def test_tensor_copy_does_not_alias():
    x = T.dvector("x")
    f = pytheano.function([x], [T.tensor_copy(x), x.copy(), T.add(x), T.second(x, x)])
    v = np.array([1., 2.])
    for out in f(v):
        np.testing.assert_array_equal(out, v)
        assert not np.shares_memory(out, v)


def test_bad_inputs():
    x = T.dvector("x")
    with pytest.raises(TypeError, match="Wrong number of inputs"):
        T.exp(x, x)
    with pytest.raises(TypeError, match="Wrong number of inputs"):
        T.switch(x, x)
    with pytest.raises(TypeError):
        T.add(x, "a")
    with pytest.raises(TypeError, match="bool output not supported"):
        T.sub(x > 0, x > 0)
    with pytest.raises(TypeError, match="must have type"):
        T.and_(x, x)
    with pytest.raises(TypeError, match="only float type are supported"):
        T.round(T.ivector())


def test_elemwise_constant_folding():
    x = T.dvector("x")
    assert T.get_scalar_constant_value(T.second(x, 3.)) == 3.
    assert T.get_scalar_constant_value(T.cast(T.constant(3) + 4, "float32")) == 7.
    assert T.get_scalar_constant_value(T.constant(7) // 2) == 3
    assert T.get_scalar_constant_value(T.switch(T.constant(0), 1, 2)) == 2
    with pytest.raises(T.NotScalarConstantError):
        T.get_scalar_constant_value(T.exp(T.constant(1.)))
    with pytest.raises(T.NotScalarConstantError):
        T.get_scalar_constant_value(T.constant(1.) + x)
    with pytest.raises(T.NotScalarConstantError):
        T.get_scalar_constant_value(T.constant(3) + 4, elemwise=False)


# --------------------------------------------------------------------------- seeds

def test_seed_switch_float32():
    pytheano.config.floatX = "float32"
    cond = T.vector("cond")
    x, y = T.vectors("x", "y")
    z = T.switch(cond, x, y)
    out = z.eval({cond: [1, 0], x: [10, 10], y: [3, 2]})
    assert repr(out) == "array([10.,  2.], dtype=float32)"


def test_seed_square_and_mul():
    pytheano.config.floatX = "float32"
    a = T.matrix()
    out = (a ** 2).eval({a: np.diag((3, 3)).astype(pytheano.config.floatX)})
    np.testing.assert_array_equal(out, [[9., 0.], [0., 9.]])
    assert out.dtype == "float32"
    b = T.scalar()
    out = (a * b).eval({a: np.diag((3, 3)).astype("float32"), b: 3})
    np.testing.assert_array_equal(out, [[9., 0.], [0., 9.]])


def test_seed_sigmoid():
    x = T.dmatrix("x")
    sigmoid = 1 / (1 + T.exp(-x))
    logistic = pytheano.function([x], sigmoid)
    out = logistic([[0, 1], [-1, -2]])
    np.testing.assert_allclose(out, [[0.5, 0.73105858], [0.26894142, 0.11920292]], rtol=1e-7)
    assert out.dtype == "float64"


# --------------------------------------------------------------------------- gradients

RNG_SEED = 0
GRAD_CASES = [
    # (name, fn, domains); each domain gives the float64 test values' range
    ("add", T.add, ((-2, 2),) * 2), ("add3", T.add, ((-2, 2),) * 3),
    ("sub", T.sub, ((-2, 2),) * 2), ("mul", T.mul, ((-2, 2),) * 2),
    ("mul3", T.mul, ((-2, 2),) * 3), ("true_div", T.true_div, ((-2, 2), (0.5, 2))),
    ("mod", T.mod, ((0.1, 0.9), (1.1, 2))), ("pow", T.pow, ((0.5, 2), (-1, 2))),
    ("maximum", T.maximum, ((-2, 2),) * 2), ("minimum", T.minimum, ((-2, 2),) * 2),
    ("clip", T.clip, ((-2, 2), (-1.5, -0.5), (0.5, 1.5))),
    ("switch", lambda a, b: T.switch(T.gt(a, 0), a * 2, b), ((-2, 2),) * 2),
    ("neg", T.neg, ((-2, 2),)), ("abs_", T.abs_, ((0.5, 2),)),
    ("inv", T.inv, ((0.5, 2),)), ("sqr", T.sqr, ((-2, 2),)), ("sqrt", T.sqrt, ((0.5, 2),)),
    ("exp", T.exp, ((-2, 2),)), ("exp2", T.exp2, ((-2, 2),)), ("expm1", T.expm1, ((-2, 2),)),
    ("log", T.log, ((0.5, 2),)), ("log2", T.log2, ((0.5, 2),)),
    ("log10", T.log10, ((0.5, 2),)), ("log1p", T.log1p, ((0.5, 2),)),
    ("sin", T.sin, ((-2, 2),)), ("cos", T.cos, ((-2, 2),)), ("tan", T.tan, ((-1, 1),)),
    ("arcsin", T.arcsin, ((-0.8, 0.8),)), ("arccos", T.arccos, ((-0.8, 0.8),)),
    ("arctan", T.arctan, ((-2, 2),)), ("arctan2", T.arctan2, ((-2, 2), (0.5, 2))),
    ("sinh", T.sinh, ((-2, 2),)), ("cosh", T.cosh, ((-2, 2),)), ("tanh", T.tanh, ((-2, 2),)),
    ("arcsinh", T.arcsinh, ((-2, 2),)), ("arccosh", T.arccosh, ((1.2, 3),)),
    ("arctanh", T.arctanh, ((-0.8, 0.8),)), ("deg2rad", T.deg2rad, ((-2, 2),)),
    ("rad2deg", T.rad2deg, ((-2, 2),)), ("erf", T.erf, ((-2, 2),)),
    ("erfc", T.erfc, ((-2, 2),)), ("erfcx", T.erfcx, ((-1, 2),)),
    ("erfinv", T.erfinv, ((-0.8, 0.8),)), ("erfcinv", T.erfcinv, ((0.2, 1.8),)),
    ("gamma", T.gamma, ((0.5, 3),)), ("gammaln", T.gammaln, ((0.5, 3),)),
    ("psi", T.psi, ((0.5, 3),)), ("j0", T.j0, ((-3, 3),)), ("j1", T.j1, ((-3, 3),)),
    ("i0", T.i0, ((-2, 2),)), ("i1", T.i1, ((-2, 2),)),
    ("jv", lambda a: T.jv(2.5, a), ((0.5, 3),)), ("iv", lambda a: T.iv(1.5, a), ((0.5, 3),)),
    ("second", T.second, ((-2, 2),) * 2), ("tensor_copy", T.tensor_copy, ((-2, 2),)),
    ("real", T.real, ((-2, 2),)), ("conj", T.conj, ((-2, 2),)),
    ("sigmoid", lambda a: 1 / (1 + T.exp(-a)), ((-2, 2),)),
]


@pytest.mark.parametrize("name,fn,domains", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_grad_matches_finite_differences(name, fn, domains):
    rng = np.random.default_rng(RNG_SEED)
    # Same shapes, then broadcasting: the last input a row, the first a column.
    shapes = [[(2, 3)] * len(domains)]
    if len(domains) > 1:
        shapes.append([(2, 1)] + [(2, 3)] * (len(domains) - 2) + [(1, 3)])
    for shape_set in shapes:
        values = [rng.uniform(lo, hi, size=shp) for (lo, hi), shp in zip(domains, shape_set)]
        verify_grad(fn, values, rng=rng)


def test_grad_not_implemented_for_bessel_order():
    v, x = T.dvector("v"), T.dvector("x")
    with pytest.raises(pytheano.gradient.NullTypeGradError):
        pytheano.grad(T.jv(v, x).sum(), v)
    with pytest.raises(NotImplementedError):
        pytheano.grad(T.tri_gamma(x).sum(), x)


def test_grad_of_cast():
    rng = np.random.default_rng(RNG_SEED)
    verify_grad(lambda a: T.cast(a, "float64") * 2, [rng.uniform(-2, 2, (2, 3)).astype(
        "float32")], rng=rng)
    x = T.dvector("x")
    g = pytheano.grad(T.cast(x, "float32").sum(), x)
    assert g.dtype == "float32"  # Theano 1.0.5: the cast's gradient, not cast back to x's
    np.testing.assert_array_equal(g.eval({x: np.ones(3)}), np.ones(3))


def test_grad_of_a_broadcast_input_is_summed():
    r, m = T.drow("r"), T.dmatrix("m")
    g = pytheano.grad((r * m).sum(), r)
    assert g.broadcastable == (True, False)
    mv = np.arange(6.).reshape(2, 3)
    np.testing.assert_array_equal(g.eval({r: np.ones((1, 3)), m: mv}), mv.sum(0, keepdims=True))
    s = T.dscalar("s")
    gs = pytheano.grad((s * m).sum(), s)
    assert gs.ndim == 0
    assert gs.eval({s: 2., m: mv}) == mv.sum()


def test_grad_through_integer_ops_is_zero():
    x = T.dvector("x")
    cost = (T.cast(x, "int32") * 2).sum() + (x > 0).sum() + T.floor(x).sum() + \
        T.round(x).sum() + T.sgn(x).sum() + x.sum()
    g = pytheano.grad(cost, x)
    np.testing.assert_array_equal(g.eval({x: np.array([1.5, -2.])}), [1., 1.])
    assert g.dtype == "float64"


def test_grad_of_float32_stays_float32():
    x = T.fvector("x")
    for fn in (T.exp, T.log10, T.sqrt, T.erf, T.arccos, T.tanh):
        assert pytheano.grad(fn(x).sum(), x).dtype == "float32", fn


def test_grad_graph_prints_like_theano():
    x, y = T.dvector("x"), T.dvector("y")
    g = pytheano.grad((x * y + T.exp(x) / y).sum(), x)
    assert str(g.owner.op) == "Elemwise{add,no_inplace}"
    ops = {str(n.op) for n in pytheano.graph.basic.io_toposort([x, y], [g])}
    assert {"Elemwise{mul}", "Elemwise{true_div}", "Elemwise{exp}", "Elemwise{second}"} <= ops


def test_second_grad_is_disconnected_from_the_shape():
    x, y = T.dvector("x"), T.dscalar("y")
    assert T.second.connection_pattern(T.second(x, y).owner) == [[False], [True]]
    with pytest.raises(pytheano.gradient.DisconnectedInputError):
        pytheano.grad(T.second(x, y).sum(), x)
    gy = pytheano.grad(T.second(x, y).sum(), y)
    assert gy.eval({x: np.ones(4), y: 2.}) == 4.


def test_rop_matches_finite_differences():
    x, v = T.dvector("x"), T.dvector("v")
    xv, vv = np.array([0.3, -1.2, 2.5]), np.array([1.0, 0.5, -2.0])
    for build in (lambda a: T.exp(a) * a, lambda a: (a - 3) ** 2, lambda a: T.maximum(a, 0.5),
                  lambda a: T.switch(a > 0, a, -2 * a), lambda a: T.cast(a, "int32") + a):
        out = build(x)
        rop = Rop(out, x, v)
        f = pytheano.function([x], out)
        eps = 1e-6
        expected = (f(xv + eps * vv) - f(xv - eps * vv)) / (2 * eps)
        np.testing.assert_allclose(rop.eval({x: xv, v: vv}), expected, rtol=1e-5, atol=1e-6)
