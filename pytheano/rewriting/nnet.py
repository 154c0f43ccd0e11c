"""Rewrites of the ops of pytheano/tensor/nnet (sigmoid, softplus, softmax and the
cross-entropies): the numerically stable forms, with stable gradients.

Layer 6: rules only. Registered in STABILIZE with 'fast_run' and 'stable'. The sigmoid
rules let Theano's tutorial logistic regression, written with 1 / (1 + exp(-z)), train: the
cost becomes softplus terms, and the 1 - p of its gradient becomes sigmoid(-z), which does
not round to 0.
"""
from pytheano.graph.rewriting import STABILIZE, node_rewriter, register
from pytheano.rewriting.math import (STABLE_TAGS, drop_one, elemwise_of, is_node_of, is_one,
                                     negate, same_type)
from pytheano.scalar import basic as scal
from pytheano.tensor import math as tm
from pytheano.tensor.creation import zeros
from pytheano.tensor.elemwise import Elemwise
from pytheano.tensor.nnet import nnet
from pytheano.tensor.nnet.sigm import ScalarSigmoid, sigmoid, softplus
from pytheano.tensor.reduction import sum as tensor_sum

__all__ = ["local_inv_1_plus_exp", "local_exp_over_1_plus_exp", "local_1msigmoid",
           "local_log_sigmoid", "local_log_softmax",
           "local_crossentropy_softmax", "local_crossentropy_softmax_grad",
           "local_log_softmax_grad", "local_sigmoid_div_cancel"]


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
    return same_type(node, tm.neg(softplus(negate(x))))


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
