"""Rewrites of the shape ops (pytheano/tensor/shape.py, with Rebroadcast and the basic
Subtensor, which only change how an input is viewed), and the ShapeFeature that lets a
function read a variable's shape without computing the variable.

Layer 6: rules only, plus the rewrite-time graph feature they read. ``ShapeOpt`` (a graph
rewriter in MERGE1, tags fast_run and fast_compile, as Theano's ShapeOpt at 0.1) attaches
the ShapeFeature; from then on every variable of the graph has a symbolic shape built from
its inputs' by the ops' ``infer_shape``, and ``Shape(x)`` / ``Shape_i{i}(x)`` of a computed
``x`` become that shape graph (local_shape_to_shape_i, local_track_shape_i).

The other rules each keep the type of the output they replace, or do nothing: a view whose
type differs (a Rebroadcast that sets a flag, a slice that may shrink) checks or changes
something at run time and stays.
"""
import numbers

import numpy as np

from pytheano._core.fgraph import Feature
from pytheano._core.graph import Constant, Variable, ancestors
from pytheano.errors import AlreadyThere
from pytheano.graph.op import infer_shape as op_infer_shape
from pytheano.graph.rewriting import (CANONICALIZE, MERGE1, SPECIALIZE, graph_rewriter,
                                      node_rewriter, register)
from pytheano.rewriting.elemwise import local_dimshuffle_dimshuffle
from pytheano.rewriting.math import same_type
from pytheano.scalar import basic as scal
from pytheano.tensor import math as tm
from pytheano.tensor import opt as tensor_opt
from pytheano.tensor.elemwise import DimShuffle, Elemwise
from pytheano.tensor.basic import (NotScalarConstantError, Rebroadcast, ScalarFromTensor,
                                   constant,
                                   get_scalar_constant_value)
from pytheano.tensor.shape import (MakeVector, Reshape, Shape, Shape_i, SpecifyShape,
                                   make_vector, shape_i_op)
from pytheano.tensor.slicing import Subtensor
from pytheano.tensor.subtensor import AdvancedSubtensor1

__all__ = ["ShapeFeature", "dim_key", "known_dim", "attach_shape_feature", "local_shape_to_shape_i",
           "local_track_shape_i", "local_subtensor_make_vector", "local_Shape_of_SpecifyShape",
           "local_useless_specify_shape", "local_reshape_own_shape", "local_useless_rebroadcast",
           "local_full_subtensor", "local_useless_reshape", "local_reshape_to_dimshuffle",
           "local_useless_dimshuffle_in_reshape", "local_dimshuffle_lift",
           "local_useless_dimshuffle", "local_useless_subtensor"]

CANON_TAGS = ("fast_run", "fast_compile")


# --------------------------------------------------------------------------- ShapeFeature

def _broadcastable(r):
    """r's broadcastable flags; none for a type with an ndim but no flags (a SparseType)."""
    return getattr(r.type, "broadcastable", None) or (False,) * r.type.ndim


