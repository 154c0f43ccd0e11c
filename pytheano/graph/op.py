"""Op: the base class of every operation in a graph.

An Op is immutable and compared by its ``__props__``: two equal ops applied to the same inputs
compute the same thing, which is what lets the rewriter merge them. Everything about one
operation is written in its class, side by side: ``make_node`` (types in, types out),
``perform`` (numpy; the reference implementation), ``infer_shape``, ``L_op``/``grad``,
``R_op``, and (later) ``c_code``.
"""
import functools
import inspect
import warnings
from typing import NamedTuple

import numpy as np

from pytheano._core.graph import Apply, Variable, user_location
from pytheano.configparser import config
from pytheano.errors import MethodNotDefined, TestValueError
from pytheano.graph.params_type import ParamsType
from pytheano.graph.type import Type


class Op:
    """Base class of operations. Subclasses set ``__props__`` and implement ``make_node``
    and ``perform``."""

    # Index of the output returned by ``op(*inputs)`` when the op has several; None: all.
    default_output = None
    # Ops that read or write their inputs' memory declare it (later: the inplace rewrites).
    destroy_map = {}
    view_map = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        props = cls.__dict__.get("__props__")
        if props is not None:
            if not isinstance(props, tuple):
                raise TypeError("__props__ of %s must be a tuple" % cls.__name__)
            # Equality and hash by the props, unless the class writes its own.
            if "__eq__" not in cls.__dict__:
                cls.__eq__ = Op._props_eq
            if "__hash__" not in cls.__dict__:
                cls.__hash__ = Op._props_hash

    def _props(self):
        return tuple(getattr(self, p) for p in self.__props__)

    def _props_dict(self):
        return {p: getattr(self, p) for p in self.__props__}

    def _props_eq(self, other):
        return type(self) is type(other) and self._props() == other._props()

    def _props_hash(self):
        return hash((type(self), self._props()))

    def __str__(self):
        props = getattr(self, "__props__", None)
        if props:
            return "%s{%s}" % (type(self).__name__,
                               ", ".join("%s=%r" % (p, getattr(self, p)) for p in props))
        return type(self).__name__

    def __repr__(self):
        return str(self)

    # ------------------------------------------------------------------ building

    def make_node(self, *inputs):
        """Theano 1.0's default: an op that declares ``itypes`` and ``otypes`` (lists of
        types) takes inputs of exactly those types and makes outputs of those."""
        itypes, otypes = getattr(self, "itypes", None), getattr(self, "otypes", None)
        if itypes is None or otypes is None:
            raise MethodNotDefined("make_node", type(self), type(self).__name__)
        if len(inputs) != len(itypes):
            raise ValueError("We expected %d inputs but got %d." % (len(itypes), len(inputs)))
        if not all(getattr(inp, "type", None) == t for inp, t in zip(inputs, itypes)):
            raise TypeError("We expected inputs of types '%s' but got types '%s' "
                            % (list(itypes), [getattr(inp, "type", inp) for inp in inputs]))
        return Apply(self, list(inputs), [t() for t in otypes])

    def c_code(self, node, name, inputs, outputs, sub):
        """Theano 1.0's C hook, undefined unless an op defines it (pytheano's C backend
        writes its own code and never calls it)."""
        raise MethodNotDefined("c_code", type(self), type(self).__name__)

    def __call__(self, *inputs, **kwargs):
        """Apply the op: build the node and return its output variable(s)."""
        return_list = kwargs.pop("return_list", False)
        node = self.make_node(*inputs, **kwargs)
        where = user_location()
        for out in node.outputs:
            out.creation_site = where
        _compute_test_value(node)
        if self.default_output is not None:
            out = node.outputs[self.default_output]
            return [out] if return_list else out
        if len(node.outputs) == 1 and not return_list:
            return node.outputs[0]
        return list(node.outputs)

    # ------------------------------------------------------------------ running

    def perform(self, node, inputs, output_storage, params=None):
        raise MethodNotDefined(
            "perform", type(self), type(self).__name__,
            "Did you use an op that needs C or GPU code with a Python-only linker?")

    def get_params(self, node):
        """The op's parameters for ``node``, passed to ``perform`` as its last argument
        (None: no parameters). With a ``params_type`` that is a ParamsType, they are the
        op's attributes named by its fields (Theano's default)."""
        params_type = getattr(self, "params_type", None)
        if isinstance(params_type, ParamsType):
            missing = [f for f in params_type.fields if not hasattr(self, f)]
            if missing:
                raise AttributeError("%s: missing attributes %s for ParamsType."
                                     % (type(self).__name__, tuple(missing)))
            return params_type.get_params(self)
        return None

    def make_thunk(self, node, storage_map, compute_map, no_recycling, impl=None):
        """Theano's thunk API: a no-argument callable computing ``node`` from the cells of
        ``storage_map`` (``.inputs``, ``.outputs``: those cells; ``.lazy``: False).

        The linker builds faster thunks itself; an op that overrides this method runs
        through it instead (a lazy op returns a thunk with ``lazy = True`` that returns the
        indices of the inputs it still needs, read from ``compute_map``).
        """
        inputs = [storage_map[v] for v in node.inputs]
        outputs = [storage_map[v] for v in node.outputs]
        extra = _params(node)
        perform = self.perform

        def thunk():
            perform(node, [cell[0] for cell in inputs], outputs, *extra)
            for v in node.outputs:
                compute_map[v][0] = True

        thunk.inputs, thunk.outputs, thunk.lazy = inputs, outputs, False
        return thunk

    def prepare_node(self, node, storage_map, compute_map, impl):
        """Called once before the node's thunk is made (e.g. to build a ufunc)."""

    def ufunc_kernel(self, node):
        """A UfuncKernel when one numpy ufunc computes ``node`` exactly, else None."""
        return None

    def do_constant_folding(self, fgraph, node):
        """Whether constant folding may replace ``node`` by its value in ``fgraph``
        (PyTensor's signature: a node's readers are the graph's, not the node's)."""
        return True

    # ------------------------------------------------------------------ gradients

    def grad(self, inputs, output_grads):
        raise MethodNotDefined("grad", type(self), type(self).__name__)

    def L_op(self, inputs, outputs, output_grads):
        """Gradients of the inputs given the outputs' gradients (reverse mode)."""
        return self.grad(inputs, output_grads)

    def R_op(self, inputs, eval_points):
        """Forward-mode derivative: the outputs' variations for inputs varying by eval_points."""
        raise NotImplementedError(
            "%s of type %s does not implement R_op. If this is a theano op, write to the "
            "pytheano issue tracker to request it." % (self, type(self).__name__))

    def connection_pattern(self, node):
        return [[True] * len(node.outputs) for _ in node.inputs]


