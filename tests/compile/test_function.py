"""theano.function: inputs, outputs, updates, givens, In/Out, errors, return types."""
import copy
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest

import pytheano as theano
import pytheano.tensor as T
from pytheano import In
from pytheano.compile.function_module import UnusedInputError
from pytheano.errors import MissingInputError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_seed_scalar_add_returns_0d_array():
    a = T.scalar("a")
    b = T.scalar("b")
    f = theano.function([a, b], a + b)
    result = f(1, 2)
    assert isinstance(result, np.ndarray) and result.shape == () and result.dtype == "float64"
    assert result == 3.0
    assert repr(result) == "array(3.)"


def test_single_output_vs_list_of_outputs():
    x = T.dmatrix("x")
    f1 = theano.function([x], x * 2)
    f2 = theano.function([x], [x * 2])
    f3 = theano.function([x], [T.exp(x), T.log(x), x ** 2])
    v = np.ones((2, 2))
    assert isinstance(f1(v), np.ndarray)
    out2 = f2(v)
    assert isinstance(out2, list) and len(out2) == 1
    out3 = f3(v)
    assert isinstance(out3, list) and len(out3) == 3
    np.testing.assert_allclose(out3[0], np.exp(v))


def test_default_name_is_call_site():
    x = T.dscalar()
    f = theano.function([x], x + 1)
    assert f.name.endswith("test_function.py:%d" % (test_default_name_is_call_site.__code__
                                                   .co_firstlineno + 2))


def test_updates_are_computed_from_old_values_and_assigned_together():
    a = theano.shared(1.0, name="a")
    b = theano.shared(10.0, name="b")
    f = theano.function([], [a, b], updates=[(a, b), (b, a)])
    out = f()
    assert [float(o) for o in out] == [1.0, 10.0]
    assert a.get_value() == 10.0 and b.get_value() == 1.0
    f()
    assert a.get_value() == 1.0 and b.get_value() == 10.0


def test_seed_updates_without_outputs_return_empty_list():
    w = theano.shared(1.0)
    x = T.scalar("x")
    mul = theano.function([x], updates=[(w, w * x)])
    assert mul(4) == []
    assert repr(w.get_value()) == "array(4.)"


def test_updates_as_dict():
    w = theano.shared(np.zeros(2))
    f = theano.function([], updates={w: w + 1})
    f()
    f()
    np.testing.assert_array_equal(w.get_value(), [2, 2])


def test_update_type_mismatch_message():
    w = theano.shared(1.0, name="w")
    v = T.dvector("v")
    with pytest.raises(TypeError) as info:
        theano.function([v], updates=[(w, v)])
    assert info.value.args[0] == (
        "An update must have the same type as the original shared variable (shared_var=w, "
        "shared_var.type=TensorType(float64, scalar), update_val=v, "
        "update_val.type=TensorType(float64, vector)).")
    assert "unbroadcast" in info.value.args[1]


def test_update_target_must_be_shared():
    x = T.dscalar("x")
    with pytest.raises(TypeError, match="SharedVariable"):
        theano.function([x], x, updates=[(x, x + 1)])


def test_givens_substitute_any_variable():
    x = T.dscalar("x")
    y = T.dscalar("y")
    z = x * 2
    s = theano.shared(5.0)
    f = theano.function([y], z, givens={x: y + 1})
    assert f(1.0) == 4.0
    g = theano.function([], z, givens=[(x, s)])
    assert g() == 10.0
    # an intermediate too
    h = theano.function([y], z + 1, givens={z: y})
    assert h(3.0) == 4.0


def test_givens_type_mismatch_is_clear():
    x = T.dscalar("x")
    m = T.dmatrix("m")
    with pytest.raises(TypeError, match="givens"):
        theano.function([m], x * 2, givens={x: m})