class ShapeFeature(Feature):
    """``shape_of[var]``: a tuple of int64 scalar variables (or None for a non-tensor), the
    shape of each variable of the graph in terms of its inputs' shapes (Theano 1.0's
    ``theano.tensor.opt.ShapeFeature``). Built by each op's ``infer_shape`` when a node is
    imported; an op without one (or whose infer_shape fails) gives ``Shape_i{i}(out)``.
    A replacement ``r -> new_r`` tells it the two have one shape: the more informative
    entries are kept for ``new_r`` and the shapes that mentioned ``r`` now mention ``new_r``.
    """

    def on_attach(self, fgraph):
        if getattr(fgraph, "shape_feature", None) is not None:
            raise _already_there()
        fgraph.shape_feature = self
        self.lscalar_one = constant(1, dtype="int64")
        self.shape_of = {}
        self.shape_of_reverse_index = {}  # shape entry -> variables whose shape holds it
        for node in fgraph.toposort():
            self.on_import(fgraph, node, "on_attach")

    def on_detach(self, fgraph):
        self.shape_of = {}
        self.shape_of_reverse_index = {}
        if getattr(fgraph, "shape_feature", None) is self:
            del fgraph.shape_feature

    def clone(self):
        return ShapeFeature()

    # ------------------------------------------------------------------ shapes

    def shape_ir(self, i, r):
        """The symbolic ``r.shape[i]`` of a variable nothing more is known about."""
        if _broadcastable(r)[i]:
            return self.lscalar_one
        if isinstance(r, Constant):
            return constant(np.shape(r.data)[i], dtype="int64")
        return shape_i_op(i)(r)

    def shape_tuple(self, r):
        if getattr(r.type, "ndim", None) is None:
            return None
        return tuple(self.shape_ir(i, r) for i in range(r.type.ndim))

    def default_infer_shape(self, node):
        return [self.shape_tuple(out) for out in node.outputs]

    def init_r(self, r):
        if r not in self.shape_of:
            self.set_shape(r, self.shape_tuple(r))

    def unpack(self, s_i):
        """One entry an infer_shape returned, as an int64 scalar variable (None: unusable)."""
        if isinstance(s_i, (numbers.Integral, np.integer)) or (
                isinstance(s_i, np.ndarray) and s_i.ndim == 0 and s_i.dtype.kind in "iu"):
            if s_i < 0:
                return None
            return self.lscalar_one if s_i == 1 else constant(int(s_i), dtype="int64")
        if not isinstance(s_i, Variable) or getattr(s_i.type, "ndim", None) != 0 or \
                s_i.type.dtype not in scal.integer_types:
            return None
        # x.shape[i] (as an infer_shape may write it) is what we already know of x.
        owner = s_i.owner
        if owner is not None and isinstance(owner.op, Subtensor) and \
                owner.inputs[0].owner is not None and \
                isinstance(owner.inputs[0].owner.op, Shape):
            x = owner.inputs[0].owner.inputs[0]
            try:
                idx, = owner.op.get_constant_idx(owner.inputs)
                known = self.shape_of.get(x)
                if known is not None and not isinstance(idx, slice):
                    return known[int(idx)]
            except (NotScalarConstantError, ValueError, IndexError, TypeError):
                pass
        if isinstance(s_i, Constant):
            return constant(int(s_i.data), dtype="int64") if s_i.data >= 0 else None
        return s_i if s_i.type.dtype == "int64" else tm.cast(s_i, "int64")

    def set_shape(self, r, s, override=False):
        if s is not None:
            entries = []
            for i, d in enumerate(s):
                if _broadcastable(r)[i]:
                    entries.append(self.lscalar_one)
                else:
                    d = self.unpack(d)
                    entries.append(self.shape_ir(i, r) if d is None else d)
            s = tuple(entries)
            for d in s:
                self.shape_of_reverse_index.setdefault(d, set()).add(r)
        self.shape_of[r] = s

    def _infer(self, fgraph, node):
        if getattr(node.op, "infer_shape", None) is None:
            return self.default_infer_shape(node)
        in_shapes = [self.shape_of[r] for r in node.inputs]
        try:
            shapes = op_infer_shape(fgraph, node, in_shapes)
        except Exception:  # an op that cannot tell (ShapeError and others): ask at run time
            return self.default_infer_shape(node)
        if shapes is None or len(shapes) != len(node.outputs):
            return self.default_infer_shape(node)
        out = []
        for r, s in zip(node.outputs, shapes):
            ndim = getattr(r.type, "ndim", None)
            ok = s is not None and ndim is not None \
                and isinstance(s, (tuple, list)) and len(s) == ndim
            out.append(tuple(s) if ok else self.shape_tuple(r))
        return out

    def on_import(self, fgraph, node, reason):
        if node.outputs[0] in self.shape_of:
            return  # a revert: the shapes are known
        for r in node.inputs:
            self.init_r(r)
        for r, s in zip(node.outputs, self._infer(fgraph, node)):
            self.set_shape(r, s)

    def _uninformative(self, d, i, variables):
        owner = d.owner
        return owner is not None and isinstance(owner.op, Shape_i) and owner.op.i == i and \
            owner.inputs[0] in variables

    def update_shape(self, r, other_r):
        """``r`` has ``other_r``'s shape: keep, per dimension, the better-known entry."""
        other = self.shape_of.get(other_r)
        if other is None:
            return
        mine = self.shape_of.get(r)
        if mine is None:
            self.set_shape(r, other)
            return
        merged = []
        for i, (a, b) in enumerate(zip(mine, other)):
            if self._uninformative(b, i, (r, other_r)) or isinstance(a, Constant) or a is b:
                merged.append(a)
            elif isinstance(b, Constant) or self._uninformative(a, i, (r, other_r)):
                merged.append(b)
            elif a in ancestors([b]):
                merged.append(a)  # b is built from a: a is simpler, and no cycle can form
            else:
                merged.append(b)
        self.shape_of[r] = tuple(merged)
        for d in merged:
            self.shape_of_reverse_index.setdefault(d, set()).add(r)

    def on_change_input(self, fgraph, node, i, r, new_r, reason=None):
        if new_r not in self.shape_of:
            self.init_r(new_r)
        self.update_shape(new_r, r)
        # r may itself be a shape entry of other variables: they now read new_r.
        for v in self.shape_of_reverse_index.pop(r, ()):
            shp = self.shape_of.get(v)
            if shp is not None and any(d is r for d in shp) and \
                    getattr(new_r.type, "ndim", None) == 0:
                self.shape_of[v] = tuple(new_r if d is r else d for d in shp)
                self.shape_of_reverse_index.setdefault(new_r, set()).add(v)

    # ------------------------------------------------------------------ queries

    def get_shape(self, var, i):
        return self.shape_of[var][i]

    def make_vector_shape(self, r):
        return make_vector(*self.shape_of[r])

    def same_shape(self, x, y, dim_x=None, dim_y=None):
        """True when ``x`` and ``y`` are known to have the same shape (along ``dim_x`` of x
        and ``dim_y`` of y, if given): their entries are one variable, equal constants, or
        the same Shape_i of one variable. False means 'not known'."""
        sx, sy = self.shape_of.get(x), self.shape_of.get(y)
        if sx is None or sy is None:
            return False
        if dim_x is not None:
            sx = [sx[dim_x]]
        if dim_y is not None:
            sy = [sy[dim_y]]
        if len(sx) != len(sy):
            return False
        return all(_same_entry(a, b) for a, b in zip(sx, sy))


