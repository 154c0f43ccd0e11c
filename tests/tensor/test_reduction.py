"""Tests of pytheano/tensor/reduction.py: values, dtypes and shapes against numpy, Theano 1.0's
dtype rules, op strings and variable names (checked on Theano 1.0.5), axis errors, gradients
and R_op."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano.tensor.type_other import NoneConst
from pytheano.errors import AxisError
from pytheano.tensor import reduction as R
from tests.helpers import ALL_DTYPES, check_infer_shape, check_op, random_value


# --------------------------------------------------------------------------- numpy references

def _axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    axis = axis if isinstance(axis, (list, tuple)) else [axis]
    return tuple(sorted(a % ndim for a in axis))


def _max_axes(axis, ndim):
    # Theano 1.0 compat: max / argmax (and min, argmin, ptp) reduce every axis for axis=[]
    axes = _axes(axis, ndim)
    return axes if axes else tuple(range(ndim))


def _out_dtype(dtype):
    """Theano's default output dtype of sum / prod."""
    return {"bool": "int64", "int8": "int64", "int16": "int64", "int32": "int64",
            "uint8": "uint64"}.get(dtype, dtype)


def _acc_dtype(dtype):
    return {"float32": "float64"}.get(dtype, _out_dtype(dtype))


def np_sum(a, axis, keepdims):
    axes = _axes(axis, a.ndim)
    r = np.sum(a, axis=axes, dtype=_acc_dtype(str(a.dtype)), keepdims=keepdims)
    return np.asarray(r, dtype=_out_dtype(str(a.dtype)))


def np_prod(a, axis, keepdims):
    axes = _axes(axis, a.ndim)
    r = np.prod(a, axis=axes, dtype=_acc_dtype(str(a.dtype)), keepdims=keepdims)
    return np.asarray(r, dtype=_out_dtype(str(a.dtype)))


def np_argmax(a, axis, keepdims, sign=1):
    axes = _max_axes(axis, a.ndim)
    keep = [d for d in range(a.ndim) if d not in axes]
    t = np.transpose(a, keep + list(axes))
    flat = t.reshape(t.shape[:len(keep)] + (-1,) if t.size else
                     t.shape[:len(keep)] + (int(np.prod(t.shape[len(keep):])),))
    r = np.argmax(flat, axis=-1) if sign > 0 else np.argmin(flat, axis=-1)
    r = np.asarray(r, dtype="int64")
    if keepdims:
        r = r.reshape([1 if d in axes else a.shape[d] for d in range(a.ndim)])
    return r


def _mean_dtype(dtype):
    return dtype if dtype in ("float32", "float64") else "float64"


def np_mean(a, axis, keepdims):
    r = np.mean(a.astype("float64"), axis=_axes(axis, a.ndim), keepdims=keepdims)
    return np.asarray(r, dtype=_mean_dtype(str(a.dtype)))


def _var_dtype(dtype, ddof):
    # Theano 1.0: with ddof the sum is divided by an int64 shape, which upcasts float32.
    return "float64" if ddof else _mean_dtype(dtype)


def np_var(a, axis, keepdims, ddof=0):
    r = np.var(a.astype("float64"), axis=_axes(axis, a.ndim), keepdims=keepdims, ddof=ddof)
    return np.asarray(r, dtype=_var_dtype(str(a.dtype), ddof))


def np_std(a, axis, keepdims, ddof=0):
    r = np.std(a.astype("float64"), axis=_axes(axis, a.ndim), keepdims=keepdims, ddof=ddof)
    return np.asarray(r, dtype=_var_dtype(str(a.dtype), ddof))


def _np_simple(fn, axes_of=_axes):
    def ref(a, axis, keepdims):
        return np.asarray(fn(a, axis=axes_of(axis, a.ndim), keepdims=keepdims))

    return ref


# One row per reduction: (name, builder, numpy reference, dtypes).
NUMERIC = tuple(d for d in ALL_DTYPES if d != "bool")
ROWS = [
    ("sum", T.sum, np_sum, ALL_DTYPES),
    ("prod", T.prod, np_prod, ALL_DTYPES),
    ("max", T.max, _np_simple(np.max, _max_axes), ALL_DTYPES),
    ("min", T.min, _np_simple(np.min, _max_axes), ALL_DTYPES),
    ("argmax", T.argmax, np_argmax, ALL_DTYPES),
    ("argmin", T.argmin, lambda a, axis, k: np_argmax(a, axis, k, sign=-1), ALL_DTYPES),
    ("mean", T.mean, np_mean, ALL_DTYPES),
    ("var", T.var, np_var, ALL_DTYPES),
    ("std", T.std, np_std, ALL_DTYPES),
    ("all", T.all, _np_simple(np.all), ALL_DTYPES),
    ("any", T.any, _np_simple(np.any), ALL_DTYPES),
    ("ptp", T.ptp, _np_simple(np.ptp, _max_axes), NUMERIC),
]


