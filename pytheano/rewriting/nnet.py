"""Rewrites of the ops of pytheano/tensor/nnet (sigmoid, softplus, softmax and the
cross-entropies): the numerically stable forms, with stable gradients.

Layer 6: rules only. Registered in STABILIZE with 'fast_run' and 'stable'. The sigmoid
rules let Theano's tutorial logistic regression, written with 1 / (1 + exp(-z)), train: the
cost becomes softplus terms, and the 1 - p of its gradient becomes sigmoid(-z), which does
not round to 0.
"""
import numpy as np

from pytheano.graph.rewriting import SPECIALIZE, STABILIZE, node_rewriter, register
from pytheano._core.graph import Constant, ancestors
from pytheano.rewriting.math import (SPECIAL_TAGS, STABLE_TAGS, _apply_all, _peel_dimshuffles,
                                     drop_one, elemwise_of, is_node_of, is_one, negate,
                                     same_type)
from pytheano.rewriting.shape import known_dim
from pytheano.scalar import basic as scal
from pytheano.tensor import math as tm
from pytheano.tensor.basic import (Alloc, NotScalarConstantError, constant,
                                   get_scalar_constant_value)
from pytheano.tensor.creation import ARange, zeros
from pytheano.tensor.elemwise import DimShuffle, Elemwise
from pytheano.tensor.nnet import nnet
from pytheano.tensor.nnet.sigm import ScalarSigmoid, sigmoid, softplus
from pytheano.tensor.reduction import sum as tensor_sum
from pytheano.tensor.subtensor import AdvancedIncSubtensor, AdvancedSubtensor

__all__ = ["local_inv_1_plus_exp", "local_exp_over_1_plus_exp", "local_1msigmoid",
           "local_log_sigmoid", "local_log_softmax",
           "local_crossentropy_softmax", "local_crossentropy_softmax_grad",
           "local_log_softmax_grad", "local_sigmoid_div_cancel", "local_softmax_with_bias",
           "local_advanced_indexing_crossentropy_onehot",
           "local_advanced_indexing_crossentropy_onehot_grad",
           "graph_merge_softmax_with_crossentropy_softmax",
           "local_useless_crossentropy_softmax_1hot_with_bias_dx_alloc"]


def _sigmoid_arg(var):
    inputs = elemwise_of(var, ScalarSigmoid)
    return inputs[0] if inputs is not None else None


def _one_plus_exp(var):
    """x when ``var`` is 1 + exp(x) (either order), else None."""
    terms = elemwise_of(var, scal.Add)
    rest = drop_one(list(terms)) if terms is not None else None
    if not rest or len(rest) != 1:
        return None
    arg = elemwise_of(rest[0], scal.Exp)
    return arg[0] if arg is not None else None


def _softmax_arg(var):
    node = var.owner
    if node is not None and isinstance(node.op, nnet.Softmax):
        return node.inputs[0]
    return None


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([Elemwise])
def local_inv_1_plus_exp(fgraph, node):
    "1 / (1 + exp(x)) -> sigmoid(-x)"
    if not is_node_of(node, scal.TrueDiv) or not is_one(node.inputs[0]):
        return None
    x = _one_plus_exp(node.inputs[1])
    if x is None:
        return None
    return same_type(node, sigmoid(negate(x)))


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([Elemwise])
def local_exp_over_1_plus_exp(fgraph, node):
    "exp(x) / (1 + exp(x)) -> sigmoid(x)"
    if not is_node_of(node, scal.TrueDiv):
        return None
    num = elemwise_of(node.inputs[0], scal.Exp)
    x = _one_plus_exp(node.inputs[1])
    if num is None or x is None or num[0] is not x:
        return None
    return same_type(node, sigmoid(x))


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([Elemwise])
def local_1msigmoid(fgraph, node):
    "1 - sigmoid(x) -> sigmoid(-x)"
    if not is_node_of(node, scal.Sub) or not is_one(node.inputs[0]):
        return None
    x = _sigmoid_arg(node.inputs[1])
    if x is None:
        return None
    return same_type(node, sigmoid(negate(x)))


