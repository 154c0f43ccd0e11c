"""Indexing: ``x[...]`` and its update forms ``set_subtensor`` / ``inc_subtensor``.

``getitem`` (what ``x[args]`` calls) dispatches as Theano 1.0 does:

- ints, slices (constant or symbolic bounds), ``None`` and ``...`` -> ``Subtensor`` (a view;
  ``None`` becomes a DimShuffle first);
- one integer vector on a single axis, every other axis a full slice -> ``take``, which is
  ``AdvancedSubtensor1`` on the first axis (DimShuffles around it for other axes, a Reshape
  for index arrays of higher rank);
- anything else with index arrays -> ``AdvancedSubtensor``; boolean masks ->
  ``AdvancedBooleanSubtensor``.

Each reading op has an update twin (``IncSubtensor``, ``AdvancedIncSubtensor1``,
``AdvancedIncSubtensor``, ``AdvancedBooleanIncSubtensor``) that returns a new tensor: the
original is never modified unless a rewrite makes the op inplace.

A Subtensor's op stores its index *pattern* (``idx_list``: scalar Types and slices of them),
not the index values: ``x[1:3]`` and ``x[i:j]`` are the same op applied to different scalar
inputs, which is what lets the rewriter merge them.
"""
import sys

import numpy as np

from pytheano.graph.printing import pprint, process_all
from pytheano._core.graph import Apply, Constant, Variable
from pytheano.configparser import config
from pytheano.graph.op import Op
from pytheano.graph.type import Generic, SingletonType, Type
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import (NotScalarConstantError, addbroadcast, as_tensor_variable,
                                   get_scalar_constant_value, scalar_from_tensor)
from pytheano.tensor.elemwise import DimShuffle
from pytheano.tensor.type import TensorType
from pytheano.graph.grad_types import disconnected_type
from pytheano.tensor.shape import Shape, _const_int
from pytheano.tensor.basic import TensorFromScalar, extract_constant
from pytheano.tensor.basic import patternbroadcast
from pytheano.tensor.creation import alloc, zeros_like
from pytheano.tensor.join import concatenate
from pytheano.tensor.reduction import sum as tsum
from pytheano.tensor.shape import Reshape
from pytheano.tensor import math as tmath

__all__ = ["AdvancedIndexingError", "AdvancedBooleanIndexingError", "ShapeError",
           "Subtensor", "IncSubtensor", "AdvancedSubtensor1", "AdvancedIncSubtensor1",
           "AdvancedSubtensor", "AdvancedIncSubtensor", "AdvancedBooleanSubtensor",
           "AdvancedBooleanIncSubtensor", "getitem", "set_subtensor", "inc_subtensor", "take",
           "advanced_subtensor1", "advanced_inc_subtensor1", "advanced_set_subtensor1",
           "advanced_subtensor", "advanced_inc_subtensor", "advanced_set_subtensor",
           "advanced_boolean_subtensor", "advanced_boolean_inc_subtensor",
           "advanced_boolean_set_subtensor", "get_canonical_form_slice", "get_idx_list",
           "make_constant", "SliceType", "slicetype", "SliceConstant", "MakeSlice",
           "make_slice", "NoneTypeT", "none_type_t", "NoneConst", "as_index_variable"]

_INT_DTYPES = scal.integer_types


class AdvancedIndexingError(TypeError):
    """Raised when Subtensor is asked to perform advanced indexing."""


class AdvancedBooleanIndexingError(TypeError):
    """Raised when Subtensor is asked to perform advanced indexing with boolean masks."""


class ShapeError(Exception):
    """infer_shape cannot express this output's shape (the caller falls back to the output's
    real shape)."""




def _disconnected():
    return disconnected_type()


def _grad_zeros(x):
    """Zeros shaped like ``x`` to start a gradient: floatX for discrete ``x``."""
    if x.dtype in scal.discrete_types:
        return zeros_like(x, dtype=config.floatX)
    if x.dtype in scal.complex_types:
        raise NotImplementedError("No support for complex grad yet")
    return zeros_like(x)


# =========================================================================== slices and None
# Index arguments that are not tensors (a slice, None) travel through AdvancedSubtensor's
# inputs as variables of these two types (Theano's tensor/type_other.py).

class SliceType(SingletonType):
    """A Python ``slice`` object."""

    def filter(self, x, strict=False, allow_downcast=None):
        if isinstance(x, slice):
            return x
        raise TypeError("Expected a slice!")

    def __str__(self):
        return "slice"

    __repr__ = __str__

    @staticmethod
    def may_share_memory(a, b):
        return isinstance(a, slice) and a is b


class SliceConstant(Constant):
    def __init__(self, type, data, name=None):
        data = slice(*[int(b) if isinstance(b, (np.ndarray, np.integer)) else b
                       for b in (data.start, data.stop, data.step)])
        Constant.__init__(self, type, data, name)

    def signature(self):
        return (SliceConstant, self.data.start, self.data.stop, self.data.step)

    def __str__(self):
        return "%s{%s, %s, %s}" % (type(self).__name__, self.data.start, self.data.stop,
                                   self.data.step)


SliceType.Constant = SliceConstant
slicetype = SliceType()


class NoneTypeT(Generic):
    """The type of ``None`` (``np.newaxis`` in an advanced index)."""

    def filter(self, x, strict=False, allow_downcast=None):
        if x is None:
            return x
        raise TypeError("Expected None!")

    @staticmethod
    def may_share_memory(a, b):
        return False


none_type_t = NoneTypeT()
# A variable may appear in one graph only once as an input; use NoneConst.clone() in graphs
# and NoneConst.equals(v) to test for it.
NoneConst = Constant(none_type_t, None, name="NoneConst")


def _as_int_none_variable(x):
    if x is None:
        return NoneConst.clone()
    if NoneConst.equals(x):
        return x
    x = as_tensor_variable(x, ndim=0)
    if x.type.dtype not in _INT_DTYPES:
        raise TypeError("slice bounds must be integers, got %s" % (x.type,))
    return x


class MakeSlice(Op):
    """Build a ``slice`` from (start, stop, step), each an int scalar or NoneConst."""

    __props__ = ()

    def make_node(self, slc, stop=None, step=None):
        if isinstance(slc, slice):
            if stop is not None or step is not None:
                raise TypeError("MakeSlice takes a slice or (start, stop, step), not both")
            inputs = [slc.start, slc.stop, slc.step]
        else:
            inputs = [slc, stop, step]
        return Apply(self, [_as_int_none_variable(v) for v in inputs], [slicetype()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = slice(*[None if v is None else int(v) for v in inputs])

    def grad(self, inputs, output_grads):
        return [_disconnected() for _ in inputs]

    def connection_pattern(self, node):
        return [[False] for _ in node.inputs]


make_slice = MakeSlice()


# =========================================================================== index helpers

def make_constant(args):
    """Python (and numpy) integers in index arguments as int64 scalar constants."""
    def conv(a):
        if a is None:
            return a
        if isinstance(a, slice):
            return slice(conv(a.start), conv(a.stop), conv(a.step))
        if isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_)):
            return scal.ScalarConstant(scal.int64, np.int64(a))
        if (isinstance(a, np.ndarray) and a.ndim == 0 and a.dtype.kind in "iu"):
            return scal.ScalarConstant(scal.int64, np.int64(a))
        return a

    return tuple(map(conv, args))