def test_in_default_value_name_and_keywords():
    x, y = T.dscalars("x", "y")
    f = theano.function([x, theano.In(y, value=1.0, name="yy")], x + y)
    assert f(1.0) == 2.0
    assert f(1.0, 2.0) == 3.0
    assert f(1.0, yy=5.0) == 6.0
    assert f(x=2.0) == 3.0
    assert f["yy"] == 1.0
    with pytest.raises(TypeError, match="Unknown input or state: zz"):
        f(1.0, zz=2)
    with pytest.raises(TypeError, match="Multiple values for input: x"):
        f(1.0, x=2.0)


def test_out_borrow_and_output_copy_protection():
    x = T.dvector("x")
    f = theano.function([x], theano.Out(x * 2, borrow=True))
    np.testing.assert_array_equal(f([1, 2]), [2, 4])
    g = theano.function([x], x)
    v = np.arange(3.0)
    out = g(v)
    assert out is not v and not np.shares_memory(out, v)
    w = theano.shared(np.arange(4.0).reshape(2, 2))
    h = theano.function([], w.T)
    out = h()
    out[0, 0] = 99
    assert w.get_value()[0, 0] == 0


def test_same_output_twice_gives_distinct_arrays():
    x = T.dvector("x")
    y = x * 2
    f = theano.function([x], [y, y])
    a, b = f([1.0])
    assert a is not b
    np.testing.assert_array_equal(a, b)


def test_too_many_arguments():
    x = T.dscalar("x")
    f = theano.function([x], x * 2)
    with pytest.raises(TypeError, match="Too many parameter passed to theano function"):
        f(1, 2)


def test_missing_argument():
    x, y = T.dscalars("x", "y")
    f = theano.function([x, y], x + y)
    with pytest.raises(TypeError, match="Missing required input: y"):
        f(1.0)


def test_wrong_ndim_message():
    x = T.dscalar("x")
    f = theano.function([x], x * 2)
    with pytest.raises(TypeError) as info:
        f([1.0, 2.0, 3.0])
    # Theano 1.0.5: a one-argument error becomes one message, "Bad input ..." then its words.
    (message,) = info.value.args
    assert message.endswith("Wrong number of dimensions: expected 0, got 1 with shape (3,).")


def test_seed_lossy_downcast_refused_then_allowed():
    theano.config.floatX = "float32"
    x = T.matrix()
    y = T.matrix()
    assert repr(x) == "<TensorType(float32, matrix)>"
    addition = theano.function([x, y], [x + y])
    with pytest.raises(TypeError) as info:
        addition(np.ones((2, 2)), np.zeros((2, 2)))
    args = info.value.args
    # Theano 1.0.5's words (the seed, from an older Theano, shows "0(0-based)").
    assert args[0] == ('Bad input argument to theano function with name "%s" at index '
                       '0 (0-based).' % addition.name)
    assert args[1] == (
        "TensorType(float32, matrix) cannot store a value of dtype float64 without risking "
        "loss of precision. If you do not mind this loss, you can: 1) explicitly cast your "
        "data to float32, or 2) set \"allow_input_downcast=True\" when calling \"function\".")
    np.testing.assert_array_equal(args[2], np.ones((2, 2)))
    out = addition(np.ones((2, 2), dtype="float32"), np.zeros((2, 2), dtype="float32"))
    assert out[0].dtype == "float32"
    out = addition(np.ones((2, 2)).astype("float32"), np.diag((2, 3)).astype("float32"))
    np.testing.assert_array_equal(out[0], [[3.0, 1.0], [1.0, 4.0]])
    addition = theano.function([x, y], [x + y], allow_input_downcast=True)
    out = addition(np.ones((2, 2)), np.zeros((2, 2)))
    assert out[0].dtype == "float32"
    np.testing.assert_array_equal(out[0], np.ones((2, 2)))


def test_python_float_goes_to_float32_floatx():
    theano.config.floatX = "float32"
    x = T.scalar("x")
    f = theano.function([x], x * 2)
    assert f(0.1).dtype == "float32"


def test_lossy_python_value_refused():
    x = T.iscalar("x")
    f = theano.function([x], x * 2)
    with pytest.raises(TypeError, match="cannot store accurately value 1.5"):
        f(1.5)


