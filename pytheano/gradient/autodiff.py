"""Symbolic differentiation: ``grad`` (reverse mode), ``Rop`` (forward mode), ``Lop``.

It sits between graph building and compilation: it reads a graph of Variables and Apply
nodes and returns new Variables (built from each op's ``L_op``/``R_op``) that
``pytheano.function`` compiles like any other graph.

The rules are Theano 1.0's: a gradient is a float variable, or a ``DisconnectedType``
placeholder (the cost does not depend on the variable), or a ``NullType`` one (the gradient
is undefined or not implemented); each op declares which inputs reach which outputs with
``connection_pattern``. The walks over the graph are loops, never Python recursion, so
graphs thousands of nodes deep differentiate fine.
"""
import time
import warnings
from collections import OrderedDict
from functools import reduce

import numpy as np

from pytheano._core.graph import Variable, graph_inputs, io_toposort
from pytheano.configparser import config
from pytheano.graph.basic import general_toposort
from pytheano.graph.op import Op
from pytheano.graph.grad_types import (DisconnectedType, NullType, disconnected_type,
                                       null_type)
from pytheano.graph.utils import format_site
from pytheano.scalar.basic import ScalarType, continuous_types, discrete_types, float_types
from pytheano.graph.op import get_test_value
from pytheano.scalar import basic as scal
from pytheano.scalar.basic import ScalarConstant, get_scalar_type
from pytheano.tensor.basic import (NotScalarConstantError, as_tensor_variable,
                                   get_scalar_constant_value)

__all__ = ["grad", "Rop", "Lop", "subgraph_grad", "DisconnectedInputError", "NullTypeGradError",
           "format_as"]

# Seconds spent in grad() since import (Theano's profiler reports it).
grad_time = 0


class NullTypeGradError(TypeError):
    """grad met a NullType gradient (undefined or not implemented) on the way to ``wrt``."""


class DisconnectedInputError(ValueError):
    """grad was asked for the gradient with respect to a variable the cost does not depend
    on, with ``disconnected_inputs='raise'``."""


# =========================================================================== helpers

def format_as(use_list, use_tuple, outputs):
    """``outputs`` as a list, a tuple, or (one element) a bare value, as the caller gave it."""
    if use_list and use_tuple:
        raise ValueError("Both flags cannot be simultaneously True")
    if (use_list or use_tuple) and not isinstance(outputs, (list, tuple)):
        return [outputs] if use_list else (outputs,)
    if not (use_list or use_tuple) and isinstance(outputs, (list, tuple)):
        if len(outputs) != 1:
            raise ValueError("Wrong arguments. Expected a one element list")
        return outputs[0]
    if use_list:
        return list(outputs)
    if use_tuple:
        return tuple(outputs)
    return outputs


def _trace_string(var):
    """Where the user created ``var`` (file, line, source), for error messages."""
    site = getattr(var, "creation_site", None)
    if not site:
        return ""
    return "\nBacktrace when that variable is created:\n" + format_site(site)


def _node_to_pattern(node):
    """The op's connection_pattern for ``node``, checked: one list of bools per input, one
    bool per output (True: the output depends on the input)."""
    pattern = node.op.connection_pattern(node)
    if not isinstance(pattern, list):
        raise TypeError("Op.connection_pattern should return list of list of bool, but for "
                        "Op=%s got %s with type %s." % (node.op, pattern, type(pattern)))
    if len(pattern) != len(node.inputs):
        raise ValueError("%s.connection_pattern should have %d rows but has %d."
                         % (node.op, len(node.inputs), len(pattern)))
    for ii, row in enumerate(pattern):
        if not isinstance(row, list):
            raise TypeError("%s.connection_pattern should return a list of lists, but element "
                            "%d is %s of type %s." % (node.op, ii, row, type(row)))
        if len(row) != len(node.outputs):
            raise ValueError("%s.connection_pattern row %d should have %d entries (one per "
                             "output) but has %d." % (node.op, ii, len(node.outputs), len(row)))
    return pattern