def get_idx_list(inputs, idx_list, get_count=False):
    """The index of a (Inc)Subtensor node with its pattern filled in from ``inputs``
    (``inputs[0]`` is the indexed tensor; for IncSubtensor pass ``[x] + inputs[2:]``).

    With ``get_count``, the number of index inputs the pattern consumes instead."""
    n = len(inputs) - 1
    if n == 0:
        return tuple(idx_list)
    indices = list(reversed(list(inputs[1:])))

    def convert(entry):
        if isinstance(entry, Type):
            return indices.pop()
        if isinstance(entry, slice):
            return slice(convert(entry.start), convert(entry.stop), convert(entry.step))
        return entry

    cdata = tuple(map(convert, idx_list))
    if get_count:
        return n - len(indices)
    return cdata


def index_vars_to_types(entry, slice_ok=True):
    """The pattern entry for one basic index: the scalar Type of an integer scalar, or a
    slice of such Types; AdvancedIndexingError for anything basic indexing cannot do."""
    if _is_bool_array(entry):
        raise AdvancedBooleanIndexingError("Invalid index type or slice for Subtensor",
                                           entry)
    if isinstance(entry, Variable):
        t = entry.type
        dtype = getattr(t, "dtype", None)
        ndim = getattr(t, "ndim", 0)
        if isinstance(t, (scal.ScalarType, TensorType)) and ndim == 0:
            if dtype in _INT_DTYPES:
                return scal.get_scalar_type(dtype)
            if dtype == "bool":
                raise AdvancedBooleanIndexingError(
                    "Invalid index type or slice for Subtensor", entry)
            raise TypeError("Expected an integer: %s of type %s cannot index a tensor. Cast "
                            "it with T.cast(%s, 'int64') (or .astype('int64'))."
                            % (entry, t, entry))
        if isinstance(t, TensorType) and dtype not in scal.discrete_types:
            raise TypeError("index must be integers: %s has dtype %s. Cast it to an integer "
                            "dtype (e.g. .astype('int64'))." % (entry, dtype))
        raise AdvancedIndexingError("Invalid index type or slice for Subtensor", entry)
    if isinstance(entry, Type):
        if isinstance(entry, scal.ScalarType) and entry.dtype in _INT_DTYPES:
            return entry
        if isinstance(entry, TensorType) and entry.ndim == 0 and entry.dtype in _INT_DTYPES:
            return scal.get_scalar_type(entry.dtype)
        raise TypeError("Invalid index pattern entry %s: expected an integer scalar type"
                        % (entry,))
    if slice_ok and isinstance(entry, slice):
        return slice(*[None if b is None else index_vars_to_types(b, False)
                       for b in (entry.start, entry.stop, entry.step)])
    if isinstance(entry, (int, np.integer)) and not isinstance(entry, (bool, np.bool_)):
        raise TypeError("Python scalar in idx_list: wrap it with make_constant (an int64 "
                        "scalar constant) and pass it as an input.")
    if isinstance(entry, slice):
        raise TypeError("nested slicing is not supported")
    raise AdvancedIndexingError("Invalid index type or slice for Subtensor", entry)


def _is_bool_array(arg):
    if isinstance(arg, np.ndarray):
        return arg.dtype == np.bool_
    return (isinstance(arg, Variable) and isinstance(arg.type, TensorType)
            and arg.type.dtype == "bool")


def _collapse(idxs, cond):
    """The entries of ``idxs`` (descending into slices) for which ``cond`` holds."""
    out = []

    def helper(entry):
        if cond(entry):
            out.append(entry)
        elif isinstance(entry, slice):
            helper(entry.start)
            helper(entry.stop)
            helper(entry.step)

    for idx in idxs:
        helper(idx)
    return out


def _my_as_scalar(a):
    if isinstance(a, Variable) and isinstance(a.type, TensorType):
        return scalar_from_tensor(a)
    return scal.as_scalar(a)


def _slice_str(entry):
    return ":".join("" if b is None else str(b) for b in (entry.start, entry.stop, entry.step))


def _idx_list_str(idx_list):
    return ", ".join(_slice_str(e) if isinstance(e, slice) else str(e) for e in idx_list)


def _idx_list_key(idx_list):
    return tuple((e.start, e.stop, e.step) if isinstance(e, slice) else e for e in idx_list)


def _check_pattern_inputs(op, x, inputs):
    idx_list = list(op.idx_list)
    if len(idx_list) > x.type.ndim:
        raise IndexError("too many indices for array: %s has %d dimension(s) but %d were "
                         "indexed" % (x.type, x.type.ndim, len(idx_list)))
    input_types = _collapse(idx_list, lambda entry: isinstance(entry, Type))
    if len(inputs) != len(input_types):
        raise IndexError("Not enough inputs to fill in the Subtensor template: %d given for "
                         "the pattern {%s}" % (len(inputs), _idx_list_str(idx_list)))
    for inp, expected in zip(inputs, input_types):
        if inp.type != expected:
            raise TypeError("Wrong type for Subtensor template. Expected %s, got %s."
                            % (expected, inp.type))


def _index_error(err, x, index):
    """IndexError with the indexed array's shape added to numpy's message."""
    return IndexError("%s (indexing an array of shape %s with %s)"
                      % (err, x.shape, _describe_index(index)))


def _describe_index(index):
    if not isinstance(index, tuple):
        index = (index,)
    parts = []
    for i in index:
        if isinstance(i, slice):
            parts.append(_slice_str(i) or ":")
        elif isinstance(i, np.ndarray) and i.ndim > 0:
            parts.append("array(shape=%s, dtype=%s)" % (i.shape, i.dtype))
        else:
            parts.append(str(i))
    return "[%s]" % ", ".join(parts)


# --------------------------------------------------------------------------- slice lengths
# Shape arithmetic on Python ints folds at once; symbolic operands build int64 graph.

def _as_int(v):
    """``v`` as a Python int when it is a number or a constant, else None."""
    if v is None:
        return None
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, np.ndarray) and v.ndim == 0 and v.dtype.kind in "iu":
        return int(v)
    if isinstance(v, Variable) and v.owner is not None and \
            isinstance(v.owner.op, TensorFromScalar):
        return _as_int(v.owner.inputs[0])
    if isinstance(v, Constant):
        try:
            return int(get_scalar_constant_value(v))
        except (NotScalarConstantError, TypeError, ValueError):
            return None
    return None


def _num(v):
    c = _as_int(v)
    return v if c is None else c


def _switch(cond, a, b):
    if isinstance(cond, (bool, np.bool_)):
        return a if cond else b
    return tmath.switch(cond, a, b)


def _lt(a, b):
    if isinstance(a, int) and isinstance(b, int):
        return a < b
    return tmath.lt(a, b)


def _ge(a, b):
    if isinstance(a, int) and isinstance(b, int):
        return a >= b
    return tmath.ge(a, b)


def _add(a, b):
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    if isinstance(b, int) and b == 0:
        return a
    if isinstance(a, int) and a == 0:
        return b
    return tmath.add(a, b)


def _sub(a, b):
    if isinstance(a, int) and isinstance(b, int):
        return a - b
    if isinstance(b, int) and b == 0:
        return a
    return tmath.sub(a, b)


def _mul(a, b):
    if isinstance(a, int) and isinstance(b, int):
        return a * b
    if isinstance(b, int) and b == 1:
        return a
    if isinstance(a, int) and a == 1:
        return b
    return tmath.mul(a, b)


def _floordiv(a, b):
    if isinstance(a, int) and isinstance(b, int):
        return a // b
    if isinstance(b, int) and b == 1:
        return a
    return tmath.floor_div(a, b)


def _max0(a):
    return _switch(_lt(a, 0), 0, a)


def _min(a, b):
    return _switch(_lt(a, b), a, b)