def test_shared_variable_as_explicit_input_refused():
    w = theano.shared(np.zeros(2), name="w")
    with pytest.raises(TypeError) as info:
        theano.function([w], w * 2)
    assert str(info.value) == ("Cannot use a shared variable (w) as explicit input. Consider "
                               "substituting a non-shared variable via the `givens` parameter")


def test_unused_input_raise_warn_ignore():
    x, y = T.dscalars("x", "y")
    with pytest.raises(UnusedInputError) as info:
        theano.function([x, y], x * 2)
    assert str(info.value) == (
        "theano.function was asked to create a function computing outputs given certain "
        "inputs, but the provided input variable at index 1 is not part of the computational "
        "graph needed to compute the outputs: y.\nTo make this error into a warning, you can "
        "pass the parameter on_unused_input='warn' to theano.function. To disable it "
        "completely, use on_unused_input='ignore'.")
    with pytest.warns(UserWarning, match="index 1"):
        theano.function([x, y], x * 2, on_unused_input="warn")
    f = theano.function([x, y], x * 2, on_unused_input="ignore")
    assert f(1, 2) == 2


def test_missing_input_names_variable():
    x, y = T.dscalars("x", "y")
    with pytest.raises(MissingInputError, match="used to compute Elemwise"):
        theano.function([x], x + y)


def test_inputs_must_be_a_list():
    x = T.dscalar("x")
    with pytest.raises(TypeError, match="list"):
        theano.function(x, x * 2)


def test_runtime_error_names_node_shapes_and_user_line():
    x = T.dvector("x")
    y = T.dvector("y")
    z = x + y  # the line the error must point at
    f = theano.function([x, y], z)
    with pytest.raises(ValueError) as info:
        f(np.ones(3), np.ones(2))
    msg = str(info.value)
    assert "Input dimension mis-match" in msg
    assert "Apply node that caused the error: Elemwise{add,no_inplace}(x, y)" in msg
    assert "Inputs shapes: [(3,), (2,)]" in msg
    assert "Inputs types: [TensorType(float64, vector), TensorType(float64, vector)]" in msg
    assert "Inputs strides: [(8,), (8,)]" in msg
    assert "z = x + y  # the line the error must point at" in msg
    assert __file__ in msg


def test_trust_input_skips_checks():
    x, y = T.dscalars("x", "y")
    f = theano.function([x, y], x + y)
    f.trust_input = True
    assert f(np.array(1.0), np.array(2.0)) == 3.0
    g = theano.function([x, y], x + y, trust_input=True)
    assert g.trust_input and g(np.array(1.0), np.array(2.0)) == 3.0
    assert not theano.function([x, y], x + y).trust_input


def test_fast_path_and_slow_path_agree():
    x = T.dmatrix("x")
    f = theano.function([x], x * 2)
    exact = np.ones((2, 3))
    np.testing.assert_array_equal(f(exact), f([[1, 1, 1], [1, 1, 1]]))
    np.testing.assert_array_equal(f(np.asfortranarray(exact)), f(exact))
    row = T.row("r", dtype="float64")
    g = theano.function([row], row * 2)
    with pytest.raises(TypeError, match="broadcastable"):
        g(np.ones((2, 3)))


def test_arguments_are_not_kept_alive():
    import weakref

    x = T.dvector("x")
    f = theano.function([x], x * 2)
    v = np.ones(3)
    ref = weakref.ref(v)
    f(v)
    del v
    assert ref() is None


def test_pickle_function():
    x = T.dvector("x")
    w = theano.shared(np.ones(2), name="w")
    f = theano.function([x], x * w, updates=[(w, w + 1)])
    g = pickle.loads(pickle.dumps(f))
    np.testing.assert_array_equal(g([1.0, 2.0]), [1.0, 2.0])
    np.testing.assert_array_equal(f([1.0, 2.0]), [1.0, 2.0])


