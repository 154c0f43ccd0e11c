"""Symbolic differentiation: ``grad`` (reverse mode), ``Rop`` (forward mode), ``Lop``,
``jacobian``, ``hessian``, the gradient-shaping ops (``zero_grad``, ``disconnected_grad``,
``grad_clip``, ``grad_scale``) and the finite-difference checker ``verify_grad``.

It sits between graph building and compilation: it reads a graph of Variables and Apply
nodes and returns new Variables (built from each op's ``L_op``/``R_op``) that
``pytheano.function`` compiles like any other graph.

The rules are Theano 1.0's: a gradient is a float variable, or a ``DisconnectedType``
placeholder (the cost does not depend on the variable), or a ``NullType`` one (the gradient
is undefined or not implemented); each op declares which inputs reach which outputs with
``connection_pattern``. The walks over the graph are loops, never Python recursion, so
graphs thousands of nodes deep differentiate fine.
"""
import builtins
import time
import warnings
from collections import OrderedDict
from functools import reduce

import numpy as np

from pytheano._core.graph import Apply, Constant, Variable, graph_inputs, io_toposort
from pytheano.graph.ops import ViewOp
from pytheano.configparser import config
from pytheano.graph.basic import general_toposort
from pytheano.graph.op import Op
from pytheano.graph.op import infer_shape as op_infer_shape
from pytheano.graph.grad_types import (DisconnectedType, NullType, disconnected_type,
                                       grad_not_implemented, grad_undefined, null_type)
from pytheano.graph.utils import format_site
from pytheano.scalar.basic import ScalarType, continuous_types, discrete_types, float_types

__all__ = [
    "grad", "Rop", "Lop", "jacobian", "hessian", "subgraph_grad", "verify_grad",
    "numeric_grad", "GradientError", "DisconnectedInputError", "NullTypeGradError",
    "DisconnectedType", "disconnected_type", "NullType", "null_type", "grad_undefined",
    "grad_not_implemented", "consider_constant", "zero_grad", "disconnected_grad",
    "undefined_grad", "grad_clip", "grad_scale", "ConsiderConstant", "ZeroGrad",
    "DisconnectedGrad", "UndefinedGrad", "GradClip", "GradScale", "format_as",
]

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
    from pytheano.graph.op import get_test_value

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
    from pytheano.tensor.basic import NotScalarConstantError, get_scalar_constant_value

    try:
        value = get_scalar_constant_value(x)
    except (NotScalarConstantError, TypeError, ValueError, NotImplementedError):
        return "maybe"
    return "yes" if np.all(np.asarray(value) == 0) else "no"


def _scalar_type_constant(value, dtype):
    from pytheano.scalar.basic import ScalarConstant, get_scalar_type

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
        from pytheano.scalar import basic as scal

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
        else:
            w_dt, g_dt = _dtype(wrt[i]), _dtype(g)
            if w_dt in float_types and g_dt in float_types and g_dt != w_dt:
                # A float input gets a gradient of its own dtype, whatever the ops did
                # (Theano 1.0 returned e.g. float64 for a float32 input multiplied by an
                # int32 one, which then broke float32 updates).
                cast = _cast(g, w_dt)
                cast.name = g.name
                rval[i] = cast

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
            from pytheano.tensor.basic import get_scalar_constant_value

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
    from pytheano.tensor.basic import as_tensor_variable

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

    # R_op results per variable; only nodes that depend on wrt are asked (the others
    # vary by zero, and need no R_op).
    r_of = {}
    for node in io_toposort(list(wrt), f):
        if not any(inp in wrt_point or inp in r_of for inp in node.inputs):
            continue
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
        results = node.op.R_op(node.inputs, local)
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
        if out.owner is not None and out not in r_of:
            # Computed without any element of wrt: it varies by zero (Theano 1.0 asks the
            # ops and gets a graph of zeros; this skips the asking).
            rval.append(out.zeros_like())
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


# =========================================================================== jacobian / hessian

