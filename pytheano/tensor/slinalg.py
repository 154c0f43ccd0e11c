"""Linear algebra with scipy.linalg (Theano's ``theano.tensor.slinalg``): Cholesky
(``cholesky``, CholeskyGrad), Solve (``solve``, ``solve_lower_triangular``,
``solve_upper_triangular``, ``solve_symmetric``), Eigvalsh, ``kron``, Expm (``expm``)."""
import warnings

import numpy as np
import scipy.linalg

from pytheano.errors import ComplexWarning
from pytheano._core.graph import Apply
from pytheano.graph.op import Op
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.type import TensorType
from pytheano.tensor.nlinalg import diagonal, tensor_diag as diag
from pytheano.tensor.blas import outer
from pytheano.tensor.creation import identity_like, tril, triu
from pytheano.tensor.join import concatenate
from pytheano.tensor.math import isnan, switch
from pytheano.tensor.reduction import any as tensor_any
from pytheano.tensor.subtensor import NoneConst

__all__ = ["MATRIX_STRUCTURES", "Cholesky", "cholesky", "CholeskyGrad", "Solve", "solve",
           "solve_lower_triangular", "solve_upper_triangular", "solve_symmetric", "Eigvalsh",
           "EigvalshGrad", "eigvalsh", "kron", "Expm", "ExpmGrad", "expm"]

MATRIX_STRUCTURES = ("general", "symmetric", "lower_triangular", "upper_triangular",
                     "hermitian", "banded", "diagonal", "toeplitz")




def _matrix(dtype):
    return TensorType(dtype, (False, False))()


def _check_ndim(x, nd, op_name, what="input"):
    if x.ndim != nd:
        raise TypeError("%s: %s must have %d dimensions, got %s" % (op_name, what, nd, x.type))


def _as_float_matrix(x, op_name):
    x = as_tensor_variable(x)
    _check_ndim(x, 2, op_name, "the input (a matrix)")
    if x.type.dtype not in scal.float_types + scal.complex_types:
        raise TypeError("%s needs a float matrix, got dtype %s; cast it first, e.g. "
                        "T.cast(x, 'float64')" % (op_name, x.type.dtype))
    return x


# --------------------------------------------------------------------------- Cholesky

class Cholesky(Op):
    """The Cholesky factor of a positive definite matrix: ``L`` with ``dot(L, L.T) == X``
    (``lower=True``) or the upper factor. ``on_error='raise'`` raises scipy's LinAlgError on
    a matrix that is not positive definite, ``'nan'`` returns NaNs instead.
    ``Cholesky{lower=True, destructive=False, on_error='raise'}``."""

    __props__ = ("lower", "destructive", "on_error")

    def __init__(self, lower=True, on_error="raise"):
        self.lower = lower
        self.destructive = False
        if on_error not in ("raise", "nan"):
            raise ValueError('on_error must be one of "raise" or "nan"')
        self.on_error = on_error

    def make_node(self, x):
        x = _as_float_matrix(x, "Cholesky")
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        x, = inputs
        dtype = node.outputs[0].type.dtype
        try:
            z = scipy.linalg.cholesky(x, lower=self.lower)
        except scipy.linalg.LinAlgError:
            if self.on_error == "raise":
                raise
            z = np.full(x.shape, np.nan)
        output_storage[0][0] = np.asarray(z, dtype=dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]

    def L_op(self, inputs, outputs, output_grads):
        # Reverse mode from I. Murray, "Differentiation of the Cholesky decomposition"
        # (arXiv:1602.07527).

        dz, = output_grads
        chol_x, = outputs
        if self.on_error == "nan":
            ok = ~tensor_any(isnan(chol_x))
            chol_x = switch(ok, chol_x, 1)
            dz = switch(ok, dz, 1)
        if not self.lower:
            chol_x = chol_x.T
            dz = dz.T

        def tril_and_halve_diagonal(mtx):
            return tril(mtx) - diag(diagonal(mtx) / 2.)

        def conjugate_solve_triangular(outer, inner):
            # L^{-T} P L^{-1} for lower-triangular L.
            return solve_upper_triangular(outer.T, solve_upper_triangular(outer.T, inner.T).T)

        s = conjugate_solve_triangular(chol_x, tril_and_halve_diagonal(chol_x.T.dot(dz)))
        if self.lower:
            grad = tril(s + s.T) - diag(diagonal(s))
        else:
            grad = triu(s + s.T) - diag(diagonal(s))
        if self.on_error == "nan":
            return [switch(ok, grad, np.nan)]
        return [grad]


