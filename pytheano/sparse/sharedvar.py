"""Sparse shared variables: ``theano.sparse.shared(scipy_matrix)``, and ``theano.shared`` of
a scipy.sparse matrix."""
import copy

import scipy.sparse

from pytheano.graph.shared import SharedVariable, shared_constructor
from pytheano.sparse.type import SparseType
from pytheano.sparse.var import _sparse_py_operators


class SparseTensorSharedVariable(_sparse_py_operators, SharedVariable):
    """A shared scipy.sparse matrix."""


@shared_constructor
def sparse_constructor(value, name=None, strict=False, allow_downcast=None, borrow=False,
                       format=None):
    """A SparseTensorSharedVariable holding ``value`` (copied unless ``borrow``)."""
    if not isinstance(value, scipy.sparse.spmatrix):
        raise TypeError("Expected a sparse matrix in the sparse shared variable constructor. "
                        "Received: ", value.__class__)
    type = SparseType(format=format or value.format, dtype=value.dtype)
    if not borrow:
        value = copy.deepcopy(value)
    return SparseTensorSharedVariable(type=type, value=value, name=name, strict=strict,
                                      allow_downcast=allow_downcast)
