"""theano.shared: inferred types, get/set with borrow, containers shared between functions."""
import numpy as np
import pytest

import pytheano as theano
import pytheano.tensor as T


@pytest.mark.parametrize("value,expected", [
    (0, "TensorType(int64, scalar)"),
    (1.0, "TensorType(float64, scalar)"),
    (np.float32(1.0), "TensorType(float32, scalar)"),
    (np.zeros((2, 3), dtype="float32"), "TensorType(float32, matrix)"),
    (np.zeros(3, dtype="int8"), "TensorType(int8, vector)"),
    (True, "TensorType(bool, scalar)"),
    # a numpy scalar keeps its dtype (Theano's test_scalar_strict / test_scalar_floatX)
    (np.int32(7), "TensorType(int32, scalar)"), (np.int16(7), "TensorType(int16, scalar)"),
    (np.int8(7), "TensorType(int8, scalar)"), (np.uint8(7), "TensorType(uint8, scalar)"),
    (np.float16(1), "TensorType(float16, scalar)"), (2 ** 40, "TensorType(int64, scalar)"),
])
def test_inferred_types(value, expected):
    assert str(theano.shared(value).type) == expected


def test_seed_state_get_set():
    state = theano.shared(0)
    assert repr(state) == "<TensorType(int64, scalar)>"
    assert repr(state.get_value()) == "array(0)"
    state.set_value(1)
    assert repr(state.get_value()) == "array(1)"


def test_broadcastable_keyword():
    s = theano.shared(np.zeros((1, 3)), broadcastable=(True, False))
    assert s.broadcastable == (True, False)
    assert str(s.type) == "TensorType(float64, row)"


def test_borrow_semantics():
    v = np.zeros(3)
    s = theano.shared(v)
    v[0] = 1
    assert s.get_value()[0] == 0  # copied on construction
    b = theano.shared(v, borrow=True)
    assert b.get_value(borrow=True) is v
    got = s.get_value()
    got[1] = 5
    assert s.get_value()[1] == 0  # get_value copies
    s.set_value(v)
    v[2] = 7
    assert s.get_value()[2] == 0  # set_value copies
    s.set_value(v, borrow=True)
    assert s.get_value(borrow=True) is v


def test_set_value_checks_type():
    s = theano.shared(np.zeros(3))
    with pytest.raises(TypeError, match="Wrong number of dimensions"):
        s.set_value(np.zeros((2, 2)))
    i = theano.shared(np.zeros(3, dtype="int32"))
    with pytest.raises(TypeError):
        i.set_value(np.zeros(3))


def test_strict_shared():
    s = theano.shared(np.zeros(3), strict=True)
    with pytest.raises(TypeError):
        s.set_value([1, 2, 3])


def test_shared_between_functions():
    counter = theano.shared(0, name="counter")
    inc = theano.function([], counter, updates=[(counter, counter + 1)])
    read = theano.function([], counter * 10)
    inc()
    inc()
    assert read() == 20
    assert counter.get_value() == 2


def test_symbolic_value_refused():
    with pytest.raises(TypeError, match="numeric"):
        theano.shared(T.dscalar())


def test_unsupported_value_refused():
    with pytest.raises(TypeError, match="No suitable SharedVariable constructor"):
        theano.shared(np.zeros(3), no_such_argument=1)


def test_any_object_is_a_generic_shared_variable():
    # Theano 1.0: a value no tensor constructor takes is shared with the generic type.
    s = theano.shared("a string")
    assert s.get_value() == "a string"
    assert not isinstance(s, T.TensorVariable)


def test_default_update():
    s = theano.shared(0)
    s.default_update = s + 1
    f = theano.function([], s)
    f()
    f()
    assert s.get_value() == 2
    g = theano.function([], s, no_default_updates=True)
    g()
    assert s.get_value() == 2