@st.composite
def shape_and_axis(draw, min_side=0):
    ndim = draw(st.integers(0, 3))
    shape = tuple(draw(st.lists(st.integers(min_side, 4), min_size=ndim, max_size=ndim)))
    kind = draw(st.sampled_from(["none", "int", "list"]))
    if kind == "none" or ndim == 0:
        axis = None
    elif kind == "int":
        axis = draw(st.integers(-ndim, ndim - 1))
    else:
        axes = draw(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim))
        # mix in negative spellings of some axes
        axis = [a - ndim if draw(st.booleans()) else a for a in axes]
        if draw(st.booleans()):
            axis = tuple(axis)
    return shape, axis


def _check_row(row, dtype, shape, axis, keepdims, seed=0):
    name, build, ref, _ = row
    x = T.tensor(dtype, [False] * len(shape), name="x")
    value = random_value(shape, dtype, rng=np.random.default_rng(seed))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # mean / var of empty arrays
        try:
            expected = ref(value, axis, keepdims)
        except ValueError:
            expected = None
        if expected is None:
            # numpy has no value (max of an empty axis, ...): pytheano must raise too.
            f = pytheano.function([x], build(x, axis=axis, keepdims=keepdims))
            with pytest.raises(ValueError):
                f(value)
            return
        check_op(lambda v: build(v, axis=axis, keepdims=keepdims), [x], [value],
                 lambda v: expected, expected_dtype=str(expected.dtype))


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
@settings(max_examples=50)
@given(data=st.data())
def test_reduction_matches_numpy(row, data):
    shape, axis = data.draw(shape_and_axis())
    dtype = data.draw(st.sampled_from(row[3]))
    keepdims = data.draw(st.booleans())
    _check_row(row, dtype, shape, axis, keepdims)


@pytest.mark.parametrize("row, dtype", [(r, d) for r in ROWS for d in r[3]],
                         ids=["%s-%s" % (r[0], d) for r in ROWS for d in r[3]])
def test_every_dtype_on_a_matrix(row, dtype):
    for axis in (None, 0, -1, [0, 1]):
        _check_row(row, dtype, (3, 4), axis, keepdims=False, seed=1)
    _check_row(row, dtype, (3, 4), 1, keepdims=True, seed=2)


def test_seed_max_float32():
    pytheano.config.floatX = "float32"
    a = T.matrix("a")
    value = [[1, 2], [3, 4]]
    full = T.max(a).eval({a: value})
    assert full.dtype == "float32" and full.shape == () and full == 4.0
    np.testing.assert_array_equal(T.max(a, axis=0).eval({a: value}), [3.0, 4.0])
    np.testing.assert_array_equal(T.max(a, axis=1).eval({a: value}), [2.0, 4.0])
    assert T.max(a, axis=0).eval({a: value}).dtype == "float32"


def test_outputs_are_ndarrays_of_the_output_dtype():
    x = T.fmatrix("x")
    outs = [T.sum(x), T.prod(x), T.max(x), T.argmax(x), T.all(x), T.sum(x, axis=0),
            T.mean(x), R.Mean()(x)]
    f = pytheano.function([x], outs)
    for out, value in zip(outs, f(np.ones((2, 3), dtype="float32"))):
        assert type(value) is np.ndarray
        assert str(value.dtype) == out.type.dtype


def test_extreme_integers():
    # Theano 1.0 computed min(x) as -max(-x), wrong for the smallest int (-(-128) == -128).
    for dtype in ("int8", "int16", "int32", "int64", "uint8", "uint64"):
        info = np.iinfo(dtype)
        value = np.array([info.min, 5, info.max, 0], dtype=dtype)
        x = T.vector(dtype=dtype)
        f = pytheano.function([x], [T.min(x), T.argmin(x), T.max(x), T.argmax(x)])
        mn, amn, mx, amx = f(value)
        assert mn == info.min and amn == 0 and mx == info.max and amx == 2
        assert mn.dtype == dtype and mx.dtype == dtype


def test_sum_accumulates_in_float64():
    x = T.fvector()
    value = np.array([1e8, 1.0, -1e8, 1.0] * 3, dtype="float32")
    got = T.sum(x).eval({x: value})
    assert got.dtype == "float32" and got == 6.0
    # a float32 accumulator loses the ones
    assert T.sum(x, acc_dtype="float32").eval({x: value}) != 6.0


def test_sum_of_small_ints_does_not_overflow():
    x = T.bvector()
    value = np.full(100, 100, dtype="int8")
    assert T.sum(x).eval({x: value}) == 10000
    assert T.sum(x, dtype="int8").eval({x: value}).dtype == "int8"


def test_argmax_ties_pick_the_first():
    x = T.matrix()
    value = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
    np.testing.assert_array_equal(T.argmax(x, axis=1).eval({x: value}), [1, 0])
    np.testing.assert_array_equal(T.argmin(x, axis=0).eval({x: value}), [0, 1, 1])


