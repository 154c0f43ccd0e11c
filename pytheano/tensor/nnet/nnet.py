"""Classifier ops: softmax (row-wise over a matrix) and its variants, the cross-entropies,
and the rectifier family (relu, elu, selu) built from elementwise ops."""
import warnings

import numpy as np

from pytheano._core.graph import Apply
from pytheano.graph.op import Op
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.elemwise import Elemwise
from pytheano.tensor.nnet.sigm import softplus
from pytheano.tensor.type import TensorType
from pytheano.graph.grad_types import DisconnectedType, disconnected_type, grad_not_implemented
from pytheano.tensor.shape import shape_padleft
from pytheano.tensor.math import exp, expm1, gt, log, neg, switch
from pytheano.tensor.reduction import sum as tensor_sum

__all__ = ["SoftmaxWithBias", "softmax_with_bias", "SoftmaxGrad", "softmax_grad", "Softmax",
           "softmax_op", "softmax", "softmax_graph", "LogSoftmax", "logsoftmax_op",
           "logsoftmax", "log_softmax", "CrossentropyCategorical1HotGrad",
           "crossentropy_categorical_1hot_grad", "CrossentropyCategorical1Hot",
           "crossentropy_categorical_1hot", "binary_crossentropy",
           "sigmoid_binary_crossentropy", "categorical_crossentropy", "relu", "elu", "selu",
           "ScalarSoftsign", "scalar_softsign", "softsign"]




def _float_matrix(x, name, allow_vector, op_name):
    """``x`` as a float matrix; a vector becomes a one-row matrix (Theano 1.0), with its
    deprecation warning."""
    x = as_tensor_variable(x)
    ndims = (1, 2) if allow_vector else (2,)
    if x.type.ndim not in ndims or x.type.dtype not in scal.float_types:
        raise ValueError("%s must be %s tensor of floats. Got %s"
                         % (name, "1-d or 2-d" if allow_vector else "2-d", x.type))
    if x.ndim == 1:
        # Theano 1.0 compat: a vector is padded to a row and the result is a row.
        warnings.warn("DEPRECATION: If x is a vector, %s will not automatically pad x anymore "
                      "in next releases. If you need it, please do it manually. The vector "
                      "case is gonna be supported soon and the output will be a vector."
                      % op_name, stacklevel=5)

        x = shape_padleft(x, n_ones=1)
    return x


def _row_softmax(x):
    """Softmax of each row, in x's dtype (float16 computed in float32)."""
    dtype = x.dtype
    if dtype == np.float16:
        x = x.astype(np.float32)
    e_x = np.exp(x - x.max(axis=1, keepdims=True))
    e_x /= e_x.sum(axis=1, keepdims=True)
    return e_x.astype(dtype, copy=False)


