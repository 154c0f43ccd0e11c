"""``theano.function``: compile symbolic outputs into a callable."""
from pytheano import hooks
from pytheano._core.graph import Variable, user_location
from pytheano.compile.function_module import compile_function


def function(inputs, outputs=None, mode=None, updates=None, givens=None,
             no_default_updates=False, accept_inplace=False, name=None,
             rebuild_strict=True, allow_input_downcast=None, profile=None,
             on_unused_input=None, trust_input=False):
    """Compile a function computing ``outputs`` from ``inputs``.

    inputs: list of Variables or In instances (even for one input).
    outputs: a Variable (the call returns one value), a list (returns a list), or a dict.
    updates: (shared_variable, new_expression) pairs or a dict; all new values are computed
        from the old ones, then assigned together after the call.
    givens: {variable: replacement}: compute as if ``variable`` were ``replacement``.
    allow_input_downcast: accept arguments that lose precision when cast to the input type.
    profile: True (or a ProfileStats) collects per-node times; see ``f.profile.summary()``.
    on_unused_input: 'raise' (default), 'warn' or 'ignore' for inputs the outputs do not use.
    trust_input: skip the argument checks on every call (as ``f.trust_input = True``; PyTensor's
        keyword): each argument must already be an ndarray of its input's exact type.
    """
    if name is None:
        where = user_location()
        name = "%s:%d" % (where[0], where[1]) if where else None
    if not isinstance(inputs, (list, tuple)):
        raise TypeError("Input variables of a Theano function should be contained in a list, "
                        "even when there is a single input.")
    if updates is None:
        updates = []
    if isinstance(updates, (list, tuple)) and updates and isinstance(updates[0], Variable) \
            and len(updates) == 2 and not isinstance(updates[1], (list, tuple)):
        raise TypeError("updates must be a list of (shared_variable, new_value) pairs; got one "
                        "pair not wrapped in a list. Write updates=[(w, new_w)].")
    fn = compile_function(inputs, outputs, updates=updates, givens=givens, mode=mode,
                          accept_inplace=accept_inplace, profile=profile,
                          on_unused_input=on_unused_input, name=name,
                          rebuild_strict=rebuild_strict,
                          allow_input_downcast=allow_input_downcast,
                          no_default_updates=no_default_updates)
    fn.trust_input = bool(trust_input)
    return fn


def eval_variable(var, inputs_to_values=None):
    """``var.eval({x: value, ...})``: compiled once per set of inputs, then cached on var."""
    if inputs_to_values is None:
        inputs_to_values = {}
    if not hasattr(inputs_to_values, "keys"):
        raise TypeError("eval expects a dictionary {variable: value}, got %s"
                        % type(inputs_to_values).__name__)
    for k in inputs_to_values:
        if not isinstance(k, Variable):
            raise TypeError("Keys of the eval dictionary must be Variables: got %r. Use the "
                            "variable object, not its name." % (k,))
    inputs = tuple(sorted(inputs_to_values.keys(), key=id))
    cache = var.__dict__.setdefault("_fn_cache", {})
    fn = cache.get(inputs)
    if fn is None:
        fn = function(list(inputs), var, name="%s.eval" % (var,))
        cache[inputs] = fn
    return fn(*[inputs_to_values[param] for param in inputs])


hooks.eval_variable.install(eval_variable)
hooks.compile_function.install(function)