def test_zero_size_reductions():
    x = T.matrix("x")
    empty = np.zeros((0, 3))
    f = pytheano.function([x], [T.sum(x), T.sum(x, axis=0), T.prod(x, axis=0), T.all(x),
                                T.any(x, axis=0), T.max(x, axis=1), T.argmax(x, axis=1)])
    s, s0, p0, a, y0, m1, am1 = f(empty)
    assert s == 0 and s.shape == ()
    np.testing.assert_array_equal(s0, [0, 0, 0])
    np.testing.assert_array_equal(p0, [1, 1, 1])
    assert a.dtype == "bool" and a
    np.testing.assert_array_equal(y0, [False] * 3)
    assert m1.shape == (0,) and am1.shape == (0,) and am1.dtype == "int64"
    for build in (lambda v: T.max(v, axis=0), T.max, lambda v: T.argmax(v, axis=0),
                  lambda v: R.CAReduce(pytheano.scalar.basic.maximum, axis=[0])(v)):
        f = pytheano.function([x], build(x))
        with pytest.raises(ValueError, match="zero-size|empty"):
            f(empty)


# --------------------------------------------------------------------------- dtype rules

# (input dtype, builder, output dtype, op str) as Theano 1.0.5 gives them.
DTYPE_RULES = [
    ("int8", lambda x: T.sum(x), "int64", "Sum{acc_dtype=int64}"),
    ("int32", lambda x: T.sum(x), "int64", "Sum{acc_dtype=int64}"),
    ("bool", lambda x: T.sum(x), "int64", "Sum{acc_dtype=int64}"),
    ("uint8", lambda x: T.sum(x), "uint64", "Sum{acc_dtype=uint64}"),
    ("float32", lambda x: T.sum(x), "float32", "Sum{acc_dtype=float64}"),
    ("float64", lambda x: T.sum(x), "float64", "Sum{acc_dtype=float64}"),
    ("float16", lambda x: T.sum(x), "float16", "Sum{acc_dtype=float32}"),
    ("complex64", lambda x: T.sum(x), "complex64", "Sum{acc_dtype=complex128}"),
    ("float64", lambda x: T.sum(x, dtype="int8"), "int8", "Sum{acc_dtype=float64}"),
    ("int32", lambda x: T.sum(x, dtype="float32"), "float32", "Sum{acc_dtype=int64}"),
    ("int32", lambda x: T.sum(x, acc_dtype="float32"), "int64", "Sum{acc_dtype=float32}"),
    ("float32", lambda x: T.prod(x), "float32",
     "Prod{axis=None, dtype='float32', acc_dtype='float64'}"),
    ("int32", lambda x: T.prod(x), "int64",
     "Prod{axis=None, dtype='int64', acc_dtype='int64'}"),
    ("bool", lambda x: T.prod(x), "int64",
     "Prod{axis=None, dtype='int64', acc_dtype='int64'}"),
    ("int32", lambda x: T.prod(x, dtype="float32"), "float32",
     "Prod{axis=None, dtype='float32', acc_dtype='int64'}"),
    ("int32", lambda x: T.max(x), "int32", "MaxAndArgmax{axis=(0,)}"),
    ("bool", lambda x: T.max(x), "bool", "MaxAndArgmax{axis=(0,)}"),
    ("uint8", lambda x: T.max(x), "uint8", "MaxAndArgmax{axis=(0,)}"),
    ("float32", lambda x: T.argmax(x), "int64", "MaxAndArgmax{axis=(0,)}"),
    ("bool", lambda x: T.argmin(x), "int64", "MaxAndArgmax{axis=(0,)}"),
    ("float32", lambda x: T.mean(x), "float32", "Elemwise{true_div,no_inplace}"),
    ("float64", lambda x: T.mean(x), "float64", "Elemwise{true_div,no_inplace}"),
    ("int32", lambda x: T.mean(x), "float64", "Elemwise{true_div,no_inplace}"),
    ("int8", lambda x: T.mean(x), "float64", "Elemwise{true_div,no_inplace}"),
    ("bool", lambda x: T.mean(x), "float64", "Elemwise{true_div,no_inplace}"),
    ("int32", lambda x: T.mean(x, dtype="float32"), "float32",
     "Elemwise{true_div,no_inplace}"),
    ("int32", lambda x: T.mean(x, acc_dtype="float32"), "float64",
     "Elemwise{true_div,no_inplace}"),
    ("float32", lambda x: T.var(x), "float32", "Elemwise{true_div,no_inplace}"),
    ("float32", lambda x: T.var(x, ddof=1), "float64", "Elemwise{true_div,no_inplace}"),
    ("float32", lambda x: T.var(x, corrected=True), "float32", "Elemwise{sub,no_inplace}"),
    ("int32", lambda x: T.var(x), "float64", "Elemwise{true_div,no_inplace}"),
    ("float32", lambda x: T.std(x), "float32", "Elemwise{sqrt,no_inplace}"),
    ("float32", lambda x: T.std(x, ddof=1), "float64", "Elemwise{sqrt,no_inplace}"),
    ("int32", lambda x: T.all(x), "bool", "All"),
    ("float32", lambda x: T.any(x), "bool", "Any"),
    ("float32", lambda x: T.ptp(x), "float32", "Elemwise{sub,no_inplace}"),
    ("int32", lambda x: T.ptp(x), "int32", "Elemwise{sub,no_inplace}"),
    ("float32", lambda x: T.min(x), "float32", "Elemwise{neg,no_inplace}"),
    ("uint8", lambda x: T.min(x), "uint8", "Elemwise{sub,no_inplace}"),
    ("bool", lambda x: T.min(x), "bool", "Elemwise{invert,no_inplace}"),
]