def _static_length(v):
    """The length of the vector ``v`` if it is known when the graph is built, else None.

    Known means: a broadcastable dimension, ``get_vector_length`` knows it, or the ops'
    ``infer_shape`` rules reduce it to a constant (e.g. ``x ** 2`` for a constant ``x``).
    Shared variables do not count: their value may change size.
    """
    if v.type.broadcastable[0]:
        return 1
    try:
        from pytheano.tensor.shape import get_vector_length

        return int(get_vector_length(v))
    except Exception:
        pass
    shape = _static_shape(v)
    if shape is None or shape[0] is None:
        return None
    return shape[0]


def _static_shape(v):
    """The shape of ``v`` as a tuple of (int or None: unknown), by the ops' infer_shape
    applied from the graph's roots (unknown dimensions travel as symbolic placeholders)."""
    from pytheano.tensor.basic import NotScalarConstantError, get_scalar_constant_value
    from pytheano.tensor.basic import lscalar

    symbolic = {}

    def root_shape(r):
        ndim = getattr(r.type, "ndim", None)
        if ndim is None:
            return None
        if isinstance(r, Constant) and isinstance(r.data, np.ndarray):
            return tuple(int(d) for d in r.data.shape)
        return tuple(1 if b else lscalar() for b in r.type.broadcastable)

    def value_of(d):
        if isinstance(d, (int, np.integer)):
            return int(d)
        try:
            return int(get_scalar_constant_value(d))
        except (NotScalarConstantError, TypeError, ValueError, NotImplementedError):
            return None

    for node in io_toposort([], [v]):
        in_shapes = []
        for inp in node.inputs:
            if inp not in symbolic:
                symbolic[inp] = root_shape(inp)
            in_shapes.append(symbolic[inp])
        out_shapes = None
        infer = getattr(node.op, "infer_shape", None)
        if infer is not None and all(s is not None or getattr(i.type, "ndim", None) is None
                                     for s, i in zip(in_shapes, node.inputs)):
            try:
                out_shapes = op_infer_shape(None, node, in_shapes)
            except Exception:
                out_shapes = None
        for k, out in enumerate(node.outputs):
            ndim = getattr(out.type, "ndim", None)
            if ndim is None:
                symbolic[out] = None
            elif out_shapes is not None and out_shapes[k] is not None \
                    and len(out_shapes[k]) == ndim:
                symbolic[out] = tuple(out_shapes[k])
            else:
                symbolic[out] = tuple(1 if b else lscalar() for b in out.type.broadcastable)
    shape = symbolic[v] if v in symbolic else root_shape(v)
    return None if shape is None else tuple(value_of(d) for d in shape)


def _rows_to_matrix(rows, like):
    from pytheano.tensor.join import stack

    if rows:
        return stack(rows)
    from pytheano.tensor.creation import zeros

    return zeros([0] + [like.shape[i] for i in range(like.ndim)],
                 dtype=_dtype(like) if _dtype(like) in float_types else config.floatX)


class JacobianRows(Op):
    """``out[i] = row(i)`` for ``i`` in ``range(n)``: the rows of a Jacobian whose length is
    only known at run time.

    Theano builds these rows with scan; this is the one case of scan that jacobian and
    hessian need (a map over an index, no recurrence), until scan itself lands. The row graph
    is compiled once, on first use, into an inner function of the index and of the row's free
    variables, which are this node's inputs: ``(n, row_shape, *free)``.
    """

    def __init__(self, index, free, row):
        self.index = index
        self.free = list(free)
        self.row = row
        self._fn = None

    def __str__(self):
        return "JacobianRows"

    def make_node(self, n, row_shape, *outer_free):
        from pytheano.tensor.basic import as_tensor_variable
        from pytheano.tensor.type import TensorType

        n = as_tensor_variable(n)
        row_shape = as_tensor_variable(row_shape)
        out = TensorType(self.row.type.dtype, (False,) + self.row.type.broadcastable)()
        return Apply(self, [n, row_shape] + list(outer_free), [out])

    def perform(self, node, inputs, output_storage):
        if self._fn is None:
            from pytheano.compile.function import function

            self._fn = function([self.index] + self.free, self.row, on_unused_input="ignore",
                                name="JacobianRows")
        n, row_shape, values = int(inputs[0]), tuple(inputs[1]), inputs[2:]
        out = np.empty((n,) + row_shape, dtype=node.outputs[0].type.dtype)
        for i in range(n):
            out[i] = self._fn(i, *values)
        output_storage[0][0] = out

    def infer_shape(self, fgraph, node, shapes):
        n, row_shape = node.inputs[0], node.inputs[1]
        return [(n,) + tuple(row_shape[k] for k in range(self.row.type.ndim))]

    def grad(self, inputs, output_grads):
        return [grad_not_implemented(self, k, x, "Differentiating a run-time-length "
                                     "Jacobian needs scan (a later issue).")
                for k, x in enumerate(inputs)]


