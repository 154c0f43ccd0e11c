"""Cloning the user's graph for ``function``: givens substituted, shared variables and
updates collected. The user's variables are never modified."""
from pytheano._core.graph import Constant, Variable
from pytheano import hooks
from pytheano.graph.shared import SharedVariable, shared
from pytheano.compile.io import SymbolicOutput


def rebuild_collect_shared(outputs, inputs=None, replace=None, updates=None,
                           rebuild_strict=True, copy_inputs_over=True,
                           no_default_updates=False):
    """Clone the graph of ``outputs`` (and of the update expressions).

    replace: {variable: replacement} (``givens``): the clone computes with the replacement.
    updates: [(shared_variable, new_value)].
    Returns (cloned inputs, cloned outputs, [clone_d, update_d, update_expr, shared_inputs]):
    ``clone_d`` maps originals to clones, ``update_expr`` is the list of
    (shared clone, update clone), ``shared_inputs`` the shared variables (clones) the graph
    reads.
    """
    if not isinstance(no_default_updates, (bool, list)):
        raise TypeError("no_default_update should be either a boolean or a list")
    inputs = list(inputs or [])
    clone_d = {}
    update_d = {}
    update_expr = []
    shared_inputs = []
    # Each shared variable's own clone: the update target even where givens replace it.
    shared_clone = {}

    def clone_leaf(v):
        if copy_inputs_over and not isinstance(v, (SharedVariable, Constant)):
            return v
        return v.clone()

    def clone_v(root):
        # Iterative post-order walk: deep graphs must not hit Python's recursion limit.
        if root in clone_d:
            return clone_d[root]
        stack = [(root, False)]
        while stack:
            v, expanded = stack.pop()
            if v in clone_d:
                continue
            owner = v.owner
            if owner is None:
                cp = clone_leaf(v)
                clone_d[v] = cp
                if isinstance(v, SharedVariable):
                    shared_clone.setdefault(v, cp)
                    if cp not in shared_inputs:
                        shared_inputs.append(cp)
                    # Theano 1.0 compat: `del x.default_update` removes it (hasattr).
                    default = getattr(v, "default_update", None)
                    if (default is not None and v not in update_d
                            and (no_default_updates is False
                                 or (isinstance(no_default_updates, list)
                                     and not any(v is u for u in no_default_updates)))):
                        update_d[v] = default
                continue
            if not expanded:
                stack.append((v, True))
                for i in owner.inputs:
                    if i not in clone_d:
                        stack.append((i, False))
                continue
            new_node = owner.clone_with_new_inputs([clone_d[i] for i in owner.inputs],
                                                   strict=rebuild_strict)
            clone_d[owner] = new_node
            for old_o, new_o in zip(owner.outputs, new_node.outputs):
                clone_d.setdefault(old_o, new_o)
        return clone_d[root]

    for v_orig, v_repl in _pairs(replace, "givens"):
        if not isinstance(v_orig, Variable):
            raise TypeError("given keys must be Variable", v_orig)
        if not isinstance(v_repl, Variable):
            v_repl = shared(v_repl)
        if v_orig in clone_d:
            raise AssertionError("When using 'givens' or 'replace' with several "
                                 "(old_v, new_v) replacement pairs, you can not have a "
                                 "new_v variable depend on an old_v one. For instance, "
                                 "givens = {a:b, b:(a+1)} is not allowed. Here, the old_v "
                                 "%s is used to compute other new_v's, but it is scheduled "
                                 "to be replaced by %s." % (v_orig, v_repl))
        # rebuild_strict=False lets a replacement of another type through (Theano's
        # rebuild_strict: the nodes are rebuilt for the new types).
        clone_d[v_orig] = clone_v(_filter_given(v_orig, v_repl) if rebuild_strict else v_repl)

    for i in inputs:
        if i not in clone_d:
            clone_d[i] = clone_leaf(i)
    cloned_inputs = [clone_d[i] for i in inputs]

    for store_into, update_val in _pairs(updates):
        if not isinstance(store_into, SharedVariable):
            raise TypeError("update target must be a SharedVariable", store_into)
        if store_into in update_d:
            raise ValueError("this shared variable already has an update expression",
                             (store_into, update_d[store_into]))
        try:
            update_val = store_into.type.filter_variable(update_val, allow_convert=False)
        except TypeError:
            uv_type = getattr(update_val, "type", type(update_val))
            raise TypeError(
                "An update must have the same type as the original shared variable "
                "(shared_var=%s, shared_var.type=%s, update_val=%s, update_val.type=%s)."
                % (store_into, store_into.type, update_val, uv_type),
                "If the difference is related to the broadcast pattern, you can call the "
                "tensor.unbroadcast(var, axis_to_unbroadcast[, ...]) function to remove "
                "broadcastable dimensions.") from None
        update_d[store_into] = update_val

    # Theano 1.0 compat: explicit updates are collected before the outputs are cloned, so
    # they take precedence over default updates (updates=rs.updates() is accepted).
    if outputs is None:
        cloned_outputs = []
    elif isinstance(outputs, (list, tuple)):
        cloned_outputs = [_clone_output(o, clone_v) for o in outputs]
    else:
        cloned_outputs = _clone_output(outputs, clone_v)

    # Update expressions may read more shared variables (and bring their default updates).
    done = set()
    while True:
        pending = [k for k in update_d if k not in done]
        if not pending:
            break
        for store_into in pending:
            done.add(store_into)
            clone_v(store_into)
            if store_into not in shared_clone:  # replaced by givens and not read
                shared_clone[store_into] = clone_leaf(store_into)
                shared_inputs.append(shared_clone[store_into])
            update_expr.append((shared_clone[store_into], clone_v(update_d[store_into])))

    return cloned_inputs, cloned_outputs, [clone_d, update_d, update_expr, shared_inputs]


