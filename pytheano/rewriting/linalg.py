"""Rewrites of the linear-algebra ops (pytheano/tensor/nlinalg.py, slinalg.py): Theano 1.0's
``theano.sandbox.linalg`` rules. As in Theano they are registered when
``pytheano.sandbox.linalg`` is imported (this module is not imported by rewriting/).

- transinv_to_invtrans (canonicalize): ``inv(X).T -> inv(X.T)``;
- tag_solve_triangular (canonicalize, stabilize): a general solve of a Cholesky factor (or
  its transpose) is a triangular solve;
- inv_as_solve (stabilize): ``dot(inv(A), b) -> solve(A, b)`` and ``dot(b, inv(A)) ->
  solve(A.T, b.T).T``. Opt-in (``mode.including('inv_as_solve')``), where Theano ran it by
  default: for a non-square A it turns inv's LinAlgError into solve's ValueError.

Layer 6: rules only. Each keeps the output type of the node it replaces, or does nothing.
Theano's rules that read ``psd``/``symmetric`` hints (psd_solve_with_chol,
no_transpose_symmetric) and its ``log(x ** p) -> p * log(x)`` (NaN for a negative x) are
not here.
"""
from pytheano.graph.rewriting import CANONICALIZE, STABILIZE, node_rewriter, register
from pytheano.tensor.blas import Dot
from pytheano.tensor.elemwise import DimShuffle
from pytheano.tensor.nlinalg import MatrixInverse
from pytheano.tensor.slinalg import Cholesky, Solve

__all__ = ["transinv_to_invtrans", "tag_solve_triangular", "inv_as_solve"]


def _is_transpose(node):
    return isinstance(node.op, DimShuffle) and tuple(node.op.new_order) == (1, 0)


def _same_type(node, new):
    return [new] if new.type == node.outputs[0].type else None


@register(CANONICALIZE, "fast_run", "fast_compile")
@node_rewriter([DimShuffle])
def transinv_to_invtrans(fgraph, node):
    "inv(X).T -> inv(X.T)"
    if not _is_transpose(node):
        return None
    inverse = node.inputs[0].owner
    if inverse is None or not isinstance(inverse.op, MatrixInverse):
        return None
    return _same_type(node, inverse.op(node.op(inverse.inputs[0])))


@register(STABILIZE, "fast_run", "stable")
@register(CANONICALIZE, "fast_run", "fast_compile", name="tag_solve_triangular_canonicalize")
@node_rewriter([Solve])
def tag_solve_triangular(fgraph, node):
    "solve(cholesky(X), b) -> the triangular solve of the factor's side (also of its .T)"
    if node.op.A_structure != "general":
        return None
    A, b = node.inputs
    factor, transposed = A.owner, False
    if factor is not None and _is_transpose(factor):
        factor, transposed = factor.inputs[0].owner, True
    if factor is None or not isinstance(factor.op, Cholesky):
        return None
    lower = factor.op.lower != transposed
    structure = "lower_triangular" if lower else "upper_triangular"
    return _same_type(node, Solve(structure, lower=lower)(A, b))


@register(STABILIZE, name="inv_as_solve")
@node_rewriter([Dot])
def inv_as_solve(fgraph, node):
    "dot(inv(A), b) -> solve(A, b); dot(b, inv(A)) -> solve(A.T, b.T).T"
    left, right = node.inputs
    if left.owner is not None and isinstance(left.owner.op, MatrixInverse):
        return _same_type(node, Solve()(left.owner.inputs[0], right))
    if right.owner is not None and isinstance(right.owner.op, MatrixInverse):
        return _same_type(node, Solve()(right.owner.inputs[0].T, left.T).T)
    return None