def _runtime_rows(expression, wrt, consider_constant, disconnected_inputs):
    """Per wrt, the Jacobian of the vector ``expression`` as one JacobianRows node."""
    from pytheano.compile.pfunc import rebuild_collect_shared
    from pytheano.tensor.basic import lscalar

    index = lscalar("i")
    rows = grad(expression[index], wrt, consider_constant=consider_constant,
                disconnected_inputs=disconnected_inputs)
    jacobs = []
    for row, w in zip(rows, wrt):
        free = [v for v in graph_inputs([row]) if v is not index and not isinstance(v, Constant)]
        inner_free = [v.type() for v in free]
        # The inner graph reads placeholders, so shared variables (and givens) are fed from
        # the outer node's inputs.
        _, inner_row, _ = rebuild_collect_shared(row, replace=dict(zip(free, inner_free)),
                                                 copy_inputs_over=True)
        op = JacobianRows(index, inner_free, inner_row)
        jacobs.append(op(expression.shape[0], w.shape, *free))
    return jacobs


def jacobian(expression, wrt, consider_constant=None, disconnected_inputs="raise"):
    """The Jacobian of the vector ``expression`` with respect to ``wrt`` (a variable or a
    list / tuple of them): ``J[i, ...] = d expression[i] / d wrt[...]``.

    Theano builds the rows with scan. pytheano builds them one by one when the length of
    ``expression`` is known when the graph is built, and otherwise as one JacobianRows node
    that maps the row graph over the run-time length. A scalar expression gives ``grad``.
    """
    if not isinstance(expression, Variable):
        raise AssertionError("tensor.jacobian expects a Variable as `expression`")
    if expression.ndim >= 2:
        raise AssertionError("tensor.jacobian expects a 1 dimensional variable as "
                             "`expression`. If not use flatten to make it a vector")
    using_list = isinstance(wrt, list)
    using_tuple = isinstance(wrt, tuple)
    wrt = list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]

    if expression.ndim == 0:
        return format_as(using_list, using_tuple,
                         grad(expression, wrt, consider_constant=consider_constant,
                              disconnected_inputs=disconnected_inputs))
    n = _static_length(expression)
    if n is None:
        return format_as(using_list, using_tuple,
                         _runtime_rows(expression, wrt, consider_constant, disconnected_inputs))
    rows = [grad(expression[i], wrt, consider_constant=consider_constant,
                 disconnected_inputs=disconnected_inputs) for i in range(n)]
    jacobs = [_rows_to_matrix([r[k] for r in rows], w) for k, w in enumerate(wrt)]
    return format_as(using_list, using_tuple, jacobs)


def hessian(cost, wrt, consider_constant=None, disconnected_inputs="raise"):
    """The Hessian of the scalar ``cost`` with respect to the vector ``wrt`` (or each of a
    list / tuple of vectors): the Jacobian of ``grad(cost, wrt)``."""
    if not isinstance(cost, Variable):
        raise AssertionError("tensor.hessian expects a Variable as `cost`")
    if cost.ndim != 0:
        raise AssertionError("tensor.hessian expects a 0 dimensional variable as `cost`")
    using_list = isinstance(wrt, list)
    using_tuple = isinstance(wrt, tuple)
    wrt = list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]

    hessians = []
    for inp in wrt:
        if not isinstance(inp, Variable):
            raise AssertionError("tensor.hessian expects a (list of) Variable as `wrt`")
        if inp.ndim != 1:
            raise AssertionError("tensor.hessian expects a (list of) 1 dimensional variable "
                                 "as `wrt`")
        expr = grad(cost, inp, consider_constant=consider_constant,
                    disconnected_inputs=disconnected_inputs)
        n = _static_length(inp)
        if n is None:
            n = _static_length(expr)
        if n is None:
            # The gradient may not depend on inp even if the cost does: not an error.
            hessians.append(_runtime_rows(expr, [inp], consider_constant, "ignore")[0])
            continue
        # The gradient may not depend on inp even if the cost does: not an error.
        rows = [grad(expr[i], inp, consider_constant=consider_constant,
                     disconnected_inputs="ignore") for i in range(n)]
        hessians.append(_rows_to_matrix(rows, inp))
    return format_as(using_list, using_tuple, hessians)