def _clone_output(o, clone_v):
    if isinstance(o, SymbolicOutput):
        return SymbolicOutput(clone_v(o.variable), borrow=o.borrow)
    if isinstance(o, Variable):
        return clone_v(o)
    raise TypeError("Outputs must be theano Variable or Out instances. Received %s of type %s"
                    % (o, type(o)))


def _filter_given(v_orig, v_repl):
    if v_orig.type == v_repl.type:
        return v_repl
    try:
        return v_orig.type.filter_variable(v_repl)
    except TypeError:
        raise TypeError("Cannot convert Type %s (of Variable %s) into Type %s. You can try to "
                        "manually convert %s into a %s.\n"
                        % (v_repl.type, v_repl, v_orig.type, v_repl, v_orig.type) +
                        "Cannot substitute %s (of type %s) for %s (of type %s) in givens: the "
                        "types differ. Cast the replacement, e.g. with "
                        "T.cast(replacement, %r)." % (v_repl, v_repl.type, v_orig, v_orig.type,
                                                      getattr(v_orig.type, "dtype", "?"))
                        ) from None


def _pairs(mapping, what="updates"):
    """``updates`` or ``givens`` as a list of pairs; refused as Theano 1.0 refused it."""
    if mapping is None:
        return []
    if isinstance(mapping, dict):
        return list(mapping.items())
    if (what == "updates" and isinstance(mapping, (list, tuple))
            and not all(isinstance(p, (list, tuple)) for p in mapping)):
        raise ValueError("The updates parameter must be an OrderedDict/dict or a list of "
                         "lists/tuples with 2 elements\nGot %r." % (mapping,))
    pairs = []
    for p in mapping:
        try:
            # Theano 1.0 compat: Theano unpacked each item, so it raised Python's own error.
            a, b = p
        except (TypeError, ValueError) as e:
            raise type(e)("%s\n%s must be a dict or a list of (variable, value) pairs; got %r"
                          % (str(e).rstrip(), what, p)) from None
        pairs.append((a, b))
    return pairs


def pfunc(params, outputs=None, mode=None, updates=None, givens=None,
          no_default_updates=False, accept_inplace=False, name=None, rebuild_strict=True,
          allow_input_downcast=None, profile=None, on_unused_input=None, output_keys=None):
    """Theano 1.0's ``theano.compile.pfunc``: ``function`` with ``params`` for ``inputs``."""
    if output_keys is not None:
        # Theano passed dict outputs as (output_keys, list of outputs).
        outputs = dict(zip(output_keys, outputs))
    # Through the hook compile.function installs (function_module imports this module).
    return hooks.compile_function(params, outputs, mode=mode, updates=updates, givens=givens,
                                  no_default_updates=no_default_updates,
                                  accept_inplace=accept_inplace, name=name,
                                  rebuild_strict=rebuild_strict,
                                  allow_input_downcast=allow_input_downcast, profile=profile,
                                  on_unused_input=on_unused_input)