@pytest.mark.parametrize("dtype, build, out_dtype, op_str", DTYPE_RULES)
def test_dtype_rules_as_theano(dtype, build, out_dtype, op_str):
    pytheano.config.floatX = "float32"
    out = build(T.vector("x", dtype=dtype))
    assert out.type.dtype == out_dtype
    assert str(out.owner.op) == op_str


def test_float16_mean_is_cast_back():
    out = T.mean(T.vector(dtype="float16"))
    assert out.type.dtype == "float16" and out.name == "mean"
    assert str(out.owner.op) == "Elemwise{Cast{float16}}"


def test_acc_dtype_that_loses_precision():
    with pytest.raises(TypeError, match="as precision would be lost") as e:
        T.sum(T.dmatrix(), acc_dtype="float32")
    assert "acc_dtype at least as precise as float64" in str(e.value)
    with pytest.raises(TypeError, match="input dtype int32 and acc_dtype int8"):
        T.sum(T.ivector(), acc_dtype="int8")
    with pytest.raises(TypeError, match="precision would be lost"):
        T.prod(T.ivector(), acc_dtype="int16")


# --------------------------------------------------------------------------- str and names

def test_op_strings_and_names():
    x = T.dmatrix("x")
    cases = [
        (T.sum(x), "Sum{acc_dtype=float64}", None),
        (T.sum(x, axis=0), "Sum{axis=[0], acc_dtype=float64}", None),
        (T.sum(x, axis=-1), "Sum{axis=[1], acc_dtype=float64}", None),
        (T.sum(x, axis=(1, 0)), "Sum{axis=[0, 1], acc_dtype=float64}", None),
        (T.sum(x, axis=[]), "Sum{axis=[], acc_dtype=float64}", None),
        (T.sum(x, keepdims=True), "InplaceDimShuffle{x,x}", None),
        (T.sum(x, axis=0, keepdims=True), "InplaceDimShuffle{x,0}", None),
        (T.prod(x, axis=1), "Prod{axis=(1,), dtype='float64', acc_dtype='float64'}", None),
        (T.max(x), "MaxAndArgmax{axis=(0, 1)}", "max"),
        (T.max(x, axis=0), "MaxAndArgmax{axis=(0,)}", "max"),
        (T.max(x, keepdims=True), "InplaceDimShuffle{x,x}", None),
        (T.argmax(x, axis=-1), "MaxAndArgmax{axis=(1,)}", "argmax"),
        (T.argmin(x), "MaxAndArgmax{axis=(0, 1)}", "argmax"),
        (T.min(x, axis=0), "Elemwise{neg,no_inplace}", None),
        (T.mean(x), "Elemwise{true_div,no_inplace}", "mean"),
        (T.mean(x, axis=0, keepdims=True), "Elemwise{true_div,no_inplace}", "mean"),
        (T.var(x, axis=0), "Elemwise{true_div,no_inplace}", "var"),
        (T.var(x, corrected=True), "Elemwise{sub,no_inplace}", "var"),
        (T.std(x, ddof=1), "Elemwise{sqrt,no_inplace}", "std"),
        (T.all(x), "All", None),
        (T.all(x, axis=0), "All{0}", None),
        (T.any(x, axis=[0, 1]), "Any{0, 1}", None),
        (T.ptp(x), "Elemwise{sub,no_inplace}", None),
    ]
    for out, op_str, name in cases:
        assert str(out.owner.op) == op_str, (str(out.owner.op), op_str)
        assert out.name == name, (out.name, name)
    assert repr(T.sum(x)) == "Sum{acc_dtype=float64}.0"
    assert repr(T.max(x)) == "max"
    assert repr(T.mean(x)) == "mean"
    mx, amx = T.max_and_argmax(x, axis=1)
    assert (mx.name, amx.name) == ("max", "argmax") and mx.owner is amx.owner
    assert mx.type == T.dvector().type and amx.type.dtype == "int64"
    # a 0-d input: MaxAndArgmax over no axis; mean is the (named) sum itself
    s = T.dscalar()
    assert str(T.max(s).owner.op) == "MaxAndArgmax{axis=()}"
    assert str(T.mean(s).owner.op) == "Sum{acc_dtype=float64}" and T.mean(s).name == "mean"


