"""Basic indexing: the slice and None types, index patterns, canonical slices, and the
``Subtensor`` op (``x[1:3, i]``, a view) with its update twin ``IncSubtensor``.

The indexing API (``getitem``, ``set_subtensor``, ``inc_subtensor``, the advanced-indexing
ops) is in tensor/subtensor.py, which builds on this module and re-exports its names under
Theano's path ``theano.tensor.subtensor``.

A Subtensor's op stores its index *pattern* (``idx_list``: scalar Types and slices of them),
not the index values: ``x[1:3]`` and ``x[i:j]`` are the same op applied to different scalar
inputs, which is what lets the rewriter merge them.
"""
import numpy as np

from pytheano._core.graph import Apply, Constant, Variable
from pytheano._core.view_thunk import IncSubtensorThunk, SubtensorThunk
from pytheano.configparser import config
from pytheano.graph.grad_types import disconnected_type
from pytheano.graph.op import Op
from pytheano.graph.type import Generic, SingletonType, Type
from pytheano.scalar import basic as scal
from pytheano.tensor import math as tmath
from pytheano.tensor.basic import (NotScalarConstantError, TensorFromScalar,
                                   as_tensor_variable, extract_constant,
                                   get_scalar_constant_value, patternbroadcast,
                                   scalar_from_tensor)
from pytheano.tensor.creation import zeros_like
from pytheano.tensor.shape import MakeVector, Shape, _const_int
from pytheano.tensor.type import TensorType


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
        if v.type.ndim != 0:
            raise NotScalarConstantError(v)
        try:
            entries = [get_scalar_constant_value(e, max_recur=max_recur)
                       if isinstance(e, Variable) else e
                       for e in get_idx_list(node.inputs, self.idx_list)]
            idxs = tuple(int(e) for e in entries)
        except (TypeError, ValueError, NotScalarConstantError):
            raise NotScalarConstantError(v) from None
        if isinstance(node.inputs[0], Constant):
            return np.array(node.inputs[0].data[idxs])
        if len(idxs) != 1:
            raise NotScalarConstantError(v)
        idx = idxs[0]
        x = node.inputs[0]
        owner = x.owner
        if owner is None:
            raise NotScalarConstantError(v)
        if isinstance(owner.op, MakeVector) and -len(owner.inputs) <= idx < len(owner.inputs):
            return get_scalar_constant_value(owner.inputs[idx], elemwise,
                                             max_recur=max_recur)
        if isinstance(owner.op, Shape):
            shaped = owner.inputs[0]
            if -shaped.type.ndim <= idx < shaped.type.ndim:
                if shaped.type.broadcastable[idx]:
                    return np.asarray(1, dtype="int64")
                if isinstance(shaped, Constant):
                    return np.asarray(shaped.data.shape[idx], dtype="int64")
        raise NotScalarConstantError(v)

    def c_thunk(self, node):
        """The C backend's thunk: the view made in C (its arguments: _thunk_pattern)."""
        return SubtensorThunk, _thunk_pattern(self.idx_list, 1)


def _thunk_pattern(idx_list, first_input):
    """The index pattern as SubtensorThunk reads it (kinds, sources, consts): per entry 0 (an
    integer) or 1 (a slice), and for each of (index or start, stop, step) where its value
    is: the node input (counted from ``first_input``), -1 (left out) or -2 (the constant
    beside it)."""
    kinds, sources, consts = [], [], []
    next_input = first_input
    for entry in idx_list:
        if isinstance(entry, slice):
            kinds.append(1)
            parts = (entry.start, entry.stop, entry.step)
        else:
            kinds.append(0)
            parts = (entry, None, None)
        for part in parts:
            if isinstance(part, Type):
                sources.append(next_input)
                next_input += 1
                consts.append(0)
            elif part is None:
                sources.append(-1)
                consts.append(0)
            else:
                sources.append(-2)
                consts.append(int(part))
    return kinds, sources, consts


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
                gx = IncSubtensor(self.idx_list, set_instead_of_inc=True)(
                    g_output, zeros_like(y), *idx)
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

    def c_thunk(self, node):
        """The C backend's thunk: the region found as Subtensor's view, written in C."""
        return IncSubtensorThunk, _thunk_pattern(self.idx_list, 2) + (
            self.inplace, self.set_instead_of_inc)


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