def get_canonical_form_slice(theslice, length):
    """``theslice`` (or an integer index) over a dimension of size ``length``, in canonical
    form.

    For a slice: ``(slice(start, stop, step), reverse)`` with ``0 <= start <= stop <= length``
    and ``step > 0``, such that ``x[theslice]`` equals ``x[start:stop:step][::reverse]``
    (``reverse`` is 1 or -1, symbolic when the step is). For an integer: ``(index, 1)`` with a
    negative index wrapped. Bounds may be ints, constants or symbolic int scalars; constant
    parts fold to Python ints.
    """
    length = _num(length)
    if not isinstance(theslice, slice):
        value = _num(theslice)
        return _switch(_lt(value, 0), _add(value, length), value), 1

    start, stop, step = (_num(b) for b in (theslice.start, theslice.stop, theslice.step))
    if step is None:
        step = 1
    if isinstance(step, int):
        if step == 0:
            raise ValueError("slice step cannot be zero")
        neg = step < 0

        def switch_neg_step(a, b):
            return a if neg else b

        abs_step, sgn_step = abs(step), (-1 if neg else 1)
    else:
        is_neg = _lt(step, 0)

        def switch_neg_step(a, b):
            return _switch(is_neg, a, b)

        abs_step = tmath.abs_(step)
        sgn_step = tmath.sgn(step)

    if all(isinstance(v, int) or v is None for v in (start, stop, length)) and \
            isinstance(step, int):
        # Everything is known: Python computes it.
        r = range(*slice(start, stop, step).indices(length))
        if step > 0:
            return slice(r.start, max(r.start, r.stop), step), 1
        if len(r) == 0:
            return slice(0, 0, abs_step), -1
        return slice(r[-1], r[0] + 1, abs_step), -1

    if isinstance(step, int) and step == 1:
        # The common case, with a small graph: each bound clipped into [0, length].
        def clip(b):
            if isinstance(b, int):
                return _min(b, length) if b >= 0 else _max0(_add(b, length))
            return _switch(_lt(b, 0), _max0(_add(b, length)), _min(b, length))

        nw_start = 0 if start is None else clip(start)
        nw_stop = length if stop is None else clip(stop)
        if start is not None and stop is not None:
            nw_start = _min(nw_start, nw_stop)
        return slice(nw_start, nw_stop, 1), 1

    if start is None:
        start = switch_neg_step(_sub(length, 1), 0)
    else:
        start = _switch(_lt(start, 0), _add(start, length), start)
        start = _switch(_lt(start, 0), switch_neg_step(-1, 0), start)
        start = _switch(_ge(start, length), switch_neg_step(_sub(length, 1), length), start)
    if stop is None:
        stop = switch_neg_step(-1, length)
    else:
        stop = _switch(_lt(stop, 0), _add(stop, length), stop)
        stop = _switch(_lt(stop, 0), -1, stop)
        stop = _switch(_ge(stop, length), length, stop)

    nw_stop = switch_neg_step(_add(start, 1), stop)
    if isinstance(step, int) and step > 0:
        nw_start = start
    else:
        # A negative step walks down from start: the canonical start is the last element
        # reached.
        slice_len = _max0(_add(_floordiv(_sub(_sub(start, stop), 1), abs_step), 1))
        neg_start = _sub(_sub(nw_stop, _mul(_sub(slice_len, 1), abs_step)), 1)
        neg_start = _switch(_lt(neg_start, 0), _sub(nw_stop, 1), neg_start)
        nw_start = switch_neg_step(neg_start, start)
    nw_start = _max0(nw_start)
    nw_stop = _max0(nw_stop)
    nw_start = _min(nw_start, nw_stop)
    return slice(nw_start, nw_stop, abs_step), sgn_step


def _slice_length(theslice, length):
    """The number of elements ``theslice`` selects from a dimension of size ``length``."""
    if theslice.start is None and theslice.stop is None and (
            theslice.step is None or _as_int(theslice.step) == 1):
        return length
    cnf = get_canonical_form_slice(theslice, length)[0]
    if isinstance(cnf.step, int) and cnf.step == 1:
        return _sub(cnf.stop, cnf.start)
    return _add(_floordiv(_sub(_sub(cnf.stop, cnf.start), 1), cnf.step), 1)


def _int64(v):
    """A shape entry as a Python int or an int64 symbolic scalar."""
    if isinstance(v, int):
        return v
    v = as_tensor_variable(v)
    if v.dtype != "int64":
        return tmath.cast(v, "int64")
    return v


# =========================================================================== Subtensor