cholesky = Cholesky()


class CholeskyGrad(Op):
    """The reverse-mode gradient of Cholesky, by S. P. Smith's algorithm:
    ``CholeskyGrad{lower=True}(x, L, dL)`` (``L = cholesky(x)``). Kept for Theano
    compatibility: Cholesky's own gradient is a graph of solves."""

    __props__ = ("lower", "destructive")

    def __init__(self, lower=True):
        self.lower = lower
        self.destructive = False

    def make_node(self, x, l, dz):
        x, l, dz = map(as_tensor_variable, (x, l, dz))
        for var, name in ((x, "x"), (l, "l"), (dz, "dz")):
            _check_ndim(var, 2, "CholeskyGrad", name)
        if l.owner is not None and isinstance(l.owner.op, Cholesky) \
                and l.owner.op.lower != self.lower:
            raise ValueError("lower/upper mismatch between Cholesky op and CholeskyGrad op")
        out_dtype = scal.upcast(x.dtype, l.dtype, dz.dtype)
        return Apply(self, [x, l, dz], [_matrix(out_dtype)])

    def perform(self, node, inputs, output_storage):
        x, L, dz = inputs
        n = x.shape[0]
        if not self.lower:
            L, dz = L.T, dz.T
        F = np.tril(dz).astype(np.result_type(L, dz, np.float32))
        for k in range(n - 1, -1, -1):
            for j in range(k + 1, n):
                for i in range(j, n):
                    F[i, k] -= F[i, j] * L[j, k]
                    F[j, k] -= F[i, j] * L[i, k]
            for j in range(k + 1, n):
                F[j, k] /= L[k, k]
                F[k, k] -= L[j, k] * F[j, k]
            F[k, k] /= (2 * L[k, k])
        if not self.lower:
            F = F.T
        output_storage[0][0] = np.asarray(F, dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]


# --------------------------------------------------------------------------- Solve