def dim_key(entry):
    """What a shape entry is, comparable across spellings: ('int', n) for a constant,
    (x, i) for Shape_i{i}(x) and x.shape[i], else the entry itself."""
    if isinstance(entry, (numbers.Integral, np.integer)):
        return ("int", int(entry))
    if isinstance(entry, Constant):
        try:
            return ("int", int(entry.data))
        except (TypeError, ValueError):
            return entry
    owner = entry.owner
    if owner is not None and isinstance(owner.op, Shape_i):
        return (owner.inputs[0], owner.op.i)
    if owner is not None and isinstance(owner.op, Subtensor) and \
            owner.inputs[0].owner is not None and isinstance(owner.inputs[0].owner.op, Shape):
        try:
            idx, = owner.op.get_constant_idx(owner.inputs)
        except (NotScalarConstantError, ValueError):
            return entry
        if not isinstance(idx, slice):
            return (owner.inputs[0].owner.inputs[0], int(idx))
    return entry


def _same_entry(a, b):
    return a is b or dim_key(a) == dim_key(b)


def known_dim(fgraph, x, i, want):
    """Whether the scalar ``want`` is known to be ``x.shape[i]`` (the graph's ShapeFeature
    consulted when it has one)."""
    if _same_entry(want, shape_i_op(i)(x)):
        return True
    shape_feature = getattr(fgraph, "shape_feature", None)
    known = shape_feature.shape_of.get(x) if shape_feature is not None else None
    return known is not None and _same_entry(known[i], want)