def test_an_unpickled_function_keeps_its_schedule_and_prints_as_the_original():
    # In-place nodes order their readers by the graph's client lists, which a rebuilt graph
    # fills in another order: the pickle keeps the toposort.
    X, h0 = T.tensor3("X"), T.matrix("h0")
    W = theano.shared(np.eye(3) * 0.5, name="W")
    hs, _ = theano.scan(lambda xt, h: T.tanh(xt + T.dot(h, W)), sequences=X, outputs_info=h0)
    f = theano.function([X, h0], [hs[-1].sum(), T.grad(hs[-1].sum(), W)])
    g = pickle.loads(pickle.dumps(f))
    assert theano.printing.debugprint(g, file="str") == theano.printing.debugprint(
        f, file="str")


_UNPICKLE_ONLY = """
import pickle, sys
import numpy as np
from pytheano.compile.function_module import FunctionMaker
from pytheano.link.c.compiler import Compiler

def refuse(*args, **kwargs):
    raise AssertionError("an unpickled function must not rewrite or compile")

FunctionMaker._rewrite = refuse
Compiler.compile = refuse
with open(sys.argv[1], "rb") as fh:
    f, args = pickle.load(fh)
np.save(sys.argv[2], f(*args))
"""


def test_unpickled_function_neither_rewrites_nor_compiles(tmp_path):
    # A fresh process on the warm cache links the pickled (rewritten) graph: no rewriter
    # run, no C compiled; the results and the updates are the original's.
    x = T.dmatrix("x")
    w = theano.shared(np.linspace(-1, 1, 9).reshape(3, 3), name="w")
    b = theano.shared(np.zeros(3), name="b")
    cost = (T.tanh(T.dot(x, w) + b) * 2 + T.exp(-x)).sum()
    f = theano.function([x], cost, updates=[(w, w - 0.1 * theano.grad(cost, w))],
                        mode="FAST_RUN")
    data = np.random.RandomState(0).rand(4, 3)
    with open(tmp_path / "f.pkl", "wb") as fh:
        pickle.dump((f, (data,)), fh)
    subprocess.run([sys.executable, "-c", _UNPICKLE_ONLY, str(tmp_path / "f.pkl"),
                    str(tmp_path / "out.npy")], check=True, cwd=ROOT)
    np.testing.assert_allclose(np.load(tmp_path / "out.npy"), f(data))


def test_unpickled_function_keeps_defaults_updates_and_state():
    x = T.dvector("x")
    s = T.dscalar("s")
    w = theano.shared(np.ones(2), name="w")
    f = theano.function([x, theano.In(s, value=3.0)], x * w * s, updates=[(w, w + 1)])
    f([1.0, 1.0])
    g = pickle.loads(pickle.dumps(f))
    # g has its own copy of w, as it was when pickled ([2, 2]); f's w moves on alone.
    np.testing.assert_array_equal(g([1.0, 2.0]), [6.0, 12.0])
    np.testing.assert_array_equal(g([1.0, 2.0]), [9.0, 18.0])
    np.testing.assert_array_equal(f([1.0, 2.0]), [6.0, 12.0])
    # The printed (rewritten) graph is the original's.
    assert theano.printing.debugprint(g, file="str") == theano.printing.debugprint(
        f, file="str")


def test_pickled_shared_variable_keeps_value_name_and_default_update():
    w = theano.shared(np.arange(3.0), name="w")
    w.default_update = w + 1
    v = pickle.loads(pickle.dumps(w))
    np.testing.assert_array_equal(v.get_value(), [0.0, 1.0, 2.0])
    assert v.name == "w" and v.default_update is not None
    v.set_value(np.zeros(3))
    np.testing.assert_array_equal(w.get_value(), [0.0, 1.0, 2.0])


@pytest.mark.parametrize("trust", [False, True])
def test_pickle_and_deepcopy_keep_trust_input(trust):
    """Theano's test_deepcopy_trust_input: the copy skips the argument checks as f does."""
    x = T.dscalar("x")
    f = theano.function([x], x * 2)
    f.trust_input = trust
    for g in (copy.deepcopy(f), pickle.loads(pickle.dumps(f))):
        assert g.trust_input is trust
        assert g(np.asarray(2.0)) == 4


