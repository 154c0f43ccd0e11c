"""Elemwise (a scalar op mapped over tensors with broadcasting) and DimShuffle (reorder, add
and drop broadcastable dimensions)."""
import numpy as np

from pytheano.graph.printing import default_printer, pprint
from pytheano._core.graph import Apply
from pytheano._core.view_thunk import DimShuffleThunk
from pytheano.graph.op import Op, UfuncKernel
from pytheano.scalar import basic as scal
from pytheano.configparser import config
from pytheano.graph.grad_types import DisconnectedType, NullType
from pytheano.link.c.elemwise import ElemwiseC
from pytheano.scalar.kernel import C_TYPES
from pytheano.tensor.basic import (NotScalarConstantError, as_tensor_variable, constant,
                                   get_scalar_constant_value, patternbroadcast)
from pytheano.tensor.type import TensorType


class DimShuffle(Op):
    """Permute dimensions, insert broadcastable ones ('x'), drop broadcastable ones.

    ``DimShuffle((False, True, False), [2, 'x', 0])`` maps a (a, 1, b) tensor to (b, 1, a).
    Only broadcastable dimensions can be dropped: dropping another would lose data.
    """

    view_map = {0: [0]}
    __props__ = ("input_broadcastable", "new_order", "inplace")

    def __init__(self, input_broadcastable, new_order, inplace=True):
        self.input_broadcastable = tuple(bool(b) for b in input_broadcastable)
        new_order = tuple(new_order)
        self.new_order = new_order
        self.inplace = bool(inplace)
        nd = len(self.input_broadcastable)
        for i, j in enumerate(new_order):
            if j != "x":
                if not isinstance(j, (int, np.integer)):
                    raise TypeError("DimShuffle indices must be python ints. Got: %r of type "
                                    "%s; the only other entry allowed is 'x' (a new "
                                    "broadcastable axis)." % (j, type(j).__name__))
                if j < 0 or j >= nd:
                    raise ValueError("new_order[%d] is %d, but the input only has %d axes."
                                     % (i, j, nd))
                if j in new_order[i + 1:]:
                    raise ValueError("The same input dimension may not appear twice in the "
                                     "list of output dimensions", new_order)
        self.drop = [i for i in range(nd) if i not in new_order]
        for i in self.drop:
            if not self.input_broadcastable[i]:
                raise ValueError("You cannot drop a non-broadcastable dimension. Dimension %d "
                                 "of an input with broadcastable pattern %s. Use "
                                 "T.addbroadcast first if you know it has length 1."
                                 % (i, self.input_broadcastable), (self.input_broadcastable,
                                                                   new_order))
        self.shuffle = [x for x in new_order if x != "x"]
        self.augment = [i for i, x in enumerate(new_order) if x == "x"]
        # For each output dim, the index of its size in the transposed input's shape.
        self._positions = []
        k = 0
        for v in new_order:
            self._positions.append(k)
            if v != "x":
                k += 1
        self._needs_transpose = (self.shuffle + self.drop) != list(range(nd))
        if not self.inplace:
            self.view_map = {}

    def __str__(self):
        return "%s{%s}" % ("InplaceDimShuffle" if self.inplace else "DimShuffle",
                           ",".join(str(x) for x in self.new_order))

    def make_node(self, x):
        x = as_tensor_variable(x)
        if x.type.broadcastable != self.input_broadcastable:
            if len(x.type.broadcastable) != len(self.input_broadcastable):
                raise TypeError("The number of dimensions of the input is incorrect for this "
                                "op. Expected %s, got %s." % (self.input_broadcastable,
                                                              x.type.broadcastable))
            for expected, got in zip(self.input_broadcastable, x.type.broadcastable):
                if expected and not got:
                    raise TypeError("The broadcastable pattern of the input is incorrect for "
                                    "this op. Expected %s, got %s." % (
                                        self.input_broadcastable, x.type.broadcastable))
        bcast = tuple(True if v == "x" else x.type.broadcastable[v] for v in self.new_order)
        return Apply(self, [x], [TensorType(x.type.dtype, bcast)()])

    def perform(self, node, inputs, output_storage):
        res = inputs[0]
        if self._needs_transpose:
            res = res.transpose(self.shuffle + self.drop)
        # Output shape: the kept input dims in their new places, 1 where 'x' is.
        kept = res.shape
        res = res.reshape(tuple([1 if v == "x" else kept[k] for k, v in
                                 zip(self._positions, self.new_order)]))
        if not self.inplace:
            res = np.copy(res)
        output_storage[0][0] = res


    def infer_shape(self, fgraph, node, shapes):
        ishp, = shapes
        rval = [ishp[i] for i in self.shuffle]
        for augm in self.augment:
            rval.insert(augm, 1)
        return [tuple(rval)]

    def grad(self, inputs, output_grads):
        x, = inputs
        gz, = output_grads
        gz = as_tensor_variable(gz)
        grad_order = ["x"] * len(x.type.broadcastable)
        for i, v in enumerate(self.new_order):
            if v != "x":
                grad_order[v] = i
        # The dropped dimensions are broadcastable: their gradient is the summed one.
        if x.type.dtype in scal.discrete_types:
            return [x.zeros_like(dtype="floatX")]
        # Theano 1.0 shuffles an Elemwise{identity} of gz: its printed gradient graphs have
        # it (local_useless_elemwise removes it when compiling).
        gx = DimShuffle(gz.type.broadcastable, grad_order)(Elemwise(scal.identity)(gz))
        return [patternbroadcast(gx, x.broadcastable)]

    def R_op(self, inputs, eval_points):
        if None in eval_points:
            return [None]
        return self(*eval_points, return_list=True)

    def constant_value(self, node, v, elemwise, max_recur):
        # Moving dimensions changes no value.
        return get_scalar_constant_value(node.inputs[0], elemwise, max_recur=max_recur)

    def c_thunk(self, node):
        """The C backend's thunk: a view made in C (a copy of it when not inplace)."""
        return DimShuffleThunk, ([-1 if v == "x" else v for v in self.new_order], self.drop,
                                 self.inplace)