class Solve(Op):
    """Solve ``A x = b`` for ``x`` (``scipy.linalg.solve``; ``solve_triangular`` when
    ``A_structure`` is 'lower_triangular' or 'upper_triangular'). ``b`` is a vector or a
    matrix; ``x`` has its shape. Integer inputs give float64.
    ``Solve{A_structure='general', lower=False, overwrite_A=False, overwrite_b=False}``."""

    __props__ = ("A_structure", "lower", "overwrite_A", "overwrite_b")

    def __init__(self, A_structure="general", lower=False, overwrite_A=False,
                 overwrite_b=False):
        if A_structure not in MATRIX_STRUCTURES:
            raise ValueError("Invalid matrix structure argument", A_structure)
        self.A_structure = A_structure
        self.lower = lower
        self.overwrite_A = overwrite_A
        self.overwrite_b = overwrite_b

    def __repr__(self):
        return "Solve{%s}" % (self._props(),)

    def make_node(self, A, b):
        A = as_tensor_variable(A)
        b = as_tensor_variable(b)
        _check_ndim(A, 2, "Solve", "A")
        if b.ndim not in (1, 2):
            raise TypeError("Solve: b must be a vector or a matrix, got %s" % b.type)
        # scipy's result dtype, probed on 1x1 systems.
        o_dtype = scipy.linalg.solve(np.eye(1).astype(A.dtype),
                                     np.eye(1).astype(b.dtype)).dtype.name
        return Apply(self, [A, b], [TensorType(o_dtype, b.type.broadcastable)()])

    def perform(self, node, inputs, output_storage):
        A, b = inputs
        if self.A_structure == "lower_triangular":
            rval = scipy.linalg.solve_triangular(A, b, lower=True)
        elif self.A_structure == "upper_triangular":
            rval = scipy.linalg.solve_triangular(A, b, lower=False)
        elif self.A_structure == "symmetric":
            rval = scipy.linalg.solve(A, b, assume_a="sym", lower=self.lower)
        else:
            rval = scipy.linalg.solve(A, b)
        output_storage[0][0] = np.asarray(rval, dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        A_shape, b_shape = input_shapes
        rows = A_shape[1]
        if len(b_shape) == 1:
            return [(rows,)]
        return [(rows, b_shape[1])]

    def L_op(self, inputs, outputs, output_grads):
        # c = A \ b: b_bar = A^-T c_bar, A_bar = -b_bar c^T (M. B. Giles, "An extended
        # collection of matrix derivative results").
        A, b = inputs
        c, = outputs
        c_bar, = output_grads
        trans_map = {"lower_triangular": "upper_triangular",
                     "upper_triangular": "lower_triangular"}
        trans_solve_op = Solve(A_structure=trans_map.get(self.A_structure, self.A_structure),
                               lower=not self.lower)
        b_bar = trans_solve_op(A.T, c_bar)
        A_bar = -outer(b_bar, c) if c.ndim == 1 else -b_bar.dot(c.T)
        if self.A_structure == "lower_triangular":
            A_bar = tril(A_bar)
        elif self.A_structure == "upper_triangular":
            A_bar = triu(A_bar)
        return [A_bar, b_bar]


solve = Solve()
solve_lower_triangular = Solve(A_structure="lower_triangular", lower=True)
solve_upper_triangular = Solve(A_structure="upper_triangular", lower=False)
solve_symmetric = Solve(A_structure="symmetric")


# --------------------------------------------------------------------------- Eigvalsh

def _is_none(b):
    if b is None:
        return True
    return NoneConst.equals(b) if hasattr(NoneConst, "equals") else b is NoneConst


class Eigvalsh(Op):
    """Eigenvalues of the symmetric problem ``a v = w b v`` (``scipy.linalg.eigvalsh``;
    ``b`` None or NoneConst: the standard problem). ``Eigvalsh{lower=True}``."""

    __props__ = ("lower",)

    def __init__(self, lower=True):
        if lower not in (True, False):
            raise ValueError("Eigvalsh: lower must be True or False, got %r" % (lower,))
        self.lower = lower

    def make_node(self, a, b=None):
        a = _as_float_matrix(a, "Eigvalsh")
        if _is_none(b):
            return Apply(self, [a], [TensorType(scal.upcast(a.dtype), (False,))()])
        b = _as_float_matrix(b, "Eigvalsh")
        return Apply(self, [a, b], [TensorType(scal.upcast(a.dtype, b.dtype), (False,))()])

    def perform(self, node, inputs, output_storage):
        b = inputs[1] if len(inputs) == 2 else None
        w = scipy.linalg.eigvalsh(inputs[0], b, lower=self.lower)
        output_storage[0][0] = np.asarray(w, dtype=node.outputs[0].type.dtype)

    def grad(self, inputs, output_grads):
        gw, = output_grads
        if len(inputs) == 1:
            a, = inputs
            return [EigvalshGrad(self.lower)(a, identity_like(a), gw)[0]]
        a, b = inputs
        return EigvalshGrad(self.lower)(a, b, gw)

    def infer_shape(self, fgraph, node, input_shapes):
        return [(input_shapes[0][0],)]


class EigvalshGrad(Op):
    """The gradient of Eigvalsh with respect to ``a`` and ``b``:
    ``EigvalshGrad{lower=True}(a, b, gw)`` gives ``(ga, gb)``."""

    __props__ = ("lower",)

    def __init__(self, lower=True):
        if lower not in (True, False):
            raise ValueError("EigvalshGrad: lower must be True or False, got %r" % (lower,))
        self.lower = lower

    def make_node(self, a, b, gw):
        a, b, gw = map(as_tensor_variable, (a, b, gw))
        _check_ndim(a, 2, "EigvalshGrad", "a")
        _check_ndim(b, 2, "EigvalshGrad", "b")
        _check_ndim(gw, 1, "EigvalshGrad", "gw")
        out_dtype = scal.upcast(a.dtype, b.dtype, gw.dtype)
        return Apply(self, [a, b, gw], [_matrix(out_dtype), _matrix(out_dtype)])

    def perform(self, node, inputs, output_storage):
        a, b, gw = inputs
        w, v = scipy.linalg.eigh(a, b, lower=self.lower)
        gA = v.dot(np.diag(gw).dot(v.T))
        gB = -v.dot(np.diag(gw * w).dot(v.T))
        # Only one triangle is read (see EighGrad): fold the other one onto it.
        for cell, out, g in zip(output_storage, node.outputs, (gA, gB)):
            if self.lower:
                folded = np.tril(g) + np.triu(g, 1).T
            else:
                folded = np.triu(g) + np.tril(g, -1).T
            cell[0] = np.asarray(folded, dtype=out.type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0], input_shapes[1]]


