"""verify_grad for ops with sparse inputs or outputs (Theano's verify_grad_sparse)."""
from pytheano.gradient import verify_grad
from pytheano.sparse.structure import (CSC, CSR, DenseFromSparse, _is_sparse, _is_sparse_variable,
                                   as_sparse_or_tensor_variable, csc_from_dense,
                                   csr_from_dense)


def _rebuild(p, structured):
    """(the dense point finite differences move, the function back to a sparse variable)"""
    if not _is_sparse(p):
        return p, lambda v: v
    if p.format not in ("csr", "csc"):
        raise NotImplementedError("No conv for %s" % (p.format,))
    if not structured:
        return p.toarray(), csr_from_dense if p.format == "csr" else csc_from_dense
    cs = CSR if p.format == "csr" else CSC
    indices, indptr, shape = p.indices[:p.nnz], p.indptr, p.shape
    return p.data, lambda data: cs(data, indices, indptr, shape)


def verify_grad_sparse(op, pt, structured=False, *args, **kwargs):
    """``verify_grad`` of ``op`` at the point ``pt``, whose sparse values are varied
    through their dense form (or, ``structured``, through their stored values only, so the
    gradient checked is the structured one)."""
    pairs = [_rebuild(p, structured) for p in pt]
    output = op(*[as_sparse_or_tensor_variable(p) for p in pt])
    if isinstance(output, (list, tuple)):
        raise NotImplementedError("verify_grad can't deal with multiple outputs")
    to_dense = DenseFromSparse(structured=structured) if _is_sparse_variable(output) \
        else (lambda v: v)

    def dense_op(*inputs):
        return to_dense(op(*[conv(v) for v, (_, conv) in zip(inputs, pairs)]))

    return verify_grad(dense_op, [value for value, _ in pairs], *args, **kwargs)


verify_grad_sparse.E_grad = verify_grad.E_grad