def test_ops_built_directly():
    scal = pytheano.scalar.basic
    assert str(R.CAReduce(scal.maximum, axis=[0])) == "Reduce{maximum}{0}"
    assert str(R.CAReduce(scal.add)) == "Reduce{add}"
    assert str(R.CAReduce(scal.add, axis=[1, 0])) == "Reduce{add}{0, 1}"
    assert str(R.Sum(axis=[1])) == "Sum{axis=[1], acc_dtype=None}"
    assert str(R.Sum(axis=1)) == "Sum{axis=[1], acc_dtype=None}"
    assert str(R.Prod(axis=[])) == "Prod{axis=(), dtype=None, acc_dtype=None}"
    assert str(R.ProdWithoutZeros(axis=[0])) == \
        "ProdWithoutZeros{axis=(0,), dtype=None, acc_dtype=None}"
    assert str(R.Argmax([0])) == "Argmax{axis=(0,)}"
    assert str(R.Argmax((0, 1))) == "Argmax{axis=(0, 1)}"
    assert str(R.Mean(0)) == "Mean{0}" and str(R.Mean()) == "Mean"
    assert R.Sum(axis=[0]) == R.Sum(axis=(0,)) and hash(R.Sum(axis=[0])) == hash(R.Sum(axis=0))
    assert R.Sum(axis=[0]) != R.Sum(axis=[1]) and R.All() != R.Any()
    assert R.Prod(no_zeros_in_input=True) != R.Prod()
    x = T.dmatrix()
    assert T.sum(x, axis=0).owner.op == R.Sum(axis=[0], dtype="float64", acc_dtype="float64")


def test_mean_op():
    x = T.fmatrix()
    value = random_value((3, 4), "float32")
    out = T.mean(x, axis=0, op=True)
    assert str(out.owner.op) == "Mean{0}" and out.type.dtype == "float64"
    check_op(lambda v: T.mean(v, op=True), [x], [value], lambda v: np.mean(v, dtype="float64"))
    check_op(lambda v: T.mean(v, axis=1, op=True, keepdims=True), [x], [value],
             lambda v: np.mean(v, axis=1, dtype="float64", keepdims=True))
    with pytest.raises(NotImplementedError, match="op=False"):
        T.mean(x, dtype="float32", op=True)
    with pytest.raises(ValueError, match="one axis"):
        T.mean(x, axis=[0, 1], op=True)


def test_argmax_op():
    x = T.tensor3()
    value = random_value((2, 3, 4), "float64")
    for axes in ([0], [2], [0, 2], [0, 1, 2]):
        out = R.Argmax(axes)(x)
        assert out.name == "argmax"
        check_op(lambda v, axes=axes: R.Argmax(axes)(v), [x], [value],
                 lambda v, axes=axes: np_argmax(v, axes, False))
    assert str(R.Argmax([-1])(x).owner.op) == "Argmax{axis=(2,)}"


def test_careduce_ops():
    scal = pytheano.scalar.basic
    x = T.imatrix()
    value = random_value((3, 4), "int32")
    for op, ufunc in ((scal.add, np.add), (scal.mul, np.multiply),
                      (scal.maximum, np.maximum), (scal.minimum, np.minimum)):
        for axis in (None, [0], [1], [0, 1], [-1]):
            reduce_op = R.CAReduce(op, axis)
            out = reduce_op(x)
            assert out.type.dtype == "int32"
            axes = _axes(axis, 2)
            check_op(lambda v, op=op, axis=axis: R.CAReduce(op, axis)(v), [x], [value],
                     lambda v, ufunc=ufunc, axes=axes: ufunc.reduce(v, axes, v.dtype))
    b = T.bmatrix()
    bvalue = random_value((3, 4), "int8")
    check_op(lambda v: R.CAReduce(scal.and_, [0])(v), [b], [bvalue],
             lambda v: np.bitwise_and.reduce(v, axis=0))
    check_op(lambda v: R.CAReduce(scal.or_)(v), [b], [bvalue],
             lambda v: np.bitwise_or.reduce(v, axis=(0, 1)))


def test_prod_without_zeros():
    x = T.dmatrix()
    value = np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 0.0], [1.0, 5.0, 0.5]])
    check_op(lambda v: R.ProdWithoutZeros(axis=[1])(v), [x], [value],
             lambda v: np.array([6.0, 0.0, 2.5]))
    check_op(lambda v: R.ProdWithoutZeros()(v), [x], [value],
             lambda v: np.array(15.0))
    # the generic CAReduce with that scalar op (no numpy ufunc: reduced through its impl)
    check_op(lambda v: R.CAReduce(R.mul_without_zeros, axis=[1])(v), [x], [value],
             lambda v: np.array([6.0, 0.0, 2.5]))
    check_op(lambda v: R.CAReduce(R.mul_without_zeros, axis=[0])(v), [x], [np.zeros((0, 2))],
             lambda v: np.zeros(2))


def test_broadcastable_flags_are_kept():
    row = T.drow()
    assert T.sum(row, axis=1).broadcastable == (True,)
    assert T.max(T.dcol(), axis=0).broadcastable == (True,)
    assert T.argmax(T.dcol(), axis=0).broadcastable == (True,)
    assert T.all(row, axis=0).broadcastable == (False,)
    assert T.sum(row, axis=1, keepdims=True).broadcastable == (True, True)
    assert T.mean(T.dmatrix(), axis=0, keepdims=True).broadcastable == (True, False)