def _has_own_connection_pattern(op):
    return type(op).connection_pattern is not Op.connection_pattern


def _debug_values(*variables):
    """The test values of ``variables`` when config.compute_test_value is on and all have
    one; else None (Theano's get_debug_values, for the shape checks)."""
    if config.compute_test_value == "off":
        return None

    values = []
    for v in variables:
        try:
            values.append(get_test_value(v))
        except Exception:
            return None
    return values


def _dtype(var):
    return getattr(var.type, "dtype", None)


def _is_zero(x):
    """'yes', 'no' or 'maybe': whether ``x`` is known to always be 0."""
    if isinstance(x.type, NullType):
        return "no"
    if isinstance(x.type, DisconnectedType):
        return "yes"

    try:
        value = get_scalar_constant_value(x)
    except (NotScalarConstantError, TypeError, ValueError, NotImplementedError):
        return "maybe"
    return "yes" if np.all(np.asarray(value) == 0) else "no"


def _scalar_type_constant(value, dtype):
    return ScalarConstant(get_scalar_type(dtype), np.asarray(value, dtype=dtype)[()])


def _float_ones_like(x):
    """Ones shaped like ``x``, of ``x``'s dtype if it is a float, else floatX."""
    dtype = x.type.dtype
    if dtype not in float_types:
        dtype = config.floatX
    if isinstance(x.type, ScalarType):
        return _scalar_type_constant(1, dtype)
    return x.ones_like(dtype=dtype)


def _float_zeros_like(x):
    """Zeros shaped like ``x``, of ``x``'s dtype if it is a float, else floatX."""
    if isinstance(x.type, ScalarType):
        dtype = x.type.dtype if x.type.dtype in float_types else config.floatX
        return _scalar_type_constant(0, dtype)
    rval = x.zeros_like()
    if "float" in rval.type.dtype:
        return rval
    return rval.astype(config.floatX)


def _cast(var, dtype):
    if isinstance(var.type, ScalarType):
        caster = getattr(scal, "convert_to_" + dtype, None)
        if caster is None:
            raise TypeError("Cannot cast scalar gradient %s to %s" % (var, dtype))
        return caster(var)
    return var.astype(dtype)


def _check_disconnected_flag(disconnected_inputs):
    if disconnected_inputs not in ("ignore", "warn", "raise"):
        raise ValueError("Invalid value for keyword 'disconnected_inputs', valid values are "
                         "'ignore', 'warn' and 'raise'.")


def _handle_disconnected(var, disconnected_inputs, stacklevel=3):
    message = ("grad method was asked to compute the gradient with respect to a variable "
               "that is not part of the computational graph of the cost, or is used only by "
               "a non-differentiable operator: %s" % (var,))
    if disconnected_inputs == "warn":
        warnings.warn(message, stacklevel=stacklevel)
    elif disconnected_inputs == "raise":
        raise DisconnectedInputError(
            message + _trace_string(var) + "\nIf this is expected, pass "
            "disconnected_inputs='ignore' (or 'warn') to get a zero gradient instead.")


# =========================================================================== grad