class Elemwise(Op):
    """Apply ``scalar_op`` to every element of its tensor inputs, broadcasting them.

    Inputs of lower rank are left-padded with broadcastable dimensions (an
    ``InplaceDimShuffle{x,...}`` in the graph, as in Theano). A dimension that is not
    broadcastable in the type must match the other inputs at run time, even if it is 1.
    """

    __props__ = ("scalar_op", "inplace_pattern")

    def __init__(self, scalar_op, inplace_pattern=None, name=None, nfunc_spec=None):
        self.scalar_op = scalar_op
        self.inplace_pattern = tuple(sorted((inplace_pattern or {}).items()))
        self.name = name
        self.destroy_map = {o: [i] for o, i in self.inplace_pattern}

    @property
    def nin(self):
        return self.scalar_op.nin

    @property
    def nout(self):
        return self.scalar_op.nout

    def __str__(self):
        if self.name is not None:
            return self.name
        if self.inplace_pattern:
            return "Elemwise{%s}%s" % (self.scalar_op, str(list(self.inplace_pattern)))
        # Named ops (T.add is "Elemwise{add,no_inplace}") print their name; others, e.g. those
        # built by gradients, print as Theano: Elemwise{mul}.
        return "Elemwise{%s}" % (self.scalar_op,)

    def make_node(self, *inputs):
        inputs = [as_tensor_variable(i) for i in inputs]
        if self.scalar_op.nin >= 0 and len(inputs) != self.scalar_op.nin:
            raise TypeError("Wrong number of inputs for %s (got %d, expected %d)"
                            % (self, len(inputs), self.scalar_op.nin))
        ndim = max([i.type.ndim for i in inputs]) if inputs else 0
        padded = []
        for inp in inputs:
            missing = ndim - inp.type.ndim
            if missing > 0:
                inp = DimShuffle(inp.type.broadcastable,
                                 ["x"] * missing + list(range(inp.type.ndim)))(inp)
            padded.append(inp)
        out_dtypes = [o.dtype for o in self.scalar_op.output_types(
            [scal.get_scalar_type(i.type.dtype) for i in padded])]
        bcast = tuple(all(bs) for bs in zip(*[i.type.broadcastable for i in padded])) \
            if ndim else ()
        for o, i in self.inplace_pattern:
            if padded[i].type.broadcastable != bcast:
                # Theano 1.0 compat: ValueError, Theano's words.
                raise ValueError("Operation cannot be done inplace on an input with broadcasted "
                                 "dimensions. Input %d is %s; the output is %s." % (
                                     i, padded[i].type, TensorType(out_dtypes[o], bcast)))
            if padded[i].type.dtype != out_dtypes[o]:
                raise TypeError("Cannot do an inplace operation on incompatible data.",
                                (padded[i].type, out_dtypes[o], bcast))
        return Apply(self, padded, [TensorType(dt, bcast)() for dt in out_dtypes])

    @staticmethod
    def _output_shape(node, inputs):
        """The broadcast shape of the inputs, checked with Theano's rule: a dimension the
        type says is not broadcastable must agree with the others even when it is 1 (numpy
        would silently broadcast it)."""
        shape = []
        for d in range(node.outputs[0].type.ndim):
            size = 1
            first = None
            for k, (x, var) in enumerate(zip(inputs, node.inputs)):
                if var.type.broadcastable[d]:
                    continue
                s = x.shape[d]
                if first is None:
                    first, size = k, s
                elif s != size:
                    raise ValueError(
                        "Input dimension mis-match. (input[%d].shape[%d] = %d, "
                        "input[%d].shape[%d] = %d)" % (first, d, size, k, d, s))
            shape.append(size)
        return tuple(shape)

    def perform(self, node, inputs, output_storage):
        outputs = node.outputs
        ndim = outputs[0].type.ndim
        shape = self._output_shape(node, inputs) if ndim and len(inputs) > 1 else None
        if self.inplace_pattern:
            return self._perform_inplace(node, inputs, output_storage)
        results = self.scalar_op.kernel.numpy(*inputs)
        if self.scalar_op.nout == 1:
            results = (results,)
        for cell, out, value in zip(output_storage, outputs, results):
            dtype = out.type.numpy_dtype
            if type(value) is not np.ndarray or value.dtype != dtype:
                value = np.asarray(value, dtype=dtype)
            if value.ndim != ndim or (shape is not None and value.shape != shape):
                # The scalar op ignored an input (e.g. `second`): broadcast to full shape.
                if shape is None:
                    shape = inputs[0].shape if inputs else ()
                value = np.array(np.broadcast_to(value, shape), dtype=dtype)
            cell[0] = value

    def _perform_inplace(self, node, inputs, output_storage):
        """Each output written into the input it destroys (``destroy_map``): no new buffer.
        make_node checked that the destroyed input has the output's dtype and pattern, so
        after the shape check it has the output's shape too."""
        kernel = self.scalar_op.kernel
        ufunc = self._exact_ufunc(node)
        if ufunc is not None:
            o, i = self.inplace_pattern[0]
            # Theano: computed in the inputs' upcast type, then cast to the destroyed input's
            # dtype (add_inplace(int64, float64) truncates into the int64 buffer).
            ufunc(*inputs, out=inputs[i], casting="unsafe")
            output_storage[o][0] = inputs[i]
            return
        results = kernel.numpy(*inputs)
        if self.scalar_op.nout == 1:
            results = (results,)
        destroyed = dict(self.inplace_pattern)
        for o, (cell, out, value) in enumerate(zip(output_storage, node.outputs, results)):
            if o in destroyed:
                target = inputs[destroyed[o]]
                np.copyto(target, value, casting="unsafe")
                cell[0] = target
            else:
                cell[0] = np.array(np.broadcast_to(value, inputs[0].shape if inputs else ()),
                                   dtype=out.type.numpy_dtype)

    def _exact_ufunc(self, node):
        """The numpy ufunc with one output that computes this node exactly for its input
        dtypes (the scalar op's kernel says which), or None."""
        ufunc = self.scalar_op.kernel.fast_ufunc(tuple([i.type.dtype for i in node.inputs]))
        if (isinstance(ufunc, np.ufunc) and ufunc.nout == 1 and self.scalar_op.nout == 1
                and ufunc.nin == len(node.inputs)):
            return ufunc
        return None

    def ufunc_kernel(self, node):
        """A UfuncKernel when one numpy ufunc computes the node (the common case): the
        linker then has the VM call the ufunc directly (an in-place node: into the input it
        destroys). None: use ``perform``."""
        ufunc = self._exact_ufunc(node)
        if ufunc is None:
            return None
        destroyed = -1
        if self.inplace_pattern:
            if len(self.inplace_pattern) != 1:
                return None
            destroyed = self.inplace_pattern[0][1]
        ndim = node.outputs[0].type.ndim
        check = self._output_shape if ndim and len(node.inputs) > 1 else None
        return UfuncKernel(ufunc, node.outputs[0].type.dtype,
                           [i.type.broadcastable for i in node.inputs], check, destroyed)

    # ------------------------------------------------------------------ C backend

    def c_code_node(self, node):
        """The node's C for the C backend (link/c/elemwise.py): the scalar op's C (its
        ``render_c``, from its kernel spec) on one element, or None when these dtypes have
        none (float16, complex, numpy-only ops)."""
        scalar_op = self.scalar_op
        render_c = getattr(scalar_op, "render_c", None)
        if render_c is None:
            try:
                render_c = scalar_op.kernel.render_c
            except NotImplementedError:
                return None
        in_dtypes = [i.type.dtype for i in node.inputs]
        out_dtypes = [o.type.dtype for o in node.outputs]
        if not node.inputs or any(d not in C_TYPES for d in in_dtypes + out_dtypes):
            return None
        if (isinstance(scalar_op, scal.Cast) and in_dtypes[0].startswith("float")
                and out_dtypes[0] in scal.integer_types):
            # Out of range (-1.0 to uint8), numpy gives the platform's wrapped value and
            # the template 0: perform keeps numpy's answer.
            return None
        code = render_c(["v%d" % k for k in range(len(in_dtypes))],
                        ["r%d" % k for k in range(len(out_dtypes))], in_dtypes, out_dtypes)
        if code is None:
            return None
        ndim = node.outputs[0].type.ndim
        return ElemwiseC(code.code, code.support, [C_TYPES[d] for d in in_dtypes],
                         [C_TYPES[d] for d in out_dtypes], in_dtypes, out_dtypes,
                         [all(i.type.broadcastable) for i in node.inputs],
                         [(c.input, c.message) for c in code.checks],
                         dict(self.inplace_pattern),
                         self._output_shape if ndim and len(node.inputs) > 1 else None,
                         numpy_fast=self._exact_ufunc(node) is not None, zero_d=ndim == 0)

    def infer_shape(self, fgraph, node, shapes):
        out_shape = []
        for d, bcast in enumerate(node.outputs[0].type.broadcastable):
            if bcast:
                out_shape.append(1)
                continue
            for var, shp in zip(node.inputs, shapes):
                if not var.type.broadcastable[d]:
                    out_shape.append(shp[d])
                    break
        return [tuple(out_shape)] * len(node.outputs)

    def connection_pattern(self, node):
        # e.g. second(a, b) never uses a's values.
        return self.scalar_op.connection_pattern(node)

    def constant_value(self, node, v, elemwise, max_recur):
        return elemwise_constant_value(node, v, elemwise, max_recur)

    def L_op(self, inputs, outputs, output_grads):
        return elemwise_L_op(self, inputs, outputs, output_grads)

    def R_op(self, inputs, eval_points):
        return elemwise_R_op(self, inputs, eval_points)