class Subtensor(Op):
    """Basic indexing (ints and slices): a view of ``x``.

    ``idx_list`` is the index pattern: one entry per indexed dimension, an integer scalar
    Type or a slice whose bounds are such Types (or None). The node's inputs are ``x`` then
    one scalar per Type in the pattern, in order: ``x[1:i]`` is
    ``Subtensor{int64:int64:}(x, Constant{1}, ScalarFromTensor(i))``.
    """

    view_map = {0: [0]}
    __props__ = ("idx_list",)

    def __init__(self, idx_list):
        self.idx_list = tuple(map(index_vars_to_types, idx_list))

    def __hash__(self):
        return hash((type(self), _idx_list_key(self.idx_list)))

    def __str__(self):
        return "%s{%s}" % (type(self).__name__, _idx_list_str(self.idx_list))

    def make_node(self, x, *inputs):
        x = as_tensor_variable(x)
        inputs = tuple(_my_as_scalar(a) for a in inputs)
        _check_pattern_inputs(self, x, inputs)
        padded = (self.get_constant_idx((None,) + inputs, allow_partial=True)
                  + [slice(None, None, None)] * (x.type.ndim - len(self.idx_list)))
        broadcastable = []
        for p, bc in zip(padded, x.type.broadcastable):
            if not isinstance(p, slice):
                continue  # an integer index drops the dimension
            # A broadcastable (length-1) dimension stays so if the slice starts at 0 (or
            # None) and stops after it (a constant > 0, or None).
            # Theano 1.0 compat: the step is not looked at, so x[::-1] and x[::s] stay
            # broadcastable (rightly), and so do x[:1:-1] and x[0:2:s] (empty for a negative
            # step: perform refuses those at run time rather than break the type).
            start = 0 if p.start is None else _as_int(p.start)
            stop = None if p.stop is None else _as_int(p.stop)
            broadcastable.append(bc and start == 0 and (
                p.stop is None or (stop is not None and stop > 0)))
        return Apply(self, (x,) + inputs, [TensorType(x.type.dtype, broadcastable)()])

    def get_constant_idx(self, inputs, allow_partial=False, only_process_constants=False,
                         elemwise=True):
        """The index with constant inputs replaced by their values (non-constant entries
        stay variables if ``allow_partial``, else NotScalarConstantError)."""
        real_idx = get_idx_list(inputs, self.idx_list)

        def conv(val):
            if val is None:
                return None
            if isinstance(val, slice):
                return slice(conv(val.start), conv(val.stop), conv(val.step))
            try:
                return get_scalar_constant_value(val, elemwise=elemwise,
                                                 only_process_constants=only_process_constants)
            except NotScalarConstantError:
                if allow_partial:
                    return val
                raise

        return list(map(conv, real_idx))

    def perform(self, node, inputs, output_storage):
        x = inputs[0]
        cdata = get_idx_list(inputs, self.idx_list)
        if len(cdata) == 1:
            cdata = cdata[0]
        try:
            out = x[cdata]
        except IndexError as e:
            raise _index_error(e, x, cdata) from None
        bcast = node.outputs[0].type.broadcastable
        if True in bcast and any(b and n != 1 for b, n in zip(bcast, np.shape(out))):
            # Only a negative step can empty a dimension make_node kept broadcastable
            # (x[:1:-1]). Theano 1.0 returned the empty array under a broadcastable type;
            # shapes inferred from that type would then be wrong, so refuse it.
            raise ValueError(
                "Subtensor %s gave an output of shape %s, but its type %s says the "
                "broadcastable dimensions have length 1: a negative step emptied a "
                "length-1 dimension. Slice it with [::-1] (or a non-negative step), or "
                "unbroadcast it first (T.unbroadcast(x, axis))."
                % (_idx_list_str(self.idx_list), np.shape(out), node.outputs[0].type))
        output_storage[0][0] = np.asarray(out)

    def infer_shape(self, fgraph, node, shapes):
        xshp = shapes[0]
        idx = list(get_idx_list(node.inputs, self.idx_list))
        padded = idx + [slice(None, None, None)] * (len(xshp) - len(idx))
        outshp = []
        for entry, xl in zip(padded, xshp):
            if isinstance(entry, slice):
                outshp.append(_int64(_slice_length(entry, xl)))
        return [tuple(outshp)]

    def vector_length(self, node):
        """The length of ``x.shape[a:b:c]`` with constant bounds, else None."""
        if not self.idx_list or not isinstance(self.idx_list[0], slice):
            return None
        src = node.inputs[0]
        if src.owner is None or not isinstance(src.owner.op, Shape):
            return None
        sl = get_idx_list(node.inputs, self.idx_list)[0]
        bounds = [_const_int(extract_constant(b)) if b is not None else None
                  for b in (sl.start, sl.stop, sl.step)]
        for bound, given in zip(bounds, (sl.start, sl.stop, sl.step)):
            if given is not None and bound is None:
                return None
        ndim = src.owner.inputs[0].ndim
        return len(range(*slice(*bounds).indices(ndim)))

    def grad(self, inputs, output_grads):
        gz, = output_grads
        x, rest = inputs[0], inputs[1:]
        if x.dtype in scal.discrete_types:
            first = _grad_zeros(x)
        else:
            first = IncSubtensor(self.idx_list)(_grad_zeros(x), gz, *rest)
        return [first] + [_disconnected() for _ in rest]

    def connection_pattern(self, node):
        return [[True]] + [[False] for _ in node.inputs[1:]]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return self(eval_points[0], *inputs[1:], return_list=True)

    def constant_value(self, node, v, elemwise, max_recur):
        """``get_scalar_constant_value`` of ``vec[i]`` with a constant ``i``: an element of a
        constant, of a MakeVector, or of ``x.shape`` where that dimension is broadcastable."""
        if v.type.ndim != 0 or len(self.idx_list) != 1:
            raise NotScalarConstantError(v)
        try:
            entry = get_idx_list(node.inputs, self.idx_list)[0]
            if isinstance(entry, Variable):
                entry = get_scalar_constant_value(entry, max_recur=max_recur)
            idx = int(entry)
        except (TypeError, ValueError, NotScalarConstantError):
            raise NotScalarConstantError(v) from None
        x = node.inputs[0]
        if isinstance(x, Constant):
            return np.asarray(x.data[idx])
        owner = x.owner
        if owner is None:
            raise NotScalarConstantError(v)
        op_name = type(owner.op).__name__
        if op_name == "MakeVector" and -len(owner.inputs) <= idx < len(owner.inputs):
            return get_scalar_constant_value(owner.inputs[idx], elemwise,
                                             max_recur=max_recur)
        if op_name == "Shape":
            shaped = owner.inputs[0]
            if -shaped.type.ndim <= idx < shaped.type.ndim:
                if shaped.type.broadcastable[idx]:
                    return np.asarray(1, dtype="int64")
                if isinstance(shaped, Constant):
                    return np.asarray(shaped.data.shape[idx], dtype="int64")
        raise NotScalarConstantError(v)


class IncSubtensor(Op):
    """``x`` with ``x[idx]`` incremented by (or, with ``set_instead_of_inc``, set to) ``y``.

    Inputs: ``x``, ``y``, then the index scalars of ``idx_list`` as in Subtensor. The result
    is a new tensor; ``inplace`` (set by rewrites) overwrites ``x`` instead.
    """

    __props__ = ("idx_list", "inplace", "set_instead_of_inc")

    def __init__(self, idx_list, inplace=False, set_instead_of_inc=False,
                 destroyhandler_tolerate_aliased=None):
        self.idx_list = tuple(map(index_vars_to_types, idx_list))
        self.inplace = bool(inplace)
        if self.inplace:
            self.destroy_map = {0: [0]}
        self.destroyhandler_tolerate_aliased = list(destroyhandler_tolerate_aliased or [])
        self.set_instead_of_inc = bool(set_instead_of_inc)

    def __hash__(self):
        return hash((type(self), _idx_list_key(self.idx_list), self.inplace,
                     self.set_instead_of_inc))

    def __str__(self):
        msg = ("Inplace" if self.inplace else "") + ("Set" if self.set_instead_of_inc else "Inc")
        return "%s{%s;%s}" % (type(self).__name__, msg, _idx_list_str(self.idx_list))

    def make_node(self, x, y, *inputs):
        x, y = as_tensor_variable(x), as_tensor_variable(y)
        if y.ndim > x.ndim:
            raise ValueError("Trying to increment a %d-dimensional subtensor with a "
                             "%d-dimensional value." % (x.ndim, y.ndim))
        _check_inc_dtype(x, y, self.set_instead_of_inc)
        inputs = tuple(_my_as_scalar(a) for a in inputs)
        _check_pattern_inputs(self, x, inputs)
        return Apply(self, (x, y) + inputs, [x.type()])

    def perform(self, node, inputs, output_storage):
        x, y = inputs[:2]
        cdata = get_idx_list([x] + list(inputs[2:]), self.idx_list)
        if len(cdata) == 1:
            cdata = cdata[0]
        if not self.inplace:
            x = x.copy()
        try:
            sub_x = x[cdata]
        except IndexError as e:
            raise _index_error(e, x, cdata) from None
        _check_update_shape(np.shape(sub_x), y, self.set_instead_of_inc)
        if self.set_instead_of_inc:
            x[cdata] = y
        elif np.ndim(sub_x):
            # sub_x is a view into x: add in place.
            np.add(sub_x, y, out=sub_x, casting="unsafe")
        else:
            x[cdata] = sub_x + y
        output_storage[0][0] = x

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def grad(self, inputs, output_grads):
        g_output, = output_grads
        x, y = inputs[:2]
        idx = inputs[2:]
        if x.dtype in scal.discrete_types:
            gx = _grad_zeros(x)
            gy = _grad_zeros(y)
        else:
            if self.set_instead_of_inc:
                gx = set_subtensor(Subtensor(self.idx_list)(g_output, *idx), zeros_like(y))
            else:
                gx = g_output
            gy = Subtensor(self.idx_list)(g_output, *idx)
            gy = _sum_grad_over_bcasted_dims(y, gy)
        return [gx, gy] + [_disconnected() for _ in idx]

    def connection_pattern(self, node):
        return [[True], [True]] + [[False] for _ in node.inputs[2:]]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None or eval_points[1] is None:
            return [None]
        return self(eval_points[0], eval_points[1], *inputs[2:], return_list=True)


def _check_inc_dtype(x, y, set_instead_of_inc):
    """Build-time: increments must not silently truncate (numpy would refuse at run time)."""
    if set_instead_of_inc:
        return  # Theano 1.0 compat: assignment casts like numpy's x[i] = y
    if not np.can_cast(np.dtype(y.dtype), np.dtype(x.dtype), "same_kind"):
        raise TypeError("Cannot increment a %s tensor by a %s value: the result would lose "
                        "precision. Cast the increment first, e.g. y.astype('%s')."
                        % (x.dtype, y.dtype, x.dtype))


