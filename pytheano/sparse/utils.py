"""Helpers on scipy.sparse values."""
import hashlib


def hash_from_sparse(data):
    """A hex digest of a sparse matrix: its buffers, and its shape, dtype and format (the
    buffers alone do not tell (1, 0) from (2, 0), nor uint32 zeros from int32 zeros)."""
    h = hashlib.sha256()
    for part in (data.data, data.indices, data.indptr):
        h.update(hashlib.sha256(part.tobytes()).digest())
    for part in (str(data.shape), str(data.dtype), data.format):
        h.update(hashlib.sha256(part.encode()).digest())
    return h.hexdigest()