def grad(cost, wrt, consider_constant=None, disconnected_inputs="raise", add_names=True,
         known_grads=None, return_disconnected="zero", null_gradients="raise"):
    """Symbolic gradient of a scalar ``cost`` with respect to ``wrt``.

    cost: a 0-d variable, or None when ``known_grads`` seeds the gradients.
    wrt: a variable, or a list / tuple of them; the result has the same structure.
    consider_constant: variables not to backpropagate through.
    disconnected_inputs: 'raise' (DisconnectedInputError), 'warn' or 'ignore' when the cost
        does not depend on some element of ``wrt``.
    add_names: name each gradient ``(d<cost name>/d<var name>)`` when both have names.
    known_grads: {variable: its gradient} to start from (in addition to, or instead of,
        the cost).
    return_disconnected: 'zero' (zeros like the input), 'None', or 'Disconnected' (a
        DisconnectedType placeholder) for disconnected elements of ``wrt``.
    null_gradients: 'raise' (NullTypeGradError) or 'return' for undefined gradients.
    """
    t0 = time.time()
    global grad_time

    if cost is None and known_grads is None:
        raise AssertionError("cost and known_grads can't both be None.")
    if cost is not None and isinstance(cost.type, NullType):
        raise ValueError("Can't differentiate a NaN cost. cost is NaN because "
                         + cost.type.why_null)
    if cost is not None:
        ndim = 0 if isinstance(cost.type, ScalarType) else getattr(cost.type, "ndim", None)
        if ndim != 0:
            raise TypeError("cost must be a scalar.")
    if isinstance(wrt, set):
        raise TypeError("wrt must not be a set. sets have no defined iteration order, so we "
                        "can't return gradients in a matching order.")
    _check_disconnected_flag(disconnected_inputs)
    if return_disconnected not in ("zero", "None", "Disconnected"):
        raise ValueError("Invalid value for keyword 'return_disconnected', valid values are "
                         "'zero', 'None' and 'Disconnected'.")
    if null_gradients not in ("raise", "return"):
        raise ValueError("Invalid value for keyword 'null_gradients', valid values are "
                         "'raise' and 'return'.")

    using_list = isinstance(wrt, list)
    using_tuple = isinstance(wrt, tuple)
    if not using_list and not using_tuple:
        wrt = [wrt]
    wrt = list(wrt)
    for elem in wrt:
        if not isinstance(elem, Variable):
            raise TypeError("Expected Variable, got " + str(elem) + " of type "
                            + str(type(elem)))

    outputs = [] if cost is None else [cost]
    if known_grads is not None:
        outputs.extend(known_grads.keys())

    var_to_app_to_idx = _populate_var_to_app_to_idx(outputs, wrt, consider_constant)

    grad_dict = OrderedDict()
    if known_grads is None:
        known_grads = OrderedDict()

    if cost is not None:
        if cost in known_grads:
            g_cost = known_grads[cost]
        else:
            g_cost = _float_ones_like(cost)
        # Float costs have a gradient of their own dtype (no float64 creeping into a
        # float32 graph); an integer cost keeps a floatX gradient.
        if hasattr(g_cost.type, "dtype") and cost.type.dtype in continuous_types:
            g_cost = _cast(g_cost, cost.type.dtype) if g_cost.type.dtype != cost.type.dtype \
                else g_cost
        grad_dict[cost] = g_cost

    for var, g_var in known_grads.items():
        if not hasattr(g_var, "type"):
            raise TypeError("output grads must be theano variables.Ambiguous whether %s "
                            "should be made into tensor or sparse theano variable"
                            % str(type(g_var)))
        if (not isinstance(g_var.type, (NullType, DisconnectedType))
                and "float" not in str(g_var.type.dtype)):
            raise TypeError("Gradients must always be NullType, DisconnectedType, or "
                            "continuous, but grad was given a known_grad of type "
                            + str(g_var.type))
        grad_dict[var] = g_var

    reported = set()
    for elem in wrt:
        if elem not in var_to_app_to_idx and elem is not cost and elem not in grad_dict:
            _handle_disconnected(elem, disconnected_inputs)
            reported.add(elem)
            grad_dict[elem] = disconnected_type()

    cost_name = cost.name if (add_names and cost is not None) else None

    rval = _populate_grad_dict(var_to_app_to_idx, grad_dict, wrt, cost_name)

    for i, g in enumerate(rval):
        if isinstance(g.type, NullType):
            if null_gradients == "raise":
                raise NullTypeGradError("tensor.grad encountered a NaN. " + g.type.why_null)
        elif isinstance(g.type, DisconnectedType):
            if wrt[i] not in reported:
                _handle_disconnected(wrt[i], disconnected_inputs)
                reported.add(wrt[i])
            if return_disconnected == "zero":
                rval[i] = _float_zeros_like(wrt[i])
            elif return_disconnected == "None":
                rval[i] = None
        # Theano 1.0 compat: the gradient keeps the dtype the ops gave it, even where that
        # is not wrt's (float64 for ``x / x.shape[1]`` with x float32; float32 through a
        # cast of a float64 x). Only the gradients fed into an op are cast to the dtype of
        # the output they belong to (_node_terms), and the cost's seed to the cost's.

    if using_tuple:
        rval = tuple(rval)
    elif not using_list:
        rval, = rval
    grad_time += time.time() - t0
    return rval