# =========================================================================== gradient ops

class ConsiderConstant(ViewOp):
    """Identity forward; zero gradient (deprecated: use zero_grad or disconnected_grad)."""

    def grad(self, args, g_outs):
        return [g_out.zeros_like() for g_out in g_outs]


consider_constant_ = ConsiderConstant()


def consider_constant(x):
    """DEPRECATED: use zero_grad() or disconnected_grad() instead.

    ``x`` unchanged, but gradients are not backpropagated through it (they are 0)."""
    warnings.warn("consider_constant() is deprecated, use zero_grad() or disconnected_grad() "
                  "instead.", stacklevel=3)
    return consider_constant_(_as_variable(x))


class ZeroGrad(ViewOp):
    """Identity forward; the gradient through it is zeros."""

    def grad(self, args, g_outs):
        return [g_out.zeros_like() for g_out in g_outs]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        # Theano 1.0 compat: the forward-mode derivative through zero_grad is zero too.
        return [eval_points[0].zeros_like()]


zero_grad_ = ZeroGrad()


def zero_grad(x):
    """``x`` unchanged, but the gradient backpropagated through it is 0 (the graph above
    is still walked; see disconnected_grad to cut it)."""
    return zero_grad_(_as_variable(x))


class UndefinedGrad(ViewOp):
    """Identity forward; asking for the gradient through it is an error."""

    def grad(self, args, g_outs):
        return [grad_undefined(self, i, arg) for i, arg in enumerate(args)]

    def R_op(self, inputs, eval_points):
        return [None]

    def connection_pattern(self, node):
        return [[True]]


undefined_grad_ = UndefinedGrad()


def undefined_grad(x):
    """``x`` unchanged, but its gradient is undefined (grad raises NullTypeGradError)."""
    return undefined_grad_(_as_variable(x))


class DisconnectedGrad(ViewOp):
    """Identity forward; the graph above it is disconnected from the gradient."""

    def grad(self, args, g_outs):
        return [disconnected_type() for _ in g_outs]

    def R_op(self, inputs, eval_points):
        return [None]

    def connection_pattern(self, node):
        return [[False]]


disconnected_grad_ = DisconnectedGrad()


def disconnected_grad(x):
    """``x`` unchanged, but gradients do not flow through it: the variables above it count
    as disconnected (faster than zero_grad, which still walks them)."""
    return disconnected_grad_(_as_variable(x))


class GradClip(ViewOp):
    """Identity forward; the gradient through it is clipped to [lower, upper]."""

    __props__ = ("clip_lower_bound", "clip_upper_bound")

    def __init__(self, clip_lower_bound, clip_upper_bound):
        if not clip_upper_bound >= clip_lower_bound:
            raise ValueError("grad_clip: the upper bound (%s) must be >= the lower bound (%s)"
                             % (clip_upper_bound, clip_lower_bound))
        self.clip_lower_bound = clip_lower_bound
        self.clip_upper_bound = clip_upper_bound

    def __str__(self):
        return "GradClip"

    def grad(self, args, g_outs):
        from pytheano.tensor.math import clip

        return [clip(g_out, self.clip_lower_bound, self.clip_upper_bound) for g_out in g_outs]


def grad_clip(x, lower_bound, upper_bound):
    """``x`` unchanged, with its gradient clipped elementwise to [lower_bound, upper_bound].

    >>> z = T.grad(grad_clip(x, -1, 1) ** 2, x)   # 2x clipped to [-1, 1]
    """
    return GradClip(lower_bound, upper_bound)(_as_variable(x))


class GradScale(ViewOp):
    """Identity forward; the gradient through it is multiplied by ``multiplier``."""

    __props__ = ("multiplier",)

    def __init__(self, multiplier):
        self.multiplier = multiplier

    def __str__(self):
        return "GradScale"

    def grad(self, args, g_outs):
        return [self.multiplier * g_out for g_out in g_outs]