def _already_there():
    return AlreadyThere("this graph already has a ShapeFeature")


@register(MERGE1, "fast_run", "fast_compile", "shape", name="ShapeOpt")
@graph_rewriter("ShapeOpt")
def attach_shape_feature(fgraph):
    "graph -> graph with a ShapeFeature (fgraph.shape_feature)"
    if getattr(fgraph, "shape_feature", None) is None:
        fgraph.attach_feature(ShapeFeature())
    return 0


def _register_twice(rewriter, *tags):
    """In CANONICALIZE, and again in SPECIALIZE for the Shapes the phases between made."""
    register(CANONICALIZE, *tags)(rewriter)
    register(SPECIALIZE, *tags, name=rewriter.name + "_specialize")(rewriter)
    return rewriter


@node_rewriter([Shape])
def local_shape_to_shape_i(fgraph, node):
    "Shape(x) -> MakeVector(*shape_of[x])  (the inferred shape: Shape_i{i}(x) of an input)"
    shape_feature = getattr(fgraph, "shape_feature", None)
    if shape_feature is None or shape_feature.shape_of.get(node.inputs[0]) is None:
        return None
    return same_type(node, shape_feature.make_vector_shape(node.inputs[0]))


@node_rewriter([Shape_i])
def local_track_shape_i(fgraph, node):
    "Shape_i{i}(f(a, b)) -> the shape graph infer_shape gave from a's and b's shapes"
    shape_feature = getattr(fgraph, "shape_feature", None)
    x = node.inputs[0]
    if shape_feature is None or x.owner is None or shape_feature.shape_of.get(x) is None:
        return None
    repl = shape_feature.shape_of[x][node.op.i]
    if repl is node.outputs[0] or (repl.owner is not None and isinstance(repl.owner.op, Shape_i)
                                   and repl.owner.op.i == node.op.i and repl.owner.inputs[0] is x):
        return None
    if repl.owner is not None and node.outputs[0] in ancestors([repl]):
        return None  # the shape graph reads this very node: replacing would make a cycle
    return same_type(node, repl)


@node_rewriter([Subtensor, AdvancedSubtensor1])
def local_subtensor_make_vector(fgraph, node):
    "MakeVector(a, b, c)[1] -> b ; [a, b, c][0:2] -> [a, b] ; [a, b, c][[0, 2]] -> [a, c]"
    x = node.inputs[0]
    # Theano 1.0 compat: only int64 vectors (the shapes); a stacked float vector stays.
    if x.owner is None or not isinstance(x.owner.op, MakeVector) or x.owner.op.dtype != "int64":
        return None
    entries = x.owner.inputs
    if isinstance(node.op, AdvancedSubtensor1):
        idx = node.inputs[1]
        if not isinstance(idx, Constant) or idx.data.ndim != 1:
            return None
        picked = [int(v) for v in idx.data]
        if any(not -len(entries) <= v < len(entries) for v in picked):
            return None  # an IndexError at run time, as without the rewrite
        return same_type(node, x.owner.op(*[entries[v] for v in picked]))
    try:
        idx = node.op.get_constant_idx(node.inputs, only_process_constants=True)
    except NotScalarConstantError:
        return None
    if len(idx) != 1:
        return None
    idx = idx[0]
    if isinstance(idx, slice):
        parts = [None if p is None else int(p) for p in (idx.start, idx.stop, idx.step)]
        if parts[2] == 0:
            return None
        return same_type(node, x.owner.op(*entries[slice(*parts)]))
    idx = int(idx)
    if not -len(entries) <= idx < len(entries):
        return None
    return same_type(node, entries[idx])