# --------------------------------------------------------------------------- gradients
# The gradient of Elemwise: the scalar op's gradient, lifted to tensors.
#
# A scalar op writes its gradient with scalar ops on scalar variables (``gz * exp(x)``).
# ``elemwise_L_op`` asks it for that scalar graph on placeholder scalars, then rebuilds the
# graph over the tensors (each scalar Apply becomes an Elemwise of the same scalar op, each
# scalar constant a broadcastable tensor constant) and sums the gradient over the dimensions
# an input was broadcast along. The result is an ordinary graph: printable and compilable.

def _placeholder_types():
    return (NullType, DisconnectedType)


def _scalar_of(var, passthrough):
    if isinstance(var.type, passthrough):
        return var
    return scal.get_scalar_type(var.type.dtype)()


def _grad_elemwise(scalar_op):
    """The Elemwise of a scalar op met in a gradient graph, printed as Theano prints it."""
    return Elemwise(scalar_op, name="Elemwise{%s}" % (scalar_op,))


def _zeros_like(x, dtype=None):
    """Zeros of x's shape: ``second(x, 0)`` (Theano's zeros_like)."""
    dtype = x.type.dtype if dtype is None else dtype
    return _grad_elemwise(scal.second)(x, constant(0, dtype=dtype))


def _ones_like(x):
    return _grad_elemwise(scal.second)(x, constant(1, dtype=x.type.dtype))