def grad_scale(x, multiplier):
    """``x`` unchanged, with its gradient multiplied by ``multiplier`` (e.g. -1 to reverse
    it)."""
    return GradScale(multiplier)(_as_variable(x))


def _as_variable(x):
    if isinstance(x, Variable):
        return x
    from pytheano.tensor.basic import as_tensor_variable

    return as_tensor_variable(x)


# =========================================================================== verify_grad

class numeric_grad:
    """The gradient of a scalar function at a point, by central finite differences.

    ``numeric_grad(f, pt).gf`` holds, for each array of ``pt``, the estimate of
    ``d f(*pt) / d pt[i]``. The computation happens in the most precise dtype among the
    inputs; the step is dtype-dependent (``type_eps``) unless ``eps`` is given.
    """

    type_eps = {"float64": 1e-7, "float32": 3e-4, "float16": 1e-1,
                np.dtype("float64"): 1e-7, np.dtype("float32"): 3e-4,
                np.dtype("float16"): 1e-1}

    def __init__(self, f, pt, eps=None, out_type=None):
        packed_pt = False
        if not isinstance(pt, (list, tuple)):
            pt = [pt]
            packed_pt = True
        apt = [np.array(p) for p in pt]
        dtypes = [str(p.dtype) for p in apt]
        for i, dt in enumerate(dtypes):
            if dt not in self.type_eps:
                raise TypeError("numeric_grad works on float inputs only, but input %d has "
                                "dtype %s." % (i, dt))
        total_size = builtins.sum(int(np.prod(p.shape)) for p in apt)
        working_dtype = builtins.min((self.type_eps[dt], dt) for dt in dtypes)[1]

        # One flat buffer backs every input, so element i of it is perturbed in place.
        x = np.empty((total_size,), dtype=working_dtype)
        if out_type is not None and out_type.startswith("complex"):
            gx = np.empty((total_size,), dtype=out_type)
        else:
            gx = np.empty((total_size,), dtype=working_dtype)
        if eps is None:
            eps = builtins.max(self.type_eps[dt] for dt in dtypes)

        cur = 0
        self.gf = []
        for i, p in enumerate(apt):
            size = int(np.prod(p.shape))
            apt[i] = x[cur:cur + size].reshape(p.shape)
            self.gf.append(gx[cur:cur + size].reshape(p.shape))
            apt[i][...] = p
            cur += size

        x_copy = x.copy()
        for i in range(total_size):
            x[i] = x_copy[i] + eps
            f_pos = f(*apt)
            x[i] = x_copy[i] - eps
            f_neg = f(*apt)
            x[i] = x_copy[i]
            gx[i] = (np.asarray(f_pos) - np.asarray(f_neg)) / (2 * eps)

        if packed_pt:
            self.gf = self.gf[0]

    @staticmethod
    def abs_rel_err(a, b):
        """(abs(a - b), abs(a - b) / max(abs(a) + abs(b), 1e-8)), elementwise."""
        abs_err = abs(a - b)
        # [1e-8] (an array) keeps float16 inputs from rounding the floor to 0.
        rel_err = abs_err / np.maximum(abs(a) + abs(b), [1e-8])
        return np.asarray(abs_err), np.asarray(rel_err)

    def abs_rel_errors(self, g_pt):
        """[(abs_err, rel_err)] of each array of ``g_pt`` against the numeric gradient."""
        if len(g_pt) != len(self.gf):
            raise ValueError("argument has wrong number of elements", len(g_pt))
        errs = []
        for i, (a, b) in enumerate(zip(g_pt, self.gf)):
            if a.shape != b.shape:
                raise ValueError("argument element %i has wrong shape %s"
                                 % (i, str((a.shape, b.shape))))
            errs.append(numeric_grad.abs_rel_err(a, b))
        return errs

    def max_err(self, g_pt, abs_tol, rel_tol):
        """(argument, flat position, abs_err, rel_err) of the worst element of ``g_pt``:
        the one maximising min(abs_err / abs_tol, rel_err / rel_tol)."""
        pos, errs, abs_errs, rel_errs = [], [], [], []
        for k, (abs_err, rel_err) in enumerate(self.abs_rel_errors(g_pt)):
            if not np.all(np.isfinite(abs_err)):
                raise ValueError("abs_err not finite: the analytic or the numeric gradient of "
                                 "argument %d has inf or nan values" % k, repr(abs_err))
            if not np.all(np.isfinite(rel_err)):
                raise ValueError("rel_err not finite: the analytic or the numeric gradient of "
                                 "argument %d has inf or nan values" % k, repr(rel_err))
            scaled = np.minimum(abs_err / abs_tol, rel_err / rel_tol)
            if scaled.size == 0:
                pos.append(0)
                errs.append(-np.inf)
                abs_errs.append(0.0)
                rel_errs.append(0.0)
                continue
            max_i = int(scaled.argmax())
            pos.append(max_i)
            errs.append(scaled.flatten()[max_i])
            abs_errs.append(abs_err.flatten()[max_i])
            rel_errs.append(rel_err.flatten()[max_i])
        max_arg = int(np.argmax(errs))
        return max_arg, pos[max_arg], abs_errs[max_arg], rel_errs[max_arg]


