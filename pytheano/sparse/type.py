"""SparseType: the type of a scipy.sparse matrix (csc, csr, bsr) of one dtype, and the
conversions of values and variables to sparse variables."""
import numpy as np
import scipy.sparse

from pytheano._core.graph import Apply, Variable
from pytheano.configparser import config
from pytheano.graph.type import Type
from pytheano.tensor.type import TensorType

__all__ = ["SparseType", "as_sparse_variable", "as_sparse", "constant", "matrix",
           "csc_matrix", "csr_matrix", "bsr_matrix", "sparse_formats"]

sparse_formats = ["csc", "csr"]


def _is_sparse(x):
    """True iff ``x`` is a scipy.sparse matrix (and not an ndarray)."""
    if not isinstance(x, (scipy.sparse.spmatrix, np.ndarray, tuple, list)):
        raise NotImplementedError("this function should only be called on "
                                  "sparse.scipy.sparse.spmatrix or numpy.ndarray, not,", x)
    return isinstance(x, scipy.sparse.spmatrix)


def _is_dense(x):
    """True iff ``x`` is an ndarray (and not a scipy.sparse matrix)."""
    if not isinstance(x, (scipy.sparse.spmatrix, np.ndarray)):
        raise NotImplementedError("this function should only be called on "
                                  "sparse.scipy.sparse.spmatrix or numpy.ndarray, not,", x)
    return isinstance(x, np.ndarray)


def _is_sparse_variable(x):
    """True iff ``x`` is a variable of SparseType."""
    if not isinstance(x, Variable):
        raise NotImplementedError("this function should only be called on *variables* (of "
                                  "type sparse.SparseType or tensor.TensorType, for "
                                  "instance), not ", x)
    return isinstance(x.type, SparseType)


def _is_dense_variable(x):
    """True iff ``x`` is a variable of TensorType."""
    if not isinstance(x, Variable):
        raise NotImplementedError("this function should only be called on *variables* (of "
                                  "type sparse.SparseType or tensor.TensorType, for "
                                  "instance), not ", x)
    return isinstance(x.type, TensorType)