# log(1 - sigmoid(x)) -> -softplus(x) is local_1msigmoid then local_log_sigmoid: the sub
# node comes first in the driver's order, so a rule of its own would never fire.
@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([Elemwise])
def local_log_sigmoid(fgraph, node):
    "log(sigmoid(x)) -> -softplus(-x)"
    if not is_node_of(node, scal.Log):
        return None
    x = _sigmoid_arg(node.inputs[0])
    if x is None:
        return None
    # 0 - softplus, not -softplus: where sigmoid(x) rounds to 1, log gives +0.0, and so
    # must the rewrite (-0.0 would flip the sign of a later 1 / log(...) to -inf).
    sp = softplus(negate(x))
    return same_type(node, tm.sub(constant(np.zeros((1,) * sp.ndim, dtype=sp.dtype)), sp))


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([Elemwise])
def local_log_softmax(fgraph, node):
    "log(softmax(x)) -> log_softmax(x)"
    if not is_node_of(node, scal.Log):
        return None
    x = _softmax_arg(node.inputs[0])
    if x is None:
        return None
    return same_type(node, nnet.logsoftmax(x))


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([nnet.CrossentropyCategorical1Hot])
def local_crossentropy_softmax(fgraph, node):
    "crossentropy_categorical_1hot(softmax(x), y) -> crossentropy_softmax_argmax_1hot_with_bias(x, 0, y)[0]"  # noqa: E501
    coding, labels = node.inputs
    x = _softmax_arg(coding)
    if x is None or x.ndim != 2:
        return None
    bias = zeros((x.shape[1],), dtype=x.dtype)
    return same_type(node, nnet.crossentropy_softmax_argmax_1hot_with_bias(x, bias, labels)[0])


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([nnet.SoftmaxGrad])
def local_crossentropy_softmax_grad(fgraph, node):
    "softmax_grad(crossentropy_categorical_1hot_grad(g, sm, y), sm) -> crossentropy_softmax_1hot_with_bias_dx(g, sm, y)"  # noqa: E501
    dy, sm = node.inputs
    if dy.owner is None or not isinstance(dy.owner.op, nnet.CrossentropyCategorical1HotGrad):
        return None
    g, coding, labels = dy.owner.inputs
    if coding is not sm or _softmax_arg(sm) is None:
        return None
    # Theano's grad: dy * (sm - onehot), no division by a probability that may round to 0.
    return same_type(node, nnet.crossentropy_softmax_1hot_with_bias_dx(g, sm, labels))


# --------------------------------------------------------------------------- softmax(x + b)

def _row_bias(v):
    """b when ``v`` is a vector b broadcast over rows (DimShuffle{x,0}(b), or a one-row
    matrix, whose row it is), else None."""
    if v.type.broadcastable != (True, False):
        return None
    node = v.owner
    if node is not None and isinstance(node.op, DimShuffle) and \
            tuple(node.op.new_order) == ("x", 0):
        return node.inputs[0]
    return DimShuffle((True, False), (1,))(v)


def _split_bias(z):
    """(x, b) such that z = x + b, b a float vector added to each row of the matrix x, both
    such that softmax_with_bias(x, b) has z's type; else None."""
    terms = elemwise_of(z, scal.Add)
    if terms is None or z.type.ndim != 2:
        return None
    vectors, rest = [], []
    for t in terms:
        b = _row_bias(t)
        if b is None:
            rest.append(t)
        else:
            vectors.append(b)
    if not vectors:
        return None
    if not rest:
        rest.append(vectors.pop().dimshuffle("x", 0))
    x = rest[0] if len(rest) == 1 else tm.add(*rest)
    b = vectors[0] if len(vectors) == 1 else tm.add(*vectors)
    if x.type != z.type or b.type.dtype not in scal.float_types:
        return None
    return x, b


def _softmax_input(sm):
    """(x, b) when ``sm`` is softmax(x + b) or softmax_with_bias(x, b); (x, None) when it is
    softmax(x) with no bias to split off; else None."""
    node = sm.owner
    if node is None:
        return None
    if isinstance(node.op, nnet.SoftmaxWithBias):
        return tuple(node.inputs)
    if isinstance(node.op, nnet.Softmax):
        return _split_bias(node.inputs[0]) or (node.inputs[0], None)
    return None