def _populate_var_to_app_to_idx(outputs, wrt, consider_constant):
    """{var: {apply: [input positions]}} for the variables through which some element of
    ``wrt`` truly reaches (per connection_pattern) one of ``outputs``.

    Built by a depth-first walk up from the outputs (stopping at ``consider_constant``),
    then pruned by a walk down from ``wrt``. Both walks use explicit stacks; the insertion
    order is that of Theano's recursive walk, so gradient terms are summed in its order.
    """
    if consider_constant is None:
        consider_constant = []
    else:
        try:
            iter(consider_constant)
        except TypeError:
            raise TypeError("consider_constant must be an iterable collection, got "
                            + str(type(consider_constant))) from None
        for elem in consider_constant:
            if not isinstance(elem, Variable):
                raise TypeError("Elements of consider_constant must be variables, but got "
                                + str(type(elem)))
    constants = set(consider_constant)
    patterns = {}

    def pattern_of(node):
        p = patterns.get(node)
        if p is None:
            p = patterns[node] = _node_to_pattern(node)
        return p

    var_to_app_to_idx = OrderedDict()

    def parents(var):
        # Registers each true parent of var, then yields it (the walk descends into it
        # before registering the next one, as the recursive version did).
        if var in constants or var.owner is None:
            return
        app = var.owner
        pattern = pattern_of(app)
        var_idx = app.outputs.index(var)
        for i, ipt in enumerate(app.inputs):
            if not pattern[i][var_idx]:
                continue
            app_to_idx = var_to_app_to_idx.get(ipt)
            if app_to_idx is None:
                app_to_idx = var_to_app_to_idx[ipt] = OrderedDict()
            idx = app_to_idx.setdefault(app, [])
            if i not in idx:
                idx.append(i)
            yield ipt

    accounted_for = set()
    for output in outputs:
        if output in accounted_for:
            continue
        accounted_for.add(output)
        stack = [parents(output)]
        while stack:
            ipt = next(stack[-1], None)
            if ipt is None:
                stack.pop()
            elif ipt not in accounted_for:
                accounted_for.add(ipt)
                stack.append(parents(ipt))

    # Keep only the variables that have an element of wrt as a true ancestor.
    visited = set()
    stack = [w for w in reversed(wrt)]
    while stack:
        var = stack.pop()
        if var in visited or var not in var_to_app_to_idx:
            continue
        visited.add(var)
        for node, idxs in var_to_app_to_idx[var].items():
            pattern = pattern_of(node)
            for idx in idxs:
                for ii, out in enumerate(node.outputs):
                    if pattern[idx][ii] and out not in visited:
                        stack.append(out)
    for var in list(var_to_app_to_idx):
        if var not in visited:
            del var_to_app_to_idx[var]
    return var_to_app_to_idx