for _rw in (local_shape_to_shape_i, local_track_shape_i):
    _register_twice(_rw, "fast_run", "shape")
_register_twice(local_subtensor_make_vector, "fast_run", "fast_compile", "shape")


@register(CANONICALIZE, *CANON_TAGS, "shape")
@node_rewriter([Shape])
def local_Shape_of_SpecifyShape(fgraph, node):
    "Shape(specify_shape(x, s)) -> s"
    inner = node.inputs[0].owner
    if inner is None or not isinstance(inner.op, SpecifyShape):
        return None
    s = inner.inputs[1]
    if s.type.dtype != "int64":
        s = tm.cast(s, "int64")
    return same_type(node, s)


@register(CANONICALIZE, *CANON_TAGS, "shape")
@node_rewriter([SpecifyShape])
def local_useless_specify_shape(fgraph, node):
    "specify_shape(specify_shape(x, s), s) -> specify_shape(x, s) ; specify_shape(x, x.shape) -> x"
    x, s = node.inputs
    if x.owner is not None and isinstance(x.owner.op, SpecifyShape) and x.owner.inputs[1] is s:
        return same_type(node, x)
    if _is_shape_of(s, x):
        return same_type(node, x)
    return None


# --------------------------------------------------------------------------- views

def _is_dim_of(entry, x, i):
    """Whether the scalar ``entry`` is ``x.shape[i]``: Shape_i{i}(x) or Shape(x)[i]."""
    owner = entry.owner
    if owner is None:
        return False
    if isinstance(owner.op, Shape_i):
        return owner.op.i == i and owner.inputs[0] is x
    if isinstance(owner.op, Subtensor) and owner.inputs[0].owner is not None and \
            isinstance(owner.inputs[0].owner.op, Shape) and owner.inputs[0].owner.inputs[0] is x:
        try:
            idx = owner.op.get_constant_idx(owner.inputs)
        except Exception:  # a non-constant index
            return False
        return len(idx) == 1 and not isinstance(idx[0], slice) and int(idx[0]) == i
    return False


def _is_shape_of(shp, x):
    """Whether the vector ``shp`` is ``x.shape``: Shape(x), or [x.shape[0], ...]."""
    node = shp.owner
    if node is None:
        return False
    if isinstance(node.op, Shape):
        return node.inputs[0] is x
    if isinstance(node.op, MakeVector) and len(node.inputs) == x.type.ndim:
        return all(_is_dim_of(entry, x, i) for i, entry in enumerate(node.inputs))
    return False


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Reshape])
def local_reshape_own_shape(fgraph, node):
    "reshape(x, x.shape) -> x"
    x, shp = node.inputs[:2]
    if node.op.ndim != x.type.ndim or not _is_shape_of(shp, x):
        return None
    return same_type(node, x)


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Rebroadcast])
def local_useless_rebroadcast(fgraph, node):
    "Rebroadcast{flags x already has}(x) -> x"
    return same_type(node, node.inputs[0])


def _is_full(entry):
    return isinstance(entry, slice) and entry.start is None and entry.stop is None and \
        (entry.step is None or (not hasattr(entry.step, "type") and entry.step == 1))


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Subtensor])
def local_full_subtensor(fgraph, node):
    "x[:, ::1] -> x"
    try:
        idx = node.op.get_constant_idx(node.inputs, allow_partial=True)
    except Exception:  # an index that is not constant: not the full slice
        return None
    if not all(_is_full(entry) for entry in idx):
        return None
    return same_type(node, node.inputs[0])