class GradientError(Exception):
    """verify_grad found an analytic gradient that disagrees with the finite differences.

    Attributes (Theano's): ``arg`` (which input), ``err_pos`` (flat position of the worst
    element), ``shape``, ``val1`` (analytic), ``val2`` (numeric), ``abs_err``, ``rel_err``,
    ``abs_tol``, ``rel_tol``.
    """

    def __init__(self, arg, err_pos, shape, val1, val2, abs_err, rel_err, abs_tol, rel_tol):
        super().__init__()
        self.arg = arg
        self.err_pos = err_pos
        self.shape = shape
        self.val1 = val1
        self.val2 = val2
        self.abs_err = abs_err
        self.rel_err = rel_err
        self.abs_tol = abs_tol
        self.rel_tol = rel_tol

    def __str__(self):
        shape = tuple(self.shape)
        where = ""
        if len(shape) > 1 and int(np.prod(shape)) > self.err_pos:
            where = " (index %s)" % (tuple(int(i) for i in np.unravel_index(self.err_pos,
                                                                            shape)),)
        args_msg = ", ".join(str(a) for a in self.args)
        return ("GradientError: numeric gradient and analytic gradient exceed tolerance:\n"
                "        At position %i%s of argument %i with shape %s,\n"
                "            val1 (analytic) = %.8g,  val2 (numeric) = %.8g\n"
                "            abs. error = %.6g,  abs. tolerance = %.6g\n"
                "            rel. error = %.6g,  rel. tolerance = %.6g%s"
                % (self.err_pos, where, self.arg, shape, self.val1, self.val2, self.abs_err,
                   self.abs_tol, self.rel_err, self.rel_tol,
                   ("\nException args: " + args_msg) if args_msg else ""))


def _random_projection_values(rng, shape):
    if hasattr(rng, "rand"):  # RandomState or the np.random module
        return rng.rand(*shape) + 0.5
    if hasattr(rng, "random"):  # Generator
        return np.asarray(rng.random(shape), dtype="float64") + 0.5
    raise TypeError("rng should be a numpy.random.RandomState or numpy.random.Generator, "
                    "got %s" % type(rng).__name__)


def _mode_not_slow(mode):
    from pytheano.compile.mode import FAST_RUN

    if mode == "FAST_COMPILE":
        return FAST_RUN
    return mode