class UfuncKernel(NamedTuple):
    """What an op declares (``op.ufunc_kernel(node)``) when one numpy ufunc computes its
    node exactly: the linker then has the VM call the ufunc directly, with no Python frame.

    input_broadcastable: the inputs' patterns; a dimension no pattern marks broadcastable
    must have one size across inputs. shape_check(node, inputs): called on a mismatch, to
    raise the op's own error (None: no check needed). destroyed_input: the input the result
    is written into (an in-place node), or -1.
    """

    ufunc: object
    dtype: str
    input_broadcastable: list
    shape_check: object = None
    destroyed_input: int = -1


# Theano 1.0 compat: theano.gof.op.PureOp, the base Op of Theano's older code.
PureOp = Op


class HasInnerGraph:
    """Mixin of ops that run a graph of their own (scan, OpFromGraph): printers and rewrites
    reach the inner graph through these, without knowing the op's class."""

    @property
    def inner_inputs(self):
        raise NotImplementedError()

    @property
    def inner_outputs(self):
        raise NotImplementedError()

    def inner_to_outer_inputs(self, node):
        """{inner input variable: the outer input of ``node`` it stands for}."""
        raise NotImplementedError()


def infer_shape(fgraph, node, input_shapes):
    """``node.op.infer_shape`` called with the signature the op was written for.

    pytheano's ops (like PyTensor's) take ``(fgraph, node, input_shapes)``; ops written for
    Theano 1.0 take ``(node, input_shapes)``. Both keep working: the arity is read once per
    method.
    """
    method = node.op.infer_shape
    if _takes_fgraph(getattr(method, "__func__", method)):
        return method(fgraph, node, input_shapes)
    return method(node, input_shapes)