@register(SPECIALIZE, *SPECIAL_TAGS)
@node_rewriter([nnet.Softmax])
def local_softmax_with_bias(fgraph, node):
    "softmax(x + b) -> softmax_with_bias(x, b)  (b a vector broadcast over the rows)"
    # A wrong bias length raises ValueError in both (the broadcast, the op's check).
    parts = _split_bias(node.inputs[0])
    if parts is None:
        return None
    return same_type(node, nnet.softmax_with_bias(*parts))


# --------------------------------------------------------------------------- xent as indexing
# -log(softmax(x))[arange(n), y], the cost of Theano's deep-learning tutorial, and its
# gradient become Theano's one-pass ops CrossentropySoftmaxArgmax1HotWithBias and
# CrossentropySoftmax1HotWithBiasDx (softmax, log, the indexing and its scatter in one).
# The ops read the labels as numpy reads m[arange(len(y)), y] (tensor/nnet/nnet.py's
# _picked_labels): fewer labels than rows, negative labels and the IndexError of a label
# out of range come out as optimizer=None computes them (Theano 1.0.5's raise ValueError),
# so the rules need only prove that the row index is arange(len(y)).

def _is_zero(var):
    try:
        return bool(np.all(get_scalar_constant_value(var) == 0))
    except NotScalarConstantError:
        return False


def _rows_of(fgraph, rows, labels):
    """Whether ``rows`` is arange(len(labels)), so (rows, labels) picks one entry a row."""
    node = rows.owner
    if node is None or not isinstance(node.op, ARange) or labels.type.ndim != 1 or \
            labels.type.dtype not in scal.integer_types:
        return False
    start, stop, step = node.inputs
    try:
        if get_scalar_constant_value(start) != 0 or get_scalar_constant_value(step) != 1:
            return False
    except NotScalarConstantError:
        return False
    return known_dim(fgraph, labels, 0, stop)


def _xent_parts(fgraph, node):
    """(softmax output, labels) when ``node`` computes log(softmax(.))[arange(n), labels]
    (the log or log_softmax before or after the indexing), else None."""
    if isinstance(node.op, AdvancedSubtensor):
        if len(node.inputs) != 3:
            return None
        logp, rows, labels = node.inputs
        lsm = logp.owner
        if lsm is not None and isinstance(lsm.op, nnet.LogSoftmax):
            sm = nnet.softmax_op(lsm.inputs[0])
        else:
            arg = elemwise_of(logp, scal.Log)
            sm = arg[0] if arg is not None else None
    elif is_node_of(node, scal.Log):
        picked = node.inputs[0].owner
        if picked is None or type(picked.op) is not AdvancedSubtensor or \
                len(picked.inputs) != 3:
            return None
        sm, rows, labels = picked.inputs
    else:
        return None
    if sm is None or not _rows_of(fgraph, rows, labels):
        return None
    return sm, labels


def _with_bias(x, b):
    return b if b is not None else zeros((x.shape[1],), dtype=x.dtype)


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([AdvancedSubtensor, Elemwise])
def local_advanced_indexing_crossentropy_onehot(fgraph, node):
    "log(softmax(x + b))[arange(n), y] -> -crossentropy_softmax_argmax_1hot_with_bias(x, b, y)[0]"  # noqa: E501
    found = _xent_parts(fgraph, node)
    parts = _softmax_input(found[0]) if found is not None else None
    if parts is None or parts[0].type.ndim != 2:
        return None
    x, b = parts
    nll = nnet.crossentropy_softmax_argmax_1hot_with_bias(x, _with_bias(x, b), found[1])[0]
    return same_type(node, tm.neg(nll))


def _broadcast_value(var):
    """v when ``var`` is v (0-d or a length-1 vector) filled or allocated to a vector,
    else ``var``: the gradient op serves every row from one value."""
    fill = elemwise_of(var, scal.Second)
    if fill is not None:
        value = fill[1]
    elif var.owner is not None and isinstance(var.owner.op, Alloc):
        value = var.owner.inputs[0]
    else:
        return var
    return value if value.type.ndim <= 1 and all(value.type.broadcastable) else var


