"""Sparse products: structured_dot (the gradient keeps the sparse operand's structure), dot
(the full gradient), true_dot (sparse result), sampling_dot (a dense product read only at a
sparse pattern), usmm (z + alpha * x . y)."""
import numpy as np
import scipy.sparse

from pytheano import scalar
from pytheano import tensor as T
from pytheano._core.graph import Apply, Variable
from pytheano.graph.grad_types import grad_not_implemented
from pytheano.graph.op import Op
from pytheano.sparse.structure import (
    CSC, CSR, _compressed, _is_dense_variable, _is_sparse, _is_sparse_variable, csm_indices,
    csm_indptr, csm_shape, dense_from_sparse, transpose)
from pytheano.sparse.type import SparseType, as_sparse_variable


def _maybe_sparse(x):
    """A scipy.sparse value as a sparse constant (csr or csc), anything else unchanged."""
    if hasattr(x, "getnnz"):
        return _compressed(x)
    return x


class TrueDot(Op):
    """``x . y`` with ``x`` sparse: a sparse result (csc, or csr for a csr ``x``).
    ``grad_preserves_dense``: the gradient of a dense ``y`` is dense."""

    __props__ = ()

    def __init__(self, grad_preserves_dense=True):
        self.grad_preserves_dense = grad_preserves_dense

    def make_node(self, x, y):
        if not _is_sparse_variable(x):
            raise TypeError(x)
        if x.type.dtype != y.type.dtype:
            raise NotImplementedError("TrueDot needs one dtype, got %s and %s"
                                      % (x.type.dtype, y.type.dtype))
        if x.type.format in ("csc", "coo"):
            fmt = "csc"
        elif x.type.format == "csr":
            fmt = "csr"
        else:
            raise NotImplementedError("TrueDot of a %s matrix" % x.type.format)
        return Apply(self, [x, y], [SparseType(dtype=x.type.dtype, format=fmt)()])

    def perform(self, node, inputs, outputs):
        x, y = inputs
        rval = x.dot(y)
        outputs[0][0] = SparseType.format_cls[node.outputs[0].type.format](
            rval, dtype=node.outputs[0].dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [(shapes[0][0], shapes[1][1])]

    def grad(self, inputs, gout):
        x, y = inputs
        (gz,) = gout
        rval = [true_dot(gz, y.T), true_dot(x.T, gz)]
        if _is_dense_variable(y) and self.grad_preserves_dense:
            rval[1] = dense_from_sparse(rval[1])
        return rval


def true_dot(x, y, grad_preserves_dense=True):
    """``x . y`` as a sparse matrix; one of them must be sparse."""
    x, y = _maybe_sparse(x), _maybe_sparse(y)
    xs, ys = _is_sparse_variable(x), _is_sparse_variable(y)
    if not (xs or ys):
        raise TypeError("true_dot needs at least one sparse operand")
    if xs:
        return TrueDot(grad_preserves_dense)(x, y)
    return transpose(TrueDot(grad_preserves_dense)(y.T, x.T))


class StructuredDot(Op):
    """``a . b`` with ``a`` sparse; ``b`` dense (a dense result) or sparse (sparse). The
    gradient of ``a`` is only computed at ``a``'s stored entries."""

    __props__ = ()

    def make_node(self, a, b):
        a = as_sparse_variable(a)
        if a.format not in ("csr", "csc", "bsr"):
            raise NotImplementedError("StructuredDot of a %s matrix" % a.format)
        if b.type.ndim != 2:
            raise NotImplementedError("non-matrix b")
        dtype_out = scalar.upcast(a.type.dtype, b.type.dtype)
        if _is_sparse_variable(b):
            return Apply(self, [a, b], [SparseType(a.type.format, dtype_out)()])
        return Apply(self, [a, b], [T.TensorType(dtype_out,
                                                 (False, b.type.broadcastable[1]))()])

    def perform(self, node, inputs, outputs):
        a, b = inputs
        if a.shape[1] != b.shape[0]:
            raise ValueError("shape mismatch in StructuredDot.perform", (a.shape, b.shape))
        result = a @ b
        out_type = node.outputs[0].type
        if isinstance(out_type, SparseType):
            outputs[0][0] = SparseType.format_cls[out_type.format](result, dtype=out_type.dtype)
        else:
            outputs[0][0] = np.asarray(result, dtype=out_type.dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [(shapes[0][0], shapes[1][1])]

    def grad(self, inputs, gout):
        a, b = inputs
        (g_out,) = gout
        return [structured_dot_grad(a, b, g_out), structured_dot(a.T, g_out)]


_structured_dot = StructuredDot()


def structured_dot(x, y):
    """``x . y`` with at least one sparse operand; the gradient of the sparse one keeps its
    structure."""
    x, y = _maybe_sparse(x), _maybe_sparse(y)
    xs, ys = _is_sparse_variable(x), _is_sparse_variable(y)
    if not (xs or ys):
        raise TypeError("structured_dot requires at least one sparse argument")
    if xs:
        return _structured_dot(x, y)
    return _structured_dot(y.T, x.T).T


class _StructuredDotGrad(Op):
    """The data of the gradient of ``a`` in ``a . b``: at each stored (i, j) of ``a``,
    ``g_ab[i] . b[j]``. Subclasses say whether ``a`` is csc or csr."""

    __props__ = ()
    _csr = None

    def make_node(self, a_indices, a_indptr, b, g_ab):
        a_indices, a_indptr = T.as_tensor_variable(a_indices), T.as_tensor_variable(a_indptr)
        g_ab = T.as_tensor_variable(g_ab)
        if not isinstance(b, Variable):
            b = T.as_tensor_variable(b)
        if a_indices.ndim != 1 or a_indptr.ndim != 1:
            raise TypeError("indices and indptr must be vectors")
        dtype = (b.type.dtype if self._csr else g_ab.dtype)
        return Apply(self, [a_indices, a_indptr, b, g_ab], [T.TensorType(dtype, (False,))()])

    def perform(self, node, inputs, outputs):
        a_indices, a_indptr, b, g_ab = inputs
        major = np.repeat(np.arange(len(a_indptr) - 1), np.diff(a_indptr))
        rows, cols = (major, a_indices) if self._csr else (a_indices, major)
        if scipy.sparse.issparse(b):
            b = b.toarray()
        if scipy.sparse.issparse(g_ab):
            g_ab = g_ab.toarray()
        values = np.einsum("ij,ij->i", g_ab[rows], b[cols]) if len(rows) else np.zeros(0)
        outputs[0][0] = values.astype(node.outputs[0].dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]


class StructuredDotGradCSC(_StructuredDotGrad):
    """The gradient data of a csc ``a`` in ``a . b``."""

    _csr = False


class StructuredDotGradCSR(_StructuredDotGrad):
    """The gradient data of a csr ``a`` in ``a . b``."""

    _csr = True


sdg_csc = StructuredDotGradCSC()
sdg_csr = StructuredDotGradCSR()


def structured_dot_grad(sparse_A, dense_B, ga):
    """The gradient of ``sparse_A`` in ``structured_dot(sparse_A, dense_B)`` given ``ga``:
    a sparse matrix with sparse_A's structure."""
    if sparse_A.type.format not in ("csc", "csr"):
        raise NotImplementedError("structured_dot_grad of a %s matrix" % sparse_A.type.format)
    sdg, cs = (sdg_csc, CSC) if sparse_A.type.format == "csc" else (sdg_csr, CSR)
    indices, indptr = csm_indices(sparse_A), csm_indptr(sparse_A)
    g_data = sdg(indices, indptr, dense_B, ga)
    return cs(g_data, indices, indptr, csm_shape(sparse_A))


class SamplingDot(Op):
    """``(x . y.T) * p`` with ``p`` sparse: the dense product computed at ``p``'s
    pattern."""

    __props__ = ()

    def make_node(self, x, y, p):
        x, y = T.as_tensor_variable(x), T.as_tensor_variable(y)
        p = _compressed(p)
        return Apply(self, [x, y, p], [p.type()])

    def perform(self, node, inputs, outputs):
        x, y, p = inputs
        if _is_sparse(x) or _is_sparse(y):
            raise TypeError("SamplingDot needs dense x and y")
        coo = p.tocoo()
        values = np.einsum("ij,ij->i", x[coo.row], y[coo.col]) if coo.nnz else np.zeros(0)
        out = scipy.sparse.coo_matrix((coo.data * values, (coo.row, coo.col)), shape=p.shape)
        outputs[0][0] = SparseType.format_cls[p.format](out, dtype=node.outputs[0].dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[2]]

    def grad(self, inputs, gout):
        x, y, p = inputs
        (gz,) = gout
        return [dot(p * gz, y), dot((p * gz).T, x), grad_not_implemented(self, 2, p)]


sampling_dot = SamplingDot()


def _dot_broadcastable(x, y):
    bx = (False,) * x.ndim if _is_sparse_variable(x) else x.type.broadcastable
    by = (False,) * y.ndim if _is_sparse_variable(y) else y.type.broadcastable
    return bx[:-1] + by[1:]


class Dot(Op):
    """``x . y`` with at least one sparse operand and a dense result; the dense operand
    may be a vector."""

    __props__ = ()

    def __str__(self):
        return "Sparse" + type(self).__name__

    def make_node(self, x, y):
        x, y = _maybe_sparse(x), _maybe_sparse(y)
        xs, ys = _is_sparse_variable(x), _is_sparse_variable(y)
        if not (xs or ys):
            raise TypeError("Sparse dot product should have at least one sparse variable as "
                            "inputs, but the inputs are %s (%s) and %s (%s)."
                            % (x, x.type, y, y.type))
        for i, v in enumerate((x, y)):
            if not _is_sparse_variable(v) and v.ndim not in (1, 2):
                raise TypeError("theano.sparse.Dot: input %d (0-indexed) must have ndim of 1 "
                                "or 2, %d given." % (i, v.ndim))
        if not xs:
            x = T.as_tensor_variable(x)
        if not ys:
            y = T.as_tensor_variable(y)
        dtype_out = scalar.upcast(x.dtype, y.dtype)
        return Apply(self, [x, y], [T.TensorType(dtype_out, _dot_broadcastable(x, y))()])

    def perform(self, node, inputs, outputs):
        x, y = inputs
        if not (_is_sparse(x) or _is_sparse(y)):
            raise TypeError(x)
        rval = x @ y
        if scipy.sparse.issparse(rval):
            rval = rval.toarray()
        outputs[0][0] = np.asarray(rval, dtype=node.outputs[0].dtype)

    def infer_shape(self, fgraph, node, shapes):
        xshp, yshp = shapes
        return [tuple(xshp[:-1]) + tuple(yshp[1:])]

    def grad(self, inputs, gout):
        x, y = inputs
        (gz,) = gout
        gx = T.dot(gz, y.T) if _is_dense_variable(y) else dot(gz, y.T)
        gy = T.dot(x.T, gz) if _is_dense_variable(x) else dot(x.T, gz)
        return [gx, gy]


_dot = Dot()


def dot(x, y):
    """``x . y`` with at least one sparse operand, dense result; the gradient is the full
    one (unlike structured_dot's)."""
    x, y = _maybe_sparse(x), _maybe_sparse(y)
    if not (_is_sparse_variable(x) or _is_sparse_variable(y)):
        raise TypeError("sparse.dot needs at least one sparse operand")
    return _dot(x, y)


class Usmm(Op):
    """``z + alpha * (x . y)``, ``x`` or ``y`` sparse, ``alpha`` a broadcastable scalar:
    a dense matrix."""

    __props__ = ()

    def __str__(self):
        return "Usmm{no_inplace}"

    def make_node(self, alpha, x, y, z):
        if not (_is_sparse_variable(x) or _is_sparse_variable(y)):
            raise TypeError(x)
        alpha, z = T.as_tensor_variable(alpha), T.as_tensor_variable(z)
        if z.ndim != 2:
            raise TypeError("Usmm needs a dense matrix z, got %s" % z.type)
        if alpha.type.broadcastable != (True,) * alpha.ndim:
            raise TypeError("Usmm needs a scalar alpha, got %s" % alpha.type)
        if not _is_sparse_variable(x):
            x = T.as_tensor_variable(x)
        if not _is_sparse_variable(y):
            y = T.as_tensor_variable(y)
        dtype_out = scalar.upcast(alpha.type.dtype, x.type.dtype, y.type.dtype, z.type.dtype)
        return Apply(self, [alpha, x, y, z], [T.TensorType(dtype_out, (False, False))()])

    def perform(self, node, inputs, outputs):
        alpha, x, y, z = inputs
        rval = x @ y
        if scipy.sparse.issparse(rval):
            rval = rval.toarray()
        outputs[0][0] = np.asarray(np.asarray(rval) * alpha + z, dtype=node.outputs[0].dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[3]]


usmm = Usmm()