def test_copy_with_swap():
    x = T.dscalar("x")
    w = theano.shared(2.0, name="w")
    w2 = theano.shared(5.0, name="w2")
    f = theano.function([x], x * w)
    g = f.copy(swap={w: w2})
    assert f(1.0) == 2.0 and g(1.0) == 5.0


def test_eval_cached_per_input_set():
    x = T.dmatrix("x")
    y = T.dmatrix("y")
    z = x + y
    v = z.eval({x: [[1, 2], [1, 3]], y: [[1, 0], [3, 4]]})
    np.testing.assert_array_equal(v, [[2, 2], [4, 7]])
    assert len(z._fn_cache) == 1
    z.eval({y: [[1, 0], [3, 4]], x: [[1, 2], [1, 3]]})
    assert len(z._fn_cache) == 1
    with pytest.raises(TypeError, match="Keys"):
        z.eval({"x": 1})


def test_mode_argument_accepts_names():
    x = T.dscalar("x")
    for mode in ("FAST_RUN", "FAST_COMPILE", "Mode", None, theano.Mode(optimizer=None)):
        assert theano.function([x], x + 1, mode=mode)(1.0) == 2.0
    with pytest.raises(ValueError, match="Unknown mode"):
        theano.function([x], x + 1, mode="FASTEST")


def test_runtime_error_of_exotic_exception_class_keeps_type_and_adds_note():
    import pytheano.tensor as T
    from pytheano._core.graph import Apply
    from pytheano.graph.op import Op

    class Picky(Exception):
        def __init__(self, code, detail):
            super().__init__(code, detail)

    class Fails(Op):
        __props__ = ()

        def make_node(self, x):
            return Apply(self, [x], [x.type()])

        def perform(self, node, inputs, out):
            raise Picky(7, "nope")

    x = T.dvector("x")
    f = theano.function([x], Fails()(x))
    with pytest.raises(Picky) as info:
        f(np.ones(2))
    assert info.value.args == (7, "nope")
    assert any("Apply node that caused the error: Fails(x)" in n
               for n in info.value.__notes__)


def test_copy_tutorial_swap_and_delete_updates():
    state = theano.shared(0)
    inc = T.iscalar("inc")
    accumulator = theano.function([inc], state, updates=[(state, state + inc)])
    accumulator(10)
    new_state = theano.shared(0)
    new_accumulator = accumulator.copy(swap={state: new_state})
    assert new_accumulator(100) == 0
    assert new_state.get_value() == 100 and state.get_value() == 10
    null_accumulator = accumulator.copy(delete_updates=True)
    assert null_accumulator(9000) == 10
    assert state.get_value() == 10


def test_copy_keeps_givens():
    x = T.dscalar("x")
    y = T.dscalar("y")
    w = theano.shared(2.0, name="w")
    w2 = theano.shared(3.0, name="w2")
    f = theano.function([y], x * w, givens={x: y + 1})
    g = f.copy(swap={w: w2})
    assert f(1.0) == 4.0 and g(1.0) == 6.0


def test_dict_outputs():
    x = T.dscalar("x")
    f = theano.function([x], {"b": x + 1, "a": x * 2})
    out = f(3.0)
    assert out == {"a": 6.0, "b": 4.0} and isinstance(out["a"], np.ndarray)
    # f.outputs in the order of the sorted keys; a key that is not a string is refused
    # (Theano's test_dictionary_output: AssertionError)
    a, b = T.dscalar("a"), T.dscalar("b")
    g = theano.function([a, b], {"z": b, "y": a})
    assert [o.variable for o in g.outputs] == [a, b]
    for bad in ({1.0: x}, {1.0: x, "a": x ** 2}, {(1, "b"): x, 1.0: x ** 2}):
        with pytest.raises(AssertionError, match="must be strings"):
            theano.function([x], outputs=bad)


