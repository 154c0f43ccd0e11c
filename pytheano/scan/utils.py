"""Helpers of scan: ``until`` (the stop condition fn may return), parsing fn's return value,
the outer buffers of recurrent states (``expand_empty``), fresh inner placeholders and
``clone`` (``theano.clone``)."""
import warnings
from collections import OrderedDict

import numpy as np

from pytheano._core.graph import Constant, Variable, graph_inputs, io_toposort
from pytheano.graph.basic import clone_replace, equal_computations
from pytheano.graph.shared import shared
from pytheano.tensor.basic import NotScalarConstantError, as_tensor_variable, \
    get_scalar_constant_value
from pytheano.tensor.creation import AllocEmpty
from pytheano.tensor.subtensor import set_subtensor

__all__ = ["until", "get_updates_and_outputs", "expand_empty", "safe_new",
           "isNaN_or_Inf_or_None", "clone", "forced_replace"]


class until:
    """Returned last by scan's fn: stop the loop after the step where ``condition`` (a
    scalar) is true (``theano.scan_module.until``)."""

    def __init__(self, condition):
        self.condition = as_tensor_variable(condition)
        if self.condition.ndim != 0:
            raise AssertionError("until expects a scalar condition, got %s"
                                 % (self.condition.type,))


def safe_new(x, tag="", dtype=None):
    """A new variable of ``x``'s type (named ``x.name + tag``), of ``dtype`` if given: the
    inner placeholder of an outer value. A constant stays a (copied) constant."""
    name = x.name + tag if getattr(x, "name", None) is not None else None
    if isinstance(x, Constant):
        return x.clone() if dtype is None or x.dtype == dtype else x.astype(dtype)
    if not isinstance(x, Variable):
        x = as_tensor_variable(x)
    if dtype is not None and getattr(x.type, "dtype", dtype) != dtype:
        new = x.type.clone(dtype=dtype)()
        new.name = name
        return new
    new = x.type()
    new.name = name
    test_value = getattr(x.tag, "test_value", None)
    if test_value is not None:
        new.tag.test_value = test_value
    return new


def forced_replace(out, x, y):
    """``out`` with every subgraph that computes what ``x`` computes (equal_computations,
    not only ``x`` itself) replaced by ``y``: how the backward step reads a forward output
    instead of recomputing it (Theano's scan_utils.forced_replace)."""
    if out is None:
        return None
    found, seen, todo = [], set(), [out]
    while todo:
        var = todo.pop()
        if var in seen:
            continue
        seen.add(var)
        if equal_computations([var], [x]):
            found.append(var)
        elif var.owner is not None:
            todo.extend(var.owner.inputs)
    if not found:
        return out
    return clone_replace(out, replace=OrderedDict((v, y) for v in found), strict=False)


_NOT_GIVEN = object()


def clone(output, replace=None, strict=True, share_inputs=True, copy_inputs=_NOT_GIVEN):
    """A copy of the graph computing ``output`` (a variable or a list) with each key of
    ``replace`` (a dict or a list of pairs) standing for its value (``theano.clone``).

    strict: a replacement is converted to its variable's type (TypeError if it cannot be);
    with strict=False a node whose input changes type is rebuilt by its op's make_node.
    share_inputs: the copy reads the same graph inputs; with False every input (shared
    variables too, on the same storage) and the replacements' own inputs are new
    variables. copy_inputs: Theano's old name of share_inputs (deprecated).
    """
    if copy_inputs is not _NOT_GIVEN:
        warnings.warn("In `clone()` function, the argument `copy_inputs` has been "
                      "deprecated and renamed into `share_inputs`")
        share_inputs = copy_inputs
    if isinstance(replace, dict):
        items = list(replace.items())
    elif isinstance(replace, (list, tuple)):
        items = list(replace)
    elif replace is None:
        items = []
    else:
        raise ValueError("replace is neither a dictionary, list, tuple or None ! The value "
                         "provided is %s,of type %s" % (replace, type(replace)))
    # A value that is not a variable stands for a shared variable holding it (Theano's rule).
    items = [(old, new if isinstance(new, Variable) else shared(new)) for old, new in items]
    outputs = list(output) if isinstance(output, (list, tuple)) else [output]
    # The replacements are copied the way the graph is (Theano rebuilds them too), on their
    # own: a replacement may read the variable it replaces (x -> x + 0.1) or graphs built on
    # it, which must stay unreplaced there. Only the copies of their inputs are shared.
    replacement_memo = {}
    _copy_into(replacement_memo, [new for _, new in items], strict, share_inputs)
    memo = {v: c for v, c in replacement_memo.items()
            if isinstance(v, Variable) and v.owner is None}
    for old, new in items:
        new = replacement_memo[new]
        if strict and new.type != old.type:
            new = old.type.filter_variable(new)
        memo[old] = new
    _copy_into(memo, outputs, strict, share_inputs)
    cloned = [memo[o] for o in outputs]
    return cloned if isinstance(output, (list, tuple)) else cloned[0]


