"""Block-sparse products (Theano's ``theano.tensor.nnet.blocksparse``): a layer whose input
and output are split in blocks, of which each example uses only a few.

``SparseBlockGemv`` adds, to each chosen output block, the products of the chosen input
blocks with their weight blocks; ``SparseBlockOuter`` (its gradient with respect to the
weights) adds outer products into the chosen weight blocks. Shapes (Theano's names):
W (iBlocks, oBlocks, iSize, oSize), h (batch, iWin, iSize), o (batch, oWin, oSize),
inputIdx (batch, iWin), outputIdx (batch, oWin).
"""
import numpy as np

from pytheano._core.graph import Apply
from pytheano.graph.grad_types import grad_undefined
from pytheano.graph.op import Op
from pytheano.tensor.basic import as_tensor_variable, constant, discrete_dtypes

__all__ = ["SparseBlockGemv", "SparseBlockOuter", "sparse_block_gemv",
           "sparse_block_gemv_inplace", "sparse_block_outer", "sparse_block_outer_inplace",
           "sparse_block_dot"]


def _check(var, ndim, what):
    if var.type.ndim != ndim:
        raise TypeError("%s must be a %dD tensor, got %s" % (what, ndim, var.type))


def _check_indices(var, what):
    _check(var, 2, what)
    if var.type.dtype not in discrete_dtypes:
        raise TypeError("%s must hold integers (block indices), got dtype %s"
                        % (what, var.type.dtype))


class SparseBlockGemv(Op):
    """``o[b, j] + sum_i dot(h[b, i], W[inputIdx[b, i], outputIdx[b, j]])`` for every
    example b and output window j: ``make_node(o, W, h, inputIdx, outputIdx)``."""

    __props__ = ("inplace",)

    def __init__(self, inplace=False):
        self.inplace = bool(inplace)
        if self.inplace:
            self.destroy_map = {0: [0]}

    def make_node(self, o, W, h, inputIdx, outputIdx):
        o, W, h, inputIdx, outputIdx = (as_tensor_variable(v)
                                        for v in (o, W, h, inputIdx, outputIdx))
        # Theano 1.0 compat: its message calls o "a 2D tensor"; it must be 3D
        _check(o, 3, "The output o")
        _check(W, 4, "The weight matrix W")
        _check(h, 3, "The input h")
        _check_indices(inputIdx, "The input indices inputIdx")
        _check_indices(outputIdx, "The output indices outputIdx")
        return Apply(self, [o, W, h, inputIdx, outputIdx], [o.type()])

    def perform(self, node, inputs, output_storage):
        o, W, h, iIdx, oIdx = inputs
        out = o if self.inplace else o.copy()
        for b in range(out.shape[0]):
            # the (iWin, oWin, iSize, oSize) weight blocks example b uses
            blocks = W[iIdx[b][:, None], oIdx[b][None, :]]
            out[b] += np.einsum("is,ijso->jo", h[b], blocks).astype(out.dtype, copy=False)
        output_storage[0][0] = out

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]

    def grad(self, inputs, output_grads):
        o, W, h, inputIdx, outputIdx = inputs
        go, = output_grads
        W_grad = SparseBlockOuter(self.inplace)(W.zeros_like(), h, go, inputIdx, outputIdx)
        # the transposed weight blocks map the output windows back onto the input ones
        h_grad = SparseBlockGemv(self.inplace)(h.zeros_like(), W.dimshuffle(1, 0, 3, 2), go,
                                               outputIdx, inputIdx)
        return [go, W_grad, h_grad,
                grad_undefined(self, 3, inputIdx, "grad of inputIdx makes no sense"),
                grad_undefined(self, 4, outputIdx, "grad of outputIdx makes no sense")]


class SparseBlockOuter(Op):
    """``o[xIdx[b, i], yIdx[b, j]] + alpha * outer(x[b, i], y[b, j])`` summed over every
    example b and windows i, j: ``make_node(o, x, y, xIdx, yIdx, alpha=1)``."""

    __props__ = ("inplace",)

    def __init__(self, inplace=False):
        self.inplace = bool(inplace)
        if self.inplace:
            self.destroy_map = {0: [0]}

    def make_node(self, o, x, y, xIdx, yIdx, alpha=None):
        o, x, y, xIdx, yIdx = (as_tensor_variable(v) for v in (o, x, y, xIdx, yIdx))
        _check(o, 4, "The output o")
        _check(x, 3, "The input x")
        _check(y, 3, "The input y")
        _check_indices(xIdx, "The x indices xIdx")
        _check_indices(yIdx, "The y indices yIdx")
        alpha = constant(np.asarray(1.0, dtype="float32")) if alpha is None else \
            as_tensor_variable(alpha)
        return Apply(self, [o, x, y, xIdx, yIdx, alpha], [o.type()])

    def perform(self, node, inputs, output_storage):
        o, x, y, xIdx, yIdx, alpha = inputs
        out = o if self.inplace else o.copy()
        # Theano 1.0's perform ignored alpha; it is applied here, as documented
        products = np.einsum("bis,bjt->bijst", x, y) * alpha
        # add.at: a block chosen twice (by two examples or windows) gets both terms
        np.add.at(out, (xIdx[:, :, None], yIdx[:, None, :]), products.astype(out.dtype))
        output_storage[0][0] = out

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]


sparse_block_gemv = SparseBlockGemv(False)
sparse_block_gemv_inplace = SparseBlockGemv(True)
sparse_block_outer = SparseBlockOuter(False)
sparse_block_outer_inplace = SparseBlockOuter(True)


def sparse_block_dot(W, h, inputIdx, b, outputIdx):
    """The block-sparse layer ``dot(h[i], W[i, j]) + b[j]`` over the chosen blocks (the bias
    added once per output block). ``h`` may be (iWin, iSize) with 1-D indices for a single
    example."""
    h, inputIdx, outputIdx, b = (as_tensor_variable(v) for v in (h, inputIdx, outputIdx, b))
    if inputIdx.ndim != h.ndim - 1 or outputIdx.ndim != inputIdx.ndim:
        raise TypeError("sparse_block_dot: inputIdx must have one dimension less than h "
                        "and as many as outputIdx (got h %s, inputIdx %s, outputIdx %s)"
                        % (h.type, inputIdx.type, outputIdx.type))
    if h.ndim == 2:
        h = h.dimshuffle("x", 0, 1)
        inputIdx = inputIdx.dimshuffle("x", 0)
        outputIdx = outputIdx.dimshuffle("x", 0)
    return SparseBlockGemv()(b.take(outputIdx, axis=0), W, h, inputIdx, outputIdx)
