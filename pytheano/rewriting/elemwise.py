"""Rewrites of the ops of pytheano/tensor/elemwise.py.

CANONICALIZE: DimShuffles composed into one, identity DimShuffles and casts to the input's
own dtype removed. FUSION (``elemwise_fusion``): trees of Elemwise nodes become one
Elemwise(Composite). INPLACE (``inplace_elemwise_optimizer``): Elemwise nodes write their
output into an input the DestroyHandler lets them overwrite.

Layer 6: rules only. Each keeps the type of the output it replaces, or does nothing.
"""
from pytheano._core.graph import Constant
from pytheano._core.rewrite import require_replace_validate
from pytheano.configparser import config
from pytheano.errors import InconsistencyError
from pytheano.graph.features import protected_inputs
from pytheano.graph.rewriting import (CANONICALIZE, FUSION, INPLACE, GraphRewriter,
                                      node_rewriter, register)
from pytheano.rewriting.math import same_type
from pytheano.scalar import basic as scal
from pytheano.scalar.composite import Composite, renders_c
from pytheano.tensor import opt as tensor_opt
from pytheano.tensor.elemwise import DimShuffle, Elemwise

__all__ = ["local_dimshuffle_dimshuffle", "local_dimshuffle_identity", "local_cast_same_dtype",
           "local_elemwise_fusion", "FusionOptimizer", "elemwise_fusion",
           "local_inplace_elemwise", "InplaceElemwiseOptimizer", "inplace_elemwise_optimizer",
           "max_fused_inputs"]

CANON_TAGS = ("fast_run", "fast_compile")


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([DimShuffle])
def local_dimshuffle_dimshuffle(fgraph, node):
    "DimShuffle{o}(DimShuffle{i}(x)) -> DimShuffle{i[o]}(x)"
    inner = node.inputs[0].owner
    if inner is None or not isinstance(inner.op, DimShuffle):
        return None
    order = tuple("x" if k == "x" else inner.op.new_order[k] for k in node.op.new_order)
    # An axis the outer one drops is broadcastable: from an 'x', or from a broadcastable
    # input axis, which the composed order may drop too.
    op = DimShuffle(inner.op.input_broadcastable, order, inplace=node.op.inplace)
    return same_type(node, op(inner.inputs[0]))


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([DimShuffle])
def local_dimshuffle_identity(fgraph, node):
    "DimShuffle{0, 1, ..., n-1}(x) -> x"
    if tuple(node.op.new_order) != tuple(range(node.inputs[0].type.ndim)):
        return None
    return same_type(node, node.inputs[0])


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Elemwise])
def local_cast_same_dtype(fgraph, node):
    "cast(x, x.dtype) -> x"
    if not isinstance(node.op.scalar_op, scal.Cast):
        return None
    return same_type(node, node.inputs[0])


# --------------------------------------------------------------------------- fusion

def max_fused_inputs():
    """Theano 1.0's bound on the inputs of a fused node: 1024 with a C compiler, 31 without."""
    return 1024 if config.cxx else 31


def _renders_c(node):
    """Whether the node's scalar op has C for its dtypes and needs no check in the loop
    (Theano fuses only ops with C code: the fused loop is meant to be compiled)."""
    return renders_c(node.op.scalar_op, [i.type.dtype for i in node.inputs],
                     [o.type.dtype for o in node.outputs])


def _fusable(node):
    return (type(node.op) is Elemwise and not node.op.inplace_pattern
            and len(node.outputs) == 1 and _renders_c(node))


def _absorbable(fgraph, var, bcast):
    """Whether the node computing ``var`` can move into its client's Composite: an Elemwise
    of the same broadcastable pattern whose output only that one node reads."""
    owner = var.owner
    if owner is None or not _fusable(owner) or var.type.broadcastable != bcast:
        return False
    readers = {client for client, _ in fgraph.clients.get(var, ())}
    return len(readers) == 1 and "output" not in readers