def eigvalsh(a, b, lower=True):
    """Eigenvalues of the generalized symmetric problem ``a v = w b v`` (``b`` None or
    NoneConst: the standard problem)."""
    return Eigvalsh(lower)(a, b)


# --------------------------------------------------------------------------- kron

def kron(a, b):
    """The Kronecker product of ``a`` and ``b`` (as ``scipy.linalg.kron`` for matrices); the
    result has ``a.ndim + b.ndim - 2`` dimensions."""
    a = as_tensor_variable(a)
    b = as_tensor_variable(b)
    if a.ndim + b.ndim <= 2:
        raise TypeError("kron: inputs dimensions must sum to 3 or more. You passed %d and %d."
                        % (a.ndim, b.ndim))
    o = outer(a, b)
    o = o.reshape(concatenate((a.shape, b.shape)), a.ndim + b.ndim)
    if o.ndim == 3:
        return o.dimshuffle(1, 0, 2).flatten()
    shf = o.dimshuffle(0, 2, 1, *range(3, o.ndim))
    return shf.reshape((o.shape[0] * o.shape[2], o.shape[1] * o.shape[3])
                       + tuple(o.shape[i] for i in range(4, o.ndim)))


# --------------------------------------------------------------------------- Expm

class Expm(Op):
    """The matrix exponential of a square matrix (``scipy.linalg.expm``). ``Expm``."""

    __props__ = ()

    def make_node(self, A):
        A = _as_float_matrix(A, "Expm")
        return Apply(self, [A], [_matrix(A.type.dtype)])

    def perform(self, node, inputs, output_storage):
        A, = inputs
        output_storage[0][0] = np.asarray(scipy.linalg.expm(A), dtype=node.outputs[0].type.dtype)

    def grad(self, inputs, output_grads):
        A, = inputs
        g_out, = output_grads
        return [ExpmGrad()(A, g_out)]

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]


class ExpmGrad(Op):
    """The gradient of Expm: ``ExpmGrad(A, gA)``, through the eigendecomposition of ``A``
    (Kalbfleisch and Lawless 1985, eq. 3.4); ``A`` must be diagonalizable."""

    __props__ = ()

    def make_node(self, A, gw):
        A = as_tensor_variable(A)
        gw = as_tensor_variable(gw)
        _check_ndim(A, 2, "ExpmGrad", "A")
        _check_ndim(gw, 2, "ExpmGrad", "gw")
        return Apply(self, [A, gw], [_matrix(A.type.dtype)])

    def perform(self, node, inputs, output_storage):
        A, gA = inputs
        w, V = scipy.linalg.eig(A, right=True)
        U = scipy.linalg.inv(V).T
        exp_w = np.exp(w)
        with np.errstate(divide="ignore", invalid="ignore"):
            X = np.subtract.outer(exp_w, exp_w) / np.subtract.outer(w, w)
        # Equal eigenvalues: the limit is exp(w).
        same = np.equal.outer(w, w)
        X[same] = np.broadcast_to(exp_w[:, None], X.shape)[same]
        Y = U.dot(V.T.dot(gA).dot(U) * X).dot(V.T)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ComplexWarning)
            dtype = node.outputs[0].type.dtype
            if dtype not in scal.complex_types:
                Y = Y.real
            output_storage[0][0] = np.asarray(Y, dtype=dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]


expm = Expm()
