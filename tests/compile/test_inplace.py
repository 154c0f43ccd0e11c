"""In place, for real: in-place ops write into the destroyed buffer, and the compile
pipeline refuses what would corrupt memory the function does not own."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano import In, Out
from pytheano.errors import InconsistencyError
from pytheano.scalar import basic as scal
from pytheano.tensor.elemwise import Elemwise

exp_inplace = Elemwise(scal.exp.make_new_inplace(scal.transfer_type(0)), {0: 0})
add_inplace = Elemwise(scal.add.make_new_inplace(scal.transfer_type(0)), {0: 0})
# A scalar op without a fast ufunc for these dtypes: the generic in-place path.
sgn_inplace = Elemwise(scal.sgn.make_new_inplace(scal.transfer_type(0)), {0: 0})


@pytest.mark.parametrize("linker", ["py", "cvm"])
def test_inplace_elemwise_changes_its_input_buffer(linker):
    x, y = T.dvectors("x", "y")
    f = pytheano.function([In(x, mutable=True), y], add_inplace(x, y), accept_inplace=True,
                          mode=pytheano.Mode(linker=linker, optimizer=None))
    a, b = np.array([1.0, 2.0]), np.array([10.0, 20.0])
    out = f(a, b)
    np.testing.assert_array_equal(a, [11.0, 22.0])   # the input buffer was written
    np.testing.assert_array_equal(out, [11.0, 22.0])
    assert b.tolist() == [10.0, 20.0]


@pytest.mark.parametrize("op,values,expected", [
    (exp_inplace, [0.0, 0.0], [1.0, 1.0]),
    (sgn_inplace, [-3.0, 2.0], [-1.0, 1.0]),
])
def test_unary_inplace_writes_the_input(op, values, expected):
    x = T.dvector("x")
    f = pytheano.function([In(x, mutable=True)], op(x) * 1, accept_inplace=True)
    a = np.array(values)
    np.testing.assert_array_equal(f(a), expected)
    np.testing.assert_array_equal(a, expected)


def test_inplace_graph_needs_accept_inplace():
    x = T.dvector("x")
    with pytest.raises(TypeError, match="Graph must not contain inplace operations"):
        pytheano.function([In(x, mutable=True)], exp_inplace(x))


def test_an_input_the_users_graph_destroys_is_overwritten_as_in_theano():
    # Theano 1.0: the user's own in-place op on an input (accept_inplace=True) declares that
    # the caller's array may be overwritten; Theano's inplace op testers check that it is.
    x = T.dvector("x")
    f = pytheano.function([x], exp_inplace(x), accept_inplace=True)
    a = np.zeros(2)
    out = f(a)
    np.testing.assert_array_equal(a, [1.0, 1.0])
    np.testing.assert_array_equal(out, [1.0, 1.0])


def test_a_rewrite_never_destroys_an_input_not_declared_mutable():
    x = T.dvector("x")
    # exp(x) + 1: the in-place phase may reuse exp's output, never x itself.
    f = pytheano.function([x], T.exp(x) + 1)
    a = np.zeros(2)
    f(a)
    np.testing.assert_array_equal(a, [0.0, 0.0])


def test_destroying_shared_storage_is_refused_unless_updated():
    s = pytheano.shared(np.zeros(2), name="s")
    with pytest.raises(InconsistencyError, match="protected"):
        pytheano.function([], exp_inplace(s), accept_inplace=True)
    # An updated shared variable's old value is dead after the call: it may be overwritten.
    f = pytheano.function([], [], updates=[(s, exp_inplace(s))], accept_inplace=True)
    f()
    np.testing.assert_array_equal(s.get_value(), [1.0, 1.0])


def test_destroyed_value_read_afterwards_is_refused():
    x = T.dvector("x")
    # The reader needs the destroyer's output and the destroyed value: no valid order.
    y = exp_inplace(x)
    with pytest.raises(InconsistencyError):
        pytheano.function([In(x, mutable=True)], [y + x], accept_inplace=True)


def test_reader_of_the_destroyed_input_runs_first():
    x = T.dvector("x")
    before = x * 2          # reads x; the handler orders it before the destroyer
    f = pytheano.function([In(x, mutable=True)], [exp_inplace(x), before], accept_inplace=True)
    a = np.zeros(2)
    e, b = f(a)
    np.testing.assert_array_equal(b, [0.0, 0.0])
    np.testing.assert_array_equal(e, [1.0, 1.0])


def test_view_of_an_input_as_output_is_copied_unless_borrowed():
    x = T.dmatrix("x")
    a = np.arange(6.0).reshape(2, 3)
    f = pytheano.function([x], x.T)
    out = f(a)
    assert not np.shares_memory(out, a)
    # Theano's rule (test_borrow_input): a view is handed out only when both the output and
    # the input are borrowed; the four cases print False, True, False, False on Theano 1.0.5
    shares = [np.shares_memory(pytheano.function([i], o)(a), a) for i, o in [
        (x, Out(x.T, borrow=True)), (In(x, borrow=True), Out(x.T, borrow=True)),
        (In(x, borrow=True), x.T), (x, x.T)]]
    assert shares == [False, True, False, False]
    g = pytheano.function([In(x, borrow=True)], Out(x.T, borrow=True))
    np.testing.assert_array_equal(g(a), a.T)
    # The input itself as an output is copied too, and a constant always.
    assert not np.shares_memory(pytheano.function([x], x)(a), a)
    c = T.constant(np.ones(2))
    h = pytheano.function([], c)
    h()[0] = 5.0
    np.testing.assert_array_equal(h(), [1.0, 1.0])


def test_shared_storage_as_output_is_copied():
    s = pytheano.shared(np.zeros(3))
    f = pytheano.function([], Out(s, borrow=True))
    f()[0] = 7.0
    np.testing.assert_array_equal(s.get_value(), [0.0, 0.0, 0.0])


def test_aliased_arguments_of_mutable_inputs_are_copied():
    """The same array given to two inputs that in-place ops overwrite gives the same result
    as two copies (Theano's test_input_aliasing_affecting_inplace_operations); the check is
    on only where an input is borrowed or mutable (Theano's _check_for_aliased_inputs)."""
    x, y = T.dvector("x"), T.dvector("y")
    m1, m2 = T.dmatrix("m1"), T.dmatrix("m2")
    f = pytheano.function([In(x, mutable=True), In(y, mutable=True), In(m1, mutable=True),
                           In(m2, mutable=True)], T.dot(x * 2, m1) + T.dot(y * 3, m2))
    assert f._check_for_aliased_inputs
    assert not pytheano.function([x], x + 1)._check_for_aliased_inputs
    assert pytheano.function([In(x, borrow=True)], x + 1)._check_for_aliased_inputs

    def fresh():
        return np.arange(1.0, 6.0), np.eye(5) + np.tri(5)

    v, m = fresh()
    expected = f(v, v.copy(), m, m.copy())
    v, m = fresh()
    np.testing.assert_allclose(f(v, v, m, m), expected)
    v, m = fresh()
    np.testing.assert_allclose(f(v, v[:], m, m.T.T), expected)  # views alias too
    v, m = fresh()
    np.testing.assert_allclose(f(x=v, y=v, m1=m, m2=m), expected)
    # a shared variable's value passed as an argument is not overwritten either
    s = pytheano.shared(np.arange(1.0, 6.0))
    g = pytheano.function([In(x, mutable=True)], (x * 2) + s)
    np.testing.assert_allclose(g(s.get_value(borrow=True)), 3 * np.arange(1.0, 6.0))
    np.testing.assert_allclose(s.get_value(), np.arange(1.0, 6.0))