def _populate_grad_dict(var_to_app_to_idx, grad_dict, wrt, cost_name=None):
    """The gradients of ``wrt``, given ``grad_dict`` seeded with the cost's and the known
    gradients: each needed node's ``L_op`` is called once, consumers before producers."""
    # The nodes whose terms are needed: reached from wrt, going from a variable (whose
    # gradient is not already known) to the nodes using it, and from a node to its outputs.
    needed = OrderedDict()
    seen_vars = set()
    stack = list(reversed(wrt))
    while stack:
        var = stack.pop()
        if var in seen_vars:
            continue
        seen_vars.add(var)
        if var in grad_dict or var not in var_to_app_to_idx:
            continue
        for node in var_to_app_to_idx[var]:
            if node not in needed:
                needed[node] = True
                stack.extend(out for out in node.outputs if out not in seen_vars)

    order = _toposort_nodes(needed)
    term_dict = {}

    def grad_of(var):
        if var in grad_dict:
            return grad_dict[var]
        if var not in var_to_app_to_idx:
            grad_dict[var] = disconnected_type()
            return grad_dict[var]
        null_terms = []
        terms = []
        for node, idxs in var_to_app_to_idx[var].items():
            node_terms = term_dict[node]
            for idx in idxs:
                term = node_terms[idx]
                if not isinstance(term, Variable):
                    raise TypeError("%s.grad returned %s, expected Variable instance."
                                    % (node.op, type(term)))
                if isinstance(term.type, NullType):
                    null_terms.append(term)
                    continue
                if isinstance(term.type, DisconnectedType):
                    continue
                var_ndim = getattr(var.type, "ndim", None)
                term_ndim = getattr(term.type, "ndim", None)
                if var_ndim is not None and term_ndim is not None and var_ndim != term_ndim:
                    raise ValueError("%s.grad returned a term with %d dimensions, but %d are "
                                     "required." % (node.op, term_ndim, var_ndim))
                terms.append(term)
        if null_terms:
            g = null_terms[0]
        elif terms:
            g = reduce(lambda x, y: x + y, terms)
        else:
            g = disconnected_type()
        if cost_name is not None and var.name is not None:
            g.name = "(d%s/d%s)" % (cost_name, var.name)
        grad_dict[var] = g
        return g

    for node in reversed(order):
        term_dict[node] = _node_terms(node, [grad_of(out) for out in node.outputs])
    return [grad_of(elem) for elem in wrt]


def _toposort_nodes(nodes):
    """``nodes`` ordered so that a node comes after the nodes computing its inputs."""
    def producers(node):
        # Last input first: the order grad has always called the L_ops in.
        return [inp.owner for inp in reversed(node.inputs)
                if inp.owner is not None and inp.owner in nodes]

    return general_toposort(nodes, producers)


