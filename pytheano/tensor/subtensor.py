"""Indexing: ``x[...]`` and its update forms ``set_subtensor`` / ``inc_subtensor``. The
basic pieces (slice types, index patterns, Subtensor, IncSubtensor) are in tensor/slicing.py.

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

from pytheano import hooks
from pytheano.graph.printing import pprint, process_all
from pytheano._core.graph import Apply, Constant, Variable
from pytheano.graph.op import Op
from pytheano.graph.type import Type
from pytheano.link.c.array import ArrayC
from pytheano.scalar import basic as scal
from pytheano.scalar.kernel import C_TYPES, C_WRAP_TYPES
from pytheano.tensor.basic import (addbroadcast, as_tensor_variable)
from pytheano.tensor.elemwise import DimShuffle
from pytheano.tensor.type import TensorType
from pytheano.tensor.creation import alloc, zeros_like
from pytheano.tensor.join import concatenate
from pytheano.tensor.reduction import sum as tsum
from pytheano.tensor.shape import Reshape
from pytheano.tensor import math as tmath
from pytheano.tensor.slicing import (  # noqa: F401  (Theano's path: tensor.subtensor)
    _check_inc_dtype, _check_update_shape, _collapse, _disconnected, _grad_zeros, _index_error,
    _int64, _INT_DTYPES, _is_bool_array, _num, _slice_length, _sum_grad_over_bcasted_dims,
    _switch, AdvancedBooleanIndexingError, AdvancedIndexingError, get_canonical_form_slice,
    get_idx_list, IncSubtensor, index_vars_to_types, make_constant, make_slice, MakeSlice,
    none_type_t, NoneConst, NoneTypeT, ShapeError, SliceConstant, SliceType, slicetype,
    Subtensor)

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

# --------------------------------------------------------------------------- C helpers
# The C of the integer-index ops (link/c/array.py): the body returns 1 where perform raises
# (an index out of range, index lengths or a value shape it would reject or broadcast), and
# perform then raises its own error.

def _index_c(node, names, body, out_shapes, inplace=None):
    """The ArrayC of ``node``, or None when a dtype has no C."""
    variables = list(node.inputs) + list(node.outputs)
    dtypes = [v.type.dtype for v in variables]
    if any(d not in C_TYPES for d in dtypes):
        return None
    nin = len(node.inputs)
    return ArrayC(body, names, [C_TYPES[d] for d in dtypes], dtypes[:nin], dtypes[nin:],
                  [v.type.ndim for v in variables], out_shapes, inplace=inplace)


def _update_c(x_dtype, y_dtype, set_instead_of_inc, target, value):
    """The C statement setting ``target`` (of ``x_dtype``) to ``value`` (of ``y_dtype``), or
    adding it, as numpy's ``x[i] = y`` / ``np.add.at``: the sum in the dtype of both (an
    integer one wrapping around: the unsigned type, signed overflow being undefined in C),
    bools or-ed."""
    x_c = C_TYPES[x_dtype]
    if x_dtype == "bool":
        if set_instead_of_inc:
            return "%s = (uint8_t)(%s != 0);" % (target, value)
        return "%s = (uint8_t)(%s | (%s != 0));" % (target, target, value)
    if set_instead_of_inc:
        return "%s = (%s)%s;" % (target, x_c, value)
    both = str(np.result_type(x_dtype, y_dtype))
    compute = C_WRAP_TYPES.get(both) or C_TYPES[both]
    return "%s = (%s)((%s)%s + (%s)%s);" % (target, x_c, compute, target, compute, value)


def _copy_unless_inplace(ndim):
    """C copying ``x`` into ``out`` (of x's shape) unless they are one array (in place)."""
    loops = "".join("  " * d + "    for (int64_t c%d = 0; c%d < x_n%d; c%d++)\n" % (d, d, d, d)
                    for d in range(ndim))

    def at(a):
        return " + ".join("c%d * %s_s%d" % (d, a, d) for d in range(ndim)) or "0"

    return ("  if ((const void *)out != (const void *)x) {\n" + loops +
            "  " * ndim + "    out[%s] = x[%s];\n" % (at("out"), at("x")) + "  }\n")


def _load_index(var, name, k, n, dtype):
    """C declaring ``int64_t <var>`` as index ``<name>[k]`` (of ``dtype``) into a dimension
    of length ``n`` (negative: from the end, as numpy), returning 1 when it is out of range.
    An unsigned index is never negative (a uint64 above 2^63 reads as negative: refused)."""
    wrap = "" if dtype.startswith("u") else "if (%s < 0) %s += %s; " % (var, var, n)
    return ("int64_t %s = (int64_t)%s[%s * %s_s0]; %sif (%s < 0 || %s >= %s) return 1;"
            % (var, name, k, name, wrap, var, var, n))


def _is_int_vector(v):
    return isinstance(v.type, TensorType) and v.type.ndim == 1 and \
        v.type.dtype in _INT_DTYPES


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

    def c_code_node(self, node):
        ndim = node.inputs[0].type.ndim
        rest = range(1, ndim)
        loops = "".join("    for (int64_t i%d = 0; i%d < x_n%d; i%d++)\n" % (d, d, d, d)
                        for d in rest)
        x_at = "r * x_s0" + "".join(" + i%d * x_s%d" % (d, d) for d in rest)
        out_at = "k * out_s0" + "".join(" + i%d * out_s%d" % (d, d) for d in rest)
        body = ("  for (int64_t k = 0; k < idx_n0; k++) {\n"
                "    " + _load_index("r", "idx", "k", "x_n0", node.inputs[1].type.dtype) +
                "\n" + loops +
                "      out[%s] = x[%s];\n" % (out_at, x_at) +
                "  }\n"
                "  return 0;\n")
        return _index_c(node, ["x", "idx", "out"], body, [[(1, 0)] + [(0, d) for d in rest]])

    def grad(self, inputs, output_grads):
        x, ilist = inputs
        gz, = output_grads
        if self.sparse_grad:
            if x.type.ndim != 2:
                raise TypeError("AdvancedSubtensor1: you can't take the sparse grad from a "
                                "tensor with ndim != 2. ndim is %d" % x.type.ndim)
            # sparse/ is above tensor/: its ConstructSparseFromList comes through a hook.
            return [hooks.sparse_rows_grad(x, gz, ilist), _disconnected()]
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

    def c_code_node(self, node):
        """C for every dtype, in place or not: the rows ``idx`` of ``x`` set to, or
        incremented by, ``y`` broadcast to their shape (repeated rows accumulate, as
        add.at; an integer sum wraps around as numpy's)."""
        x, y, idx = node.inputs
        nd, ynd = x.type.ndim, y.type.ndim
        # Target dimension t (0: the indexed rows) and y's dimension j = t - (nd - ynd).
        length = ["idx_n0"] + ["x_n%d" % t for t in range(1, nd)]
        checks = "".join("  if (y_n%d != %s && y_n%d != 1) return 1;\n"
                         % (j, length[j + nd - ynd], j) for j in range(ynd))
        y_strides = "".join("  const int64_t ys%d = %s;\n"
                            % (t, "0" if t < nd - ynd else "(y_n%d == 1 ? 0 : y_s%d)"
                               % (t - nd + ynd, t - nd + ynd)) for t in range(nd))
        loops = "".join("  " * (t - 1) + "    for (int64_t i%d = 0; i%d < x_n%d; i%d++)\n"
                        % (t, t, t, t) for t in range(1, nd))
        out_at = "r * out_s0" + "".join(" + i%d * out_s%d" % (t, t) for t in range(1, nd))
        y_at = "k * ys0" + "".join(" + i%d * ys%d" % (t, t) for t in range(1, nd))
        body = (checks + y_strides +
                "  for (int64_t k = 0; k < idx_n0; k++) {\n"
                "    " + _load_index("r", "idx", "k", "x_n0", idx.type.dtype) + "\n"
                "  }\n" + _copy_unless_inplace(nd) +
                "  for (int64_t k = 0; k < idx_n0; k++) {\n"
                "    int64_t r = (int64_t)idx[k * idx_s0];" +
                ("" if idx.type.dtype.startswith("u") else " if (r < 0) r += x_n0;") + "\n" +
                loops + "  " * (nd - 1) + "    " +
                _update_c(x.type.dtype, y.type.dtype, self.set_instead_of_inc,
                          "out[%s]" % out_at, "y[%s]" % y_at) + "\n"
                "  }\n"
                "  return 0;\n")
        return _index_c(node, ["x", "y", "idx", "out"], body, [[(0, d) for d in range(nd)]],
                        inplace={0: 0} if self.inplace else None)

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

    def c_code_node(self, node):
        """C for ``matrix[rows, cols]`` with two integer vectors (a classifier's picked
        probabilities); other indexings have none."""
        x, rows, cols = (list(node.inputs) + [None, None])[:3]
        if len(node.inputs) != 3 or x.type.ndim != 2 or not _is_int_vector(rows) or \
                not _is_int_vector(cols):
            return None
        body = ("  if (c_n0 != r_n0) return 1;  /* perform broadcasts or raises */\n"
                "  for (int64_t k = 0; k < r_n0; k++) {\n"
                "    " + _load_index("i", "r", "k", "x_n0", rows.type.dtype) + "\n"
                "    " + _load_index("j", "c", "k", "x_n1", cols.type.dtype) + "\n"
                "    out[k * out_s0] = x[i * x_s0 + j * x_s1];\n"
                "  }\n"
                "  return 0;\n")
        return _index_c(node, ["x", "r", "c", "out"], body, [[(1, 0)]])

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

    def c_code_node(self, node):
        """C for ``matrix[rows, cols] += y`` (or ``= y``) with two integer vectors and a
        0-d or vector ``y``, in place or not (repeated indices accumulate, as add.at);
        other cases have none."""
        if len(node.inputs) != 4:
            return None
        x, y, rows, cols = node.inputs
        if x.type.ndim != 2 or y.type.ndim > 1 or not _is_int_vector(rows) or \
                not _is_int_vector(cols):
            return None
        y_at = "y[0]" if y.type.ndim == 0 else "y[(y_n0 == 1 ? 0 : k) * y_s0]"
        y_ok = "" if y.type.ndim == 0 else "  if (y_n0 != r_n0 && y_n0 != 1) return 1;\n"
        body = ("  if (c_n0 != r_n0) return 1;  /* perform broadcasts or raises */\n" + y_ok +
                "  for (int64_t k = 0; k < r_n0; k++) {\n"
                "    " + _load_index("i", "r", "k", "x_n0", rows.type.dtype) + "\n"
                "    " + _load_index("j", "c", "k", "x_n1", cols.type.dtype) + "\n"
                "  }\n" + _copy_unless_inplace(2) +
                "  for (int64_t k = 0; k < r_n0; k++) {\n"
                "    int64_t i = (int64_t)r[k * r_s0]; if (i < 0) i += x_n0;\n"
                "    int64_t j = (int64_t)c[k * c_s0]; if (j < 0) j += x_n1;\n"
                "    " + _update_c(x.type.dtype, y.type.dtype, self.set_instead_of_inc,
                                   "out[i * out_s0 + j * out_s1]", y_at) + "\n"
                "  }\n"
                "  return 0;\n")
        return _index_c(node, ["x", "y", "r", "c", "out"], body, [[(0, 0), (0, 1)]],
                        inplace={0: 0} if self.inplace else None)

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
    out = take(a, indices.flatten(), axis, mode).reshape(shape, ndim)
    # the index's broadcastable dims stay so (Theano 1.0 infers them from its shape)
    first = 0 if axis is None else axis
    return addbroadcast(out, *[first + i for i, b in enumerate(indices.broadcastable) if b])


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