def _check_update_shape(sub_shape, y, set_instead_of_inc):
    y_shape = np.shape(y)
    try:
        ok = np.broadcast_shapes(sub_shape, y_shape) == tuple(sub_shape)
    except ValueError:
        ok = False
    if not ok:
        raise ValueError("Cannot %s a subtensor of shape %s with a value of shape %s: the value "
                         "must broadcast to the subtensor's shape."
                         % ("set" if set_instead_of_inc else "increment", tuple(sub_shape),
                            y_shape))


def _sum_grad_over_bcasted_dims(x, gx):
    """``gx`` summed over the dimensions along which ``x`` was broadcast, so that it has
    ``x``'s rank and broadcastable pattern."""
    if gx.broadcastable == x.broadcastable:
        return gx
    x_dim_added = gx.ndim - x.ndim
    x_broad = (True,) * x_dim_added + x.broadcastable
    axis_to_sum = [i for i in range(gx.ndim) if not gx.broadcastable[i] and x_broad[i]]
    if axis_to_sum:
        gx = gx.sum(axis=axis_to_sum, keepdims=True)
    if gx.ndim != x.ndim:
        gx = gx.dimshuffle(*range(x_dim_added, gx.ndim))
    if gx.broadcastable != x.broadcastable:
        gx = patternbroadcast(gx, x.broadcastable)
    return gx


def set_subtensor(x, y, inplace=False, tolerate_inplace_aliasing=False):
    """``x``'s base tensor with the indexed part replaced by ``y`` (numpy's ``r[10:] = 5``
    is ``set_subtensor(r[10:], 5)``). ``x`` must be the result of indexing."""
    return inc_subtensor(x, y, inplace, set_instead_of_inc=True,
                         tolerate_inplace_aliasing=tolerate_inplace_aliasing)


def inc_subtensor(x, y, inplace=False, set_instead_of_inc=False,
                  tolerate_inplace_aliasing=False):
    """``x``'s base tensor with the indexed part incremented by ``y`` (numpy's
    ``r[10:] += 5`` is ``inc_subtensor(r[10:], 5)``). ``x`` must be the result of indexing.

    inplace: leave False; rewrites make the op inplace when it is safe.
    tolerate_inplace_aliasing: allow x and y to be views of one array when inplace.
    """
    x = as_tensor_variable(x)
    y = as_tensor_variable(y)
    if y.ndim > x.ndim:
        raise TypeError("Trying to increment a %d-dimensional subtensor with a %d-dimensional "
                        "value." % (x.ndim, y.ndim))
    dim_offset = x.ndim - y.ndim
    for dim in range(y.ndim):
        if x.broadcastable[dim + dim_offset] and not y.broadcastable[dim]:
            # y may be non-broadcastable where x's part is: it must then have length 1.
            y = addbroadcast(y, dim)

    if x.owner is None:
        raise TypeError("x must be the result of a subtensor operation (e.g. x[1:] or x[v]), "
                        "got the graph input %s" % (x,))
    op = x.owner.op
    if isinstance(op, Subtensor):
        aliased = [[0, 1]] if tolerate_inplace_aliasing else []
        the_op = IncSubtensor(op.idx_list, inplace, set_instead_of_inc,
                              destroyhandler_tolerate_aliased=aliased)
        return the_op(x.owner.inputs[0], y, *x.owner.inputs[1:])
    if isinstance(op, AdvancedSubtensor1):
        the_op = AdvancedIncSubtensor1(inplace, set_instead_of_inc=set_instead_of_inc)
        return the_op(x.owner.inputs[0], y, x.owner.inputs[1])
    if isinstance(op, AdvancedBooleanSubtensor):
        the_op = AdvancedBooleanIncSubtensor(inplace, set_instead_of_inc=set_instead_of_inc)
        return the_op(x.owner.inputs[0], y, *x.owner.inputs[1:])
    if isinstance(op, AdvancedSubtensor):
        the_op = AdvancedIncSubtensor(inplace, set_instead_of_inc=set_instead_of_inc)
        return the_op(x.owner.inputs[0], y, *x.owner.inputs[1:])
    if isinstance(op, DimShuffle):
        # x[:, v] is (x.T)[v].T: update the inner subtensor with y moved to its axis order
        # (y's dims on inserted broadcastable axes dropped), then apply the same DimShuffle
        # to the result.
        inner_x = x.owner.inputs[0]
        y_order = []
        for j in range(inner_x.ndim):
            pos = op.new_order.index(j) - dim_offset if j in op.new_order else -1
            y_order.append(pos if pos >= 0 else "x")
        inner = inc_subtensor(inner_x, y.dimshuffle(y_order), inplace=inplace,
                              set_instead_of_inc=set_instead_of_inc,
                              tolerate_inplace_aliasing=tolerate_inplace_aliasing)
        return inner.dimshuffle(op.new_order)

    if isinstance(op, Reshape):
        # x[m] with an index matrix is take() on the flattened index, reshaped: update the
        # flat part with y expanded to x's shape and flattened alike.
        inner_x = x.owner.inputs[0]
        if y.ndim > 0:
            expanded_y = alloc(y, *[x.shape[i] for i in range(x.ndim)])
            flattened_y = expanded_y.reshape(inner_x.shape)
        else:
            flattened_y = y
        return inc_subtensor(inner_x, flattened_y, inplace=inplace,
                             set_instead_of_inc=set_instead_of_inc,
                             tolerate_inplace_aliasing=tolerate_inplace_aliasing)
    raise TypeError("x must be the result of a subtensor operation (e.g. x[1:] or x[v]), got "
                    "the output of %s" % (op,))


# =========================================================================== advanced indexing

class AdvancedSubtensor1(Op):
    """``x[ilist]`` for an integer vector ``ilist``: rows of ``x`` (a copy)."""

    __props__ = ()

    def __init__(self, sparse_grad=False):
        # sparse_grad changes only the gradient's form, not the op's result.
        self.sparse_grad = sparse_grad

    def make_node(self, x, ilist):
        x_ = as_tensor_variable(x)
        ilist_ = as_tensor_variable(ilist)
        if ilist_.type.dtype not in _INT_DTYPES:
            raise TypeError("index must be integers, got %s. Cast it (e.g. "
                            ".astype('int64')) or use a boolean mask tensor." % ilist_.type)
        if ilist_.type.ndim != 1:
            raise TypeError("index must be vector, got %s (use take() or x[index] for index "
                            "arrays of other ranks)" % ilist_.type)
        if x_.type.ndim == 0:
            raise TypeError("cannot index into a scalar")
        bcast = (ilist_.broadcastable[0],) + x_.broadcastable[1:]
        return Apply(self, [x_, ilist_], [TensorType(x_.type.dtype, bcast)()])

    def perform(self, node, inputs, output_storage):
        x, i = inputs
        if i.dtype != np.intp:
            i_ = i.astype(np.intp)
            if not np.can_cast(i.dtype, np.intp) and np.any(i != i_):
                raise IndexError("index contains values that are bigger than the maximum "
                                 "array size on this system.", i)
            i = i_
        try:
            output_storage[0][0] = x.take(i, axis=0)
        except IndexError as e:
            raise _index_error(e, x, i) from None

    def infer_shape(self, fgraph, node, shapes):
        x, ilist = shapes
        return [tuple(ilist) + tuple(x[1:])]

    def grad(self, inputs, output_grads):
        x, ilist = inputs
        gz, = output_grads
        if self.sparse_grad:
            raise NotImplementedError("AdvancedSubtensor1(sparse_grad=True): sparse gradients "
                                      "are not supported; use the dense gradient.")
        return [advanced_inc_subtensor1(_grad_zeros(x), gz, ilist), _disconnected()]

    def connection_pattern(self, node):
        return [[True], [False]]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return self.make_node(eval_points[0], *inputs[1:]).outputs