def _node_terms(node, output_grads):
    """The gradient terms ``node`` contributes to each of its inputs, checked against
    Theano's op contract."""
    inputs = node.inputs
    outputs_connected = [not isinstance(g.type, DisconnectedType) for g in output_grads]
    connection_pattern = _node_to_pattern(node)
    inputs_connected = [any(i2o and o2c for i2o, o2c in zip(row, outputs_connected))
                        for row in connection_pattern]
    output_is_int = [_dtype(out) in discrete_types for out in node.outputs]
    ograd_is_nan = [isinstance(g.type, NullType) for g in output_grads]
    only_connected_to_nan = [
        not any(i2o and o2c and not nan
                for i2o, o2c, nan in zip(row, outputs_connected, ograd_is_nan))
        for row in connection_pattern]

    if not any(inputs_connected):
        # No output reaches the cost: no need to ask the op.
        input_grads = [disconnected_type() for _ in inputs]
    elif all(only_connected_to_nan):
        input_grads = [null_type() if c else disconnected_type() for c in inputs_connected]
    else:
        # An op that destroys an input gets a copy of it, so the gradient graph cannot
        # depend on a value that is overwritten.
        destroyed = [node.inputs[v[0]] for v in getattr(node.op, "destroy_map", {}).values()]
        if destroyed:
            inputs = [ipt.copy() if ipt in destroyed and hasattr(ipt, "copy") else ipt
                      for ipt in inputs]

        # Each float output gets a gradient of its own dtype.
        new_output_grads = []
        for o, og in zip(node.outputs, output_grads):
            o_dt, og_dt = _dtype(o), _dtype(og)
            if o_dt not in discrete_types and og_dt and o_dt != og_dt:
                og = _cast(og, o_dt)
            new_output_grads.append(og)

        for out, g in zip(node.outputs, new_output_grads):
            if isinstance(g.type, (DisconnectedType, NullType)):
                continue
            vals = _debug_values(out, g)
            if vals is not None and np.shape(vals[0]) != np.shape(vals[1]):
                raise ValueError("Got a gradient of shape %s on an output of shape %s"
                                 % (np.shape(vals[1]), np.shape(vals[0])))

        input_grads = node.op.L_op(inputs, node.outputs, new_output_grads)
        if input_grads is None:
            raise TypeError("%s.grad returned NoneType, expected iterable." % str(node.op))
        if len(input_grads) != len(inputs):
            raise ValueError("%s returned the wrong number of gradient terms." % str(node.op))

    input_grads = list(input_grads)

    # An input connected to an output with an undefined gradient has one too.
    for i in range(len(input_grads)):
        for o, nan in enumerate(ograd_is_nan):
            if (nan and connection_pattern[i][o] and input_grads[i] is not None
                    and not isinstance(input_grads[i].type, DisconnectedType)):
                input_grads[i] = output_grads[o]

    only_connected_to_int = [
        not any(i2o and o2c and not is_int
                for i2o, o2c, is_int in zip(row, outputs_connected, output_is_int))
        for row in connection_pattern]

    for i, term in enumerate(input_grads):
        if term is None:
            raise TypeError("%s.grad returned None for a gradient term, this is prohibited. "
                            "Instead of None,return zeros_like(input), disconnected_type(), "
                            "or a NullType variable such as those made with the "
                            "grad_undefined or grad_unimplemented helper functions."
                            % node.op)
        if not isinstance(term, Variable):
            raise TypeError("%s.grad returned %s, expected Variable instance."
                            % (node.op, type(term)))
        if isinstance(term.type, (NullType, DisconnectedType)):
            continue
        vals = _debug_values(inputs[i], term)
        if vals is not None and np.shape(vals[0]) != np.shape(vals[1]):
            raise ValueError("%s.grad returned object of shape %s as gradient term on input "
                             "%d of shape %s" % (node.op, np.shape(vals[1]), i,
                                                 np.shape(vals[0])))
        t_dt = _dtype(term)
        if t_dt is not None and t_dt not in float_types:
            raise TypeError(str(node.op) + ".grad illegally  returned an integer-valued "
                            "variable. (Input index %d, dtype %s)" % (i, t_dt))
        if only_connected_to_int[i] and _is_zero(term) == "no":
            raise ValueError("%s.grad returned %s of type %s for input %d. Since this input "
                             "is only connected to integer-valued outputs, it should evaluate "
                             "to zeros, but it evaluates to%s."
                             % (node.op, term, type(term), i,
                                get_scalar_constant_value(term)))

    # The op's connection_pattern and its grad must agree on what is disconnected.
    for i, (ig, connected) in enumerate(zip(input_grads, inputs_connected)):
        actually_connected = not isinstance(ig.type, DisconnectedType)
        if actually_connected and not connected:
            raise TypeError("%s.grad returned %s of type %s for input %d. Expected "
                            "DisconnectedType instance based on  the output of the op's "
                            "connection_pattern method." % (node.op, ig, ig.type, i))
        if connected and not actually_connected:
            msg = "%s.grad returned DisconnectedType for input %d." % (node.op, i)
            if _has_own_connection_pattern(node.op):
                raise TypeError(msg + " Its connection_pattern method does not allow this.")
            warnings.warn(msg + " You may want to implement a connection_pattern method "
                          "for it.", stacklevel=4)
    return input_grads


