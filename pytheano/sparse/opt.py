"""The sparse rewrites (Theano's ``theano.sparse.opt``), and the ops on raw csc/csr arrays
that Theano's C specialisations compute (here with numpy).

On by default: ``local_csm_properties_csm`` and ``local_dense_from_sparse_sparse_from_dense``
(a round trip is the identity), ``local_sparse_shape`` (a sparse matrix's shape without its
dense form), ``local_inplace_remove0``. Theano's C-only specialisations
(``local_mul_s_d``, ``local_mul_s_v``, ``local_structured_add_s_v``,
``local_sampling_dot_csr``) are registered with the tag 'cxx_only' only: a mode runs them
when it includes them by name.
"""
import numpy as np
import scipy.sparse

from pytheano import scalar
from pytheano import tensor as T
from pytheano._core.graph import Apply
from pytheano.graph.op import Op
from pytheano.graph.rewriting import (CANONICALIZE, INPLACE, SPECIALIZE, node_rewriter,
                                      register)
from pytheano.sparse.structure import (CSM, CSMGrad, CSMProperties, DenseFromSparse, Remove0,
                                   SparseFromDense, csm_properties)
from pytheano.sparse.dot import SamplingDot
from pytheano.sparse.math import MulSD, MulSV, StructuredAddSV
from pytheano.tensor.shape import Shape, Shape_i, make_vector


def _vectors(*values):
    return [T.as_tensor_variable(v) for v in values]


# ---------------------------------------------------------------------------- raw-array ops


class AddSD_ccode(Op):
    """``x + y`` for a sparse ``x`` of ``format`` given as (data, indices, indptr) and a
    dense matrix ``y``; ``inplace``: written into ``y``."""

    __props__ = ("format", "inplace")

    def __init__(self, format, inplace=False):
        self.format = format
        self.inplace = inplace
        if inplace:
            self.destroy_map = {0: [3]}

    def __str__(self):
        return "%s{%s}" % (type(self).__name__, "inplace" if self.inplace else "no_inplace")

    def make_node(self, x_data, x_indices, x_indptr, y):
        x_data, x_indices, x_indptr, y = _vectors(x_data, x_indices, x_indptr, y)
        if y.ndim != 2:
            raise TypeError("AddSD_ccode needs a dense matrix, got %s" % y.type)
        out_dtype = scalar.upcast(x_data.type.dtype, y.type.dtype)
        if self.inplace and out_dtype != y.dtype:
            raise NotImplementedError("inplace needs y of the output dtype")
        return Apply(self, [x_data, x_indices, x_indptr, y],
                     [T.TensorType(out_dtype, y.type.broadcastable)()])

    def perform(self, node, inputs, outputs):
        x_data, x_indices, x_indptr, y = inputs
        cls = scipy.sparse.csc_matrix if self.format == "csc" else scipy.sparse.csr_matrix
        x = cls((x_data, x_indices, x_indptr), shape=y.shape)
        if self.inplace:
            y += x.toarray().astype(y.dtype, copy=False)
            outputs[0][0] = y
        else:
            outputs[0][0] = np.asarray(x + y, dtype=node.outputs[0].dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[3]]