class SparseType(Type):
    """A 2-d scipy.sparse matrix of ``format`` ('csc', 'csr' or 'bsr') and ``dtype``.

    ``Variable`` and ``Constant`` are set by pytheano.sparse.var (SparseVariable,
    SparseConstant)."""

    format_cls = {"csr": scipy.sparse.csr_matrix, "csc": scipy.sparse.csc_matrix,
                  "bsr": scipy.sparse.bsr_matrix}
    dtype_set = {"int8", "int16", "int32", "int64", "float32", "uint8", "uint16", "uint32",
                 "uint64", "float64", "complex64", "complex128"}
    ndim = 2

    def __init__(self, format, dtype):
        try:
            dtype = np.dtype(dtype).name  # also 'float64' from np.float64 or a dtype
        except TypeError:
            dtype = str(dtype)
        if dtype not in self.dtype_set:
            raise NotImplementedError('unsupported dtype "%s" not in list' % dtype,
                                      sorted(self.dtype_set))
        if not isinstance(format, str):
            raise TypeError("format must be a string, got %r" % (format,))
        if format not in self.format_cls:
            raise NotImplementedError('unsupported format "%s" not in list' % format,
                                      list(self.format_cls))
        self.dtype = dtype
        self.format = format

    def filter(self, value, strict=False, allow_downcast=None):
        if isinstance(value, self.format_cls[self.format]) and value.dtype == self.dtype:
            return value
        if strict:
            raise TypeError("%s is not sparse, or not the right dtype (is %s, expected %s)"
                            % (value, getattr(value, "dtype", type(value)), self.dtype))
        if allow_downcast:
            sp = self.format_cls[self.format](value, dtype=self.dtype)
        else:
            sp = self.format_cls[self.format](value)
            if str(sp.dtype) != self.dtype:
                raise NotImplementedError("Expected %s dtype but got %s"
                                          % (self.dtype, sp.dtype))
        if sp.format != self.format:
            raise NotImplementedError("Expected a %s matrix, got %s" % (self.format, sp.format))
        return sp

    @staticmethod
    def may_share_memory(a, b):
        if _is_sparse(a) and _is_sparse(b):
            return any(SparseType.may_share_memory(a, part) for part in
                       (b.data, b.indices, b.indptr))
        if _is_sparse(b) and isinstance(a, np.ndarray):
            a, b = b, a
        if _is_sparse(a) and isinstance(b, np.ndarray):
            return any(np.may_share_memory(part, b) for part in (a.data, a.indices, a.indptr))
        return False

    def make_variable(self, name=None):
        return self.Variable(self, None, None, name)

    def __eq__(self, other):
        return (type(self) is type(other) and other.dtype == self.dtype
                and other.format == self.format)

    def __hash__(self):
        return hash((type(self), self.dtype, self.format))

    def __str__(self):
        return "Sparse[%s, %s]" % (self.dtype, self.format)

    __repr__ = __str__

    def clone(self, format=None, dtype=None):
        return SparseType(format or self.format, dtype or self.dtype)

    def values_eq_approx(self, a, b, eps=1e-6):
        # Comparing sparse matrices is slow: only debugging and tests should do it.
        if not scipy.sparse.issparse(a) or not scipy.sparse.issparse(b):
            return False
        diff = abs(a - b)
        if diff.nnz == 0:
            return True
        return np.max(diff.data) < eps

    def values_eq(self, a, b):
        return (scipy.sparse.issparse(a) and scipy.sparse.issparse(b)
                and a.shape == b.shape and abs(a - b).sum() == 0.0)

    def is_valid_value(self, a):
        return scipy.sparse.issparse(a) and a.format == self.format

    def get_shape_info(self, obj):
        obj = self.filter(obj)
        return (obj.shape, obj.data.size, obj.indices.size, obj.indptr.size, obj.nnz)

    def get_size(self, shape_info):
        return (shape_info[1] * np.dtype(self.dtype).itemsize
                + (shape_info[2] + shape_info[3]) * np.dtype("int32").itemsize)


def constant(x, name=None):
    """A SparseConstant holding a copy of the scipy.sparse matrix ``x``."""
    if not isinstance(x, scipy.sparse.spmatrix):
        raise TypeError("sparse.constant must be called on a scipy.sparse.spmatrix")
    try:
        return SparseType(format=x.format, dtype=x.dtype).make_constant(x.copy(), name=name)
    except (TypeError, NotImplementedError):
        raise TypeError("Could not convert %s to SparseType" % x, type(x)) from None


def as_sparse_variable(x, name=None):
    """``x`` (a sparse variable, an Apply with one output, or a scipy.sparse matrix) as a
    sparse variable."""
    if isinstance(x, Apply):
        if len(x.outputs) != 1:
            raise ValueError("It is ambiguous which output of a multi-output Op has to be "
                             "fetched.", x)
        x = x.outputs[0]
    if isinstance(x, Variable):
        if not isinstance(x.type, SparseType):
            raise TypeError("Variable type field must be a SparseType.", x, x.type)
        return x
    try:
        return constant(x, name=name)
    except TypeError:
        raise TypeError("Cannot convert %s to SparseType" % (x,), type(x)) from None


as_sparse = as_sparse_variable


def matrix(format, name=None, dtype=None):
    """A symbolic sparse matrix of ``format`` and ``dtype`` (default floatX)."""
    return SparseType(format=format, dtype=dtype or config.floatX)(name)


def csc_matrix(name=None, dtype=None):
    return matrix("csc", name, dtype)


def csr_matrix(name=None, dtype=None):
    return matrix("csr", name, dtype)


def bsr_matrix(name=None, dtype=None):
    return matrix("bsr", name, dtype)