advanced_subtensor1 = AdvancedSubtensor1()


class AdvancedIncSubtensor1(Op):
    """``x`` with rows ``ilist`` incremented by (or set to) ``y``; repeated indices
    accumulate when incrementing."""

    __props__ = ("inplace", "set_instead_of_inc")

    def __init__(self, inplace=False, set_instead_of_inc=False):
        self.inplace = bool(inplace)
        self.set_instead_of_inc = bool(set_instead_of_inc)
        if self.inplace:
            self.destroy_map = {0: [0]}

    def clone_inplace(self):
        return type(self)(inplace=True, set_instead_of_inc=self.set_instead_of_inc)

    def __str__(self):
        return "%s{%s,%s}" % (type(self).__name__,
                              "inplace" if self.inplace else "no_inplace",
                              "set" if self.set_instead_of_inc else "inc")

    def make_node(self, x, y, ilist):
        x_, y_, ilist_ = (as_tensor_variable(v) for v in (x, y, ilist))
        if ilist_.type.dtype not in _INT_DTYPES:
            raise TypeError("index must be integers, got %s" % ilist_.type)
        if ilist_.type.ndim != 1:
            raise TypeError("index must be vector, got %s" % ilist_.type)
        if x_.type.ndim == 0:
            raise TypeError("cannot index into a scalar")
        if y_.type.ndim > x_.type.ndim:
            raise TypeError("cannot %s x subtensor with ndim=%s by y with ndim=%s"
                            % ("set" if self.set_instead_of_inc else "increment",
                               x_.type.ndim, y_.type.ndim))
        _check_inc_dtype(x_, y_, self.set_instead_of_inc)
        return Apply(self, [x_, y_, ilist_], [x_.type()])

    def perform(self, node, inputs, output_storage):
        x, y, idx = inputs
        if not self.inplace:
            x = x.copy()
        n = x.shape[0]
        if idx.size and (idx.max() >= n or idx.min() < -n):
            bad = idx[(idx >= n) | (idx < -n)][0]
            raise IndexError("index %d is out of bounds for axis 0 with size %d (indexing an "
                             "array of shape %s)" % (bad, n, x.shape))
        _check_update_shape((len(idx),) + x.shape[1:], y, self.set_instead_of_inc)
        if self.set_instead_of_inc:
            x[idx] = y
        else:
            # x[idx] += y would add once per distinct index; add.at accumulates repeats.
            np.add.at(x, idx, y)
        output_storage[0][0] = x

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def grad(self, inputs, output_grads):
        g_output, = output_grads
        x, y, idx_list = inputs
        if x.dtype in scal.discrete_types:
            gx, gy = _grad_zeros(x), _grad_zeros(y)
        else:
            if self.set_instead_of_inc:
                gx = advanced_set_subtensor1(g_output, zeros_like(y), idx_list)
            else:
                gx = g_output
            gy = advanced_subtensor1(g_output, idx_list)
            gy = _sum_grad_over_bcasted_dims(y, gy)
        return [gx, gy, _disconnected()]

    def connection_pattern(self, node):
        return [[True], [True], [False]]

    def R_op(self, inputs, eval_points):
        if None in eval_points[:2]:
            return [None]
        return self.make_node(eval_points[0], eval_points[1], *inputs[2:]).outputs


advanced_inc_subtensor1 = AdvancedIncSubtensor1()
advanced_set_subtensor1 = AdvancedIncSubtensor1(set_instead_of_inc=True)


def as_index_variable(idx):
    """One advanced-index argument as a variable: NoneConst, a slice, or an integer/bool
    tensor."""
    if idx is None:
        return NoneConst.clone()
    if isinstance(idx, slice):
        return make_slice(idx)
    if isinstance(idx, Variable) and isinstance(idx.type, (SliceType, NoneTypeT)):
        return idx
    try:
        idx = as_tensor_variable(idx)
    except TypeError:
        raise TypeError("index must be integers or a boolean mask. Cannot index a tensor with "
                        "%r: indices must be integers, slices, None, Ellipsis, integer arrays "
                        "or boolean masks" % (idx,)) from None
    if idx.type.dtype not in scal.discrete_types:
        raise TypeError("index must be integers or a boolean mask, got %s of dtype %s. Cast "
                        "it to an integer dtype (e.g. .astype('int64'))."
                        % (idx, idx.type.dtype))
    return idx


def _fake_index(v):
    """A small numpy stand-in for index variable ``v``, to let numpy compute the result's
    rank and broadcastable pattern."""
    if NoneConst.equals(v) or isinstance(v.type, NoneTypeT):
        return None
    if isinstance(v.type, SliceType):
        return slice(None, None)
    if v.dtype == "bool":
        return np.ones((2,) * v.ndim, "bool")
    # Theano 1.0 compat: index arrays count as non-broadcastable, whatever their type says.
    return np.zeros((2,) * v.ndim, "int64")


def adv_index_broadcastable_pattern(a, idx):
    """The broadcastable pattern of ``a[idx]`` for advanced index variables ``idx``."""
    # A size-2 stand-in for every non-broadcastable dimension (2 - True = 1).
    fake = np.empty([2 - b for b in a.broadcastable])
    try:
        out_shape = fake[tuple(_fake_index(v) for v in idx)].shape
    except IndexError as e:
        raise IndexError("%s (indexing a %s)" % (e, a.type)) from None
    return tuple(d == 1 for d in out_shape)


def _check_bool_mask_dims(x, index):
    """IndexError (numpy's wording) when a boolean mask does not match x's shape."""
    dim_seen = 0
    for i in index:
        if i is None:
            continue
        if isinstance(i, np.ndarray) and i.dtype == np.bool_:
            for k in range(i.ndim):
                if dim_seen + k >= x.ndim or i.shape[k] != x.shape[dim_seen + k]:
                    size = x.shape[dim_seen + k] if dim_seen + k < x.ndim else 0
                    raise IndexError(
                        "boolean index did not match indexed array along dimension %d; "
                        "dimension is %d but corresponding boolean dimension is %d "
                        "(indexing an array of shape %s)"
                        % (dim_seen + k, size, i.shape[k], x.shape))
            dim_seen += i.ndim
        else:
            dim_seen += 1


class BaseAdvancedSubtensor(Op):
    """``x[idx]`` for a tuple of index arrays, scalars, slices and None (numpy's advanced
    indexing); the result is a copy."""

    __props__ = ()

    def make_node(self, x, *index):
        x = as_tensor_variable(x)
        index = tuple(map(as_index_variable, index))
        bcast = adv_index_broadcastable_pattern(x, index)
        return Apply(self, (x,) + index, [TensorType(x.type.dtype, bcast)()])

    def perform(self, node, inputs, output_storage):
        x, index = inputs[0], tuple(inputs[1:])
        _check_bool_mask_dims(x, index)
        try:
            out = x[index]
        except IndexError as e:
            raise _index_error(e, x, index) from None
        if not any(isinstance(v.type, TensorType) and v.ndim > 0 for v in node.inputs[1:]):
            # Without arrays numpy returned a view; this op has no view_map.
            out = out.copy()
        output_storage[0][0] = np.asarray(out)

    def infer_shape(self, fgraph, node, shapes):
        return [_advanced_index_shape(node.inputs[0], shapes[0], node.inputs[1:],
                                      shapes[1:])]

    def connection_pattern(self, node):
        return [[True]] + [[False] for _ in node.inputs[1:]]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return self.make_node(eval_points[0], *inputs[1:]).outputs

    def grad(self, inputs, output_grads):
        gz, = output_grads
        x, rest = inputs[0], inputs[1:]
        return ([self._inc_op(_grad_zeros(x), gz, *rest)]
                + [_disconnected() for _ in rest])