def _fuse(fgraph, node, limit):
    """The outputs of one Elemwise(Composite) computing ``node`` and the input nodes it can
    absorb, or None. Inputs are ordered as Theano 1.0 orders them (the printed Composite
    names them i0, i1, ... in that order)."""
    inputs, s_inputs, s_args = [], [], []
    fused = False
    count = len(node.inputs)
    for var in node.inputs:
        if _absorbable(fgraph, var, node.outputs[0].type.broadcastable):
            owner = var.owner
            new_inputs, new_scalars, args = [], [], []
            for ii in owner.inputs:
                if ii in inputs:
                    args.append(s_inputs[inputs.index(ii)])
                elif ii in new_inputs:
                    args.append(new_scalars[new_inputs.index(ii)])
                else:
                    new_scalars.append(scal.get_scalar_type(ii.type.dtype)())
                    new_inputs.append(ii)
                    args.append(new_scalars[-1])
            # The absorbed node's own output no longer counts; inputs it shares with the
            # node (not yet seen) will not count twice.
            new_count = count - 1 + len([v for v in new_inputs if v not in node.inputs])
            if new_count <= limit:
                fused = True
                count = new_count
                inputs.extend(new_inputs)
                s_inputs.extend(new_scalars)
                s_args.extend(owner.op.scalar_op(*args, return_list=True))
                continue
        if var in inputs:
            s_args.append(s_inputs[inputs.index(var)])
        else:
            inputs.append(var)
            s_inputs.append(scal.get_scalar_type(var.type.dtype)())
            s_args.append(s_inputs[-1])
    if not fused or len(inputs) > limit:
        return None
    composite = Composite(s_inputs, node.op.scalar_op(*s_args, return_list=True))
    out = Elemwise(composite)(*inputs, return_list=True)
    if [o.type for o in out] != [o.type for o in node.outputs]:
        return None
    return out


@node_rewriter([Elemwise])
def local_elemwise_fusion(fgraph, node):
    "Elemwise{f}(Elemwise{g}(x), y) -> Elemwise{Composite{f(g(i0), i1)}}(x, y)"
    if not _fusable(node):
        return None
    return _fuse(fgraph, node, max_fused_inputs())


class FusionOptimizer(GraphRewriter):
    """Theano 1.0's graph optimizer of fusion: the node rewriter applied to every node, from
    the outputs up, and again to each node it makes, until it applies nowhere (a tree
    grows by one level of inputs per application)."""

    def __init__(self, local_optimizer, name="elemwise_fusion"):
        super().__init__(self.apply, name)
        self.optimizer = local_optimizer

    def apply(self, fgraph):
        if not config.tensor.local_elemwise_fusion:
            return 0
        require_replace_validate(fgraph)
        done = 0
        changed = True
        while changed:
            changed = False
            for node in reversed(fgraph.toposort()):
                while node in fgraph.apply_nodes:
                    new = self.optimizer.transform(fgraph, node)
                    if not new:
                        break
                    for old, out in zip(node.outputs, new):
                        out.creation_site = old.creation_site
                    try:
                        fgraph.replace_all_validate(list(zip(node.outputs, new)),
                                                    reason=self.name)
                    except InconsistencyError:
                        break
                    changed = True
                    done += 1
                    node = new[0].owner
        return done

    # Theano 1.0's Optimizer API.
    def optimize(self, fgraph, *args, **kwargs):
        return self.apply(fgraph)


elemwise_fusion = register(FUSION, "fast_run", "fusion", "local_elemwise_fusion",
                           "composite_elemwise_fusion")(FusionOptimizer(local_elemwise_fusion))


# --------------------------------------------------------------------------- in place

def _inplace_candidates(fgraph, node, o, protected, updated):
    """The inputs output ``o`` of ``node`` may overwrite, as Theano 1.0 picks them: not a
    constant, not protected (a function input not declared mutable, a shared variable not
    updated, a graph output), not already destroyed, not destroyed by this node. A shared
    variable the function updates comes first, and only for the node computing its new
    value (written into its own storage); another reader overwriting it would keep that
    node (a Gemv accumulating into it, say) from doing so."""
    taken = {i for _, i in node.op.inplace_pattern}
    found = [k for k, v in enumerate(node.inputs)
             if k not in taken and not isinstance(v, Constant) and v not in protected
             and not fgraph.has_destroyers([v])
             and (v not in updated or fgraph.outputs[updated[v]] is node.outputs[o])]
    return sorted(found, key=lambda k: node.inputs[k] not in updated)