def _negated(var):
    """-var without a node for the sign where ``var`` is (a DimShuffle of) c / d with c a
    float constant (-(c / d) is (-c) / d bit for bit) or -w; else neg(var)."""
    ops, inner = _peel_dimshuffles(var)
    quotient = elemwise_of(inner, scal.TrueDiv)
    if quotient is not None and isinstance(quotient[0], Constant) and \
            quotient[0].type.dtype in scal.float_types:
        flipped = tm.true_div(constant(-np.asarray(quotient[0].data)), quotient[1])
        if flipped.type == inner.type:
            return _apply_all(ops, flipped)
    return negate(var)


def _picked_grad(fgraph, d_sm, sm):
    """(g, labels) when ``d_sm``, the gradient reaching softmax_grad, is what T.grad writes
    for log(softmax)[arange(n), labels] with g the gradient of the picked entries, or for
    log(softmax[arange(n), labels]); else None."""
    quotient = elemwise_of(d_sm, scal.TrueDiv)
    if quotient is not None:
        # log(sm)[rows, labels]: inc_subtensor(zeros, g, rows, labels) / sm
        if quotient[1] is not sm:
            return None
        scatter = quotient[0].owner
        if scatter is None or type(scatter.op) is not AdvancedIncSubtensor or \
                scatter.op.set_instead_of_inc or len(scatter.inputs) != 4:
            return None
        z, g, rows, labels = scatter.inputs
    else:
        # log(sm[rows, labels]): inc_subtensor(zeros, g / sm[rows, labels], rows, labels)
        scatter = d_sm.owner
        if scatter is None or type(scatter.op) is not AdvancedIncSubtensor or \
                scatter.op.set_instead_of_inc or len(scatter.inputs) != 4:
            return None
        z, incr, rows, labels = scatter.inputs
        inner = elemwise_of(incr, scal.TrueDiv)
        picked = inner[1].owner if inner is not None else None
        if picked is None or type(picked.op) is not AdvancedSubtensor or \
                list(picked.inputs) != [sm, rows, labels]:
            return None
        g = inner[0]
    if not _is_zero(z) or g.type.ndim > 1 or g.type.dtype not in scal.float_types or \
            not _rows_of(fgraph, rows, labels):
        return None
    return g, labels


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([nnet.SoftmaxGrad])
def local_advanced_indexing_crossentropy_onehot_grad(fgraph, node):
    "softmax_grad(inc_subtensor(zeros, g, arange(n), y) / sm, sm) -> crossentropy_softmax_1hot_with_bias_dx(-g, sm, y)"  # noqa: E501
    d_sm, sm = node.inputs
    if _softmax_input(sm) is None or sm.type.ndim != 2:
        return None
    found = _picked_grad(fgraph, d_sm, sm)
    if found is None:
        return None
    g, labels = found
    # dy * (sm - onehot) with dy = -g: no division by a probability that may round to 0.
    dy = _negated(_broadcast_value(g))
    return same_type(node, nnet.crossentropy_softmax_1hot_with_bias_dx(dy, sm, labels))


@register(SPECIALIZE, *SPECIAL_TAGS)
@node_rewriter([nnet.Softmax, nnet.SoftmaxWithBias])
def graph_merge_softmax_with_crossentropy_softmax(fgraph, node):
    "softmax_with_bias(x, b) -> crossentropy_softmax_argmax_1hot_with_bias(x, b, y)[1]  (that node in the graph)"  # noqa: E501
    # Also softmax(x) with the node of a zero bias, the form local_crossentropy_softmax and
    # the rule above build for a softmax without one.
    if fgraph is None:
        return None
    if isinstance(node.op, nnet.SoftmaxWithBias):
        x, b = node.inputs
    else:
        x, b = node.inputs[0], None
    for client, _ in fgraph.clients.get(x, ()):
        if client == "output" or not isinstance(client.op,
                                                 nnet.CrossentropySoftmaxArgmax1HotWithBias):
            continue
        if client.inputs[0] is x and (client.inputs[1] is b if b is not None
                                      else _is_zero(client.inputs[1])) and \
                node.outputs[0] not in ancestors(client.inputs[1:]):  # labels from it: a cycle
            return same_type(node, client.outputs[1])
    return None