def do_constant_folding(fgraph, node):
    """``node.op.do_constant_folding`` called with the signature the op was written for:
    ``(fgraph, node)`` (pytheano, PyTensor) or Theano 1.0's ``(node)``."""
    method = node.op.do_constant_folding
    function = getattr(method, "__func__", method)
    if _positional_arity(function) - hasattr(method, "__self__") >= 2:
        return method(fgraph, node)
    return method(node)


@functools.lru_cache(maxsize=None)
def _positional_arity(function):
    return len([p for p in inspect.signature(function).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)])


@functools.lru_cache(maxsize=None)
def _takes_fgraph(function):
    params = [p for p in inspect.signature(function).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(params) >= 4 or (params and params[0].name != "self" and len(params) >= 3)


def _compute_test_value(node):
    """Theano's compute_test_value: run perform on the inputs' test values at build time."""
    mode = config.compute_test_value
    if mode == "off":
        return
    values = []
    for inp in node.inputs:
        if hasattr(inp, "data"):
            values.append(inp.data)
            continue
        if hasattr(inp, "get_value"):
            values.append(inp.get_value(borrow=True))
            continue
        tv = getattr(inp.tag, "test_value", None)
        if tv is None:
            msg = ("%s has no test value. Set it with `var.tag.test_value = value`, or set "
                   "config.compute_test_value to 'off'." % (inp,))
            if mode == "raise":
                raise TestValueError(msg)
            if mode == "warn":
                warnings.warn(msg, stacklevel=3)
            return
        values.append(tv)
    storage = [[None] for _ in node.outputs]
    node.op.perform(node, values, storage, *_params(node))
    for out, cell in zip(node.outputs, storage):
        out.tag.test_value = cell[0]


def node_params(node):
    """``node.op.get_params(node)`` filtered by the op's ``params_type`` when it has one (so
    an enum parameter given by its alias reaches perform as its value, as in Theano)."""
    params = node.op.get_params(node)
    params_type = getattr(node.op, "params_type", None)
    if params is not None and isinstance(params_type, Type):
        params = params_type.filter(params, strict=False, allow_downcast=True)
    return params


def _params(node):
    params = node_params(node)
    return () if params is None else (params,)


def get_test_value(v):
    """The test value of ``v`` (a constant's data, a shared value, or ``v.tag.test_value``;
    a number, list or array is its own, as an array)."""
    if not isinstance(v, Variable):
        return np.asarray(v)
    if hasattr(v, "data"):
        return v.data
    if hasattr(v, "get_value"):
        return v.get_value(borrow=True)
    try:
        return v.tag.test_value
    except AttributeError:
        raise TestValueError("%s has no test value" % (v,)) from None


def missing_test_message(msg):
    """A missing test value, as config.compute_test_value says: raise, warn or ignore."""
    action = config.compute_test_value
    if action == "raise":
        raise TestValueError(msg)
    if action == "warn":
        warnings.warn(msg, stacklevel=2)


def debug_error_message(msg):
    """An error the test-value debugger found: ValueError, or a warning in 'warn' mode."""
    action = config.compute_test_value
    if action == "warn":
        warnings.warn(msg, stacklevel=2)
    else:
        raise ValueError(msg)


def get_debug_values(*args):
    """Theano's test-value loop helper: ``for x_val, y_val in get_debug_values(x, y):`` runs
    once with the test values when the debugger is on and all of them are known (a missing
    one goes through missing_test_message), else not at all."""
    if config.compute_test_value == "off":
        return []
    values = []
    for i, arg in enumerate(args):
        try:
            values.append(get_test_value(arg))
        except TestValueError:
            name = getattr(arg, "name", None)
            missing_test_message("Argument %d%s has no test value"
                                 % (i, "('%s')" % name if name is not None else ""))
            return []
    return values if len(values) == 1 else [tuple(values)]


__all__ = ["Op", "HasInnerGraph", "UfuncKernel", "Apply", "Variable", "get_test_value",
           "get_debug_values", "debug_error_message", "missing_test_message",
           "infer_shape", "do_constant_folding"]