class StructuredDotCSC(Op):
    """``a . b`` for a csc ``a`` given as (data, indices, indptr, number of rows)."""

    __props__ = ()

    def make_node(self, a_val, a_ind, a_ptr, a_nrows, b):
        a_val, a_ind, a_ptr, a_nrows, b = _vectors(a_val, a_ind, a_ptr, a_nrows, b)
        dtype_out = scalar.upcast(a_val.type.dtype, b.type.dtype)
        return Apply(self, [a_val, a_ind, a_ptr, a_nrows, b],
                     [T.TensorType(dtype_out, (False, b.type.broadcastable[1]))()])

    def perform(self, node, inputs, outputs):
        a_val, a_ind, a_ptr, a_nrows, b = inputs
        a = scipy.sparse.csc_matrix((a_val, a_ind, a_ptr), (int(a_nrows), b.shape[0]),
                                    copy=False)
        outputs[0][0] = np.asarray(a @ b, dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [(node.inputs[3], shapes[4][1])]


sd_csc = StructuredDotCSC()


class StructuredDotCSR(Op):
    """``a . b`` for a csr ``a`` given as (data, indices, indptr)."""

    __props__ = ()

    def make_node(self, a_val, a_ind, a_ptr, b):
        a_val, a_ind, a_ptr, b = _vectors(a_val, a_ind, a_ptr, b)
        dtype_out = scalar.upcast(a_val.type.dtype, b.type.dtype)
        return Apply(self, [a_val, a_ind, a_ptr, b],
                     [T.TensorType(dtype_out, (False, b.type.broadcastable[1]))()])

    def perform(self, node, inputs, outputs):
        a_val, a_ind, a_ptr, b = inputs
        a = scipy.sparse.csr_matrix((a_val, a_ind, a_ptr), (len(a_ptr) - 1, b.shape[0]),
                                    copy=False)
        outputs[0][0] = np.asarray(a @ b, dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [(shapes[2][0] - 1, shapes[3][1])]


sd_csr = StructuredDotCSR()


class UsmmCscDense(Op):
    """``z + alpha * (x . y)`` for a csc ``x`` given as (data, indices, indptr, rows) and a
    dense ``y``; ``inplace``: written into ``z``."""

    __props__ = ("inplace",)

    def __init__(self, inplace):
        self.inplace = inplace
        if inplace:
            self.destroy_map = {0: [6]}

    def __str__(self):
        return "UsmmCscDense{%s}" % ("inplace" if self.inplace else "no_inplace")

    def make_node(self, alpha, x_val, x_ind, x_ptr, x_nrows, y, z):
        alpha, x_val, x_ind, x_ptr, x_nrows, y, z = _vectors(alpha, x_val, x_ind, x_ptr,
                                                             x_nrows, y, z)
        if alpha.type.broadcastable != (True, True) or x_val.ndim != 1 or y.ndim != 2 \
                or z.ndim != 2:
            raise TypeError("UsmmCscDense needs a (1, 1) alpha, a data vector and matrices "
                            "y and z")
        dtype_out = scalar.upcast(alpha.type.dtype, x_val.type.dtype, y.type.dtype,
                                  z.type.dtype)
        if dtype_out not in ("float32", "float64"):
            raise NotImplementedError("only float types are supported in operands")
        if self.inplace and dtype_out != z.dtype:
            raise NotImplementedError("inplace needs z of the output dtype")
        return Apply(self, [alpha, x_val, x_ind, x_ptr, x_nrows, y, z],
                     [T.TensorType(dtype_out, (False, y.type.broadcastable[1]))()])

    def perform(self, node, inputs, outputs):
        alpha, x_val, x_ind, x_ptr, x_nrows, y, z = inputs
        x = scipy.sparse.csc_matrix((x_val, x_ind, x_ptr), (int(x_nrows), y.shape[0]))
        prod = np.asarray(x @ y) * alpha[0, 0]
        if self.inplace:
            z += prod.astype(z.dtype, copy=False)
            outputs[0][0] = z
        else:
            outputs[0][0] = np.asarray(z + prod, dtype=node.outputs[0].dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[6]]


usmm_csc_dense = UsmmCscDense(inplace=False)
usmm_csc_dense_inplace = UsmmCscDense(inplace=True)


class CSMGradC(CSMGrad):
    """CSMGrad under the name of Theano's C version."""


csm_grad_c = CSMGradC()


class _DataOp(Op):
    """An op on a csc/csr matrix given as (data, indices, indptr) and a dense operand,
    returning the new data vector (the structure is unchanged)."""

    __props__ = ()
    _fmt = "csr"

    def make_node(self, a_data, a_indices, a_indptr, b):
        a_data, a_indices, a_indptr, b = _vectors(a_data, a_indices, a_indptr, b)
        self._check(b)
        dtype = scalar.upcast(a_data.dtype, b.dtype)
        return Apply(self, [a_data, a_indices, a_indptr, b], [T.TensorType(dtype, (False,))()])

    def perform(self, node, inputs, outputs):
        a_data, a_indices, a_indptr, b = inputs
        major = np.repeat(np.arange(len(a_indptr) - 1), np.diff(a_indptr))
        rows, cols = (major, a_indices) if self._fmt == "csr" else (a_indices, major)
        outputs[0][0] = np.asarray(self._values(a_data, rows, cols, b),
                                   dtype=node.outputs[0].dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]


class MulSDCSC(_DataOp):
    """The data of ``a * b``, ``a`` csc and ``b`` a dense matrix."""

    _fmt = "csc"

    def _check(self, b):
        if b.ndim != 2:
            raise TypeError("MulSDCSC needs a dense matrix, got %s" % b.type)

    def _values(self, data, rows, cols, b):
        return data * b[rows, cols]


class MulSDCSR(MulSDCSC):
    """The data of ``a * b``, ``a`` csr and ``b`` a dense matrix."""

    _fmt = "csr"


class MulSVCSR(_DataOp):
    """The data of ``a * b``, ``a`` csr and ``b`` a vector multiplying each row."""

    def _check(self, b):
        if b.ndim != 1:
            raise TypeError("MulSVCSR needs a vector, got %s" % b.type)

    def _values(self, data, rows, cols, b):
        return data * b[cols]


class StructuredAddSVCSR(MulSVCSR):
    """The data of ``a + b`` on ``a``'s stored entries, ``a`` csr, ``b`` a vector."""

    def _values(self, data, rows, cols, b):
        return data + b[cols]


mul_s_d_csc = MulSDCSC()
mul_s_d_csr = MulSDCSR()
mul_s_v_csr = MulSVCSR()
structured_add_s_v_csr = StructuredAddSVCSR()


class SamplingDotCSR(Op):
    """SamplingDot for a csr pattern given as (data, indices, indptr, columns): returns the
    (data, indices, indptr) of ``(x . y.T) * p``."""

    __props__ = ()

    def make_node(self, x, y, p_data, p_ind, p_ptr, p_ncols):
        x, y, p_data, p_ind, p_ptr, p_ncols = _vectors(x, y, p_data, p_ind, p_ptr, p_ncols)
        dtype = scalar.upcast(x.dtype, y.dtype, p_data.dtype)
        return Apply(self, [x, y, p_data, p_ind, p_ptr, p_ncols],
                     [T.TensorType(dtype, (False,))(), T.ivector(), T.ivector()])

    def perform(self, node, inputs, outputs):
        x, y, p_data, p_ind, p_ptr, p_ncols = inputs
        rows = np.repeat(np.arange(len(p_ptr) - 1), np.diff(p_ptr))
        values = np.einsum("ij,ij->i", x[rows], y[p_ind]) if len(rows) else np.zeros(0)
        outputs[0][0] = np.asarray(p_data * values, dtype=node.outputs[0].dtype)
        outputs[1][0] = np.asarray(p_ind, dtype="int32")
        outputs[2][0] = np.asarray(p_ptr, dtype="int32")

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[2], shapes[3], shapes[4]]


sampling_dot_csr = SamplingDotCSR()


# ---------------------------------------------------------------------------- rewrites


@register(SPECIALIZE, "fast_run")
@node_rewriter([CSMProperties])
def local_csm_properties_csm(fgraph, node):
    "csm_properties(CSM(data, indices, indptr, shape)) -> (data, indices, indptr, shape)"
    csm = node.inputs[0].owner
    if csm is None or not isinstance(csm.op, CSM):
        return None
    if any(old.type != new.type for old, new in zip(node.outputs, csm.inputs)):
        return None
    return list(csm.inputs)


@register(CANONICALIZE, "fast_run", "fast_compile")
@node_rewriter([Shape, Shape_i])
def local_sparse_shape(fgraph, node):
    "Shape(dense_from_sparse(x)) -> MakeVector(Shape_i{0}(x), Shape_i{1}(x))"
    # ``x.shape`` of a sparse x is written Shape(dense_from_sparse(x)), as in Theano: this
    # keeps the dense matrix from ever being built.
    inner = node.inputs[0].owner
    if inner is None or not isinstance(inner.op, DenseFromSparse):
        return None
    x = inner.inputs[0]
    if isinstance(node.op, Shape_i):
        return [Shape_i(node.op.i)(x)]
    return [make_vector(Shape_i(0)(x), Shape_i(1)(x))]


@register(INPLACE, "fast_run", "inplace")
@node_rewriter([Remove0])
def local_inplace_remove0(fgraph, node):
    "Remove0(x) -> Remove0{inplace}(x)"
    if node.op.inplace:
        return None
    return [Remove0(inplace=True)(node.inputs[0])]


@register(CANONICALIZE, "fast_run", "fast_compile")
@node_rewriter([DenseFromSparse])
def local_dense_from_sparse_sparse_from_dense(fgraph, node):
    "dense_from_sparse(SparseFromDense(x)) -> x (x a matrix)"
    inner = node.inputs[0].owner
    if inner is None or not isinstance(inner.op, SparseFromDense):
        return None
    x = inner.inputs[0]
    if x.type != node.outputs[0].type:
        return None
    return [x]


def _to_raw_data_op(fgraph, node):
    """op(x, y) -> CSM(raw_op(data, indices, indptr, y), indices, indptr, shape), raw_op the
    op of _RAW_OPS for op's class and x's format."""
    x, y = node.inputs
    raw = _RAW_OPS.get((type(node.op), x.type.format))
    if raw is None or (isinstance(node.op, MulSD) and y.ndim != 2):
        return None
    data, indices, indptr, shape = csm_properties(x)
    new_data = raw(data, indices, indptr, y)
    if new_data.dtype != node.outputs[0].dtype:
        new_data = T.cast(new_data, node.outputs[0].dtype)
    return [CSM(x.type.format)(new_data, indices, indptr, shape)]


_RAW_OPS = {(MulSD, "csc"): mul_s_d_csc, (MulSD, "csr"): mul_s_d_csr,
            (MulSV, "csr"): mul_s_v_csr, (StructuredAddSV, "csr"): structured_add_s_v_csr}


@register(SPECIALIZE, "cxx_only")
@node_rewriter([MulSD])
def local_mul_s_d(fgraph, node):
    "mul_s_d(x, y) -> CSM(mul_s_d_csx(data(x), indices, indptr, y), indices, indptr, shape)"
    return _to_raw_data_op(fgraph, node)


@register(SPECIALIZE, "cxx_only")
@node_rewriter([MulSV])
def local_mul_s_v(fgraph, node):
    "mul_s_v(x, y) -> CSM(mul_s_v_csr(data(x), indices, indptr, y), indices, indptr, shape)"
    return _to_raw_data_op(fgraph, node)


@register(SPECIALIZE, "cxx_only")
@node_rewriter([StructuredAddSV])
def local_structured_add_s_v(fgraph, node):
    "structured_add_s_v(x, y) -> CSM(structured_add_s_v_csr(data(x), ...), ...)"
    return _to_raw_data_op(fgraph, node)


@register(SPECIALIZE, "cxx_only")
@node_rewriter([SamplingDot])
def local_sampling_dot_csr(fgraph, node):
    "sampling_dot(x, y, p) -> CSR(*sampling_dot_csr(x, y, data(p), indices, indptr, cols))"
    x, y, p = node.inputs
    if p.type.format != "csr":
        return None
    p_data, p_ind, p_ptr, p_shape = csm_properties(p)
    z_data, z_ind, z_ptr = sampling_dot_csr(x, y, p_data, p_ind, p_ptr, p_shape[1])
    if z_data.dtype != node.outputs[0].dtype:
        z_data = T.cast(z_data, node.outputs[0].dtype)
    return [CSM("csr")(z_data, z_ind, z_ptr, p_shape)]