def test_axis_forms():
    x = T.dtensor3()
    value = random_value((2, 3, 4), "float64")
    expected = value.sum(axis=(0, 2))
    for axis in ([0, 2], (2, 0), [-1, 0], np.array([0, 2]), T.constant([0, 2]),
                 (np.int64(0), np.int32(-1))):
        check_op(lambda v, axis=axis: T.sum(v, axis=axis), [x], [value], lambda v: expected)
    check_op(lambda v: T.max(v, axis=T.constant(1)), [x], [value], lambda v: v.max(axis=1))
    check_op(lambda v: T.sum(v, axis=np.int64(1)), [x], [value], lambda v: v.sum(axis=1))
    # Theano 1.0 compat: an empty axis list reduces nothing for sum, everything for max
    check_op(lambda v: T.sum(v, axis=[]), [x], [value], lambda v: v.copy())
    check_op(lambda v: T.max(v, axis=[]), [x], [value], lambda v: np.max(v))


# --------------------------------------------------------------------------- errors

@pytest.mark.parametrize("build", [
    lambda x, a: T.sum(x, axis=a), lambda x, a: T.prod(x, axis=a),
    lambda x, a: T.max(x, axis=a), lambda x, a: T.min(x, axis=a),
    lambda x, a: T.argmax(x, axis=a), lambda x, a: T.argmin(x, axis=a),
    lambda x, a: T.mean(x, axis=a), lambda x, a: T.var(x, axis=a),
    lambda x, a: T.std(x, axis=a), lambda x, a: T.all(x, axis=a),
    lambda x, a: T.any(x, axis=a), lambda x, a: T.ptp(x, axis=a),
    lambda x, a: x.sum(axis=a), lambda x, a: x.max(axis=a),
])
def test_bad_axis_is_a_graph_build_error(build):
    x = T.dmatrix("x")
    for axis in (2, -3, [0, 5]):
        with pytest.raises(ValueError, match="Not enough dimensions on .* axis") as e:
            build(x, axis)
        assert "valid axes are -2 to 1" in str(e.value)
        assert isinstance(e.value, AxisError)
    for axis in ([0, 0], [1, -1]):
        with pytest.raises(ValueError, match="Duplicate axis"):
            build(x, axis)
    for axis in (1.5, "0", [0, 1.0], True):
        with pytest.raises(TypeError, match="axis"):
            build(x, axis)
    with pytest.raises(TypeError, match="constant axis"):
        build(x, T.iscalar())


def test_keepdims_axis_errors():
    x = T.dmatrix("x")
    with pytest.raises(ValueError, match="Not enough dimensions"):
        T.sum(x, axis=3, keepdims=True)
    with pytest.raises(ValueError, match="valid axes are none"):
        T.sum(T.dscalar("s"), axis=0)


def test_other_errors():
    with pytest.raises(ValueError, match="keepdims is now at index 3"):
        T.var(T.dmatrix(), None, True)
    with pytest.raises(ValueError, match="keepdims is now at index 3"):
        T.std(T.dmatrix(), 0, True)
    with pytest.raises(NotImplementedError, match="complex"):
        T.min(T.cvector())
    with pytest.raises(NotImplementedError, match="binary functions"):
        R.CAReduce(pytheano.scalar.basic.neg)


# --------------------------------------------------------------------------- gradients

def _verify(fun, values):
    pytheano.gradient.verify_grad(fun, [np.asarray(v, dtype="float64") for v in values],
                                  rng=np.random.default_rng(0))


GRAD_AXES = [None, 0, 1, -1, [0, 2], (0, 1, 2)]


@pytest.mark.parametrize("axis", GRAD_AXES)
def test_grad_sum_prod_mean(axis):
    rng = np.random.default_rng(1)
    value = rng.uniform(0.5, 2.0, size=(2, 3, 4))
    _verify(lambda v: T.sum(v, axis=axis), [value])
    _verify(lambda v: T.sum(v, axis=axis, keepdims=True), [value])
    _verify(lambda v: T.prod(v, axis=axis), [value])
    _verify(lambda v: T.prod(v, axis=axis, no_zeros_in_input=True), [value])
    _verify(lambda v: T.mean(v, axis=axis), [value])


@pytest.mark.parametrize("axis", GRAD_AXES)
def test_grad_max_min(axis):
    # distinct values: the max is differentiable
    value = np.random.default_rng(2).permutation(24).reshape(2, 3, 4) / 7.0
    _verify(lambda v: T.max(v, axis=axis), [value])
    _verify(lambda v: T.min(v, axis=axis), [value])
    _verify(lambda v: T.ptp(v, axis=axis), [value])
    _verify(lambda v: T.max_and_argmax(v, axis=axis)[0], [value])


