"""Theano 1.0's ``theano.sparse``: scipy.sparse matrices (csc, csr) as graph values.

``theano.sparse.csr_matrix('x')`` makes a symbolic sparse matrix; ``theano.sparse.shared``
a shared one; the ops (structured_dot, dot, add, mul, transpose, sp_sum, ...) compute with
scipy.sparse. Every name is also in pytheano.sparse.basic (Theano's module), which gathers
type (SparseType, conversions), var (SparseVariable), structure (CSM, conversions, indexing,
stacking), math (arithmetic, comparisons, sums, structured elementwise functions) and dot
(products); opt holds the rewrites, sharedvar the shared constructor.
"""
import scipy.sparse  # noqa: F401  (Theano's enable_sparse checks it imports)

from pytheano.sparse.basic import *  # noqa: F401,F403  (every op, by its Theano name)
from pytheano.sparse import opt, sharedvar  # noqa: F401
from pytheano.sparse.sharedvar import sparse_constructor as shared  # noqa: F401

enable_sparse = True