class SoftmaxWithBias(Op):
    """softmax(x + b) for a float matrix x and a bias vector b (one entry per column)."""

    nin = 2
    nout = 1
    __props__ = ()

    def make_node(self, x, b):
        x = as_tensor_variable(x)
        b = as_tensor_variable(b)
        if x.type.ndim != 2 or x.type.dtype not in scal.float_types:
            raise ValueError("x must be 2-d tensor of floats. Got %s" % (x.type,))
        if b.type.ndim != 1 or b.type.dtype not in scal.float_types:
            raise ValueError("b must be 1-d tensor of floats. Got %s" % (b.type,))
        return Apply(self, [x, b], [x.type()])

    def perform(self, node, inputs, output_storage):
        x, b = inputs
        if b.shape[0] != x.shape[1]:
            raise ValueError("b must have same number of columns as x: x has shape %s, b has "
                             "shape %s" % (x.shape, b.shape))
        if x.size == 0:
            output_storage[0][0] = np.zeros(x.shape, dtype=node.outputs[0].type.dtype)
            return
        output_storage[0][0] = np.asarray(_row_softmax(x + b[None, :]),
                                          dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def L_op(self, inputs, outputs, output_grads):
        g_sm, = output_grads
        if isinstance(g_sm.type, DisconnectedType):
            return [disconnected_type(), disconnected_type()]
        dx = softmax_grad(g_sm, outputs[0])
        db = tensor_sum(dx, axis=0)
        return [dx, db]

    def R_op(self, inputs, eval_points):
        if None in eval_points:
            return [None]
        x, b = inputs
        ex, eb = eval_points
        sm = self(x, b)
        # d softmax = J (dx + db) with the (symmetric) softmax Jacobian J.
        return [softmax_grad(ex + eb.dimshuffle("x", 0), sm)]


softmax_with_bias = SoftmaxWithBias()


class SoftmaxGrad(Op):
    """The gradient of softmax: ``dy * sm - sum(dy * sm, axis=1) * sm`` for the softmax
    output ``sm`` and its gradient ``dy``."""

    nin = 2
    nout = 1
    __props__ = ()

    def make_node(self, dy, sm):
        dy = as_tensor_variable(dy)
        sm = as_tensor_variable(sm)
        if dy.type.ndim not in (1, 2) or dy.type.dtype not in scal.float_types:
            raise ValueError("dy must be 1-d or 2-d tensor of floats. Got %s" % (dy.type,))

        if dy.ndim == 1:
            dy = shape_padleft(dy, n_ones=1)
        if sm.ndim == 1:
            sm = shape_padleft(sm, n_ones=1)
        return Apply(self, [dy, sm], [sm.type()])

    def perform(self, node, inputs, output_storage):
        dy, sm = inputs
        dy_times_sm = dy * sm
        dx = dy_times_sm - dy_times_sm.sum(axis=1, keepdims=True) * sm
        output_storage[0][0] = np.asarray(dx, dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[1]]

    def grad(self, inputs, output_grads):
        dy, sm = inputs
        g, = output_grads
        tmp = g + neg(tensor_sum(g * sm, axis=1).dimshuffle((0, "x")))
        g_dy = tmp * sm
        tmp2 = tensor_sum(dy * sm, axis=1).dimshuffle((0, "x"))
        g_sm = tmp * dy - g * tmp2
        return [g_dy, g_sm]


softmax_grad = SoftmaxGrad()


class _RowwiseOp(Op):
    """Softmax and LogSoftmax: a float matrix (or a vector, as one row) in, the same type
    and shape out."""

    __props__ = ()

    def make_node(self, x):
        x = _float_matrix(x, "x", True, type(self).__name__)
        return Apply(self, [x], [x.type()])

    def infer_shape(self, fgraph, node, shapes):
        return shapes


class Softmax(_RowwiseOp):
    """exp(x) / sum(exp(x)) along each row of a float matrix (computed without overflow)."""

    nin = 1
    nout = 1

    def perform(self, node, inputs, output_storage):
        x, = inputs
        output_storage[0][0] = np.asarray(_row_softmax(x), dtype=node.outputs[0].type.dtype)

    def L_op(self, inputs, outputs, output_grads):
        g_sm, = output_grads
        return [softmax_grad(g_sm, outputs[0])]

    def R_op(self, inputs, eval_points):
        # The softmax Jacobian is symmetric: the R_op is the L_op on the eval point.
        if None in eval_points:
            return [None]
        return self.L_op(inputs, [self(*inputs)], eval_points)


softmax_op = Softmax()


def softmax(c):
    """Row-wise softmax of a float matrix (a vector is treated as a one-row matrix and gives
    a row, as in Theano 1.0)."""
    c = as_tensor_variable(c)
    if c.ndim and c.broadcastable[-1]:
        warnings.warn("The softmax is applied on a dimension of shape 1, which does not have a "
                      "semantic meaning.", stacklevel=2)
    return softmax_op(c)


def softmax_graph(c):
    """Softmax as elementwise ops: exp(c) / exp(c).sum(axis=-1, keepdims=True)."""
    return exp(c) / exp(c).sum(axis=-1, keepdims=True)


class LogSoftmax(_RowwiseOp):
    """log(softmax(x)) along each row, computed as ``x - max - log(sum(exp(x - max)))``."""

    def perform(self, node, inputs, output_storage):
        x, = inputs
        xdev = x - x.max(axis=1, keepdims=True)
        lsm = xdev - np.log(np.sum(np.exp(xdev), axis=1, keepdims=True))
        output_storage[0][0] = np.asarray(lsm, dtype=node.outputs[0].type.dtype)

    def grad(self, inputs, output_grads):
        x, = inputs
        g, = output_grads
        sm = softmax_op(x)
        return [g - tensor_sum(g, axis=1, keepdims=True) * sm]

    def R_op(self, inputs, eval_points):
        # J = I - 1 sm^T: J v = v - sum(v * sm) (not J^T v, which is the L_op).
        if None in eval_points:
            return [None]
        x, = inputs
        ev, = eval_points
        sm = softmax_op(x)
        return [ev - tensor_sum(ev * sm, axis=1, keepdims=True)]


logsoftmax_op = LogSoftmax()


def logsoftmax(c):
    """Row-wise log-softmax of a float matrix (numerically stable)."""
    return logsoftmax_op(c)


log_softmax = logsoftmax


class CrossentropyCategorical1HotGrad(Op):
    """Gradient of CrossentropyCategorical1Hot with respect to the coding distribution."""

    __props__ = ()

    def make_node(self, g_y, coding_dist, true_one_of_n):
        g_y, coding_dist, true_one_of_n = map(as_tensor_variable,
                                              (g_y, coding_dist, true_one_of_n))
        if (g_y.type.ndim, coding_dist.type.ndim, true_one_of_n.type.ndim) != (1, 2, 1):
            raise TypeError("CrossentropyCategorical1HotGrad takes a vector, a matrix and an "
                            "integer vector, got %s, %s, %s"
                            % (g_y.type, coding_dist.type, true_one_of_n.type))
        return Apply(self, [g_y, coding_dist, true_one_of_n], [coding_dist.type()])

    def perform(self, node, inputs, output_storage):
        g_y, coding_dist, true_one_of_n = inputs
        g_coding = np.zeros_like(coding_dist)
        rows = np.arange(len(g_y))
        g_coding[rows, true_one_of_n] = -g_y / coding_dist[rows, true_one_of_n]
        output_storage[0][0] = g_coding

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[1]]