@pytest.mark.parametrize("axis", GRAD_AXES)
@pytest.mark.parametrize("ddof", [0, 1])
def test_grad_var_std(axis, ddof):
    value = np.random.default_rng(3).uniform(-2, 2, size=(2, 3, 4))
    _verify(lambda v: T.var(v, axis=axis, ddof=ddof), [value])
    _verify(lambda v: T.std(v, axis=axis, ddof=ddof), [value])
    _verify(lambda v: T.var(v, axis=axis, ddof=ddof, corrected=True, keepdims=True), [value])


def test_grad_max_ties_go_to_every_maximum():
    # Theano 1.0.5 values
    v = T.dvector("v")
    g = pytheano.grad(T.max(v), v)
    np.testing.assert_array_equal(g.eval({v: [1.0, 3.0, 3.0, 2.0]}), [0, 1, 1, 0])
    g = pytheano.grad(T.min(v), v)
    np.testing.assert_array_equal(g.eval({v: [1.0, 1.0, 3.0, 2.0]}), [1, 1, 0, 0])
    x = T.dmatrix("x")
    g = pytheano.grad(T.max(x, axis=1).sum(), x)
    np.testing.assert_array_equal(g.eval({x: [[1.0, 3.0], [3.0, 3.0]]}), [[0, 1], [1, 1]])
    scal = pytheano.scalar.basic
    g = pytheano.grad(R.CAReduce(scal.maximum, [1])(x).sum(), x)
    np.testing.assert_array_equal(g.eval({x: [[1.0, 3.0], [3.0, 3.0]]}), [[0, 1], [1, 1]])


def test_grad_prod_with_zeros():
    # Theano 1.0.5 values
    v = T.dvector("v")
    g = pytheano.grad(T.prod(v), v)
    np.testing.assert_array_equal(g.eval({v: [1.0, 0.0, 3.0, 2.0]}), [0, 6, 0, 0])
    np.testing.assert_array_equal(g.eval({v: [0.0, 0.0, 3.0, 2.0]}), [0, 0, 0, 0])
    np.testing.assert_array_equal(g.eval({v: [4.0, 1.0, 3.0, 2.0]}), [6, 24, 8, 12])
    g = pytheano.grad(T.prod(v, no_zeros_in_input=True), v)
    np.testing.assert_array_equal(g.eval({v: [1.0, 0.0, 3.0, 2.0]}), [0, np.nan, 0, 0])
    x = T.dmatrix("x")
    g = pytheano.grad(T.prod(x, axis=0).sum(), x)
    value = np.array([[0.0, 2.0, 0.0], [3.0, 5.0, 0.0]])
    np.testing.assert_array_equal(g.eval({x: value}), [[3, 5, 0], [0, 2, 0]])


def test_grad_of_discrete_reductions_is_zero():
    v = T.dvector("v")
    value = [1.0, 3.0, 2.0]
    for cost in (T.argmax(v).astype("float64"), T.all(v).astype("float64"),
                 T.any(v).astype("float64"), T.sum(T.cast(v, "int32")).astype("float64"),
                 T.max_and_argmax(v)[1].astype("float64")):
        g = pytheano.grad(cost, v)
        np.testing.assert_array_equal(g.eval({v: value}), [0, 0, 0])
    # the max and its argmax together: only the max carries a gradient
    g = pytheano.grad(T.max(v) + T.argmax(v), v)
    np.testing.assert_array_equal(g.eval({v: value}), [0, 1, 0])


def test_grad_dtype_follows_input():
    x = T.fmatrix("x")
    for cost in (T.sum(x), T.mean(x), T.max(x), T.prod(x), T.var(x)):
        assert pytheano.grad(cost, x).type == x.type


def test_prod_without_zeros_has_no_second_derivative():
    v = T.dvector("v")
    g = pytheano.grad(T.prod(v), v).sum()
    with pytest.raises(Exception, match="2nd derivatives of `product"):
        pytheano.grad(g, v)


# --------------------------------------------------------------------------- R_op

def _check_rop(build, value, seed=0):
    x = T.dtensor3("x")
    ev = T.dtensor3("ev")
    out = build(x)
    rop = pytheano.gradient.Rop(out, x, ev)
    e = np.random.default_rng(seed).normal(size=value.shape)
    got = pytheano.function([x, ev], rop, on_unused_input="ignore")(value, e)
    # forward-mode derivative = J e, by finite differences of the (linear/smooth) function
    f = pytheano.function([x], out)
    eps = 1e-6
    expected = (f(value + eps * e) - f(value - eps * e)) / (2 * eps)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("axis", GRAD_AXES)
def test_rop(axis):
    value = np.random.default_rng(4).permutation(24).reshape(2, 3, 4) / 7.0 + 0.5
    _check_rop(lambda v: T.sum(v, axis=axis), value)
    _check_rop(lambda v: T.max(v, axis=axis), value)
    _check_rop(lambda v: T.mean(v, axis=axis), value)
    _check_rop(lambda v: T.max(v, axis=axis, keepdims=True) * 2.0, value)