def _copy_into(memo, graphs, strict, share_inputs):
    """Copy the nodes computing ``graphs`` into ``memo`` (old -> new), the variables already
    there standing for their values. Not _core's clone_get_equiv: that one keeps every
    input's type, where strict=False lets a node's inputs change type."""
    leaves = graph_inputs(graphs, blockers=list(memo))
    for leaf in leaves:
        if leaf not in memo:
            memo[leaf] = leaf if share_inputs else leaf.clone()
    for node in io_toposort(leaves, graphs):
        if node not in memo:
            new_node = node.clone_with_new_inputs([memo[i] for i in node.inputs],
                                                  strict=strict)
            memo[node] = new_node
            for out, new_out in zip(node.outputs, new_node.outputs):
                memo.setdefault(out, new_out)


def expand_empty(tensor_var, size):
    """``tensor_var`` (shape (d1, d2, ...)) followed by ``size`` uninitialised rows: the
    buffer, of shape (d1 + size, d2, ...), that scan fills with a state's values."""
    if isinstance(size, (int, np.integer)) and size == 0:
        return tensor_var
    shapes = [tensor_var.shape[i] for i in range(tensor_var.ndim)]
    empty = AllocEmpty(tensor_var.dtype)(size + shapes[0], *shapes[1:])
    ret = set_subtensor(empty[:shapes[0]], tensor_var)
    ret.tag.nan_guard_mode_check = False
    return ret


def isNaN_or_Inf_or_None(x):
    """True for ``n_steps`` values that mean 'not given' (None, nan, inf, a string)."""
    if x is None or isinstance(x, str):
        return True
    if isinstance(x, Constant) and isinstance(x.data, str):
        return True
    try:
        value = get_scalar_constant_value(x) if isinstance(x, Variable) else x
        return bool(np.isnan(value) or np.isinf(value))
    except (NotScalarConstantError, TypeError, ValueError, NotImplementedError):
        return False


def _is_outputs(elem):
    if isinstance(elem, (list, tuple)) and all(isinstance(x, Variable) for x in elem):
        return True
    return isinstance(elem, Variable)


def _is_updates(elem):
    if isinstance(elem, dict):
        return True
    # Updates may come as a list of (shared, new value) pairs.
    return (isinstance(elem, (list, tuple))
            and all(isinstance(x, (list, tuple)) and len(x) == 2 for x in elem))


def _only_allowed(x):
    if isinstance(x, (list, tuple)):
        return all(_only_allowed(y) for y in x)
    if isinstance(x, dict):
        return all(_only_allowed(y) for y in x.items())
    return isinstance(x, (Variable, until))


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def get_updates_and_outputs(ls):
    """(condition or None, outputs, updates) from what scan's fn returned: outputs, updates,
    or both, in that order, optionally followed by an ``until``."""
    if not _only_allowed(ls):
        raise ValueError(
            "The return value of your scan lambda expression may only be made of lists, "
            "tuples, or dictionaries containing Theano variables (or "
            "`theano.scan_module.until` objects for conditions). In particular if you need "
            "to use constant values, you can use `tensor.constant` to turn them into Theano "
            "variables.")
    if _is_outputs(ls):
        return None, _as_list(ls), OrderedDict()
    if _is_updates(ls):
        return None, [], OrderedDict(ls)
    error_msg = "Scan cannot parse the return value of your lambda expression, which is: %s" \
        % (ls,)
    if not isinstance(ls, (list, tuple)):
        raise ValueError(error_msg + ". An `until` must be returned last, after the outputs "
                         "and the updates.")
    ls = list(ls)
    order_msg = ("The return value of the lambda function has been restricted. you have to "
                 "always return first the outputs (if any), afterwards the updates (if any) "
                 "and at the end the conclusion")
    if len(ls) == 2:
        first, second = ls
        if _is_outputs(first):
            if _is_updates(second):
                return None, _as_list(first), OrderedDict(second)
            if isinstance(second, until):
                return second.condition, _as_list(first), OrderedDict()
        elif _is_updates(first):
            if _is_outputs(second):
                raise ValueError(order_msg)
            if isinstance(second, until):
                return second.condition, [], OrderedDict(first)
    elif len(ls) == 3 and _is_outputs(ls[0]) and _is_updates(ls[1]) \
            and isinstance(ls[2], until):
        return ls[2].condition, _as_list(ls[0]), OrderedDict(ls[1])
    raise ValueError(error_msg + ". Return the outputs first, then the updates, and an "
                     "`until` last.")