crossentropy_categorical_1hot_grad = CrossentropyCategorical1HotGrad()


class CrossentropyCategorical1Hot(Op):
    """``y[i] = -log(coding_dist[i, true_one_of_n[i]])``: the cross-entropy of each row of
    ``coding_dist`` with a one-hot distribution given by its integer label."""

    __props__ = ()

    def make_node(self, coding_dist, true_one_of_n):
        coding = as_tensor_variable(coding_dist)
        labels = as_tensor_variable(true_one_of_n)
        if coding.type.ndim != 2:
            raise TypeError("matrix required for argument: coding_dist (got %s)"
                            % (coding.type,))
        if labels.type.ndim != 1 or labels.type.dtype not in scal.integer_types:
            raise TypeError("integer vector required for argument: true_one_of_n(got type: %s "
                            "instead of: TensorType(int64, vector))" % (labels.type,))
        dtype = coding.type.dtype
        if dtype not in scal.float_types:
            dtype = scal.upgrade_to_float(scal.get_scalar_type(dtype))[0].dtype
        return Apply(self, [coding, labels], [TensorType(dtype, (False,))()])

    def perform(self, node, inputs, output_storage):
        coding, one_of_n = inputs
        if len(one_of_n) != coding.shape[0]:
            raise ValueError("coding_dist has %d rows but true_one_of_n has %d labels "
                             "(shapes %s and %s)" % (coding.shape[0], len(one_of_n),
                                                     coding.shape, one_of_n.shape))
        n = coding.shape[1]
        if one_of_n.size and (one_of_n.max() >= n or one_of_n.min() < 0):
            bad = one_of_n[(one_of_n >= n) | (one_of_n < 0)][0]
            raise IndexError("label %d is out of range for coding_dist of shape %s (labels "
                             "must be in [0, %d))" % (bad, coding.shape, n))
        y = -np.log(coding[np.arange(coding.shape[0]), one_of_n])
        output_storage[0][0] = np.asarray(y, dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [(shapes[0][0],)]

    def grad(self, inputs, output_grads):
        coding, one_of_n = inputs
        g_y, = output_grads
        return [crossentropy_categorical_1hot_grad(g_y, coding, one_of_n),
                grad_not_implemented(self, 1, one_of_n)]


crossentropy_categorical_1hot = CrossentropyCategorical1Hot()


def binary_crossentropy(output, target):
    """-(target * log(output) + (1 - target) * log(1 - output)), elementwise (not summed).
    ``output`` must lie strictly between 0 and 1; see sigmoid_binary_crossentropy for a
    stable form on logits."""
    return -(target * log(output) + (1.0 - target) * log(1.0 - output))


def sigmoid_binary_crossentropy(output, target):
    """binary_crossentropy(sigmoid(output), target), computed stably from the logits
    ``output``: softplus(-|output|) + output * ((output > 0) - target)."""
    output = as_tensor_variable(output)
    return softplus(-abs(output)) + output * (gt(output, 0) - target)


def categorical_crossentropy(coding_dist, true_dist):
    """The cross-entropy of each row of ``coding_dist`` with ``true_dist``: a matrix of
    distributions (-sum(true_dist * log(coding_dist), axis=-1)) or an integer vector of
    labels (one-hot targets, CrossentropyCategorical1Hot)."""
    coding_dist = as_tensor_variable(coding_dist)
    true_dist = as_tensor_variable(true_dist)
    if true_dist.ndim == coding_dist.ndim:
        return -tensor_sum(true_dist * log(coding_dist), axis=coding_dist.ndim - 1)
    if true_dist.ndim == coding_dist.ndim - 1:
        return crossentropy_categorical_1hot(coding_dist, true_dist)
    raise TypeError("rank mismatch between coding and true distributions: coding_dist is %s, "
                    "true_dist is %s (expected the same rank, or one less for integer labels)"
                    % (coding_dist.type, true_dist.type))


def relu(x, alpha=0):
    """The rectifier max(x, 0); with ``alpha``, the leaky rectifier (alpha * x for x < 0).
    alpha may be a number, or a tensor broadcastable against x (a learnable slope)."""
    x = as_tensor_variable(x)
    if isinstance(alpha, (int, float)) and alpha == 0:
        return 0.5 * (x + abs(x))
    # 0.5 and 1 as Python literals keep x's float dtype; alpha's dtype joins the upcast.
    alpha = as_tensor_variable(alpha)
    f1 = 0.5 * (1 + alpha)
    f2 = 0.5 * (1 - alpha)
    return f1 * x + f2 * abs(x)


def elu(x, alpha=1):
    """The exponential linear unit: x for x > 0, alpha * (exp(x) - 1) otherwise."""
    x = as_tensor_variable(x)
    return switch(x > 0, x, alpha * expm1(x))


def selu(x):
    """The scaled exponential linear unit: scale * elu(x, alpha) with the self-normalising
    constants."""
    alpha = 1.6732632423543772848170429916717
    scale = 1.0507009873554804934193349852946
    return scale * elu(x, alpha)


def _softsign(x):
    x = scal.as_float(x)
    return x / (1.0 + np.abs(x))


class ScalarSoftsign(scal.UnaryFloatOp):
    """x / (1 + |x|)."""

    kernel = scal.float_kernel(None, numpy=_softsign, c="%(i0)s / (1 + fabs(%(i0)s))")

    def derivative(self, x, gz):
        d = 1.0 + scal.abs_(x)
        return gz / (d * d)


scalar_softsign = ScalarSoftsign(scal.upgrade_to_float, name="scalar_softsign")
softsign = Elemwise(scalar_softsign, name="softsign")
