"""Bad inputs: small named snippets of user code that should fail.

Shared by ``record_theano_errors.py`` (run under Theano 1.0.5, Python 3.7) and
``test_errors_vs_theano.py`` (pytheano, Python 3.11), so keep it valid Python 3.7 and free of
pytheano-only names. Each snippet runs in a fresh namespace made by ``namespace()``, with
``theano``, ``T``, ``np``, ``ifelse`` and the variables of ``PRELUDE`` bound. ``CLEANUP`` holds
code run after a snippet that may change global state (config), whether it raised or not.
"""

PRELUDE = """
x = T.dvector('x')
y = T.dvector('y')
m = T.dmatrix('m')
s = T.dscalar('s')
i = T.iscalar('i')
fx = T.fvector('fx')
r = T.drow('r')
w = theano.shared(np.zeros(3), name='w')
fw = theano.shared(np.zeros(3, dtype='float32'), name='fw')
"""

# (row id, snippet). Row ids name the failure; keep them stable, the fixture is keyed by them.
BAD_INPUTS = [
    # theano.function: inputs
    ("function_input_number", "theano.function([1.0], x)"),
    ("function_input_constant", "theano.function([T.constant(1.0)], s * 2)"),
    ("function_input_shared", "theano.function([w], w * 2)"),
    ("function_input_twice", "theano.function([x, x], x * 2)"),
    ("function_input_string", "theano.function(['x'], x)"),
    ("function_input_unused", "theano.function([x, y], x * 2)"),
    ("function_input_missing", "theano.function([x], x + y)"),
    ("function_inputs_not_list", "theano.function(x, x * 2)"),
    # theano.function: outputs
    ("function_output_number", "theano.function([x], 1.0)"),
    ("function_output_list_with_string", "theano.function([x], [x, 'y'])"),
    ("function_output_dict", "theano.function([x], {'a': x})"),
    ("function_output_list_with_none", "theano.function([x], [x, None])"),
    ("function_name_not_string", "theano.function([x], x * 2, name=3)"),
    # theano.function: updates
    ("updates_not_pairs", "theano.function([x], x, updates=[w])"),
    ("updates_triple", "theano.function([x], x, updates=[(w, w + 1, 3)])"),
    ("updates_string", "theano.function([x], x, updates='abc')"),
    ("updates_non_shared_target", "theano.function([x], x, updates=[(x, x + 1)])"),
    ("updates_float64_into_float32", "theano.function([x], x, updates=[(fw, fw + x)])"),
    ("updates_ndim_mismatch", "theano.function([x], x, updates=[(w, w.sum())])"),
    ("updates_duplicate_target", "theano.function([x], x, updates=[(w, w + 1), (w, w + 2)])"),
    ("updates_value_string", "theano.function([x], x, updates=[(w, 'abc')])"),
    # theano.function: givens
    ("givens_not_pairs", "theano.function([y], x * 2, givens=[x])"),
    ("givens_replace_own_input", "theano.function([x], x * 2, givens=[(x, y)])"),
    ("givens_ndim_mismatch", "theano.function([m], x * 2, givens=[(x, m)])"),
    ("givens_dtype_mismatch", "theano.function([fx], x * 2, givens=[(x, fx)])"),
    ("givens_key_string", "theano.function([y], x * 2, givens=[('x', y)])"),
    ("givens_value_string", "theano.function([y], x * 2, givens=[(x, 'abc')])"),
    # theano.function: other arguments
    ("on_unused_input_bad_value", "theano.function([x, y], x * 2, on_unused_input='bad')"),
    ("mode_bad_name", "theano.function([x], x * 2, mode='NO_SUCH_MODE')"),
    ("mode_bad_type", "theano.function([x], x * 2, mode=3)"),
    ("function_unknown_keyword", "theano.function([x], x * 2, no_such_argument=1)"),
    # calling a compiled function
    ("call_too_many_args", "f = theano.function([x], x * 2)\nf([1.0], [2.0])"),
    ("call_missing_arg", "f = theano.function([x, y], x + y)\nf([1.0])"),
    ("call_unknown_keyword", "f = theano.function([x], x * 2)\nf(z=[1.0])"),
    ("call_keyword_twice", "f = theano.function([x], x * 2)\nf([1.0], x=[1.0])"),
    ("call_string_for_float", "f = theano.function([s], s * 2)\nf('abc')"),
    ("call_string_for_vector", "f = theano.function([x], x * 2)\nf('abc')"),
    ("call_int_too_big_for_int32", "f = theano.function([i], i * 2)\nf(2 ** 40)"),
    ("call_float_for_int", "f = theano.function([i], i * 2)\nf(1.5)"),
    ("call_wrong_ndim", "f = theano.function([x], x * 2)\nf(np.zeros((2, 2)))"),
    ("call_float64_for_float32",
     "f = theano.function([fx], fx * 2)\nf(np.zeros(3))"),
    ("call_wrong_dtype_strict",
     "f = theano.function([theano.In(x, strict=True)], x * 2)\nf(np.zeros(3, dtype='float32'))"),
    ("call_none_for_vector", "f = theano.function([x], x * 2)\nf(None)"),
    ("call_ragged_list", "f = theano.function([m], m * 2)\nf([[1.0], [2.0, 3.0]])"),
    ("call_broadcastable_mismatch", "f = theano.function([r], r * 2)\nf(np.zeros((2, 3)))"),
    ("call_shape_mismatch", "f = theano.function([x, y], x + y)\nf(np.zeros(2), np.zeros(3))"),
    ("call_index_out_of_bounds", "f = theano.function([x, i], x[i])\nf(np.zeros(3), 5)"),
    ("call_reshape_bad_size", "f = theano.function([x], x.reshape((2, 3)))\nf(np.zeros(5))"),
    ("call_dot_shape_mismatch",
     "f = theano.function([x, m], T.dot(x, m))\nf(np.zeros(2), np.zeros((3, 4)))"),
    ("call_second_arg_bad",
     "f = theano.function([x, s], x * s)\nf(np.zeros(3), 'abc')"),
    # In / Out
    ("In_not_variable", "theano.In(3)"),
    ("In_name_not_string", "theano.In(x, name=3)"),
    ("In_mutable_not_borrow", "theano.In(x, mutable=True, borrow=False)"),
    ("In_bad_value_at_call", "f = theano.function([theano.In(x, value='abc')], x * 2)\nf()"),
    ("Out_not_variable", "theano.function([x], theano.Out(3))"),
    # shared variables
    ("shared_string", "theano.shared('abc')"),
    ("shared_object", "theano.shared(object())"),
    ("shared_unknown_keyword", "theano.shared(np.zeros(3), no_such_argument=1)"),
    ("shared_bad_broadcastable",
     "theano.shared(np.zeros((2, 3)), broadcastable=(True, False))"),
    ("set_value_string", "w.set_value('abc')"),
    ("set_value_wrong_ndim", "w.set_value(np.zeros((2, 2)))"),
    ("set_value_float64_into_float32", "fw.set_value(np.zeros(3))"),
    # as_tensor_variable
    ("as_tensor_ragged_list", "T.as_tensor_variable([[1.0, 2.0], [3.0]])"),
    ("as_tensor_none", "T.as_tensor_variable(None)"),
    ("as_tensor_string", "T.as_tensor_variable('abc')"),
    ("as_tensor_dict", "T.as_tensor_variable({})"),
    ("as_tensor_bad_ndim", "T.as_tensor_variable(np.zeros((2, 3)), ndim=1)"),
    # T.grad
    ("grad_cost_not_scalar", "T.grad(x * 2, x)"),
    ("grad_wrt_number", "T.grad(s * 2, 3)"),
    ("grad_wrt_string", "T.grad(s * 2, 's')"),
    ("grad_wrt_list_with_number", "T.grad(s * 2, [s, 3])"),
    ("grad_disconnected_raise", "T.grad(s * 2, y, disconnected_inputs='raise')"),
    ("grad_disconnected_bad_value", "T.grad(s * 2, y, disconnected_inputs='bad')"),
    ("grad_disconnected_default", "T.grad(s * 2, y)"),
    ("grad_integer_cost", "T.grad(i * 2, i)"),
    ("grad_no_cost_no_known_grads", "T.grad(None, x)"),
    ("grad_known_grads_not_dict", "T.grad(None, x, known_grads=[x])"),
    ("grad_known_grads_string", "T.grad(None, x, known_grads={x: 'abc'})"),
    ("grad_cost_string", "T.grad('abc', x)"),
    # config
    ("config_read_unknown_option", "theano.config.no_such_option_xyz"),
    ("config_set_unknown_option", "theano.config.no_such_option_xyz = 1"),
    ("config_floatX_bad_value", "theano.config.floatX = 'float17'"),
    ("config_device_after_import", "theano.config.device = 'cpu'"),
    ("config_optimizer_bad_value", "theano.config.optimizer = 'no_such_optimizer'"),
    # ops: make_node checks
    ("dot_with_string", "T.dot(x, 'abc')"),
    ("dot_3d_and_vector", "T.dot(T.tensor3('t'), x)"),
    ("call_dot_3d_and_vector_mismatch",
     "t = T.tensor3('t')\nf = theano.function([t, x], T.dot(t, x))\n"
     "f(np.zeros((2, 3, 4)), np.zeros(3))"),
    ("reshape_ndim_mismatch", "x.reshape((2, 3), ndim=3)"),
    ("reshape_shape_matrix", "T.reshape(x, m)"),
    ("elemwise_inplace_broadcast",
     "T.Elemwise(theano.scalar.add, {0: 0})(r, m)"),
    ("elemwise_with_string", "x + 'abc'"),
    ("elemwise_with_none", "T.maximum(x, None)"),
    ("dimshuffle_axis_too_big", "m.dimshuffle(0, 2)"),
    ("dimshuffle_drop_non_broadcastable", "m.dimshuffle(0)"),
    ("dimshuffle_repeated_axis", "m.dimshuffle(0, 0)"),
    ("dimshuffle_bad_entry", "m.dimshuffle(0, 'y')"),
    ("subtensor_float_index", "x[1.5]"),
    ("subtensor_float_variable_index", "x[s]"),
    ("subtensor_too_many_indices", "x[0, 0]"),
    ("subtensor_string_index", "x['a']"),
    ("set_subtensor_ndim_mismatch", "T.set_subtensor(x[0], m)"),
    ("set_subtensor_not_subtensor", "T.set_subtensor(x, y)"),
    ("set_subtensor_float64_into_float32", "T.set_subtensor(fx[0], s)"),
    ("inc_subtensor_float64_into_float32", "T.inc_subtensor(fx[0:2], x[0:2])"),
    ("concatenate_ndim_mismatch", "T.concatenate([x, m])"),
    ("concatenate_axis_out_of_range", "T.concatenate([x, y], axis=2)"),
    ("concatenate_empty", "T.concatenate([])"),
    ("stack_ndim_mismatch", "T.stack([x, m])"),
    ("sum_axis_out_of_range", "x.sum(axis=2)"),
    ("max_axis_out_of_range", "T.max(m, axis=5)"),
    ("argmax_axis_out_of_range", "T.argmax(x, axis=3)"),
    ("argmax_axis_float", "T.argmax(x, axis=1.5)"),
    ("cast_unknown_dtype", "T.cast(x, 'float17')"),
    ("cast_none_dtype", "T.cast(x, None)"),
    ("alloc_float_shape", "T.alloc(0.0, 2.5)"),
    ("alloc_float_variable_shape", "T.alloc(0.0, s)"),
    ("zeros_float_shape", "T.zeros((2.5,))"),
    ("flatten_ndim_too_big", "x.flatten(ndim=3)"),
    ("transpose_bad_axes", "m.transpose(0, 2)"),
    ("arange_vector", "T.arange(x)"),
    ("tensor_type_unknown_dtype", "T.TensorType('float17', (False,))"),
    ("vector_unknown_dtype", "T.vector('v', dtype='float17')"),
    ("softmax_3d", "T.nnet.softmax(T.tensor3('t'))"),
    ("ifelse_type_mismatch", "ifelse(s, x, m)"),
    ("ifelse_condition_vector", "ifelse(x, s, s)"),
    ("eval_missing_input", "(x * 2).eval()"),
    ("eval_not_dict", "(x * 2).eval([1.0])"),
    ("sqrt_string", "T.sqrt('abc')"),
]

