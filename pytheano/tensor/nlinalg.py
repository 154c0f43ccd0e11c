"""Linear algebra with numpy.linalg (Theano's ``theano.tensor.nlinalg``): inverse (MatrixInverse),
pseudo-inverse (MatrixPinv), determinant (Det), eigensystems (Eig, Eigh), QR (QRFull,
QRIncomplete), SVD, diagonals (ExtractDiag, AllocDiag, ``diag``, ``trace``), ``matrix_dot``,
``matrix_power``, ``norm``, ``tensorinv``, ``tensorsolve``.

Decompositions and inverses need float inputs: an integer matrix is refused (TypeError) rather
than have its result truncated to integers.
"""
import numpy as np

from pytheano._core.graph import Apply
from pytheano.graph.op import Op
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.type import TensorType
from pytheano.graph.grad_types import DisconnectedType, grad_not_implemented
from pytheano.tensor.blas import dot
from pytheano.tensor.creation import arange, identity_like, zeros_like
from pytheano.tensor.math import clip, minimum
from pytheano.tensor import reduction
from pytheano.tensor.subtensor import set_subtensor

__all__ = ["MatrixPinv", "pinv", "MatrixInverse", "matrix_inverse", "matrix_dot",
           "ExtractDiag", "AllocDiag", "diagonal", "tensor_diag", "alloc_diag", "extract_diag",
           "diag", "trace", "Det", "det", "Eig", "eig", "Eigh", "EighGrad", "eigh", "QRFull",
           "QRIncomplete", "qr", "SVD", "svd", "matrix_power", "norm", "TensorInv", "tensorinv",
           "TensorSolve", "tensorsolve", "lstsq"]





def _matrix(dtype):
    return TensorType(dtype, (False, False))()


def _vector(dtype):
    return TensorType(dtype, (False,))()


def _as_float_matrix(x, op_name):
    """``x`` as a tensor variable, checked to be a float matrix."""
    x = as_tensor_variable(x)
    if x.ndim != 2:
        raise TypeError("%s needs a matrix (2 dimensions), got a %d-d tensor %s; reshape it to "
                        "2 dimensions first" % (op_name, x.ndim, x.type))
    if x.type.dtype not in scal.float_types + scal.complex_types:
        raise TypeError("%s needs a float matrix, got dtype %s; cast it first, e.g. "
                        "T.cast(x, 'float64')" % (op_name, x.type.dtype))
    return x


def _zero_disconnected(outputs, grads):
    return [o.zeros_like() if isinstance(g.type, DisconnectedType) else g
            for o, g in zip(outputs, grads)]


# --------------------------------------------------------------------------- inverses

