"""The call path (pytheano/_core/function.pyx): Python numbers and numpy scalars given for 0-d
inputs take a fast conversion; it must store exactly what the type's filter would, and leave
every refusal (and its message) to the filter."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano as theano
import pytheano.tensor as T
from pytheano.compile import In

DTYPES = ["float64", "float32", "int64", "int32", "int8", "uint8", "bool"]


def _identity(dtype, strict=False):
    x = T.scalar("x", dtype=dtype)
    return theano.function([In(x, strict=strict)], theano.Out(x, borrow=True),
                           mode="FAST_COMPILE"), x.type


def _filtered(xtype, value):
    try:
        return xtype.filter(value), None
    except Exception as exc:  # noqa: BLE001 - the class is what is compared
        return None, exc


NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
    st.booleans(),
    st.sampled_from([np.float64(1.5), np.float32(-2.25), np.int64(7), np.int32(-3),
                     np.int8(5), np.uint8(200), np.bool_(True), np.float64("nan"),
                     np.int64(2 ** 62)]),
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(value=NUMBERS, dtype=st.sampled_from(DTYPES))
def test_scalar_arguments_store_what_the_filter_stores(value, dtype):
    f, xtype = _identity(dtype)
    expected, refusal = _filtered(xtype, value)
    if refusal is not None:
        with pytest.raises(type(refusal)):
            f(value)
        return
    got = f(value)
    assert isinstance(got, np.ndarray) and got.ndim == 0
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("value", [1.0, np.float64(1.0), 3, np.int64(3)])
def test_strict_input_still_refuses_non_arrays(value):
    f, _ = _identity("float64" if isinstance(value, float) else "int64", strict=True)
    with pytest.raises(TypeError, match="expected a ndarray"):
        f(value)


def test_a_float_for_an_integer_input_keeps_theano_message():
    f, _ = _identity("int64")
    with pytest.raises(TypeError, match="cannot store accurately value 1.5"):
        f(1.5)


def test_huge_int_for_float64_goes_through_the_filter():
    f, xtype = _identity("float64")
    value = 2 ** 60 + 1
    np.testing.assert_array_equal(f(value), xtype.filter(value))


def test_reduction_result_fed_back():
    # What a reduction returns (a numpy scalar) is a valid argument, costing no more than an
    # array (benchmarks/bench_call_overhead.py measures it).
    x = T.dscalar("x")
    y = T.dscalar("y")
    f = theano.function([x, y], x * y)
    total = np.ones(4).sum()
    assert isinstance(total, np.float64)
    assert f(total, 2.0) == 8.0


def test_borrowed_output_that_is_an_input_is_returned():
    # The inputs' cells are cleared after a call; the outputs are read before that.
    x = T.dscalar("x")
    f = theano.function([x], theano.Out(x, borrow=True))
    assert f(np.array(1.5)) == 1.5


@pytest.mark.parametrize("mode", ["FAST_RUN", "FAST_COMPILE", theano.Mode(linker="cvm_nogc")])
def test_a_reused_scalar_array_never_changes_what_an_earlier_call_returned(mode):
    # The 0-d array a Python number was stored in is reused by the next call only when
    # nothing else holds it: a result, a view of it or an intermediate kept between calls.
    x = T.dscalar("x")
    n = T.lscalar("n")
    outs = [theano.Out(x, borrow=True), x.dimshuffle("x"), x * 2 + n, theano.Out(n, borrow=True)]
    f = theano.function([x, n], outs, mode=mode)
    kept = [(v, k, f(v, k)) for v, k in [(1.0, 1), (2.5, -3), (4, 7), (-0.5, 2 ** 40)]]
    for v, k, got in kept:
        np.testing.assert_array_equal(got[0], v)
        np.testing.assert_array_equal(got[1], [v])
        np.testing.assert_array_equal(got[2], v * 2 + k)
        np.testing.assert_array_equal(got[3], k)
        assert got[3].dtype == np.int64
    g = theano.function([x], x + 1.0)
    assert [float(g(v)) for v in (1.0, 2.0, 3)] == [2.0, 3.0, 4.0]
