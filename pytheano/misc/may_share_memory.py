"""``theano.misc.may_share_memory``: may two values (ndarrays, scipy.sparse matrices) share
memory?"""
import numpy as np


def _is_sparse(a):
    try:
        import scipy.sparse
    except ImportError:
        return False
    return scipy.sparse.issparse(a)


def may_share_memory(a, b, raise_other_type=True):
    a_nd, b_nd = isinstance(a, np.ndarray), isinstance(b, np.ndarray)
    if a_nd and b_nd:
        return bool(np.may_share_memory(a, b))
    a_sp, b_sp = _is_sparse(a), _is_sparse(b)
    if not (a_nd or a_sp) or not (b_nd or b_sp):
        if raise_other_type:
            raise TypeError("may_share_memory support only ndarray and scipy.sparse or "
                            "GpuArray type")
        return False
    # Theano 1.0 compat: a sparse matrix shares memory through its data/indices arrays.
    parts_a = [a] if a_nd else [a.data, getattr(a, "indices", a.data), getattr(a, "indptr", a.data)]
    parts_b = [b] if b_nd else [b.data, getattr(b, "indices", b.data), getattr(b, "indptr", b.data)]
    return any(np.may_share_memory(x, y) for x in parts_a for y in parts_b)