CLEANUP = {
    "config_set_unknown_option":
        "if 'no_such_option_xyz' in vars(theano.config):\n"
        "    del theano.config.no_such_option_xyz",
}


def namespace(theano, tensor, ifelse):
    import numpy as np
    ns = {"theano": theano, "T": tensor, "np": np, "ifelse": ifelse}
    exec(PRELUDE, ns)
    return ns


def run(row_id, snippet, theano, tensor, ifelse):
    """Run one snippet; return the exception it raised, or None."""
    ns = namespace(theano, tensor, ifelse)
    try:
        exec(compile(snippet, "<bad input %s>" % row_id, "exec"), ns)
    except Exception as exc:  # noqa: BLE001 - recording every failure is the point
        return exc
    finally:
        if row_id in CLEANUP:
            exec(CLEANUP[row_id], ns)
    return None


def theano_words(exc):
    """The words of an exception's message that the test matches: the first non-empty line of
    its first argument when that is a string (Theano often raises ``Error(msg, obj)``, whose
    str() is a tuple repr), else of ``str(exc)``."""
    text = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    for line in text.split("\n"):
        if line.strip():
            return line.strip()
    return ""


def describe(exc):
    """The part of an exception the fixture records (JSON-able)."""
    if exc is None:
        return {"raises": False}
    cls = type(exc)
    return {
        "raises": True,
        "class": cls.__module__ + "." + cls.__qualname__,
        "mro": [c.__name__ for c in cls.__mro__],
        "first_line": str(exc).split("\n")[0],
        "words": theano_words(exc),
    }
