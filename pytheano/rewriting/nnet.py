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
                                     same_type, scalar_constant)
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

__all__ = ["local_inv_1_plus_exp", "local_exp_over_1_plus_exp", "local_sigm_times_exp",
           "local_sigmoid_over_sigmoid", "local_1msigmoid",
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


# --------------------------------------------------------------------------- sigmoid products
# T.grad writes the gradient of 1 / (1 + exp(-x)) as -(-1 / ((1 + exp(-x)) * (1 + exp(-x))))
# * exp(-x), inf / inf once |x| > 709; users write exp(-x) / (1 + exp(-x))**2 and
# sigmoid(x) * exp(-x) too. As Theano 1.0.5's rules do, the three below read such a product
# as factors over divisors (through mul, true_div, neg and small integer powers) and trade
# exp(t) / (1 + exp(t)) for sigmoid(t), 1 / (1 + exp(t)) for sigmoid(-t), exp(t) *
# sigmoid(-t) for sigmoid(t), and cancel sigmoid(t) / sigmoid(t): each exact, none
# overflowing. (The factors are multiplied in a new order: as the canonicalizer's flattening.)

_MAX_POWER = 4  # (1 + exp(t)) ** k read as k divisors up to this k


def _power_base(var):
    """(a, k) when ``var`` is sqr(a) or a ** k for a constant integer 1 < k <= _MAX_POWER."""
    if elemwise_of(var, scal.Sqr) is not None:
        return var.owner.inputs[0], 2
    args = elemwise_of(var, scal.Pow)
    k = scalar_constant(args[1]) if args is not None else None
    if k is not None and k == int(k) and 1 < k <= _MAX_POWER:
        return args[0], int(k)
    return None


_MAX_DEPTH = 6  # how deep a product is read: each node's reading stays bounded


def _read_product(var, factors, divisors, depth=0):
    """Appends ``var``'s factors and divisors; returns whether it is their quotient negated."""
    node = var.owner
    if node is None or not isinstance(node.op, Elemwise) or depth == _MAX_DEPTH:
        factors.append(var)
        return False
    op = node.op.scalar_op
    if isinstance(op, scal.Mul):
        negated = False
        for v in node.inputs:
            negated ^= _read_product(v, factors, divisors, depth + 1)
        return negated
    if isinstance(op, scal.TrueDiv):
        return _read_product(node.inputs[0], factors, divisors, depth + 1) ^ \
            _read_product(node.inputs[1], divisors, factors, depth + 1)
    if isinstance(op, scal.Neg):
        return not _read_product(node.inputs[0], factors, divisors, depth + 1)
    power = _power_base(var)
    factors.extend([power[0]] * power[1] if power is not None else [var])
    return False


def _signed(t):
    """What exp(t), 1 + exp(t) or sigmoid(t) is of, comparable across separately built
    negations: ('+', x) for t = x, ('-', x) for t = -x."""
    inner = elemwise_of(t, scal.Neg)
    return ("-", inner[0]) if inner is not None else ("+", t)


def _flip(key):
    return ("+" if key[0] == "-" else "-", key[1])


def _from_key(key):
    return sigmoid(key[1] if key[0] == "+" else negate(key[1]))


def _rebuild_product(node, negated, factors, divisors):
    """The node's output as the quotient of ``factors`` by ``divisors`` (None when the type
    would change); the sign goes into a float constant factor when there is one."""
    if negated:
        for i, f in enumerate(factors):
            if isinstance(f, Constant) and f.type.dtype in scal.float_types:
                factors[i] = constant(-np.asarray(f.data))
                negated = False
                break
    factors = [f for f in factors if not is_one(f)] or factors[:1]
    out = _product(factors)
    if divisors:
        out = tm.true_div(out, _product(divisors))
    return same_type(node, tm.neg(out) if negated else out)


def _held_exactly(var, dtype):
    if var.type.dtype == dtype:
        return True
    value = scalar_constant(var)  # (a size-1 constant, maybe DimShuffle'd)
    if value is None:
        return False
    data = np.asarray(value)
    with np.errstate(all="ignore"):
        return bool(np.all(data.astype(dtype) == data))


def _sigmoid_product(node, trade):
    """The product ``node`` computes with ``trade(factors, divisors)`` applied (it returns
    whether it changed them); None when it changes nothing. Only a product of floats of the
    output's dtype (and constants it holds exactly): another dtype would change where it
    rounds or overflows."""
    if not (is_node_of(node, scal.Mul) or is_node_of(node, scal.TrueDiv)):
        return None
    factors, divisors = [], []
    negated = _read_product(node.outputs[0], factors, divisors)
    dtype = node.outputs[0].type.dtype
    if dtype not in scal.float_types or \
            not all(_held_exactly(v, dtype) for v in factors + divisors) or \
            not trade(factors, divisors):
        return None
    return _rebuild_product(node, negated, factors, divisors)


def _same_pattern(a, b):
    return a.type.broadcastable == b.type.broadcastable


def _trade_over_1_plus_exp(factors, divisors):
    """exp(t) / (1 + exp(t)) -> sigmoid(t); 1 / (1 + exp(t)) -> sigmoid(-t)."""
    changed = False
    for d in list(divisors):
        t = _one_plus_exp(d)
        if t is None or not _same_pattern(d, t):  # 1 + exp(t) may broadcast t
            continue
        key = _signed(t)
        divisors.remove(d)
        for f in factors:
            arg = elemwise_of(f, scal.Exp)
            if arg is not None and _signed(arg[0]) == key:
                factors[factors.index(f)] = _from_key(key)
                break
        else:
            factors.append(_from_key(_flip(key)))
        changed = True
    return changed


def _trade_sigmoid_times_exp(factors, divisors):
    """exp(t) * sigmoid(-t) -> sigmoid(t)."""
    changed = False
    for f in list(factors):
        arg = elemwise_of(f, scal.Exp)
        if arg is None or f not in factors:
            continue
        want = _flip(_signed(arg[0]))
        for g in factors:
            if _sigmoid_key(g) == want and _same_pattern(f, g):
                factors.remove(g)
                factors[factors.index(f)] = _from_key(_signed(arg[0]))
                changed = True
                break
    return changed


def _leaf_key(var):
    """_signed of what ``var`` is the sigmoid or the exp of, else None."""
    arg = elemwise_of(var, scal.Exp)
    return _signed(arg[0]) if arg is not None else _sigmoid_key(var)


def _trade_sigmoid_over_itself(factors, divisors):
    """sigmoid(t) / sigmoid(t) -> 1 where another sigmoid or exp of t stays (it is NaN where
    t is, so the NaN stays too)."""
    changed = False
    for d in list(divisors):
        key = _sigmoid_key(d)
        match = [f for f in factors if _sigmoid_key(f) == key and _same_pattern(f, d)] \
            if key is not None else []
        if not match:
            continue
        rest = [v for v in factors + divisors if v is not match[0] and v is not d]
        if any(_leaf_key(v) is not None and _leaf_key(v)[1] is key[1] for v in rest):
            factors.remove(match[0])
            divisors.remove(d)
            changed = True
    return changed


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([Elemwise])
def local_exp_over_1_plus_exp(fgraph, node):
    "exp(x) / (1 + exp(x)) -> sigmoid(x); c / (1 + exp(x)) -> c * sigmoid(-x)  (in any product)"
    return _sigmoid_product(node, _trade_over_1_plus_exp)


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([Elemwise])
def local_sigm_times_exp(fgraph, node):
    "exp(x) * sigmoid(-x) -> sigmoid(x); exp(-x) * sigmoid(x) -> sigmoid(-x)  (in any product)"
    return _sigmoid_product(node, _trade_sigmoid_times_exp)


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([Elemwise])
def local_sigmoid_over_sigmoid(fgraph, node):
    "a * sigmoid(x) / sigmoid(x) -> a  (a holding a sigmoid or exp of x)"
    # What the tutorial's log(1 / (1 + exp(-x))) differentiates to once the rules above
    # ran: 0 / 0 where sigmoid(x) rounds to 0.
    return _sigmoid_product(node, _trade_sigmoid_over_itself)


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
    """_signed of what ``var`` is the sigmoid of, None when it is not a sigmoid."""
    arg = _sigmoid_arg(var)
    return _signed(arg) if arg is not None else None


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