def test_in_with_value_and_update_keeps_the_updated_value():
    # Theano 1.0.5: f(1), f(2), f(3), f(1, 10), f(1) -> 1, 3, 6, 11, 12.
    from pytheano.compile.io import In

    x, acc = T.dscalar("x"), T.dscalar("acc")
    f = theano.function([x, In(acc, value=0.0, update=acc + x)], acc + x)
    assert [float(f(1.0)), float(f(2.0)), float(f(3.0)), float(f(1.0, 10.0)),
            float(f(1.0))] == [1.0, 3.0, 6.0, 11.0, 12.0]


def test_in_update_advances_a_random_state_as_theano():
    # Theano's test_raw_random.test_binomial: two calls give numpy's two draws.
    from pytheano.compile.io import In
    from pytheano.tensor.raw_random import binomial, random_state_type

    r = random_state_type()
    post, b = binomial(r, (7, 12), 5, 0.8)
    f = theano.function([In(r, value=np.random.RandomState(666), update=post, mutable=True)],
                        b, accept_inplace=True)
    rng = np.random.RandomState(666)
    np.testing.assert_array_equal(f(), rng.binomial(5, 0.8, size=(7, 12)))
    np.testing.assert_array_equal(f(), rng.binomial(5, 0.8, size=(7, 12)))


def test_inputs_found_by_position_variable_or_name_as_in_theano():
    # Theano 1.0.5's T_function.test_state_access, plus f.value / f.container.
    a = T.scalar()
    x, s = T.scalars("xs")
    f = theano.function([x, In(a, value=1.0, name="a"), In(s, value=0.0, update=s + a * x)],
                        s + a * x)
    assert f[a] == 1.0 and f[s] == 0.0 and f[2] == 0.0 and f["s"] == 0.0
    assert f(3.0) == 3.0 and f(3.0, a=2.0) == 9.0
    assert f[a] == 1.0 and f.value[s] == 9.0
    f[a] = 5.0
    assert f(3.0) == 24.0 and f[s] == 24.0
    assert s in f.container and x in f and "zz" not in f
    with pytest.raises(TypeError, match="Unknown input or state: zz"):
        f.value["zz"]
    # A second function sharing s's storage cell sees and updates the same state.
    g = theano.function([x, In(s, value=f.container[s], update=s - x)], s)
    assert g(1.0) == 24.0 and f[s] == 23.0
    assert g.container[s].storage is f.container[s].storage
    same = theano.function([T.scalar("n"), T.scalar("n")], T.constant(1.0),
                           on_unused_input="ignore")
    with pytest.raises(TypeError, match="Ambiguous name: n"):
        same["n"]


def test_an_intermediate_variable_may_be_an_input_as_in_theano():
    # Theano cuts the graph at an input that has an owner: Z.eval({Z: z}) works.
    x = T.dvector("x")
    y = x * 2
    f = theano.function([y], y + 1)
    np.testing.assert_array_equal(f(np.array([1.0, 2.0])), [2.0, 3.0])
    z = T.dmatrix("X") + T.dmatrix("Y") * 1j
    v = np.ones((2, 2)) + 2j
    np.testing.assert_array_equal(z.conj().eval({z: v}), v.conj())
    with pytest.raises(MissingInputError):
        theano.function([y], x, on_unused_input="ignore")
    with pytest.raises(UnusedInputError):  # Theano reports the unused input first
        theano.function([y], x)


def test_none_reaches_the_ops_as_in_theano():
    # Theano stores None unfiltered: Default and eye(n, None) take it; other ops fail
    # with the op's own error (Theano's class) and a hint naming the None input.
    x, y = T.scalars("xy")
    f = theano.function([x, y], T.basic.default(x, y))
    assert (f(1, 2), f(None, 2), f(1, None)) == (1.0, 2.0, 1.0)
    n, m = T.iscalars("nm")
    np.testing.assert_array_equal(theano.function([n, m], T.eye(n, m))(2, None), np.eye(2))
    v = T.dvector("v")
    with pytest.raises(AttributeError, match="input [01] of this node is None"):
        theano.function([v], v * 2)(None)