def verify_grad(fun, pt, n_tests=2, rng=None, eps=None, out_type=None, abs_tol=None,
                rel_tol=None, mode=None, cast_to_output_type=False, no_debug_ref=True):
    """Check the gradient of ``fun`` at ``pt`` against finite differences; raise
    GradientError (``verify_grad.E_grad``) if they differ beyond the tolerances.

    fun: builds one output variable from one variable per element of ``pt`` (an Op
        instance works). The output is projected to a scalar by a random ``u``
        (``sum(u * fun(...))``), drawn again for each of the ``n_tests`` tests.
    pt: list of float arrays, the point where the gradients are compared.
    rng: numpy RandomState or Generator (required), for the projections.
    eps: finite-difference step (default by dtype: 1e-7 float64, 3e-4 float32).
    abs_tol, rel_tol: tolerances (default by dtype: 1e-4 float64, 1e-2 float32); an
        element fails when both are exceeded.
    cast_to_output_type: project a float32 output with a float32 ``u``.

        verify_grad(T.tanh, [np.array([[2., 3.], [-1., 3.3]])], rng=np.random.default_rng(0))
    """
    import pytheano
    from pytheano.tensor.type import TensorType

    if not isinstance(pt, (list, tuple)):
        raise TypeError("verify_grad: pt must be a list of input values (one array per input "
                        "of fun), got %s" % type(pt).__name__)
    pt = [np.array(p) for p in pt]
    for i, p in enumerate(pt):
        if p.dtype not in ("float16", "float32", "float64"):
            raise TypeError('verify_grad can work only with floating point inputs, but input '
                            '%i has dtype "%s".' % (i, p.dtype))

    type_tol = {"float16": 5e-2, "float32": 1e-2, "float64": 1e-4}
    if abs_tol is None:
        abs_tol = builtins.max(type_tol[str(p.dtype)] for p in pt)
    if rel_tol is None:
        rel_tol = builtins.max(type_tol[str(p.dtype)] for p in pt)
    if rng is None:
        raise TypeError("rng should be a valid instance of numpy.random.RandomState (or "
                        "numpy.random.Generator). You may want to use "
                        "verify_grad(..., rng=np.random.default_rng(seed)).")

    def function(inputs, output, name, mode=mode):
        # numeric_grad works in the most precise dtype among the inputs: allow downcasts.
        return pytheano.function(inputs, output, accept_inplace=True,
                                 allow_input_downcast=True, mode=mode,
                                 on_unused_input="ignore", name=name)

    tensor_pt = [TensorType(str(p.dtype), [d == 1 for d in p.shape])(name="input %i" % i)
                 for i, p in enumerate(pt)]
    o_output = fun(*tensor_pt)
    if isinstance(o_output, list):
        raise NotImplementedError("cant (yet) autotest gradient of fun with multiple outputs")
    o_fn = function(tensor_pt, o_output, name="gradient.py fwd")
    o_fn_out = o_fn(*[p.copy() for p in pt])
    if isinstance(o_fn_out, (tuple, list)):
        raise TypeError("It seems like you are trying to use verify_grad on an op or a "
                        "function which outputs a list: there should be a single (array-like) "
                        "output instead")
    out_shape = np.shape(o_fn_out)

    def random_projection():
        plain = _random_projection_values(rng, out_shape)
        if cast_to_output_type and o_output.dtype == "float32":
            return np.array(plain, o_output.dtype)
        return plain

    from pytheano.tensor.reduction import sum as t_sum

    t_r = pytheano.shared(random_projection(), borrow=True)
    t_r.name = "random_projection"
    cost = t_sum(t_r * o_output)
    mode_for_cost = _mode_not_slow(mode) if no_debug_ref else mode
    cost_fn = function(tensor_pt, cost, name="gradient.py cost", mode=mode_for_cost)
    symbolic_grad = grad(cost, tensor_pt, disconnected_inputs="ignore")
    grad_fn = function(tensor_pt, symbolic_grad, name="gradient.py symbolic grad")

    for test_num in range(n_tests):
        num_grad = numeric_grad(cost_fn, [p.copy() for p in pt], eps, out_type)
        analytic_grad = grad_fn(*[p.copy() for p in pt])
        analytic_grad = [np.asarray(g) for g in analytic_grad]
        max_arg, max_err_pos, max_abs_err, max_rel_err = num_grad.max_err(
            analytic_grad, abs_tol, rel_tol)
        if max_abs_err > abs_tol and max_rel_err > rel_tol:
            raise verify_grad.E_grad(max_arg, max_err_pos, analytic_grad[max_arg].shape,
                                     analytic_grad[max_arg].flatten()[max_err_pos],
                                     num_grad.gf[max_arg].flatten()[max_err_pos],
                                     max_abs_err, max_rel_err, abs_tol, rel_tol)
        if test_num < n_tests - 1:
            t_r.set_value(random_projection(), borrow=True)


verify_grad.E_grad = GradientError