@pytest.mark.parametrize("axis", [None, 1, [0, 2]])
def test_rop_var(axis):
    # (x - mean) ** 2 has negative bases: the constant exponent must get no eval point
    # (a zero one gives 0 * log(negative) = nan), as in Theano 1.0.
    value = np.random.default_rng(5).uniform(-2, 2, size=(2, 3, 4))
    _check_rop(lambda v: T.var(v, axis=axis), value)
    _check_rop(lambda v: T.std(v, axis=axis, ddof=1), value)


def test_infer_shape_of_graphs():
    x = T.dtensor3("x")
    value = random_value((2, 3, 4), "float64")
    for axis in (None, 1, [0, 2]):
        outs = [T.var(x, axis=axis, keepdims=True), T.std(x, axis=axis, ddof=1),
                T.ptp(x, axis=axis)] + T.max_and_argmax(x, axis=axis, keepdims=True)
        check_infer_shape(outs, [x], [value])


_NAN_CASES = [((5, 6), None), ((5, 6), (0, 1)), ((5, 6), (0,)), ((5, 6), (-1,)), ((5, 6), ()),
              ((2, 3, 4, 5), (-2, -3)), ((5, 0), None), ((5, 0), (1,)), ((), None), ((), ())]


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128"])
def test_perform_nan_propagates_as_theano(dtype):
    # Theano 1.0.5's test_CAReduce.test_perform_nan: the first element NaN, the result equal
    # to numpy's reduction with NaN in the same places (max/min propagate NaN).
    from pytheano import scalar
    from pytheano.compile.mode import Mode
    from pytheano.tensor.reduction import CAReduce
    from pytheano.tensor.type import TensorType

    reductions = [(scalar.add, None, np.add.reduce), (scalar.mul, None, np.multiply.reduce),
                  (scalar.maximum, None, np.maximum.reduce),
                  (scalar.minimum, None, np.minimum.reduce),
                  (scalar.or_, T.any, np.any), (scalar.and_, T.all, np.all)]
    for scalar_op, tensor_op, np_reduce in reductions:
        for xsh, axis in _NAN_CASES:
            x = TensorType(dtype, [d == 1 for d in xsh])("x")
            e = CAReduce(scalar_op, axis=axis)(x) if tensor_op is None else tensor_op(x, axis)
            f = pytheano.function([x], e, mode=Mode(linker="py"))
            xv = np.asarray(np.random.rand(*xsh), dtype=dtype)
            if xv.size:
                xv.flat[0] = np.nan
            axes = range(len(xsh)) if axis is None else [a % len(xsh) for a in axis]
            expected, numpy_raised = xv, False
            try:
                for a in sorted(axes, reverse=True):
                    expected = np_reduce(expected, a)
            except ValueError:  # max/min of an empty axis
                numpy_raised = True
            if numpy_raised:
                with pytest.raises(ValueError):
                    f(xv)
                continue
            if tensor_op is not None and not list(axes):
                expected = expected != 0
            out, expected = np.asarray(f(xv)), np.asarray(expected)
            assert out.shape == expected.shape and out.dtype == expected.dtype
            # NaN in the same places (equal_nan); summation order may differ by an ulp.
            rtol = 1e-5 if dtype in ("float32", "complex64") else 1e-12
            np.testing.assert_allclose(out, expected, rtol=rtol)


def test_axis_list_of_0d_arrays_and_constants():
    # Theano 1.0.5: T.argmax(m, axis=[np.array(1)]) -> [2, 2]; pytheano also takes constants.
    m = T.dmatrix("m")
    mv = np.arange(6.0).reshape(2, 3)
    mv[0, 2] = 9
    f = pytheano.function([m], [T.argmax(m, axis=[np.array(1)]),
                                T.sum(m, axis=[T.constant(0)]), T.max(m, axis=np.array(-1))])
    a, s, mx = f(mv)
    assert a.tolist() == [2, 2] and s.tolist() == [3.0, 5.0, 14.0] and mx.tolist() == [9.0, 5.0]
    mx, am = pytheano.function([m], list(T.max_and_argmax(m, axis=None)))(mv)
    assert (mx.tolist(), am.tolist(), am.dtype) == (9.0, 2, np.int64)
    # Theano's NoneConst (a constant holding None) means all axes, as axis=None does.
    mx, am = pytheano.function([m], list(T.max_and_argmax(m, axis=NoneConst.clone())))(mv)
    assert (mx.tolist(), am.tolist()) == (9.0, 2)
    assert T.sum(m, axis=NoneConst).eval({m: mv}) == mv.sum()


def test_smallest_and_largest_are_elementwise_min_max_of_the_arguments():
    x, y, z = T.dvectors("x", "y", "z")
    a, b, c = np.array([1.0, 5.0]), np.array([2.0, -1.0]), np.array([0.5, 3.0])
    f = pytheano.function([x, y, z], [T.smallest(x, y), T.smallest(x, y, z),
                                      T.largest(x, y), T.largest(x, y, z)])
    s2, s3, l2, l3 = f(a, b, c)
    assert s2.tolist() == [1.0, -1.0] and s3.tolist() == [0.5, -1.0]
    assert l2.tolist() == [2.0, 5.0] and l3.tolist() == [2.0, 5.0]