def _advanced_index_shape(x, xshp, index, ishapes):
    """numpy's advanced-indexing result shape, symbolically: the index arrays broadcast
    together (a boolean mask counts as one array of its number of True values) and their
    shape replaces the indexed dimensions when the arrays are adjacent, else goes first."""
    basic_before, basic_after, adv_shapes, adv_pos = [], [], [], []
    dim = 0
    for k, (v, shp) in enumerate(zip(index, ishapes)):
        target = basic_after if adv_pos else basic_before
        if isinstance(v.type, NoneTypeT):
            target.append(1)
        elif isinstance(v.type, SliceType):
            target.append(_int64(_slice_length(_slice_of(v), xshp[dim])))
            dim += 1
        elif v.dtype == "bool":
            adv_shapes.append(((False,), (_int64(_mask_count(v)),)))
            adv_pos.append(k)
            dim += v.ndim
        else:
            adv_shapes.append((v.broadcastable, tuple(shp)))
            adv_pos.append(k)
            dim += 1
    if adv_pos and adv_pos != list(range(adv_pos[0], adv_pos[-1] + 1)):
        # Separated advanced indices: numpy puts their dimensions first.
        basic_before, basic_after = [], basic_before + basic_after
    basic_after = basic_after + list(xshp[dim:])
    nd = max([len(b) for b, _ in adv_shapes] or [0])
    bshape = []
    for d in range(nd):
        # Index arrays broadcast at run time whatever their types say: among the sizes of
        # this dimension (each 1 or the common size), take the first that is not 1.
        size = 1
        for bcast, shp in adv_shapes:
            off = d - (nd - len(bcast))
            if off >= 0 and not bcast[off]:
                size = _num(shp[off]) if size == 1 else _switch(
                    tmath.eq(size, 1), shp[off], size)
        bshape.append(_int64(size))
    return tuple(basic_before + bshape + basic_after)


def _slice_of(v):
    if isinstance(v, Constant):
        return v.data
    if v.owner is not None and isinstance(v.owner.op, MakeSlice):
        return slice(*[None if NoneConst.equals(b) or isinstance(b.type, NoneTypeT) else b
                       for b in v.owner.inputs])
    raise ShapeError("the bounds of slice %s are not known" % (v,))


def _mask_count(mask):
    return tsum(mask, dtype="int64")


class AdvancedSubtensor(BaseAdvancedSubtensor):
    """Advanced indexing with integer index arrays (no boolean masks)."""

    def make_node(self, x, *index):
        _reject_bool(index)
        return super().make_node(x, *index)

    @property
    def _inc_op(self):
        return advanced_inc_subtensor


class AdvancedBooleanSubtensor(BaseAdvancedSubtensor):
    """Advanced indexing where some indices are boolean masks."""

    @property
    def _inc_op(self):
        return advanced_boolean_inc_subtensor


def _reject_bool(index):
    for i in index:
        dtype = getattr(i, "dtype", None)
        if isinstance(i, (bool, np.bool_)) or dtype == "bool" or (
                isinstance(i, (list, tuple)) and any(isinstance(e, (bool, np.bool_))
                                                     for e in np.ravel(np.asarray(i, object)))):
            raise TypeError("AdvancedSubtensor does not support boolean masks for indexing. "
                            "Use AdvancedBooleanSubtensor instead.")


advanced_subtensor = AdvancedSubtensor()
advanced_boolean_subtensor = AdvancedBooleanSubtensor()


class BaseAdvancedIncSubtensor(Op):
    """``x`` with ``x[idx]`` (advanced index) incremented by (or set to) ``y``; repeated
    indices accumulate when incrementing."""

    __props__ = ("inplace", "set_instead_of_inc")

    def __init__(self, inplace=False, set_instead_of_inc=False):
        if not isinstance(inplace, bool):
            raise TypeError("inplace must be a bool")
        self.inplace = inplace
        self.set_instead_of_inc = bool(set_instead_of_inc)
        if self.inplace:
            self.destroy_map = {0: [0]}

    def __str__(self):
        # Theano 1.0 compat: the double space is in Theano's string.
        return "%s{inplace=%s,  set_instead_of_inc=%s}" % (
            type(self).__name__, self.inplace, self.set_instead_of_inc)

    def make_node(self, x, y, *inputs):
        x, y = as_tensor_variable(x), as_tensor_variable(y)
        index = tuple(map(as_index_variable, inputs))
        out_bcast = adv_index_broadcastable_pattern(x, index)
        if y.ndim > len(out_bcast):
            raise TypeError("Trying to %s a %d-dimensional subtensor with a %d-dimensional "
                            "value." % ("set" if self.set_instead_of_inc else "increment",
                                        len(out_bcast), y.ndim))
        _check_inc_dtype(x, y, self.set_instead_of_inc)
        return Apply(self, (x, y) + index, [x.type()])

    def perform(self, node, inputs, output_storage):
        x, y, index = inputs[0], inputs[1], tuple(inputs[2:])
        _check_bool_mask_dims(x, index)
        x = x if self.inplace else x.copy()
        try:
            sub_shape = x[index].shape
        except IndexError as e:
            raise _index_error(e, x, index) from None
        _check_update_shape(sub_shape, y, self.set_instead_of_inc)
        if self.set_instead_of_inc:
            x[index] = y
        else:
            np.add.at(x, index, y)
        output_storage[0][0] = x

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def connection_pattern(self, node):
        return [[True], [True]] + [[False] for _ in node.inputs[2:]]

    def R_op(self, inputs, eval_points):
        if None in eval_points[:2]:
            return [None]
        return self.make_node(eval_points[0], eval_points[1], *inputs[2:]).outputs

    def grad(self, inputs, output_grads):
        x, y = inputs[:2]
        idxs = inputs[2:]
        outgrad, = output_grads
        if x.dtype in scal.discrete_types:
            gx, gy = _grad_zeros(x), _grad_zeros(y)
        else:
            if self.set_instead_of_inc:
                gx = type(self)(set_instead_of_inc=True)(outgrad, zeros_like(y), *idxs)
            else:
                gx = outgrad
            gy = self._read_op(outgrad, *idxs)
            gy = _sum_grad_over_bcasted_dims(y, gy)
        return [gx, gy] + [_disconnected() for _ in idxs]


class AdvancedIncSubtensor(BaseAdvancedIncSubtensor):
    """Update through integer index arrays (no boolean masks)."""

    def make_node(self, x, y, *inputs):
        _reject_bool(inputs)
        return super().make_node(x, y, *inputs)

    @property
    def _read_op(self):
        return advanced_subtensor


class AdvancedBooleanIncSubtensor(BaseAdvancedIncSubtensor):
    """Update through an index with boolean masks."""

    @property
    def _read_op(self):
        return advanced_boolean_subtensor


advanced_inc_subtensor = AdvancedIncSubtensor()
advanced_set_subtensor = AdvancedIncSubtensor(set_instead_of_inc=True)
advanced_boolean_inc_subtensor = AdvancedBooleanIncSubtensor()
advanced_boolean_set_subtensor = AdvancedBooleanIncSubtensor(set_instead_of_inc=True)


# =========================================================================== x[...] and take