def _broadcast_grads(op, inputs, outputs, output_grads):
    """The gradients of ``op``'s outputs with respect to the inputs as broadcast to the
    output's shape (not yet summed back to the inputs' shapes)."""
    passthrough = _placeholder_types()
    scalar_inputs = [_scalar_of(i, passthrough) for i in inputs]
    scalar_ograds = [_scalar_of(g, passthrough) for g in output_grads]
    scalar_outputs = op.scalar_op.make_node(
        *[scal.get_scalar_type(i.type.dtype)() for i in inputs]).outputs
    scalar_igrads = op.scalar_op.L_op(scalar_inputs, scalar_outputs, scalar_ograds)
    if not isinstance(scalar_igrads, (list, tuple)):
        raise TypeError("%s.grad returned %s instead of list or tuple"
                        % (op.scalar_op, type(scalar_igrads)))
    if len(scalar_igrads) != len(inputs):
        raise ValueError("%s.grad returned %d gradients for %d inputs"
                         % (op.scalar_op, len(scalar_igrads), len(inputs)))

    nd = inputs[0].type.ndim if inputs else 0
    mapped = {}
    for scalars, tensors in ((scalar_inputs, inputs), (scalar_outputs, outputs),
                             (scalar_ograds, output_grads)):
        for s, t in zip(scalars, tensors):
            mapped.setdefault(s, t)

    def lift_constant(c):
        # A scalar constant of the gradient: a broadcastable tensor constant.
        res = constant(np.asarray(c.data), dtype=c.type.dtype)
        return DimShuffle((), ["x"] * nd)(res) if nd else res

    def transform(r):
        # Iterative post-order walk: scalar gradient graphs can be deep (Composite).
        stack = [r]
        while stack:
            v = stack[-1]
            if v in mapped or isinstance(v.type, passthrough):
                stack.pop()
                continue
            if v.owner is None:
                mapped[v] = lift_constant(v)
                stack.pop()
                continue
            todo = [i for i in v.owner.inputs if i not in mapped
                    and not isinstance(i.type, passthrough)]
            if todo:
                stack.extend(todo)
                continue
            stack.pop()
            new_inputs = [i if isinstance(i.type, passthrough) else mapped[i]
                          for i in v.owner.inputs]
            new_outputs = _grad_elemwise(v.owner.op)(*new_inputs, return_list=True)
            for old, new in zip(v.owner.outputs, new_outputs):
                mapped[old] = new
        return r if isinstance(r.type, passthrough) else mapped[r]

    def transform_per_use(r):
        # Theano 1.0 rebuilds a scalar node at each of its uses (sigmoid's gradient,
        # gz * y * (1 - y), has two Elemwise{scalar_sigmoid}): the printed gradient graph is
        # Theano's; compiling merges the copies. The gradient of one scalar op is a handful
        # of nodes, so this is a walk of a small tree.
        if r in mapped or isinstance(r.type, passthrough):
            return transform(r)
        if r.owner is None:  # a scalar constant, per use
            return lift_constant(r)
        new_inputs = [transform_per_use(i) for i in r.owner.inputs]
        return _grad_elemwise(r.owner.op)(*new_inputs, return_list=True)[
            r.owner.outputs.index(r)]

    # A Composite's gradient can be a large graph with shared nodes: built once per node.
    lift = transform if isinstance(op.scalar_op, scal.Composite) else transform_per_use
    rval = []
    for g in scalar_igrads:
        if g is None:
            raise TypeError("%s.grad returned None for a gradient term; return zeros, "
                            "DisconnectedType()() or grad_undefined(...) instead."
                            % op.scalar_op)
        rval.append(lift(g))
    return rval


