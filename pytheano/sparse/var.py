"""SparseVariable and SparseConstant: sparse variables with Theano's operators and methods
(``x + y``, ``x * y``, ``x.T``, ``x[a:b]``, ``x.toarray()``, comparisons, ...)."""
import numpy as np

from pytheano import tensor as T
from pytheano._core.graph import Constant, Variable
from pytheano.sparse import dot, math, structure
from pytheano.sparse.type import SparseType
from pytheano.sparse.utils import hash_from_sparse


def _is_scalar_index(arg):
    return np.isscalar(arg) or getattr(arg, "type", None) == T.iscalar


class _sparse_py_operators:
    """The Python operators of sparse variables, as Theano defines them."""

    T = property(lambda self: structure.transpose(self),
                 doc="Return aliased transpose of self (read-only)")

    def astype(self, dtype):
        return structure.cast(self, dtype)

    def __neg__(self):
        return structure.neg(self)

    def __add__(left, right):
        return math.add(left, right)

    def __radd__(right, left):
        return math.add(left, right)

    def __sub__(left, right):
        return math.sub(left, right)

    def __rsub__(right, left):
        return math.sub(left, right)

    def __mul__(left, right):
        return math.mul(left, right)

    def __rmul__(left, right):
        return math.mul(left, right)

    def __lt__(self, other):
        return math.lt(self, other)

    def __le__(self, other):
        return math.le(self, other)

    def __gt__(self, other):
        return math.gt(self, other)

    def __ge__(self, other):
        return math.ge(self, other)

    def __dot__(left, right):
        return dot.structured_dot(left, right)

    def __rdot__(right, left):
        return dot.structured_dot(left, right)

    def toarray(self):
        return structure.dense_from_sparse(self)

    shape = property(lambda self: T.shape(structure.dense_from_sparse(self)))
    ndim = property(lambda self: self.type.ndim)
    dtype = property(lambda self: self.type.dtype)
    format = property(lambda self: self.type.format)
    size = property(lambda self: structure.csm_data(self).size)

    def zeros_like(model, dtype=None):
        return structure.sp_zeros_like(model, dtype)

    def __getitem__(self, args):
        if not isinstance(args, tuple):
            args = (args,)
        if len(args) == 2:
            if _is_scalar_index(args[0]) and _is_scalar_index(args[1]):
                return structure.get_item_scalar(self, args)
            if isinstance(args[0], list):
                return structure.get_item_2lists(self, args[0], args[1])
            return structure.get_item_2d(self, args)
        if isinstance(args[0], list):
            return structure.get_item_list(self, args[0])
        return structure.get_item_2d(self, args)


class SparseVariable(_sparse_py_operators, Variable):
    """A symbolic sparse matrix."""

    def __str__(self):
        # Theano prints the type, never the name.
        return "%s{%s,%s}" % (type(self).__name__, self.format, self.dtype)

    def __repr__(self):
        return str(self)


class SparseConstant(_sparse_py_operators, Constant):
    """A constant sparse matrix. Two are merged when their type, shape and buffers are
    equal."""

    def signature(self):
        return (SparseConstant, self.type, self.data.shape, hash_from_sparse(self.data))

    def __str__(self):
        return "%s{%s,%s,shape=%s,nnz=%s}" % (type(self).__name__, self.format, self.dtype,
                                              self.data.shape, self.data.nnz)

    def __repr__(self):
        return str(self)


SparseType.Variable = SparseVariable
SparseType.Constant = SparseConstant