def subgraph_grad(wrt, end, start=None, cost=None, details=False):
    """Gradients with respect to ``wrt`` and ``end`` of ``cost`` and/or the known gradients
    ``start`` ({variable: gradient}), not backpropagating past ``end``.

    Returns (wrt_grads, end_grads), plus (start_grads, cost_grads) with ``details=True``;
    disconnected inputs get zero gradients.
    """
    if cost is None and start is None:
        raise AssertionError("subgraph_grad needs a cost or start gradients (or both).")
    if not isinstance(end, list) or not isinstance(wrt, list):
        raise AssertionError("subgraph_grad expects lists for wrt and end.")
    if start is not None and not isinstance(start, dict):
        raise AssertionError("start must be a dict {variable: gradient}.")

    params = list(OrderedDict.fromkeys(wrt + end))
    start_grads = None
    cost_grads = None
    if start is not None:
        start_grads = list(grad(cost=None, wrt=params, known_grads=start,
                                consider_constant=end, disconnected_inputs="ignore"))
    if cost is not None:
        cost_grads = list(grad(cost=cost, wrt=params, consider_constant=end,
                               disconnected_inputs="ignore"))
    if start is None:
        grads = cost_grads
    else:
        grads = start_grads
        if cost_grads is not None:
            grads = [g + cg for g, cg in zip(grads, cost_grads)]
    pgrads = OrderedDict(zip(params, grads))
    wrt_grads = [pgrads[k] for k in wrt]
    end_grads = [pgrads[k] for k in end]
    if details:
        return wrt_grads, end_grads, start_grads, cost_grads
    return wrt_grads, end_grads


# =========================================================================== Rop / Lop