def elemwise_L_op(op, inputs, outputs, output_grads):
    """Reverse-mode gradient of the Elemwise ``op`` (its ``L_op``)."""
    passthrough = _placeholder_types()
    rval = _broadcast_grads(op, inputs, outputs, output_grads)

    if any(out.type.dtype not in scal.continuous_types for out in outputs):
        # An integer output is flat: the gradient is zero (an obvious zero, so that
        # pytheano.grad can verify it), unless undefined or disconnected.
        return [g if isinstance(g.type, passthrough)
                else _zeros_like(ipt, ipt.type.dtype if ipt.type.dtype in
                                 scal.continuous_types else config.floatX)
                for g, ipt in zip(rval, inputs)]

    out_bcast = outputs[0].type.broadcastable
    for i, ipt in enumerate(inputs):
        g = rval[i]
        if isinstance(g.type, passthrough):
            continue
        # The input was repeated along its broadcastable dimensions: sum over them.
        to_sum = [d for d, b in enumerate(ipt.type.broadcastable) if b and not out_bcast[d]]
        if to_sum:
            g = g.sum(axis=to_sum, keepdims=True)
        if g.type.broadcastable != ipt.type.broadcastable:
            g = patternbroadcast(g, ipt.type.broadcastable)
        rval[i] = g
    return rval