@register(CANONICALIZE, "fast_run", "shape")
@node_rewriter([Reshape])
def local_useless_reshape(fgraph, node):
    "reshape(x, shp) -> x  (shp known to be x's shape: x.shape, its entries, or shape_of[x])"
    x, shp = node.inputs[:2]
    if node.op.ndim != x.type.ndim or node.outputs[0].type != x.type:
        return None
    if _is_shape_of(shp, x):
        return [x]
    entries = _entries(shp, node.op.ndim)
    if entries is None:
        return None
    # A -1 among x's own lengths stays: for an empty x numpy refuses it (ambiguous).
    if all((_constant_int(want) == 1 and x.type.broadcastable[d])
           or known_dim(fgraph, x, d, want) for d, want in enumerate(entries)):
        return [x]
    return None


def _constant_int(v):
    try:
        return int(get_scalar_constant_value(v))
    except (NotScalarConstantError, TypeError):
        return None


def _entries(shp, ndim):
    """The scalar entries of a shape vector given as MakeVector or constant, else None."""
    if isinstance(shp, Constant):
        return [constant(int(v), dtype="int64") for v in shp.data]
    if shp.owner is not None and isinstance(shp.owner.op, MakeVector):
        return list(shp.owner.inputs)
    return None


@register(CANONICALIZE, "fast_run", "shape")
@node_rewriter([Reshape])
def local_reshape_to_dimshuffle(fgraph, node):
    "reshape(x, (1, m, 1, n)) -> DimShuffle{x,0,x,1}(reshape(x, (m, n)))"
    x, shp = node.inputs[:2]
    out = node.outputs[0]
    entries = _entries(shp, node.op.ndim)
    if entries is None or not any(out.type.broadcastable):
        return None
    kept = [e for e, b in zip(entries, out.type.broadcastable) if not b]
    if len(kept) == len(entries):
        return None
    inner = Reshape(len(kept))(x, make_vector(*kept) if kept else constant(
        np.zeros(0, dtype="int64")))
    order, k = [], 0
    for b in out.type.broadcastable:
        order.append("x" if b else k)
        k += not b
    return same_type(node, DimShuffle(inner.type.broadcastable, order)(inner))


@register(CANONICALIZE, "fast_run", "shape")
@node_rewriter([Reshape])
def local_useless_dimshuffle_in_reshape(fgraph, node):
    "reshape(DimShuffle{x,0,x,1}(x), shp) -> reshape(x, shp)  (no axis moved)"
    ds = node.inputs[0].owner
    if ds is None or not isinstance(ds.op, DimShuffle):
        return None
    kept = [k for k in ds.op.new_order if k != "x"]
    if kept != sorted(kept):
        return None  # a transpose changes the order reshape reads the elements in
    return same_type(node, node.op(ds.inputs[0], node.inputs[1]))


def _moves_only_length_one_axes(op, x):
    """Whether DimShuffle ``op`` of ``x`` keeps every non-broadcastable axis where it is
    and only drops, adds or moves length-1 axes (then it returns x's data as x lays it)."""
    order = op.new_order
    if len(order) != x.type.ndim:
        return False
    for i, k in enumerate(order):
        if k == i:
            continue
        if not x.type.broadcastable[i] or (k != "x" and not x.type.broadcastable[k]):
            return False
    return True


@register(CANONICALIZE, *CANON_TAGS, "shape")
@node_rewriter([DimShuffle])
def local_useless_dimshuffle(fgraph, node):
    "DimShuffle{0,x}(x of broadcastable (False, True)) -> x  (only length-1 axes move)"
    x = node.inputs[0]
    if not _moves_only_length_one_axes(node.op, x):
        return None
    return same_type(node, x)