def test_a_refused_call_keeps_the_defaults():
    a, b = T.dscalars("a", "b")
    f = theano.function([In(a, name="first"), In(b, value=1, name="second")], a + b)
    x = f(first=1)
    with pytest.raises(TypeError, match="Missing required input"):
        f(second=2)
    assert f(first=1) == x


def test_allow_gc_may_be_switched_off_on_the_vm_and_free_clears():
    x = T.dvector("x")
    # Without fusion, which would leave no intermediate value to keep.
    f = theano.function([x], (x + 1) * 2, mode=theano.compile.get_mode("FAST_RUN").excluding(
        "fusion"))
    f.fn.allow_gc = False
    f([1.0])
    kept = [c[0] for v, c in f.fn.storage_map.items() if v.owner is not None]
    assert any(k is not None for k in kept)
    f.free()
    assert all(c[0] is None for v, c in f.fn.storage_map.items() if v.owner is not None)


def test_copy_module_copy_starts_from_the_current_defaults():
    # Theano's T_function.test_copy.
    a = T.scalar()
    x, s = T.scalars("xs")
    f = theano.function([x, In(a, value=1.0, name="a"),
                         In(s, value=0.0, update=s + a * x, mutable=True)], s + a * x)
    g = copy.copy(f)
    assert g.container[s].storage is not f.container[s].storage
    assert g.value[a] is f.value[a] and g.value[s] is not f.value[s]
    assert f(2, 1) == g(2) and f(2, 1) == g(2)
    f(1, 2)
    assert f(1, 2) != g(1, 2)


def test_copy_swap_reaches_into_the_givens():
    # Theano's test_swap_SharedVariable_with_given (the Deep Learning Tutorial's logistic_sgd).
    rng = np.random.RandomState(0)
    train_x, test_x = (theano.shared(rng.rand(10, 10)) for _ in range(2))
    train_y, test_y = (theano.shared(rng.rand(10, 1)) for _ in range(2))
    i = T.iscalar("index")
    x, y = T.dvector("x"), T.dvector("y")
    out = (T.sum(x) - y) ** 2
    train = theano.function([i], out, givens={x: train_x[i], y: train_y[i]},
                            updates={train_x: train_x + 0.1})
    test = theano.function([i], out, givens={x: test_x[i], y: test_y[i]})
    swapped = train.copy(swap={train_x: test_x, train_y: test_y}, delete_updates=True)
    before = train_x.get_value()
    np.testing.assert_allclose(swapped(3), test(3))
    np.testing.assert_array_equal(train_x.get_value(), before)


def test_expanded_inputs_lists_explicit_then_shared_with_their_containers():
    # Theano's scan tests reset a random state through fn.maker.expanded_inputs[i].value.
    x = T.dscalar("x")
    w = theano.shared(2.0, name="w")
    f = theano.function([x], x * w)
    inputs = f.maker.expanded_inputs
    assert [i.variable.name for i in inputs] == ["x", "w"]
    assert inputs[0].value is None
    inputs[1].value.data = 5.0
    assert f(1.0) == 5.0 and w.get_value() == 5.0


def _graph_order(fgraph):
    # A schedule for the test below: any topological order (here: the graph's).
    return fgraph.toposort()


def test_maker_linker_is_the_mode_linker_bound_to_the_compiled_graph():
    # Theano's f.maker.linker: the linker accepted on the function's graph, keeping the
    # mode's linker settings (here its schedule); its make_function runs that graph.
    x = T.dvector("x")
    linker = theano.gof.PerformLinker(schedule=_graph_order)
    f = theano.function([x], T.exp(x) * 2, mode=theano.Mode(linker=linker))
    bound = f.maker.linker
    assert bound is not linker and type(bound) is type(linker)
    assert bound.fgraph is f.maker.fgraph
    assert bound.schedule is _graph_order
    value = np.array([0.0, 1.0])
    np.testing.assert_allclose(bound.make_function()(value), f(value))
    # An unpickled function is linked again, and has its own.
    g = pickle.loads(pickle.dumps(f))
    assert g.maker.linker.fgraph is g.maker.fgraph
    np.testing.assert_allclose(g(value), f(value))