def elemwise_R_op(op, inputs, eval_points):
    """Forward-mode derivative of the Elemwise ``op`` (its ``R_op``): for each output,
    the sum over inputs of d(output)/d(input) * eval_point."""
    passthrough = _placeholder_types()
    outs = op(*inputs, return_list=True)
    rval = []
    for idx, out in enumerate(outs):
        # The derivative of this output alone: a one gradient on it, zeros on the others.
        ograds = [_zeros_like(o) for o in outs]
        ograds[idx] = _ones_like(out)
        bgrads = _broadcast_grads(op, inputs, outs, ograds)
        rop_out = None
        varied = False
        for bgrad, eval_point in zip(bgrads, eval_points):
            if eval_point is None or isinstance(bgrad.type, passthrough):
                continue
            varied = True
            if _is_constant_zero(eval_point):
                # A constant input (the 2 of x ** 2) does not vary: skip its term, whose
                # derivative may be nan there (log of a negative base) and 0 * nan is nan.
                continue
            term = bgrad * eval_point
            rop_out = term if rop_out is None else rop_out + term
        if rop_out is None and varied:
            rop_out = _zeros_like(out)
        rval.append(rop_out)
    return rval


def _is_constant_zero(v):
    try:
        return bool(np.all(get_scalar_constant_value(v) == 0))
    except NotScalarConstantError:
        return False


# --------------------------------------------------------------------------- constant folding
# (get_scalar_constant_value through Elemwise nodes)

# Elemwise ops whose value get_scalar_constant_value computes from constant inputs.
_FOLDABLE = (scal.Cast, scal.Switch, scal.NEQ, scal.EQ, scal.LT, scal.GT, scal.LE, scal.GE,
             scal.Sub, scal.Add, scal.Mod, scal.Mul, scal.IntDiv, scal.TrueDiv, scal.Minimum,
             scal.Maximum)


def elemwise_constant_value(node, v, elemwise=True, max_recur=10):
    """The constant value of ``v``, an output of the Elemwise ``node``, for
    get_scalar_constant_value: ``second(a, c)`` is c; arithmetic, comparisons and casts of
    constants are computed (when ``elemwise``)."""
    scalar_op = node.op.scalar_op
    if isinstance(scalar_op, scal.Second):
        return get_scalar_constant_value(node.inputs[1], elemwise, max_recur=max_recur)
    if elemwise and isinstance(scalar_op, _FOLDABLE):
        values = [np.asarray(get_scalar_constant_value(i, elemwise, max_recur=max_recur))
                  for i in node.inputs]
        with np.errstate(all="ignore"):
            return np.asarray(scalar_op.kernel.numpy(*values), dtype=v.type.dtype)
    raise NotScalarConstantError(v)


# --------------------------------------------------------------------------- printing

class DimShufflePrinter:
    """``x.T`` for a transpose, the input itself when only broadcastable dimensions are
    added in front, ``DimShuffle{1, x, 0}(x)`` otherwise."""

    def _p(self, new_order, pstate, r):
        while new_order and new_order[0] == "x":
            new_order = new_order[1:]
        # Theano 1.0 compat: the input is printed with a fresh printer state.
        if list(new_order) == list(range(r.type.ndim)):
            return pstate.pprinter.process(r)
        if list(new_order) == list(reversed(range(r.type.ndim))):
            return "%s.T" % pstate.pprinter.process(r)
        return "DimShuffle{%s}(%s)" % (", ".join(map(str, new_order)),
                                       pstate.pprinter.process(r))

    def process(self, r, pstate):
        if r.owner is None or not hasattr(r.owner.op, "new_order"):
            raise TypeError("Can only print DimShuffle.")
        return self._p(tuple(r.owner.op.new_order), pstate, r.owner.inputs[0])


class ElemwisePrinter:
    """pp of an Elemwise: the printer given to its scalar op's class (``assign``, beside each
    op in tensor/math.py). In-place ones (made by rewrites) and unknown ones print as
    ``Op(args)``, as in Theano."""

    def __init__(self):
        self.by_scalar_class = {}

    def assign(self, scalar_op_class, printer):
        self.by_scalar_class[scalar_op_class] = printer

    def process(self, r, pstate):
        op = r.owner.op
        printer = None if op.inplace_pattern else self.by_scalar_class.get(type(op.scalar_op))
        return (printer or default_printer).process(r, pstate)


elemwise_printer = ElemwisePrinter()
pprint.assign(Elemwise, elemwise_printer)
pprint.assign(DimShuffle, DimShufflePrinter())