def _includes_python_bool(arg):
    if isinstance(arg, (bool, np.bool_)):
        return True
    if isinstance(arg, (list, tuple)):
        return any(_includes_python_bool(a) for a in arg)
    return False




def _is_full_slice(a):
    return isinstance(a, slice) and a.start is None and a.stop is None and a.step is None


def getitem(x, args):
    """``x[args]`` with numpy's indexing rules, as Theano 1.0 builds it (see the module
    docstring for which op each kind of index gives)."""
    if isinstance(args, list) and any(isinstance(a, slice) for a in args):
        args = tuple(args)
    elif not isinstance(args, tuple):
        args = (args,)

    ellipses = []
    index_dim_count = 0
    for i, arg in enumerate(args):
        if arg is None:
            continue
        if arg is Ellipsis:
            ellipses.append(i)
        elif _is_bool_array(arg):
            index_dim_count += arg.ndim
        elif isinstance(arg, str) or (isinstance(arg, (float, np.floating))):
            raise TypeError("index must be integers or a boolean mask. Cannot index a tensor "
                            "with %r: indices must be integers, slices, None, Ellipsis, "
                            "integer arrays or boolean masks" % (arg,))
        else:
            if _includes_python_bool(arg):
                raise TypeError("TensorType does not support Python bools for indexing, such "
                                "as tensor[[True, False]]. To use a boolean mask, convert the "
                                "mask to a NumPy array first, e.g., "
                                "tensor[numpy.array([True, False])].")
            index_dim_count += 1
    if x.ndim < index_dim_count:
        raise IndexError("too many indices for array: %s has %d dimension(s) but %d were "
                         "indexed" % (x.type, x.ndim, index_dim_count))
    if len(ellipses) > 1:
        raise IndexError("an index can only have a single Ellipsis (`...`)")
    if ellipses:
        at = ellipses[0]
        args = args[:at] + (slice(None),) * (x.ndim - index_dim_count) + args[at + 1:]

    def is_empty_array(val):
        return ((isinstance(val, (tuple, list)) and len(val) == 0)
                or (isinstance(val, np.ndarray) and val.size == 0 and val.dtype != bool))

    # An empty index list selects nothing: int64, not numpy's default float64.
    args = tuple(np.array(a, dtype=np.int64) if is_empty_array(a) else a for a in args)
    args = make_constant(args)

    advanced = advanced_boolean = False
    axis = None
    for i, arg in enumerate(args):
        if arg is None:
            continue
        try:
            index_vars_to_types(arg)
        except AdvancedBooleanIndexingError:
            advanced, advanced_boolean = False, True
            break
        except AdvancedIndexingError:
            if advanced:
                axis = None
                break
            advanced, axis = True, i

    if advanced_boolean:
        return advanced_boolean_subtensor(x, *args)
    if advanced:
        if (axis is not None
                and all(_is_full_slice(a) for a in args[:axis])
                and all(_is_full_slice(a) for a in args[axis + 1:])
                and (isinstance(args[axis], (np.ndarray, list))
                     or (isinstance(args[axis], Variable)
                         and isinstance(args[axis].type, TensorType)))):
            return take(x, args[axis], axis)
        return advanced_subtensor(x, *args)

    if any(a is None for a in args):
        # None adds a broadcastable dimension: DimShuffle first, then index the view.
        pattern, new_args = [], []
        counter = 0
        for arg in args:
            if arg is None:
                pattern.append("x")
                new_args.append(slice(None))
            else:
                pattern.append(counter)
                counter += 1
                new_args.append(arg)
        pattern.extend(range(counter, x.ndim))
        view = x.dimshuffle(pattern)
        if all(_is_full_slice(a) for a in new_args):
            return view
        return getitem(view, tuple(new_args))
    return Subtensor(args)(x, *_collapse(args, lambda entry: isinstance(entry, Variable)))


def take(a, indices, axis=None, mode="raise"):
    """numpy's ``take``: the elements of ``a`` at ``indices`` along ``axis`` (of the
    flattened ``a`` when axis is None). mode: 'raise' (IndexError when out of bounds),
    'wrap' or 'clip'."""
    if mode not in ("raise", "wrap", "clip"):
        raise ValueError("mode must be one of 'raise', 'wrap' or 'clip', got %r" % (mode,))
    a = as_tensor_variable(a)
    indices = as_tensor_variable(indices)
    if indices.dtype not in _INT_DTYPES:
        raise TypeError("take: indices must be integers, got %s" % (indices.type,))
    if axis is not None:
        if not isinstance(axis, (int, np.integer)) or not -a.ndim <= axis < a.ndim:
            raise ValueError("take: axis %r is out of range for a %d-dimensional tensor"
                             % (axis, a.ndim))
        axis = int(axis) % a.ndim
    if indices.ndim == 1:
        length = a.size if axis is None else a.shape[axis]
        if mode == "clip":
            indices = tmath.clip(indices, 0, length - 1)
        elif mode == "wrap":
            indices = indices % length
        if axis is None:
            return advanced_subtensor1(a.flatten(), indices)
        if axis == 0:
            return advanced_subtensor1(a, indices)
        shuffle = list(range(a.ndim))
        shuffle[0], shuffle[axis] = axis, 0
        return advanced_subtensor1(a.dimshuffle(shuffle), indices).dimshuffle(shuffle)

    if axis is None:
        shape = indices.shape
        ndim = indices.ndim
    else:
        if axis == 0:
            shape = concatenate([indices.shape, a.shape[axis + 1:]])
        else:
            shape = concatenate([a.shape[:axis], indices.shape, a.shape[axis + 1:]])
        ndim = a.ndim + indices.ndim - 1
    return take(a, indices.flatten(), axis, mode).reshape(shape, ndim)


class SubtensorPrinter:
    """``x[Constant{0}]``, ``x[int64:int64, ::int64]``: a basic index, from the op's
    ``idx_list`` (ints, slices, and index types that stand for symbolic inputs)."""

    def process(self, r, pstate):
        if r.owner is None or not hasattr(r.owner.op, "idx_list"):
            raise TypeError("Can only print Subtensor.")
        inputs = list(r.owner.inputs)
        x = inputs.pop(0)
        sidxs = []
        old_precedence = getattr(pstate, "precedence", None)
        try:
            pstate.precedence = -1000
            for entry in r.owner.op.idx_list:
                if isinstance(entry, (int, np.integer)):
                    sidxs.append(str(entry))
                elif isinstance(entry, Type):
                    # In order. (Theano 1.0 took them from the end of the inputs and so
                    # printed x[i, j] as x[j, i]: a bug we do not copy.)
                    sidxs.append(pstate.pprinter.process(inputs.pop(0)))
                elif isinstance(entry, slice):
                    # A symbolic bound prints as its type (int64), as in Theano; its input is
                    # consumed so the indices after it are matched to the right inputs.
                    for bound in (entry.start, entry.stop, entry.step):
                        if isinstance(bound, Type):
                            inputs.pop(0)
                    start = "" if entry.start is None or _is_int_equal(entry.start, 0) \
                        else entry.start
                    stop = "" if entry.stop is None or _is_int_equal(entry.stop, sys.maxsize) \
                        else entry.stop
                    step = "" if entry.step is None else ":%s" % (entry.step,)
                    sidxs.append("%s:%s%s" % (start, stop, step))
        finally:
            pstate.precedence = old_precedence
        sub = process_all([x], pstate, 1000)[0]
        return "%s[%s]" % (sub, ", ".join(sidxs))


def _is_int_equal(value, number):
    return isinstance(value, (int, np.integer)) and value == number


pprint.assign(Subtensor, SubtensorPrinter())
