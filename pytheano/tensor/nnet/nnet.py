"""Classifier ops: softmax (row-wise over a matrix) and its variants, the cross-entropies,
and the rectifier family (relu, elu, selu) built from elementwise ops."""
import warnings

import numpy as np

from pytheano._core.graph import Apply
from pytheano.graph.op import Op
from pytheano.link.c.array import ArrayC, unit_stride_variant
from pytheano.scalar import basic as scal
from pytheano.scalar.kernel import C_TYPES
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.elemwise import Elemwise
from pytheano.tensor.nnet.sigm import softplus
from pytheano.tensor.type import TensorType
from pytheano.graph.grad_types import DisconnectedType, disconnected_type, grad_not_implemented
from pytheano.tensor.shape import shape_padleft
from pytheano.tensor.math import exp, expm1, gt, log, neg, switch
from pytheano.tensor.reduction import max_and_argmax, sum as tensor_sum
from pytheano.tensor.creation import arange, zeros_like
from pytheano.tensor.blas import dot, tensordot
from pytheano.tensor.extra_ops import Unique
from pytheano.tensor.join import concatenate
from pytheano.tensor.math import eq

__all__ = ["SoftmaxWithBias", "softmax_with_bias", "SoftmaxGrad", "softmax_grad", "Softmax",
           "softmax_op", "softmax", "softmax_graph", "LogSoftmax", "logsoftmax_op",
           "logsoftmax", "log_softmax", "CrossentropyCategorical1HotGrad",
           "crossentropy_categorical_1hot_grad", "CrossentropyCategorical1Hot",
           "crossentropy_categorical_1hot", "CrossentropySoftmaxArgmax1HotWithBias",
           "crossentropy_softmax_argmax_1hot_with_bias", "CrossentropySoftmax1HotWithBiasDx",
           "crossentropy_softmax_1hot_with_bias_dx", "crossentropy_softmax_1hot_with_bias",
           "crossentropy_softmax_1hot", "crossentropy_softmax_max_and_argmax_1hot_with_bias",
           "crossentropy_softmax_max_and_argmax_1hot", "Prepend_scalar_constant_to_each_row",
           "Prepend_scalar_to_each_row", "prepend_scalar_to_each_row", "prepend_0_to_each_row",
           "prepend_1_to_each_row", "confusion_matrix", "h_softmax", "binary_crossentropy",
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


# --------------------------------------------------------------------------- C helpers
# The ops' C (link/c/array.py): the body sees each operand by name, with its shape x_n0...
# and element strides x_s0...; it returns 1 on what perform would reject (bad shapes, a
# label out of range, the max of an empty row), and perform then raises its own error.
# %(ct)s is the type the op computes in (numpy's upcast of its float operands); %(exp)s and
# %(log)s libm's exp and log in that type (vectorized through libmvec where the compiler
# can: link/c/elemwise.py's VECTOR_MATH); %(t_<name>)s an operand's C type.

def _array_c(node, names, body, out_shapes):
    """The ArrayC of ``node`` (None when a dtype has no C: float16, complex)."""
    variables = list(node.inputs) + list(node.outputs)
    dtypes = [v.type.dtype for v in variables]
    if any(d not in C_TYPES for d in dtypes):
        return None
    floats = [d for d in dtypes if d in scal.float_types]
    ct = "float64" if "float64" in floats else "float32"
    suffix = "" if ct == "float64" else "f"
    subs = {"ct": C_TYPES[ct], "exp": "exp" + suffix, "log": "log" + suffix}
    subs.update(("t_" + n, C_TYPES[d]) for n, d in zip(names, dtypes))
    nin = len(node.inputs)
    return ArrayC(body % subs, names, [C_TYPES[d] for d in dtypes], dtypes[:nin],
                  dtypes[nin:], [v.type.ndim for v in variables], out_shapes)


def _row_max(value, arg=False):
    """C finding ``mx`` (and with ``arg``, its first index ``am``), the NaN-propagating max
    (as numpy's) of ``value`` (a C expression of ``{j}``) over j < n, for n > 0."""
    if not arg:
        return ("    %%(ct)s mx = %s;\n" % value.format(j="0") +
                "    for (int64_t j = 1; j < n; j++) {\n"
                "      const %%(ct)s v = %s;\n"
                "      if (v > mx || v != v) mx = v;\n"
                "    }\n" % value.format(j="j"))
    return ("    %%(ct)s mx = %s; int64_t am = 0;\n" % value.format(j="0") +
            "    for (int64_t j = 1; j < n; j++) {\n"
            "      const %%(ct)s v = %s;\n"
            "      if (v > mx || (v != v && mx == mx)) { mx = v; am = j; }\n"
            "    }\n" % value.format(j="j"))


def _softmax_rows(value, out):
    """C writing softmax(value) of every row (of n > 0 entries) into ``out`` (sum in double,
    as a divide)."""
    row_max = _row_max(value)
    value = value.format(j="j")
    return ("  const int64_t n = %s_n1;\n" % out +
            "  for (int64_t i = 0; i < %s_n0; i++) {\n" % out + row_max +
            # exp and sum in separate loops: the first one vectorizes (the in-order sum
            # would keep it scalar).
            "    for (int64_t j = 0; j < n; j++)\n"
            "      %s[i * %s_s0 + j * %s_s1] = (%%(t_%s)s)%%(exp)s(%s - mx);\n"
            % (out, out, out, out, value) +
            "    double s = 0;\n"
            "    for (int64_t j = 0; j < n; j++) s += %s[i * %s_s0 + j * %s_s1];\n"
            % (out, out, out) +
            "    for (int64_t j = 0; j < n; j++)\n"
            "      %s[i * %s_s0 + j * %s_s1] = (%%(t_%s)s)(%s[i * %s_s0 + j * %s_s1] / s);\n"
            % (out, out, out, out, out, out, out) +
            "  }\n")


_X_IJ = "(%(ct)s)x[i * x_s0 + {j} * x_s1]"
_XB_IJ = "((%(ct)s)x[i * x_s0 + {j} * x_s1] + (%(ct)s)b[{j} * b_s0])"


def _row_softmax(x):
    """Softmax of each row, in x's dtype (float16 computed in float32)."""
    dtype = x.dtype
    if dtype == np.float16:
        x = x.astype(np.float32)
    e_x = np.exp(x - x.max(axis=1, keepdims=True))
    e_x /= e_x.sum(axis=1, keepdims=True)
    return e_x.astype(dtype, copy=False)


def _check_classes(x):
    # Softmax's numpy max raises ValueError on a row of no entries, even with no rows.
    if x.shape[1] == 0:
        raise ValueError("zero-size array to reduction operation maximum which has no "
                         "identity (x of shape %s has no columns: softmax needs at least one)"
                         % (x.shape,))


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
        # Not Theano's zeros for no columns: softmax(x + b), which the rewrites turn into
        # this op, raises there.
        _check_classes(x)
        output_storage[0][0] = np.asarray(_row_softmax(x + b[None, :]),
                                          dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def c_code_node(self, node):
        body = "  if (b_n0 != x_n1 || x_n1 == 0) return 1;\n" + unit_stride_variant(
            _softmax_rows(_XB_IJ, "sm") + "  return 0;\n", ["x_s1", "b_s0", "sm_s1"])
        return _array_c(node, ["x", "b", "sm"], body, [[(0, 0), (0, 1)]])

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

    def c_code_node(self, node):
        body = """
  if (dy_n0 != sm_n0 || dy_n1 != sm_n1) return 1;  /* perform broadcasts or raises */
  for (int64_t i = 0; i < sm_n0; i++) {
    double s = 0;
    for (int64_t j = 0; j < sm_n1; j++)
      s += (%(ct)s)dy[i * dy_s0 + j * dy_s1] * (%(ct)s)sm[i * sm_s0 + j * sm_s1];
    for (int64_t j = 0; j < sm_n1; j++) {
      const %(ct)s p = (%(ct)s)sm[i * sm_s0 + j * sm_s1];
      dx[i * dx_s0 + j * dx_s1] = (%(t_dx)s)((%(ct)s)dy[i * dy_s0 + j * dy_s1] * p
                                             - (%(ct)s)s * p);
    }
  }
  return 0;
"""
        return _array_c(node, ["dy", "sm", "dx"], body, [[(1, 0), (1, 1)]])

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

    def c_code_node(self, node):
        # An empty row has no max: perform raises (numpy does, even with no rows).
        body = "  if (x_n1 == 0) return 1;\n" + unit_stride_variant(
            _softmax_rows(_X_IJ, "sm") + "  return 0;\n", ["x_s1", "sm_s1"])
        return _array_c(node, ["x", "sm"], body, [[(0, 0), (0, 1)]])

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

    def c_code_node(self, node):
        body = ("  const int64_t n = x_n1;\n"
                "  if (n == 0) return 1;\n"
                "  for (int64_t i = 0; i < x_n0; i++) {\n" + _row_max(_X_IJ) +
                "    for (int64_t j = 0; j < n; j++)\n"
                "      lsm[i * lsm_s0 + j * lsm_s1] = %(exp)s(" + _X_IJ.format(j="j") +
                " - mx);\n"
                "    double s = 0;\n"
                "    for (int64_t j = 0; j < n; j++) s += lsm[i * lsm_s0 + j * lsm_s1];\n"
                "    const %(ct)s ls = (%(ct)s)%(log)s(s);\n"
                "    for (int64_t j = 0; j < n; j++)\n"
                "      lsm[i * lsm_s0 + j * lsm_s1] = (%(t_lsm)s)((" + _X_IJ.format(j="j") +
                " - mx) - ls);\n"
                "  }\n"
                "  return 0;\n")
        return _array_c(node, ["x", "lsm"], unit_stride_variant(body, ["x_s1", "lsm_s1"]),
                        [[(0, 0), (0, 1)]])

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


# --------------------------------------------------------------------------- labels
# The cross-entropy ops read their integer labels y as numpy reads m[arange(len(y)), y],
# the indexing the rewrites replace with them (rewriting/nnet.py): label i picks row i, a
# negative label counts from the last column, and a label outside [-n_cols, n_cols) or
# more labels than rows raise IndexError; with fewer labels than rows, the rows past them
# have no label. So a rewrite to these ops never changes a value or an error's class.

def _one_hot_labels(y_idx):
    y_idx = as_tensor_variable(y_idx)
    if y_idx.type.ndim != 1 or y_idx.type.dtype not in scal.discrete_types:
        raise ValueError("y_idx must be 1-d tensor of [u]ints", y_idx.type)
    return y_idx


def _picked_labels(y_idx, n_rows, n_cols):
    """The column each label picks in an ``n_rows`` x ``n_cols`` matrix, negative labels
    wrapped, as int64; numpy's IndexError where m[arange(len(y_idx)), y_idx] raises."""
    if len(y_idx) > n_rows:
        raise IndexError("index %d is out of bounds for axis 0 with size %d (%d labels for "
                         "a matrix of %d rows: at most one label a row)"
                         % (n_rows, n_rows, len(y_idx), n_rows))
    bad = (y_idx >= n_cols) | (y_idx < -n_cols)  # before a cast that could wrap a uint64
    if bad.any():
        raise IndexError("index %d is out of bounds for axis 1 with size %d (labels must be "
                         "in [-%d, %d))" % (y_idx[bad][0], n_cols, n_cols, n_cols))
    labels = y_idx.astype(np.int64)
    return np.where(labels < 0, labels + n_cols, labels)


def _labels_c(labels, count, n, dtype):
    """C returning 1 (perform then raises) unless ``count`` labels are at most the rows
    and each label of ``labels`` is in [-n, n)."""
    bad = "(uint64_t)l >= (uint64_t)%s" % n if dtype[0] in "ub" else \
        "l < -%s || l >= %s" % (n, n)
    return ("  for (int64_t i = 0; i < %s; i++) {\n"
            "    const int64_t l = (int64_t)%s[i * %s_s0];\n"
            "    if (%s) return 1;\n"
            "  }\n" % (count, labels, labels, bad))


def _label_c(labels, n):
    """C declaring ``l``, the column label i picks (checked by _labels_c)."""
    return ("    int64_t l = (int64_t)%s[i * %s_s0];\n"
            "    if (l < 0) l += %s;  /* numpy's negative index */\n" % (labels, labels, n))


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

    def c_code_node(self, node):
        if node.inputs[1].type.dtype not in scal.float_types:
            return None
        # perform broadcasts labels against rows or raises: it handles other lengths.
        body = ("  if (g_y_n0 != labels_n0 || g_y_n0 > coding_n0) return 1;\n" +
                _labels_c("labels", "labels_n0", "coding_n1", node.inputs[2].type.dtype) +
                """
  for (int64_t i = 0; i < g_n0; i++)
    for (int64_t j = 0; j < g_n1; j++) g[i * g_s0 + j * g_s1] = 0;
  for (int64_t i = 0; i < g_y_n0; i++) {
""" + _label_c("labels", "coding_n1") + """\
    g[i * g_s0 + l * g_s1] = (%(t_g)s)(-(%(ct)s)g_y[i * g_y_s0]
                                       / (%(ct)s)coding[i * coding_s0 + l * coding_s1]);
  }
  return 0;
""")
        return _array_c(node, ["g_y", "coding", "labels", "g"], body, [[(1, 0), (1, 1)]])


crossentropy_categorical_1hot_grad = CrossentropyCategorical1HotGrad()


class CrossentropyCategorical1Hot(Op):
    """``y[i] = -log(coding_dist[i, true_one_of_n[i]])``: the cross-entropy of each row of
    ``coding_dist`` with a one-hot distribution given by its integer label (the labels read
    as numpy indexing reads them, see _picked_labels)."""

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
        labels = _picked_labels(one_of_n, *coding.shape)
        y = -np.log(coding[np.arange(len(labels)), labels])
        output_storage[0][0] = np.asarray(y, dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [(shapes[1][0],)]

    def c_code_node(self, node):
        if node.inputs[0].type.dtype not in scal.float_types:
            return None
        body = ("  if (labels_n0 > coding_n0) return 1;\n" +
                _labels_c("labels", "labels_n0", "coding_n1", node.inputs[1].type.dtype) +
                "  for (int64_t i = 0; i < labels_n0; i++) {\n" +
                _label_c("labels", "coding_n1") +
                "    y[i * y_s0] = (%(t_y)s)(-%(log)s((%(ct)s)coding[i * coding_s0"
                " + l * coding_s1]));\n"
                "  }\n"
                "  return 0;\n")
        return _array_c(node, ["coding", "labels", "y"], body, [[(1, 0)]])

    def grad(self, inputs, output_grads):
        coding, one_of_n = inputs
        g_y, = output_grads
        return [crossentropy_categorical_1hot_grad(g_y, coding, one_of_n),
                grad_not_implemented(self, 1, one_of_n)]


crossentropy_categorical_1hot = CrossentropyCategorical1Hot()




class CrossentropySoftmaxArgmax1HotWithBias(Op):
    """The output layer of a classifier in one op: for a float matrix x, a bias vector b and
    integer labels y_idx (at most one per row, read as numpy indexing reads them: see
    _picked_labels), the negative log-likelihood ``-log(softmax(x + b)[i, y_idx[i]])`` of
    each labelled row, ``softmax(x + b)`` and the row-wise argmax."""

    nin = 3
    nout = 3
    __props__ = ()

    def make_node(self, x, b, y_idx):
        x = as_tensor_variable(x)
        b = as_tensor_variable(b)
        if x.type.ndim != 2 or x.type.dtype not in scal.float_types:
            raise ValueError("x must be 2-d tensor of floats", x.type)
        if b.type.ndim != 1 or b.type.dtype not in scal.float_types:
            raise ValueError("b must be 1-d tensor of floats", b.type)
        y_idx = _one_hot_labels(y_idx)
        nll = TensorType(x.type.dtype, y_idx.type.broadcastable)()
        am = TensorType(y_idx.type.dtype, x.type.broadcastable[:1])()
        return Apply(self, [x, b, y_idx], [nll, x.type(), am])

    def perform(self, node, inputs, output_storage):
        x, b, y_idx = inputs
        if b.shape[0] != x.shape[1]:
            raise ValueError("b must have same number of columns as x")
        _check_classes(x)
        labels = _picked_labels(y_idx, *x.shape)
        row = x + b
        shifted = row - row.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        sum_j = e.sum(axis=1)
        # nll = -x[t] + m + log(sum_j exp(x[j] - m)): no overflow, no log(0).
        picked = np.arange(len(labels))
        nll = np.log(sum_j[picked]) - shifted[picked, labels]
        output_storage[0][0] = nll.astype(node.outputs[0].type.dtype)
        output_storage[1][0] = (e / sum_j[:, None]).astype(x.dtype)
        output_storage[2][0] = np.argmax(row, axis=1).astype(y_idx.dtype)

    def infer_shape(self, fgraph, node, shapes):
        x_shp, b_shp, idx_shp = shapes
        return [idx_shp, x_shp, x_shp[:1]]

    def c_code_node(self, node):
        body = ("  const int64_t n = x_n1;\n"
                "  if (b_n0 != n || n == 0 || y_idx_n0 > x_n0) return 1;\n" +
                _labels_c("y_idx", "y_idx_n0", "n", node.inputs[2].type.dtype) +
                "  for (int64_t i = 0; i < x_n0; i++) {\n" + _row_max(_XB_IJ, arg=True) +
                "    for (int64_t j = 0; j < n; j++)\n"
                "      sm[i * sm_s0 + j * sm_s1] = (%(t_sm)s)%(exp)s(" + _XB_IJ.format(j="j") +
                " - mx);\n"
                "    double s = 0;\n"
                "    for (int64_t j = 0; j < n; j++) s += sm[i * sm_s0 + j * sm_s1];\n"
                "    for (int64_t j = 0; j < n; j++)\n"
                "      sm[i * sm_s0 + j * sm_s1] = (%(t_sm)s)(sm[i * sm_s0 + j * sm_s1] / s);\n"
                "    am_out[i * am_out_s0] = (%(t_am_out)s)am;\n"
                "    if (i >= y_idx_n0) continue;  /* a row with no label */\n" +
                _label_c("y_idx", "n") +
                "    nll[i * nll_s0] = (%(t_nll)s)((%(ct)s)%(log)s(s) - (" +
                _XB_IJ.format(j="l") + " - mx));\n"
                "  }\n"
                "  return 0;\n")
        body = unit_stride_variant(body, ["x_s1", "b_s0", "sm_s1"])
        return _array_c(node, ["x", "b", "y_idx", "nll", "sm", "am_out"], body,
                        [[(2, 0)], [(0, 0), (0, 1)], [(0, 0)]])

    def connection_pattern(self, node):
        return [[True, True, True], [True, True, True], [False, False, True]]

    def grad(self, inputs, output_grads):
        x, b, y_idx = inputs
        g_nll, g_sm, g_am = output_grads
        dx_terms, db_terms, d_idx_terms = [], [], []
        if not isinstance(g_nll.type, DisconnectedType):
            sm = self(x, b, y_idx)[1]
            dx = crossentropy_softmax_1hot_with_bias_dx(g_nll, sm, y_idx)
            dx_terms.append(dx)
            db_terms.append(tensor_sum(dx, axis=[0]))
        if not isinstance(g_sm.type, DisconnectedType):
            dx, db = softmax_with_bias.L_op((x, b), [softmax_with_bias(x, b)], (g_sm,))
            dx_terms.append(dx)
            db_terms.append(db)
        if not isinstance(g_am.type, DisconnectedType):
            dx_terms.append(x.zeros_like())
            db_terms.append(b.zeros_like())
            d_idx_terms.append(y_idx.zeros_like())

        def total(terms):
            if not terms:
                return disconnected_type()
            out = terms[0]
            for term in terms[1:]:
                out = out + term
            return out
        return [total(dx_terms), total(db_terms), total(d_idx_terms)]


crossentropy_softmax_argmax_1hot_with_bias = CrossentropySoftmaxArgmax1HotWithBias()


class CrossentropySoftmax1HotWithBiasDx(Op):
    """The gradient of the nll of CrossentropySoftmaxArgmax1HotWithBias with respect to x:
    ``dy[i] * (sm[i] - onehot(y_idx[i]))`` for each labelled row (a scalar or length-1 ``dy``
    serves every label), 0 for a row with no label."""

    nin = 3
    nout = 1
    __props__ = ()

    def make_node(self, dy, sm, y_idx):
        dy = as_tensor_variable(dy)
        sm = as_tensor_variable(sm)
        if dy.type.ndim > 1 or dy.type.dtype not in scal.float_types:
            raise ValueError("dy must be {0,1}-d tensor of floats", dy.type)
        if sm.type.ndim != 2 or sm.type.dtype not in scal.float_types:
            raise ValueError("sm must be 2-d tensor of floats", sm.type)
        y_idx = _one_hot_labels(y_idx)
        return Apply(self, [dy, sm, y_idx], [sm.type()])

    def perform(self, node, inputs, output_storage):
        dy, sm, y_idx = inputs
        labels = _picked_labels(y_idx, *sm.shape)
        k = len(labels)
        dy = dy.reshape(-1)
        if dy.shape[0] not in (1, k):  # as numpy broadcasts dy onto the picked entries
            raise ValueError("dy has %d entries for %d labels (one a label, or one for all)"
                             % (dy.shape[0], k))
        dx = dy[:, None] * sm[:k]
        dx[np.arange(k), labels] -= dy
        # A row with no label has no gradient: 0 * sm, NaN where sm is (as softmax_grad's).
        output_storage[0][0] = np.concatenate([dx, 0 * sm[k:]]).astype(sm.dtype, copy=False)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[1]]

    def c_code_node(self, node):
        # One dy per label, or one for every label (0-d or length 1); perform does the rest.
        if node.inputs[0].type.ndim == 0:
            count, dy_i = "1", "dy[0]"
        else:
            count, dy_i = "dy_n0", "dy[(dy_n0 == 1 ? 0 : i) * dy_s0]"
        body = ("  const int64_t ndy = %s, k = y_idx_n0;\n"
                "  if (k > sm_n0 || (ndy != 1 && ndy != k)) return 1;\n" % count +
                _labels_c("y_idx", "k", "sm_n1", node.inputs[2].type.dtype) +
                "  for (int64_t i = 0; i < sm_n0; i++) {\n"
                "    int64_t l = -1;  /* no label: dx is 0 * sm */\n"
                "    %%(ct)s d = 0;\n"
                "    if (i < k) {\n"
                "      d = (%%(ct)s)%s;\n"
                "      l = (int64_t)y_idx[i * y_idx_s0];\n"
                "      if (l < 0) l += sm_n1;  /* numpy's negative index */\n"
                "    }\n"
                "    for (int64_t j = 0; j < sm_n1; j++) {\n"
                "      const %%(ct)s p = d * (%%(ct)s)sm[i * sm_s0 + j * sm_s1];\n"
                "      dx[i * dx_s0 + j * dx_s1] = (%%(t_dx)s)(j == l ? p - d : p);\n"
                "    }\n"
                "  }\n"
                "  return 0;\n" % dy_i)
        return _array_c(node, ["dy", "sm", "y_idx", "dx"], body, [[(1, 0), (1, 1)]])

    def grad(self, inputs, output_grads):
        dy, sm, y_idx = inputs
        g_dx, = output_grads
        k = y_idx.shape[0]
        rows = arange(k)
        # dx = dy * (sm - onehot) on the labelled rows: d/d dy is the row sum of
        # g_dx * (sm - onehot) there; the rows with no label do not depend on dy or sm.
        g_dy = tensor_sum(g_dx[:k] * sm[:k], axis=1) - g_dx[rows, y_idx]
        if dy.ndim == 0 or dy.broadcastable[0]:
            g_dy = tensor_sum(g_dy).reshape(dy.shape, ndim=dy.ndim)
            g_labelled = dy.reshape((1, 1)) * g_dx[:k]
        else:
            g_labelled = dy.dimshuffle(0, "x") * g_dx[:k]
        g_sm = concatenate([g_labelled, zeros_like(g_dx[k:])])
        return [g_dy, g_sm, grad_not_implemented(self, 2, y_idx)]


crossentropy_softmax_1hot_with_bias_dx = CrossentropySoftmax1HotWithBiasDx()


def crossentropy_softmax_1hot_with_bias(x, b, y_idx):
    """``(nll, softmax(x + b))`` of CrossentropySoftmaxArgmax1HotWithBias."""
    return crossentropy_softmax_argmax_1hot_with_bias(x, b, y_idx)[0:2]


def crossentropy_softmax_1hot(x, y_idx):
    """``(nll, softmax(x))``: crossentropy_softmax_1hot_with_bias with a zero bias."""
    return crossentropy_softmax_1hot_with_bias(x, zeros_like(x[0, :]), y_idx)


def crossentropy_softmax_max_and_argmax_1hot_with_bias(x, b, y_idx):
    """``(nll, softmax(x + b), max probability, argmax)`` of each row."""
    xent, sm = crossentropy_softmax_1hot_with_bias(x, b, y_idx)
    max_pr, argmax = max_and_argmax(sm, axis=-1)
    return xent, sm, max_pr, argmax


def crossentropy_softmax_max_and_argmax_1hot(x, y_idx):
    """crossentropy_softmax_max_and_argmax_1hot_with_bias with a zero bias."""
    return crossentropy_softmax_max_and_argmax_1hot_with_bias(x, zeros_like(x[0, :]), y_idx)


def _prepend(val, mat):
    out = np.empty((mat.shape[0], mat.shape[1] + 1), dtype=mat.dtype)
    out[:, 0] = val
    out[:, 1:] = mat
    return out


def _check_matrix(mat):
    mat = as_tensor_variable(mat)
    if mat.type.broadcastable != (False, False):
        raise TypeError("Expected a matrix as input")
    return mat


class Prepend_scalar_constant_to_each_row(Op):  # noqa: N801 (Theano 1.0's name)
    """The matrix with a first column of the constant ``val``."""

    # (Theano's __props__ is empty, so ops prepending different constants compare equal.)
    __props__ = ("val",)

    def __init__(self, val=0):
        self.val = val

    def __str__(self):
        # Theano 1.0 compat: a float constant prints as Constant{0.0}.
        val = "Constant{%s}" % self.val if isinstance(self.val, float) else self.val
        return "%s{%s}" % (type(self).__name__, val)

    def make_node(self, mat):
        mat = _check_matrix(mat)
        return Apply(self, [mat], [mat.type()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = _prepend(self.val, inputs[0])

    def infer_shape(self, fgraph, node, input_shapes):
        return [(input_shapes[0][0], input_shapes[0][1] + 1)]

    def grad(self, inputs, output_grads):
        return [output_grads[0][:, 1:]]


class Prepend_scalar_to_each_row(Op):  # noqa: N801 (Theano 1.0's name)
    """The matrix ``mat`` with a first column of the scalar ``val``."""

    __props__ = ()

    def make_node(self, val, mat):
        mat = _check_matrix(mat)
        val = as_tensor_variable(val)
        if val.ndim != 0:
            raise TypeError("The value to prepend must be a scalar, got %s" % val.type)
        return Apply(self, [val, mat], [mat.type()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = _prepend(*inputs)

    def infer_shape(self, fgraph, node, input_shapes):
        return [(input_shapes[1][0], input_shapes[1][1] + 1)]

    def grad(self, inputs, output_grads):
        # (Theano returns the column unsummed, which its grad rejects.)
        g, = output_grads
        return [tensor_sum(g[:, 0]).astype(inputs[0].dtype), g[:, 1:]]


prepend_scalar_to_each_row = Prepend_scalar_to_each_row()
prepend_0_to_each_row = Prepend_scalar_constant_to_each_row(0.0)
prepend_1_to_each_row = Prepend_scalar_constant_to_each_row(1.0)


def confusion_matrix(actual, pred):
    """``[conf_mat, order]``: ``conf_mat[i, j]`` counts the entries labelled ``order[i]`` in
    ``actual`` and ``order[j]`` in ``pred``; ``order`` the sorted labels seen in either."""
    actual, pred = as_tensor_variable(actual), as_tensor_variable(pred)
    if actual.ndim != 1:
        raise ValueError("actual must be 1-d tensor variable")
    if pred.ndim != 1:
        raise ValueError("pred must be 1-d tensor variable")
    order = Unique(False, False, False)(concatenate([actual, pred]))
    one_hot_a = eq(actual.dimshuffle(0, "x"), order).astype("int64")
    one_hot_p = eq(pred.dimshuffle(0, "x"), order).astype("int64")
    return [dot(one_hot_a.T, one_hot_p), order]


def h_softmax(x, batch_size, n_outputs, n_classes, n_outputs_per_class, W1, b1, W2, b2,
              target=None):
    """A two-level hierarchical softmax: the ``n_outputs`` outputs in ``n_classes`` classes
    of ``n_outputs_per_class``; ``p(output) = p(class) * p(output | class)``.

    x: (batch_size, n_in); W1 (n_in, n_classes), b1 (n_classes,) score the classes; W2
    (n_classes, n_in, n_outputs_per_class), b2 (n_classes, n_outputs_per_class) the outputs
    of each class. With ``target`` (batch_size integer labels), the probability of each
    row's target, shape (batch_size,); without, every output's: (batch_size, n_outputs).
    """
    x, W1, b1, W2, b2 = (as_tensor_variable(v) for v in (x, W1, b1, W2, b2))
    class_probs = softmax(dot(x, W1) + b1)
    if target is None:
        activations = tensordot(x, W2, (1, 1)) + b2  # (batch, classes, per class)
        output_probs = softmax(activations.reshape((-1, n_outputs_per_class)))
        output_probs = output_probs.reshape((batch_size, n_classes, -1))
        output_probs = (class_probs.dimshuffle(0, 1, "x") * output_probs).reshape(
            (batch_size, -1))
        # The last class may hold fewer than n_outputs_per_class real outputs.
        return output_probs[:, :n_outputs]
    target = as_tensor_variable(target).flatten()
    target_classes = target // n_outputs_per_class
    target_outputs_in_class = target % n_outputs_per_class
    rows = arange(batch_size)
    # Only the target's class's weights per row (Theano uses sparse_block_dot).
    activations = (x.dimshuffle(0, 1, "x") * W2[target_classes]).sum(axis=1) + \
        b2[target_classes]
    output_probs = softmax(activations)[rows, target_outputs_in_class]
    return class_probs[rows, target_classes] * output_probs


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
