"""Elemwise (a scalar op mapped over tensors with broadcasting) and DimShuffle (reorder, add
and drop broadcastable dimensions)."""
import numpy as np

from pytheano._core.graph import Apply
from pytheano._core.vm import UfuncThunk
from pytheano.graph.op import Op
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import as_tensor_variable
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
                    raise TypeError("DimShuffle indices must be python ints or 'x'. Got: %r"
                                    % (j,))
                if j < 0 or j >= nd:
                    raise ValueError("new_order[%d] is %d, but the input only has %d axes."
                                     % (i, j, nd))
                if j in new_order[i + 1:]:
                    raise ValueError("The same input dimension may not appear twice in the "
                                     "list of output dimensions", new_order)
        self.drop = [i for i in range(nd) if i not in new_order]
        for i in self.drop:
            if not self.input_broadcastable[i]:
                raise ValueError("You cannot drop a non-broadcastable dimension: dimension %d "
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
            from pytheano.tensor.creation import zeros_like

            return [zeros_like(x, dtype="floatX")]
        gx = DimShuffle(gz.type.broadcastable, grad_order)(gz)
        from pytheano.tensor.basic import patternbroadcast

        return [patternbroadcast(gx, x.broadcastable)]

    def R_op(self, inputs, eval_points):
        if None in eval_points:
            return [None]
        return self(*eval_points, return_list=True)

    def constant_value(self, node, v, elemwise, max_recur):
        # Moving dimensions changes no value.
        from pytheano.tensor.basic import get_scalar_constant_value

        return get_scalar_constant_value(node.inputs[0], elemwise, max_recur=max_recur)


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
            if padded[i].type.dtype != out_dtypes[o] or padded[i].type.broadcastable != bcast:
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

    def make_vm_thunk(self, node, input_cells, output_cells):
        """A UfuncThunk when the scalar op is a plain numpy ufunc with one output (the
        common case): the VM then calls the ufunc directly. None: use ``perform``."""
        scalar_op = self.scalar_op
        # The scalar op's kernel says which ufunc computes it exactly for these input dtypes.
        ufunc = scalar_op.kernel.fast_ufunc(tuple([i.type.dtype for i in node.inputs]))
        if (not isinstance(ufunc, np.ufunc) or ufunc.nout != 1 or scalar_op.nout != 1
                or ufunc.nin != len(node.inputs)):
            return None
        ndim = node.outputs[0].type.ndim
        check = self._output_shape if ndim and len(node.inputs) > 1 else None
        return UfuncThunk(node, input_cells, output_cells, ufunc,
                          node.outputs[0].type.dtype, check,
                          [i.type.broadcastable for i in node.inputs])

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
        from pytheano.tensor.math import elemwise_constant_value

        return elemwise_constant_value(node, v, elemwise, max_recur)

    def L_op(self, inputs, outputs, output_grads):
        from pytheano.tensor.elemwise_grad import elemwise_L_op

        return elemwise_L_op(self, inputs, outputs, output_grads)

    def R_op(self, inputs, eval_points):
        from pytheano.tensor.elemwise_grad import elemwise_R_op

        return elemwise_R_op(self, inputs, eval_points)



# Theano 1.0 import paths: `from theano.tensor.elemwise import Sum, CAReduce, ...`.
_REDUCTION_NAMES = ("CAReduce", "CAReduceDtype", "Sum", "Prod", "All", "Any",
                    "ProdWithoutZeros")


def __getattr__(name):
    if name in _REDUCTION_NAMES:
        from pytheano.tensor import reduction

        return getattr(reduction, name)
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