def Rop(f, wrt, eval_points, disconnected_outputs="raise", return_disconnected="zero"):
    """Forward mode: ``sum_j (d f[i] / d wrt[j]) . eval_points[j]`` for each ``f[i]``
    (the Jacobian of ``f`` times the eval points), built from each op's ``R_op``.

    f: a variable or a list / tuple of them (the result has the same structure).
    wrt, eval_points: a variable or lists of equal length; eval_points[j] has the shape
        of wrt[j].
    disconnected_outputs: 'raise', 'warn' or 'ignore' for outputs that do not depend on
        wrt; return_disconnected: 'zero', 'None' or 'Disconnected' says what they get.
    """
    using_list = isinstance(f, list)
    using_tuple = isinstance(f, tuple)
    wrt = list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]
    eval_points = list(eval_points) if isinstance(eval_points, (list, tuple)) \
        else [eval_points]
    f = list(f) if isinstance(f, (list, tuple)) else [f]
    if len(wrt) != len(eval_points):
        raise AssertionError("Rop: wrt has %d elements but eval_points has %d; give one eval "
                             "point per wrt variable." % (len(wrt), len(eval_points)))
    _check_disconnected_flag(disconnected_outputs)
    if return_disconnected.lower() not in ("zero", "none", "disconnected"):
        raise ValueError("Invalid value for keyword 'return_disconnected', valid values are "
                         "'zero', 'None' and 'Disconnected'.")

    for i, (w, ep) in enumerate(zip(wrt, eval_points)):
        if not isinstance(w, Variable):
            w = as_tensor_variable(w)
        if not isinstance(ep, Variable):
            ep = eval_points[i] = as_tensor_variable(ep)
        w_nd = getattr(w.type, "ndim", None)
        e_nd = getattr(ep.type, "ndim", None)
        if w_nd is not None and e_nd is not None and w_nd != e_nd:
            raise ValueError("Element %d of wrt/eval_point have mismatched dimensionality: "
                             "%d versus %d" % (i, w_nd, e_nd))

    wrt_point = {}
    for w, ep in zip(wrt, eval_points):
        wrt_point.setdefault(w, ep)

    # R_op results per variable. As in Theano 1.0, every node between wrt (or the graph's
    # inputs) and f is asked: an input outside wrt varies by zero, a non-differentiable
    # result is None and stays None through the ops after it, so an output computed by a
    # non-differentiable op (x.shape[0], argmax) raises below even when it does not
    # depend on wrt. Unlike Theano, an op without R_op on a part that does not depend on
    # wrt is no error: that part varies by zero.
    r_of = {}
    connected = set(wrt_point)
    for node in io_toposort(graph_inputs(f, list(wrt_point)), f):
        on_wrt = any(inp in connected for inp in node.inputs)
        if on_wrt:
            connected.update(node.outputs)
        local = []
        for inp in node.inputs:
            if inp in wrt_point:
                ep = wrt_point[inp]
            elif inp in r_of:
                ep = r_of[inp]
            else:
                try:
                    ep = inp.zeros_like()
                except Exception:
                    # Non-differentiable inputs (e.g. random states) get None.
                    ep = None
            if ep is not None:
                if not isinstance(ep, Variable):
                    ep = as_tensor_variable(ep)
                try:
                    ep = inp.type.filter_variable(ep)
                except TypeError:
                    # Theano 1.0 compat: an eval point of another dtype (e.g. float for an
                    # integer input) is cast to the input's type.
                    ep = inp.type.filter_variable(_cast(ep, inp.type.dtype))
            local.append(ep)
        try:
            results = node.op.R_op(node.inputs, local)
        except NotImplementedError:
            if not on_wrt:
                results = [out.zeros_like() for out in node.outputs]
            elif all(ep is None for inp, ep in zip(node.inputs, local) if inp in connected):
                # reached only through non-differentiable results: so is this one
                results = [None] * len(node.outputs)
            else:
                raise
        if results is None or len(results) != len(node.outputs):
            raise ValueError("%s.R_op returned %r; it must return a list with one variable "
                             "(or None) per output (%d)." % (node.op, results,
                                                             len(node.outputs)))
        for out, r in zip(node.outputs, results):
            r_of[out] = r

    rval = []
    for out in f:
        if out in wrt_point:
            rval.append(wrt_point[out])
            continue
        r = r_of.get(out)
        if r is not None:
            rval.append(r)
            continue
        message = ("Rop method was asked to compute the gradient with respect to a variable "
                   "that is not part of the computational graph of variables in wrt, or is "
                   "used only by a non-differentiable operator: %s" % (out,))
        if disconnected_outputs == "warn":
            warnings.warn(message, stacklevel=2)
        elif disconnected_outputs == "raise":
            raise DisconnectedInputError(message + _trace_string(out))
        kind = return_disconnected.lower()
        if kind == "zero":
            rval.append(out.zeros_like())
        elif kind == "none":
            rval.append(None)
        else:
            rval.append(disconnected_type())
    return format_as(using_list, using_tuple, rval)


def Lop(f, wrt, eval_points, consider_constant=None, disconnected_inputs="raise"):
    """Reverse mode with given output gradients: ``sum_i eval_points[i] . (d f[i] / d
    wrt[j])`` for each ``wrt[j]`` (eval points times the Jacobian). The result has the
    structure of ``wrt``."""
    if not isinstance(eval_points, (list, tuple)):
        eval_points = [eval_points]
    using_list = isinstance(wrt, list)
    using_tuple = isinstance(wrt, tuple)
    f = list(f) if isinstance(f, (list, tuple)) else [f]
    grads = list(eval_points)
    if not isinstance(wrt, (list, tuple)):
        wrt = [wrt]
    if len(f) != len(grads):
        raise AssertionError("Lop: f has %d elements but eval_points has %d; give one eval "
                             "point per output." % (len(f), len(grads)))
    known = OrderedDict(zip(f, grads))
    ret = grad(cost=None, known_grads=known, consider_constant=consider_constant, wrt=wrt,
               disconnected_inputs=disconnected_inputs)
    return format_as(using_list, using_tuple, ret)