@node_rewriter([DimShuffle])
def local_dimshuffle_lift(fgraph, node):
    "DimShuffle(f(x, y)) -> f(DimShuffle(x), DimShuffle(y))  (and two DimShuffles -> one)"
    # Not in the default database: moving DimShuffles to the inputs changes what the gemm
    # and fusion rules see; Theano's tests apply it alone (out2in(local_dimshuffle_lift)).
    inp = node.inputs[0]
    useless = local_useless_dimshuffle.fn(fgraph, node)
    if useless is not None:
        return useless
    owner = inp.owner
    if owner is None:
        return None
    if isinstance(owner.op, DimShuffle):
        composed = local_dimshuffle_dimshuffle.fn(fgraph, node)
        if composed is None:
            return None
        again = composed[0].owner
        if again is not None and _moves_only_length_one_axes(again.op, again.inputs[0]):
            return same_type(node, again.inputs[0])
        return composed
    if not isinstance(owner.op, Elemwise) or len(owner.outputs) != 1 or \
            len(fgraph.clients.get(inp, ())) != 1:
        return None
    new_inputs = []
    for i in owner.inputs:
        ds = DimShuffle(i.type.broadcastable, node.op.new_order)(i)
        inner = ds.owner.inputs[0].owner
        if inner is not None and isinstance(inner.op, DimShuffle):
            # Compose at once (Theano's lift recurses into the new DimShuffles).
            order = tuple("x" if k == "x" else inner.op.new_order[k]
                          for k in node.op.new_order)
            ds = DimShuffle(inner.op.input_broadcastable, order)(inner.inputs[0])
        if _moves_only_length_one_axes(ds.owner.op, ds.owner.inputs[0]):
            ds = ds.owner.inputs[0]
        new_inputs.append(ds)
    return same_type(node, owner.op(*new_inputs))



def _static_int(v):
    """A slice bound that is a number (int, 0-d array, constant) as an int, else None."""
    if isinstance(v, (numbers.Integral, np.integer)):
        return int(v)
    if isinstance(v, np.ndarray) and v.ndim == 0 and v.dtype.kind in "iu":
        return int(v)
    if isinstance(v, Variable):
        return _constant_int(v)
    return None


def _covers(fgraph, x, d, stop):
    """Whether ``stop`` is known to be at least x.shape[d] (x[:stop] is all of it)."""
    if stop is None:
        return True
    bound = _static_int(stop)
    if bound is None:
        if stop.owner is not None and isinstance(stop.owner.op, ScalarFromTensor):
            stop = stop.owner.inputs[0]
        return known_dim(fgraph, x, d, stop)
    shape_feature = getattr(fgraph, "shape_feature", None)
    known = shape_feature.shape_of.get(x) if shape_feature is not None else None
    length = _constant_int(known[d]) if known is not None else None
    return length is not None and bound >= length


@register(CANONICALIZE, "fast_run", "shape")
@node_rewriter([Subtensor])
def local_useless_subtensor(fgraph, node):
    "x[0:x.shape[0], :n] -> x  (each slice known to cover its dimension)"
    x = node.inputs[0]
    try:
        idx = node.op.get_constant_idx(node.inputs, allow_partial=True)
    except NotScalarConstantError:
        return None
    for d, entry in enumerate(idx):
        if not isinstance(entry, slice):
            return None
        start, stop, step = entry.start, entry.stop, entry.step
        if (step is not None and _static_int(step) != 1) or \
                (start is not None and _static_int(start) != 0):
            return None
        if not _covers(fgraph, x, d, stop):
            return None
    return same_type(node, x)


# Theano 1.0 compat: the feature and the rules' names under theano.tensor.opt.
for _rule in (ShapeFeature, local_shape_to_shape_i, local_track_shape_i,
              local_subtensor_make_vector, local_Shape_of_SpecifyShape,
              local_useless_specify_shape, local_useless_rebroadcast, local_useless_reshape,
              local_reshape_to_dimshuffle, local_useless_dimshuffle_in_reshape,
              local_dimshuffle_lift, local_useless_dimshuffle, local_useless_subtensor):
    setattr(tensor_opt, getattr(_rule, "name", None) or _rule.__name__, _rule)
tensor_opt.ShapeOptimizer = attach_shape_feature