@register(SPECIALIZE, *SPECIAL_TAGS)
@node_rewriter([nnet.CrossentropySoftmax1HotWithBiasDx])
def local_useless_crossentropy_softmax_1hot_with_bias_dx_alloc(fgraph, node):
    "crossentropy_softmax_1hot_with_bias_dx(alloc(v, n), sm, y) -> crossentropy_softmax_1hot_with_bias_dx(v, sm, y)  (v of one value)"  # noqa: E501
    dy, sm, labels = node.inputs
    value = _broadcast_value(dy)
    if value is dy:
        return None
    return same_type(node, node.op(value, sm, labels))


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([nnet.SoftmaxGrad])
def local_log_softmax_grad(fgraph, node):
    "softmax_grad(g / sm, sm) -> g - sum(g, axis=1) * sm"
    dy, sm = node.inputs
    quotient = elemwise_of(dy, scal.TrueDiv)
    if quotient is None or quotient[1] is not sm or _softmax_arg(sm) is None:
        return None
    g = quotient[0]
    return same_type(node, g - tensor_sum(g, axis=1, keepdims=True) * sm)


def _sigmoid_key(var):
    """What a sigmoid is of, comparable across separately built negations: ('+', x) for
    sigmoid(x), ('-', x) for sigmoid(-x), None when ``var`` is not a sigmoid."""
    arg = _sigmoid_arg(var)
    if arg is None:
        return None
    inner = elemwise_of(arg, scal.Neg)
    return ("-", inner[0]) if inner is not None else ("+", arg)


def _signed_quotient(var):
    """(numerator, sigmoid key) when ``var`` is g / sigmoid(.) or -(g / sigmoid(.)), the
    numerator carrying the sign; else None."""
    negated = elemwise_of(var, scal.Neg)  # log(1 - sigmoid(x)) gives -(g / sigmoid(-x))
    quotient = elemwise_of(negated[0] if negated is not None else var, scal.TrueDiv)
    key = _sigmoid_key(quotient[1]) if quotient is not None else None
    if key is None:
        return None
    return (tm.neg(quotient[0]) if negated is not None else quotient[0]), key


def _product(factors):
    return factors[0] if len(factors) == 1 else tm.mul(*factors)


def _cancel(num, key, factors):
    """num * factors with one sigmoid of ``key`` taken out, or None if there is none."""
    for j, h in enumerate(factors):
        if _sigmoid_key(h) == key:
            return _product([num] + factors[:j] + factors[j + 1:])
    return None


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([Elemwise])
def local_sigmoid_div_cancel(fgraph, node):
    "(g / sigmoid(x)) * sigmoid(x) * r -> g * r; (a / s1 + b / s2) * s1 * s2 -> a * s2 + b * s1"
    # The gradient of log(sigmoid(x)) as T.grad writes it: the sigmoid rounds to 0 for
    # large -x, so the quotient is inf and the product nan; exactly, it is never 0. The
    # second form is binary_crossentropy's gradient (one quotient per log).
    if not is_node_of(node, scal.Mul):
        return None
    factors = []
    for v in node.inputs:
        inner = elemwise_of(v, scal.Mul)
        factors.extend(inner if inner is not None else [v])
    for i, f in enumerate(factors):
        others = factors[:i] + factors[i + 1:]
        found = _signed_quotient(f)
        if found is not None:
            new = _cancel(found[0], found[1], others)
            if new is not None:
                return same_type(node, new)
            continue
        terms = elemwise_of(f, scal.Add)
        quotients = [_signed_quotient(t) for t in terms] if terms is not None else [None]
        if None in quotients:
            continue
        new_terms = [_cancel(num, key, others) for num, key in quotients]
        if None not in new_terms:
            return same_type(node, tm.add(*new_terms))
    return None