class MatrixPinv(Op):
    """The Moore-Penrose pseudo-inverse of a matrix (``numpy.linalg.pinv``); works for
    non-square matrices. ``MatrixPinv``."""

    __props__ = ()

    def make_node(self, x):
        x = _as_float_matrix(x, "MatrixPinv")
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        x, = inputs
        output_storage[0][0] = np.asarray(np.linalg.pinv(x), dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        m, n = input_shapes[0]
        return [(n, m)]

    def L_op(self, inputs, outputs, output_grads):
        # d(X+): (-X+ V^T X+ + X+ X+^T V (I - X X+) + (I - X+ X) V X+^T X+)^T (Wikipedia).
        x, = inputs
        z, = outputs
        gz, = output_grads
        x_dot_z = dot(x, z)
        z_dot_x = dot(z, x)
        grad = (-matrix_dot(z, gz.T, z)
                + matrix_dot(z, z.T, gz, identity_like(x_dot_z) - x_dot_z)
                + matrix_dot(identity_like(z_dot_x) - z_dot_x, gz, z.T, z)).T
        return [grad]


pinv = MatrixPinv()


class MatrixInverse(Op):
    """The inverse of a square matrix (``numpy.linalg.inv``). ``MatrixInverse``."""

    __props__ = ()

    def make_node(self, x):
        x = _as_float_matrix(x, "MatrixInverse")
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        x, = inputs
        output_storage[0][0] = np.asarray(np.linalg.inv(x), dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]

    def grad(self, inputs, output_grads):
        # V d(X^-1)/dX = -(X^-1 V^T X^-1)^T
        x, = inputs
        xi = self(x)
        gz, = output_grads
        return [-matrix_dot(xi, gz.T, xi).T]

    def R_op(self, inputs, eval_points):
        # d(X^-1)/dX V = -X^-1 V X^-1
        x, = inputs
        ev, = eval_points
        if ev is None:
            return [None]
        xi = self(x)
        return [-matrix_dot(xi, ev, xi)]


matrix_inverse = MatrixInverse()


def matrix_dot(*args):
    """The matrix product ``args[0] . args[1] . ... . args[-1]``."""
    if not args:
        raise TypeError("matrix_dot needs at least one argument")
    rval = args[0]
    for a in args[1:]:
        rval = dot(rval, a)
    return rval


# --------------------------------------------------------------------------- diagonals

class ExtractDiag(Op):
    """The diagonal ``offset`` of the 2-d sub-arrays on axes ``axis1``, ``axis2``
    (``numpy.diagonal``); the diagonal becomes the last axis.
    ``ExtractDiag{offset=0, axis1=0, axis2=1, view=False}``."""

    __props__ = ("offset", "axis1", "axis2", "view")

    def __init__(self, offset=0, axis1=0, axis2=1, view=False):
        self.offset = int(offset)
        self.axis1 = int(axis1)
        self.axis2 = int(axis2)
        self.view = bool(view)
        if self.view:
            self.view_map = {0: [0]}

    def make_node(self, x):
        x = as_tensor_variable(x)
        if x.ndim < 2:
            raise ValueError("ExtractDiag needs an input with 2 or more dimensions, got %s; "
                             "use AllocDiag (T.diag) to build a matrix from a vector" % x.type)
        for ax in (self.axis1, self.axis2):
            if not -x.ndim <= ax < x.ndim:
                raise ValueError("ExtractDiag: axis %d is out of bounds for a %d-d input"
                                 % (ax, x.ndim))
        if self.axis1 % x.ndim == self.axis2 % x.ndim:
            raise ValueError("ExtractDiag: axis1 and axis2 cannot be the same (%d)" % self.axis1)
        return Apply(self, [x], [TensorType(x.type.dtype, (False,) * (x.ndim - 1))()])

    def perform(self, node, inputs, output_storage):
        x, = inputs
        z = x.diagonal(self.offset, self.axis1, self.axis2)
        if not self.view:
            z = z.copy()
        output_storage[0][0] = z

    def infer_shape(self, fgraph, node, input_shapes):
        shp, = input_shapes
        nd = len(shp)
        a1, a2 = self.axis1 % nd, self.axis2 % nd
        dim1, dim2 = shp[a1], shp[a2]
        out = [d for i, d in enumerate(shp) if i not in (a1, a2)]
        if self.offset > 0:
            size = clip(dim2 - self.offset, 0, dim1)
        elif self.offset < 0:
            size = clip(dim1 + self.offset, 0, dim2)
        else:
            size = minimum(dim1, dim2)
        out.append(size)
        return [tuple(out)]

    def grad(self, inputs, output_grads):
        x, = inputs
        gz, = output_grads
        if x.ndim != 2:
            return [grad_not_implemented(
                self, 0, x, "the gradient of ExtractDiag is only implemented for matrices")]
        idx = arange(gz.shape[0])
        rows = idx + max(0, -self.offset)
        cols = idx + max(0, self.offset)
        if self.axis1 % 2 > self.axis2 % 2:
            rows, cols = cols, rows
        return [set_subtensor(zeros_like(x, dtype=gz.dtype)[rows, cols], gz)]


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The diagonal(s) of ``a`` (``numpy.diagonal``), ``a.ndim >= 2``."""
    return ExtractDiag(offset, axis1, axis2)(a)


class AllocDiag(Op):
    """A tensor with ``x``'s last axis on diagonal ``offset`` of axes ``axis1``, ``axis2``,
    zeros elsewhere (the inverse of ExtractDiag): ``AllocDiag{offset=0, axis1=0, axis2=1}``."""

    __props__ = ("offset", "axis1", "axis2")

    def __init__(self, offset=0, axis1=0, axis2=1):
        self.offset = int(offset)
        self.axis1 = int(axis1)
        self.axis2 = int(axis2)

    def make_node(self, diag):
        diag = as_tensor_variable(diag)
        if diag.ndim < 1:
            raise ValueError("AllocDiag needs an input with 1 or more dimensions, got %s"
                             % diag.type)
        nd = diag.ndim + 1
        for ax in (self.axis1, self.axis2):
            if not 0 <= ax < nd:
                raise ValueError("AllocDiag: axis %d is out of bounds for a %d-d output"
                                 % (ax, nd))
        if self.axis1 == self.axis2:
            raise ValueError("AllocDiag: axis1 and axis2 cannot be the same (%d)" % self.axis1)
        return Apply(self, [diag], [TensorType(diag.type.dtype, (False,) * nd)()])

    def perform(self, node, inputs, output_storage):
        x, = inputs
        a1, a2 = min(self.axis1, self.axis2), max(self.axis1, self.axis2)
        offset = self.offset
        n = x.shape[-1] + abs(offset)
        result = np.zeros(x.shape[:-1] + (n, n), dtype=node.outputs[0].type.dtype)
        idx = np.arange(x.shape[-1])
        rows, cols = idx + max(0, -offset), idx + max(0, offset)
        if self.axis1 > self.axis2:
            rows, cols = cols, rows
        result[..., rows, cols] = x
        if x.ndim > 1:
            # Move the two last axes to a1, a2.
            rest = list(range(x.ndim - 1))
            axes = rest[:a1] + [x.ndim - 1] + rest[a1:]
            axes = axes[:a2] + [x.ndim] + axes[a2:]
            result = result.transpose(axes)
        output_storage[0][0] = result

    def infer_shape(self, fgraph, node, input_shapes):
        shp, = input_shapes
        a1, a2 = min(self.axis1, self.axis2), max(self.axis1, self.axis2)
        n = shp[-1] + abs(self.offset)
        out = list(shp[:-1])
        out = out[:a1] + [n] + out[a1:]
        out = out[:a2] + [n] + out[a2:]
        return [tuple(out)]

    def grad(self, inputs, output_grads):
        gz, = output_grads
        return [diagonal(gz, offset=self.offset, axis1=self.axis1, axis2=self.axis2)]


def tensor_diag(v, k=0):
    """``theano.tensor.diag``: a vector ``v`` gives the matrix with ``v`` on its ``k``-th
    diagonal (AllocDiag); a tensor with ``ndim >= 2`` gives its ``k``-th diagonal
    (ExtractDiag)."""
    v = as_tensor_variable(v)
    if v.ndim == 1:
        return AllocDiag(k)(v)
    if v.ndim >= 2:
        return diagonal(v, offset=k)
    raise ValueError("diag: input must have ndim >= 1, got a scalar %s" % v.type)


class _VectorAllocDiag(AllocDiag):
    """Theano's ``nlinalg.AllocDiag``: a vector onto the main diagonal of a square matrix.
    Prints ``AllocDiag``."""

    def __init__(self):
        super().__init__(0, 0, 1)

    def __str__(self):
        return "AllocDiag"

    def make_node(self, x):
        x = as_tensor_variable(x)
        if x.ndim != 1:
            raise TypeError("AllocDiag only works on vectors, got %s" % x.type)
        return super().make_node(x)

    def grad(self, inputs, output_grads):
        return [extract_diag(output_grads[0])]


alloc_diag = _VectorAllocDiag()
extract_diag = ExtractDiag()


def diag(x):
    """``nlinalg.diag``: a matrix gives its diagonal, a vector the square matrix with it on
    the diagonal (numpy's ``k`` is not supported here: use ``T.diag(v, k)``)."""
    xx = as_tensor_variable(x)
    if xx.ndim == 1:
        return alloc_diag(xx)
    if xx.ndim == 2:
        return extract_diag(xx)
    raise TypeError("diag requires a vector or matrix argument, got %s" % xx.type)


def trace(X):
    """The sum of the diagonal elements of matrix ``X``."""
    X = as_tensor_variable(X)
    if X.ndim != 2:
        raise TypeError("trace needs a matrix, got %s" % X.type)
    return extract_diag(X).sum()


# --------------------------------------------------------------------------- determinant

class Det(Op):
    """The determinant of a square matrix (``numpy.linalg.det``), a scalar of the input's
    dtype. ``Det``."""

    __props__ = ()

    def make_node(self, x):
        x = _as_float_matrix(x, "Det")
        return Apply(self, [x], [TensorType(x.type.dtype, ())()])

    def perform(self, node, inputs, output_storage):
        x, = inputs
        output_storage[0][0] = np.asarray(np.linalg.det(x), dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        return [()]

    def grad(self, inputs, output_grads):
        gz, = output_grads
        x, = inputs
        return [gz * self(x) * matrix_inverse(x).T]


det = Det()


# --------------------------------------------------------------------------- eigensystems

class Eig(Op):
    """Eigenvalues and right eigenvectors of a square matrix (``numpy.linalg.eig``): outputs
    ``w`` (vector) and ``v`` (matrix). Real outputs only: a matrix with complex eigenvalues
    raises ValueError at run time."""

    __props__ = ()

    def make_node(self, x):
        x = _as_float_matrix(x, type(self).__name__)
        return Apply(self, [x], [_vector(x.type.dtype), _matrix(x.type.dtype)])

    def perform(self, node, inputs, output_storage):
        x, = inputs
        w, v = np.linalg.eig(x)
        if np.iscomplexobj(w) and node.outputs[0].type.dtype not in scal.complex_types:
            if np.any(w.imag != 0):
                raise ValueError("Eig: this matrix has complex eigenvalues, which a real output "
                                 "cannot hold; use eigh for symmetric matrices")
            w, v = w.real, v.real
        output_storage[0][0] = np.asarray(w, dtype=node.outputs[0].type.dtype)
        output_storage[1][0] = np.asarray(v, dtype=node.outputs[1].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        n = input_shapes[0][0]
        return [(n,), (n, n)]


eig = Eig()


class Eigh(Eig):
    """Eigenvalues (ascending) and eigenvectors of a symmetric / Hermitian matrix
    (``numpy.linalg.eigh``), reading the ``UPLO`` ('L' or 'U') triangle: ``Eigh{UPLO='L'}``."""

    __props__ = ("UPLO",)

    def __init__(self, UPLO="L"):
        if UPLO not in ("L", "U"):
            raise ValueError("Eigh: UPLO must be 'L' or 'U', got %r" % (UPLO,))
        self.UPLO = UPLO

    def make_node(self, x):
        x = _as_float_matrix(x, "Eigh")
        w_dtype = np.linalg.eigh(np.ones((1, 1), dtype=x.type.dtype))[0].dtype.name
        return Apply(self, [x], [_vector(w_dtype), _matrix(x.type.dtype)])

    def perform(self, node, inputs, output_storage):
        x, = inputs
        w, v = np.linalg.eigh(x, self.UPLO)
        output_storage[0][0] = np.asarray(w, dtype=node.outputs[0].type.dtype)
        output_storage[1][0] = np.asarray(v, dtype=node.outputs[1].type.dtype)

    def grad(self, inputs, output_grads):
        # dw_n/da_ij = v_in v_jn ; dv_kn/da_ij = sum_{m != n} v_km v_jn / (w_n - w_m)
        x, = inputs
        w, v = self(x)
        gw, gv = _zero_disconnected([w, v], output_grads)
        return [EighGrad(self.UPLO)(x, w, v, gw, gv)]


def eigh(a, UPLO="L"):
    """Eigenvalues and eigenvectors of a symmetric matrix: ``w, v = eigh(a)``."""
    return Eigh(UPLO)(a)


class EighGrad(Op):
    """The gradient of Eigh with respect to its input: ``EighGrad{UPLO='L'}(x, w, v, gw,
    gv)``. Only the ``UPLO`` triangle of ``x`` is read by Eigh, so the gradient is zero on
    the other one (its contribution is folded into the read triangle)."""

    __props__ = ("UPLO",)

    def __init__(self, UPLO="L"):
        if UPLO not in ("L", "U"):
            raise ValueError("EighGrad: UPLO must be 'L' or 'U', got %r" % (UPLO,))
        self.UPLO = UPLO

    def make_node(self, x, w, v, gw, gv):
        x, w, v, gw, gv = map(as_tensor_variable, (x, w, v, gw, gv))
        for var, nd, name in ((x, 2, "x"), (w, 1, "w"), (v, 2, "v"), (gw, 1, "gw"),
                              (gv, 2, "gv")):
            if var.ndim != nd:
                raise TypeError("EighGrad: %s must have %d dimensions, got %s"
                                % (name, nd, var.type))
        out_dtype = scal.upcast(x.dtype, w.dtype, v.dtype, gw.dtype, gv.dtype)
        return Apply(self, [x, w, v, gw, gv], [_matrix(out_dtype)])

    def perform(self, node, inputs, output_storage):
        x, w, v, W, V = inputs
        n = x.shape[0]
        diff = w[None, :] - w[:, None]  # diff[m, n] = w_n - w_m
        np.fill_diagonal(diff, np.inf)
        # g = v (diag(W) + F * (v^T V)) v^T with F[m, n] = 1 / (w_n - w_m), F[n, n] = 0.
        inner = (v.T.dot(V)) / diff
        inner[np.arange(n), np.arange(n)] = W
        g = v.dot(inner).dot(v.T)
        if self.UPLO == "L":
            out = np.tril(g) + np.triu(g, 1).T
        else:
            out = np.triu(g) + np.tril(g, -1).T
        output_storage[0][0] = np.asarray(out, dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]


# --------------------------------------------------------------------------- QR, SVD

_QR_MODES = ("reduced", "complete", "r", "raw")


def _check_qr_mode(mode):
    if mode not in _QR_MODES:
        raise ValueError("qr: unrecognized mode %r; use one of %s" % (mode, ", ".join(_QR_MODES)))


class QRFull(Op):
    """QR decomposition returning two outputs (``numpy.linalg.qr``): ``q, r`` for modes
    'reduced' and 'complete', ``h, tau`` for 'raw'. ``QRFull{mode='reduced'}``."""

    __props__ = ("mode",)

    def __init__(self, mode):
        _check_qr_mode(mode)
        if mode == "r":
            raise ValueError("QRFull: mode 'r' returns one output; use QRIncomplete('r')")
        self.mode = mode

    def make_node(self, x):
        x = _as_float_matrix(x, "QRFull")
        r = _vector(x.type.dtype) if self.mode == "raw" else _matrix(x.type.dtype)
        return Apply(self, [x], [_matrix(x.type.dtype), r])

    def perform(self, node, inputs, output_storage):
        x, = inputs
        q, r = np.linalg.qr(x, self.mode)
        output_storage[0][0] = np.asarray(q, dtype=node.outputs[0].type.dtype)
        output_storage[1][0] = np.asarray(r, dtype=node.outputs[1].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        m, n = input_shapes[0]
        k = minimum(m, n)
        if self.mode == "reduced":
            return [(m, k), (k, n)]
        if self.mode == "complete":
            return [(m, m), (m, n)]
        return [(n, m), (k,)]


class QRIncomplete(Op):
    """QR decomposition returning ``r`` only (mode 'r'): ``QRIncomplete{mode='r'}``."""

    __props__ = ("mode",)

    def __init__(self, mode):
        _check_qr_mode(mode)
        if mode != "r":
            raise ValueError("QRIncomplete: only mode 'r' returns a single output; use "
                             "QRFull(%r)" % (mode,))
        self.mode = mode

    def make_node(self, x):
        x = _as_float_matrix(x, "QRIncomplete")
        return Apply(self, [x], [_matrix(x.type.dtype)])

    def perform(self, node, inputs, output_storage):
        x, = inputs
        output_storage[0][0] = np.asarray(np.linalg.qr(x, self.mode),
                                          dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        m, n = input_shapes[0]
        return [(minimum(m, n), n)]


def qr(a, mode="reduced"):
    """QR decomposition of matrix ``a`` (``numpy.linalg.qr``): ``q, r = qr(a)``; mode
    'reduced' (q: (M, K), r: (K, N), K = min(M, N)), 'complete' ((M, M), (M, N)), 'r' (r
    only) or 'raw' (h: (N, M), tau: (K,))."""
    _check_qr_mode(mode)
    if mode == "r":
        return QRIncomplete(mode)(a)
    return QRFull(mode)(a)


class SVD(Op):
    """Singular value decomposition (``numpy.linalg.svd``): ``u, s, vt`` (or ``s`` alone when
    ``compute_uv`` is false). ``SVD{full_matrices=1, compute_uv=1}``."""

    __props__ = ("full_matrices", "compute_uv")

    def __init__(self, full_matrices=True, compute_uv=True):
        self.full_matrices = full_matrices
        self.compute_uv = compute_uv

    def make_node(self, x):
        x = _as_float_matrix(x, "SVD")
        s = _vector(x.type.dtype)
        if self.compute_uv:
            return Apply(self, [x], [_matrix(x.type.dtype), s, _matrix(x.type.dtype)])
        return Apply(self, [x], [s])

    def perform(self, node, inputs, output_storage):
        x, = inputs
        res = np.linalg.svd(x, bool(self.full_matrices), bool(self.compute_uv))
        if not self.compute_uv:
            res = (res,)
        for store, out, val in zip(output_storage, node.outputs, res):
            store[0] = np.asarray(val, dtype=out.type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        m, n = input_shapes[0]
        k = minimum(m, n)
        if not self.compute_uv:
            return [(k,)]
        if self.full_matrices:
            return [(m, m), (k,), (n, n)]
        return [(m, k), (k,), (k, n)]


def svd(a, full_matrices=1, compute_uv=1):
    """Singular value decomposition of matrix ``a``: ``u, s, vt = svd(a)``; ``s = svd(a,
    compute_uv=0)``."""
    return SVD(full_matrices, compute_uv)(a)


# --------------------------------------------------------------------------- helpers

def matrix_power(M, n):
    """``M`` raised to the integer power ``n`` (a Python int): repeated dot products;
    ``n == 0`` gives the identity, ``n < 0`` powers the inverse."""
    M = as_tensor_variable(M)
    if M.ndim != 2:
        raise TypeError("matrix_power needs a square matrix, got %s" % M.type)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError("matrix_power: n must be a Python int, got %r" % (n,))
    n = int(n)
    if n == 0:
        return identity_like(M)
    if n < 0:
        M, n = matrix_inverse(M), -n
    result = M
    for _ in range(n - 1):
        result = dot(result, M)
    return result


def norm(x, ord):
    """Vector norms (ord None, 'inf', '-inf', 0 or a number) and matrix norms (ord None,
    'fro', 'inf', '-inf', 1, -1), as numpy.linalg.norm."""
    x = as_tensor_variable(x)
    if x.ndim == 0:
        raise ValueError("'axis' entry is out of bounds.")
    if x.ndim == 1:
        if ord is None:
            return reduction.sum(x ** 2) ** 0.5
        if ord == "inf":
            return reduction.max(abs(x))
        if ord == "-inf":
            return reduction.min(abs(x))
        if isinstance(ord, str):
            raise ValueError("Invalid norm order %r for vectors." % (ord,))
        if ord == 0:
            return x[x.nonzero()].shape[0]
        return reduction.sum(abs(x ** ord)) ** (1. / ord)
    if x.ndim == 2:
        if ord is None or ord == "fro":
            return reduction.sum(abs(x ** 2)) ** 0.5
        if ord == "inf":
            return reduction.max(reduction.sum(abs(x), 1))
        if ord == "-inf":
            return reduction.min(reduction.sum(abs(x), 1))
        if ord == 1:
            return reduction.max(reduction.sum(abs(x), 0))
        if ord == -1:
            return reduction.min(reduction.sum(abs(x), 0))
        raise ValueError("Invalid norm order %r for matrices; use None, 'fro', 'inf', "
                         "'-inf', 1 or -1" % (ord,))
    raise NotImplementedError("We don't support norm with ndim > 2")


class TensorInv(Op):
    """The tensordot inverse of ``a`` (``numpy.linalg.tensorinv``): shape ``a.shape[ind:] +
    a.shape[:ind]``. ``TensorInv{ind=2}``."""

    __props__ = ("ind",)

    def __init__(self, ind=2):
        self.ind = int(ind)
        if self.ind <= 0:
            raise ValueError("tensorinv: ind must be a positive integer, got %d" % self.ind)

    def make_node(self, a):
        a = as_tensor_variable(a)
        if a.type.dtype not in scal.float_types + scal.complex_types:
            raise TypeError("TensorInv needs a float tensor, got dtype %s; cast it first"
                            % a.type.dtype)
        if a.ndim <= self.ind:
            raise ValueError("tensorinv: a must have more than ind=%d dimensions, got %s"
                             % (self.ind, a.type))
        return Apply(self, [a], [TensorType(a.type.dtype, (False,) * a.ndim)()])

    def perform(self, node, inputs, output_storage):
        a, = inputs
        output_storage[0][0] = np.asarray(np.linalg.tensorinv(a, self.ind),
                                          dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        shp = tuple(input_shapes[0])
        return [shp[self.ind:] + shp[:self.ind]]


def tensorinv(a, ind=2):
    """The 'inverse' of ``a`` for ``tensordot(., ., ind)`` (``numpy.linalg.tensorinv``)."""
    return TensorInv(ind)(a)


class TensorSolve(Op):
    """Solve the tensor equation ``tensordot(a, x, b.ndim) = b`` for ``x``
    (``numpy.linalg.tensorsolve``). ``TensorSolve{axes=None}``. The output has
    ``a.ndim - b.ndim`` dimensions."""

    __props__ = ("axes",)

    def __init__(self, axes=None):
        self.axes = None if axes is None else tuple(int(i) for i in axes)

    def make_node(self, a, b):
        a = as_tensor_variable(a)
        b = as_tensor_variable(b)
        out_dtype = scal.upcast(a.dtype, b.dtype)
        if out_dtype not in scal.float_types + scal.complex_types:
            out_dtype = scal.upcast(out_dtype, "float64")
        if a.ndim <= b.ndim:
            raise ValueError("tensorsolve: a must have more dimensions than b (a.shape = "
                             "b.shape + Q), got %s and %s" % (a.type, b.type))
        return Apply(self, [a, b], [TensorType(out_dtype, (False,) * (a.ndim - b.ndim))()])

    def perform(self, node, inputs, output_storage):
        a, b = inputs
        output_storage[0][0] = np.asarray(np.linalg.tensorsolve(a, b, self.axes),
                                          dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        a_shp, b_shp = input_shapes
        order = list(range(len(a_shp)))
        if self.axes is not None:
            for k in self.axes:
                order.remove(k % len(a_shp))
                order.append(k % len(a_shp))
        return [tuple(a_shp[i] for i in order[len(b_shp):])]


def tensorsolve(a, b, axes=None):
    """Solve ``tensordot(a, x, axes=b.ndim) = b`` for ``x`` (``numpy.linalg.tensorsolve``)."""
    return TensorSolve(axes)(a, b)


class lstsq(Op):  # noqa: N801 (Theano 1.0's name: users call lstsq()(a, b, rcond))
    """numpy.linalg.lstsq(a, b, rcond) as an op with its four outputs: the least-squares
    solution, the residuals, the rank of ``a`` and its singular values."""

    __props__ = ()

    def make_node(self, x, y, rcond):
        x = as_tensor_variable(x)
        y = as_tensor_variable(y)
        rcond = as_tensor_variable(rcond)
        if x.ndim != 2 or y.ndim not in (1, 2):
            raise TypeError("lstsq takes a matrix a and a vector or matrix b, got %s and %s"
                            % (x.type, y.type))
        # (Theano declares a matrix solution even for a vector b; here it follows b.)
        return Apply(self, [x, y, rcond],
                     [TensorType("float64", (False,) * y.ndim)(),
                      TensorType("float64", (False,))(), TensorType("int64", ())(),
                      TensorType("float64", (False,))()])

    def perform(self, node, inputs, output_storage):
        x, y, rcond = inputs
        solution, residuals, rank, sv = np.linalg.lstsq(x, y, rcond=float(rcond))
        for cell, value, out in zip(output_storage, (solution, residuals, rank, sv),
                                    node.outputs):
            cell[0] = np.asarray(value, dtype=out.type.dtype)