def _inplace_version(node, pattern):
    """The outputs of ``node`` computed in place with ``pattern`` (output -> input), or None
    where the types do not allow it."""
    transfer = scal.transfer_type(*[pattern.get(k, o.type.dtype)
                                    for k, o in enumerate(node.outputs)])
    try:
        scalar_op = node.op.scalar_op.make_new_inplace(transfer)
        new = Elemwise(scalar_op, pattern)(*node.inputs, return_list=True)
    except (TypeError, ValueError):
        return None  # a user's scalar op built otherwise, or types that do not fit
    if [v.type for v in new] != [v.type for v in node.outputs]:
        return None
    return new


def _validates(fgraph, node, new):
    """Whether the DestroyHandler accepts ``new`` in place of ``node``'s outputs (tried,
    then undone)."""
    try:
        with fgraph.destroy_handler.trial():  # only whether it is accepted is read
            chk = fgraph.replace_all_validate(list(zip(node.outputs, new)),
                                              reason="inplace_elemwise_optimizer")
    except InconsistencyError:
        return False
    fgraph.revert(chk)
    return True


@node_rewriter([Elemwise])
def local_inplace_elemwise(fgraph, node):
    "Elemwise{f}(x, y) -> Elemwise{f}[(0, 0)](x, y) where x may be overwritten"
    if type(node.op) is not Elemwise or not hasattr(fgraph, "destroy_handler"):
        return None  # no DestroyHandler: nothing tells what may be overwritten
    baseline = dict(node.op.inplace_pattern)
    free = [o for o in range(len(node.outputs)) if o not in baseline]
    if not free:
        return None
    protected = set(protected_inputs(fgraph)) | set(fgraph.outputs)
    updated = fgraph.update_mapping or {}  # {updated input: index of its new value}
    # One output at a time (the next one when the rewrite meets the new node): the first
    # input the DestroyHandler accepts, as Theano's inplace_elemwise_optimizer.
    o = free[0]
    for k in _inplace_candidates(fgraph, node, o, protected, updated):
        if node.inputs[k].type != node.outputs[o].type:
            continue
        pattern = {**baseline, o: k}
        trial = _inplace_version(node, pattern)
        if trial is not None and _validates(fgraph, node, trial):
            return _inplace_version(node, pattern)  # fresh nodes for the engine
    return None


class InplaceElemwiseOptimizer(GraphRewriter):
    """Theano 1.0's in-place pass as a graph optimizer (``optimize(fgraph)``): the rule
    ``local_inplace_elemwise`` applied to each Elemwise node in topological order. The
    rewrite database runs the rule itself, in the INPLACE phase with the BLAS in-place
    rules, in topological order (so a Gemv overwrites its accumulator before the Elemwise
    reading it is considered, as in Theano)."""

    def __init__(self, op=Elemwise, name="inplace_elemwise_optimizer"):
        super().__init__(self.apply, name)
        self.op = op

    def apply(self, fgraph):
        require_replace_validate(fgraph)
        done = 0
        for node in list(fgraph.toposort()):
            while node in fgraph.apply_nodes:
                new = local_inplace_elemwise.transform(fgraph, node)
                if not new:
                    break
                try:
                    fgraph.replace_all_validate(list(zip(node.outputs, new)),
                                                reason=self.name)
                except InconsistencyError:
                    break
                done += 1
                node = new[0].owner
        return done

    def optimize(self, fgraph, *args, **kwargs):
        return self.apply(fgraph)


register(INPLACE, "fast_run", "inplace", "inplace_opt", "inplace_elemwise_opt",
         "inplace_elemwise_optimizer")(local_inplace_elemwise)
inplace_elemwise_optimizer = InplaceElemwiseOptimizer()

# Theano 1.0 compat: these are theano.tensor.opt's names (tensor/, below this layer, cannot
# import the rules; they are set on it here).
tensor_opt.local_elemwise_fusion = local_elemwise_fusion
tensor_opt.FusionOptimizer = FusionOptimizer
tensor_opt.elemwise_fusion = elemwise_fusion
tensor_opt.InplaceElemwiseOptimizer = InplaceElemwiseOptimizer
tensor_opt.inplace_elemwise_optimizer = inplace_elemwise_optimizer
tensor_opt.insert_inplace_optimizer = inplace_elemwise_optimizer
