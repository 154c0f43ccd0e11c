"""Rewrites of the ops of pytheano/tensor/math.py (and their reductions): the identities
of CANONICALIZE (x * 1, x + 0, -(-x)), the numerically stable forms of STABILIZE (log1p,
expm1, logsumexp) and the cheaper forms of SPECIALIZE (x ** 1, integer x ** 2, division by
a power of two).

Layer 6: rules only (tensor and graph imports). Each keeps the output type of the node it
replaces and its values (NaN, inf and shape errors included), or does nothing. The helpers
at the top match the patterns as users write them: constants arrive DimShuffle'd to the rank
of the other operand.
"""
import numpy as np

from pytheano._core.graph import Constant
from pytheano.graph.rewriting import (CANONICALIZE, SPECIALIZE, STABILIZE, Query,
                                      RewriteDatabase, node_rewriter, register)
from pytheano.ifelse import IfElse, ifelse
from pytheano.scalar import basic as scal
from pytheano.tensor import math as tm
from pytheano.tensor import opt as tensor_opt
from pytheano.tensor.basic import alloc, constant
from pytheano.tensor.creation import zeros_like
from pytheano.tensor.elemwise import DimShuffle, Elemwise
from pytheano.tensor.reduction import CAReduce, Sum, max as tensor_max, sum as tensor_sum
from pytheano.tensor.shape import Shape, Shape_i
from pytheano.tensor.slicing import Subtensor

__all__ = ["local_mul_by_one", "local_add_zero", "local_sub_zero", "local_div_by_one",
           "local_neg_neg", "local_mul_neg", "local_log1p", "local_expm1", "local_logsumexp",
           "local_logsumexp_grad", "local_pow_one", "local_pow_two", "local_div_to_mul",
           "local_div_cancel", "local_div_cancel_unsafe", "local_neg_div_neg",
           "local_useless_maximum_of_shape", "local_useless_switch_same_branches"]

CANON_TAGS = ("fast_run", "fast_compile")
STABLE_TAGS = ("fast_run", "stable")
SPECIAL_TAGS = ("fast_run",)


def elemwise_of(var, scalar_op_class):
    """The inputs of ``var``'s Elemwise node when its scalar op is a ``scalar_op_class``,
    else None."""
    node = var.owner
    if node is not None and isinstance(node.op, Elemwise) and \
            isinstance(node.op.scalar_op, scalar_op_class):
        return node.inputs
    return None


def is_node_of(node, scalar_op_class):
    return isinstance(node.op, Elemwise) and isinstance(node.op.scalar_op, scalar_op_class)


def scalar_constant(var):
    """The number a size-1 constant (maybe DimShuffle'd to broadcast) holds, else None.
    Only all-broadcastable constants: dropping a bigger one could hide a shape error."""
    if not all(var.type.broadcastable):
        return None
    while var.owner is not None and isinstance(var.owner.op, DimShuffle):
        var = var.owner.inputs[0]
    if isinstance(var, Constant):
        data = np.asarray(var.data)
        if data.size == 1:
            return data.reshape(())[()]
    return None


def is_one(var):
    value = scalar_constant(var)
    return value is not None and value == 1


def drop_one(terms):
    """``terms`` without one operand that is the constant 1, or None if none is."""
    for i, t in enumerate(terms):
        if is_one(t):
            return terms[:i] + terms[i + 1:]
    return None


def negate(x):
    """-x, without building -(-y)."""
    inner = elemwise_of(x, scal.Neg)
    return inner[0] if inner is not None else tm.neg(x)


def same_type(node, new):
    """``[new]`` when it has the type (dtype and broadcastable pattern) of the node's output,
    else None: a rewrite never changes what the user's graph computes."""
    if new.type != node.outputs[0].type:
        return None
    return [new]


def is_zero(var, negative=None):
    """Whether ``var`` is the constant 0; with ``negative`` given, a real float zero must have
    that sign bit (x + (-0.0) and x - (+0.0) are x bit for bit; -0.0 + 0 is +0.0)."""
    value = scalar_constant(var)
    if value is None or value != 0:
        return False
    if negative is None or np.asarray(value).dtype.kind != "f":
        return True
    return bool(np.signbit(value)) == negative


def _complex_output(node):
    return node.outputs[0].type.dtype in scal.complex_types


def _float_output(node):
    return node.outputs[0].type.dtype not in scal.discrete_types


def _without(terms, test):
    """``terms`` less the first operand passing ``test``, or None when none does."""
    for i, t in enumerate(terms):
        if test(t):
            return terms[:i] + terms[i + 1:]
    return None


def _rebuild(node, rest, op):
    """The node's op over the remaining operands (the operand itself when one is left),
    kept only when it has the node's output type."""
    if not rest:
        return None
    return same_type(node, rest[0] if len(rest) == 1 else op(*rest))


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Elemwise])
def local_mul_by_one(fgraph, node):
    "mul(x, 1) -> x"
    # Not complex: (a + bj) * (1 + 0j) computes b * 0, nan for an infinite b.
    if not is_node_of(node, scal.Mul) or _complex_output(node):
        return None
    return _rebuild(node, _without(list(node.inputs), is_one), tm.mul)


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Elemwise])
def local_add_zero(fgraph, node):
    "add(x, 0) -> x"
    # A float x + 0 turns x = -0.0 into +0.0 (and an integer 0 is +0.0 once cast): only
    # integer sums, or a float -0.0, are dropped bit for bit.
    if not is_node_of(node, scal.Add):
        return None
    if not _float_output(node):
        test = is_zero
    else:
        def test(t):
            return t.type.dtype in scal.float_types and is_zero(t, negative=True)
    return _rebuild(node, _without(list(node.inputs), test), tm.add)


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Elemwise])
def local_sub_zero(fgraph, node):
    "x - 0 -> x"
    # x - (+0.0) is x bit for bit, -0.0 included; x - (-0.0) is x + 0, which is not.
    if not is_node_of(node, scal.Sub) or not is_zero(node.inputs[1], negative=False):
        return None
    return same_type(node, node.inputs[0])


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Elemwise])
def local_div_by_one(fgraph, node):
    "x / 1 -> x"
    # x // 1 only for integers: a float x // 1 is floor(x).
    integer = node.outputs[0].type.dtype in scal.integer_types
    if not (is_node_of(node, scal.TrueDiv) or (integer and is_node_of(node, scal.IntDiv))) \
            or _complex_output(node) or not is_one(node.inputs[1]):
        return None
    return same_type(node, node.inputs[0])


@register(CANONICALIZE, *CANON_TAGS)
@register(SPECIALIZE, *SPECIAL_TAGS, "local_neg_neg", name="local_neg_neg_specialize")
@node_rewriter([Elemwise])
def local_neg_neg(fgraph, node):
    "-(-x) -> x"
    if not is_node_of(node, scal.Neg):
        return None
    inner = elemwise_of(node.inputs[0], scal.Neg)
    return same_type(node, inner[0]) if inner is not None else None


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Elemwise])
def local_mul_neg(fgraph, node):
    "mul(-a, b) -> -mul(a, b)  (a of the product's dtype, not complex)"
    # Theano's mul canonizer cancels the signs of a product; here they move out, one at a
    # time, and neg(neg(x)) cancels them: -a * -b -> a * b. Exact: a product's sign is the
    # xor of its operands' signs and its magnitude does not depend on them (signed zeros,
    # inf and nan included); integers wrap alike in the product's dtype. Not for an `a` the
    # product upcasts (-uint8 wraps before the upcast), nor complex (its parts are sums).
    if not is_node_of(node, scal.Mul) or _complex_output(node):
        return None
    dtype = node.outputs[0].type.dtype
    for k, term in enumerate(node.inputs):
        inner = elemwise_of(term, scal.Neg)
        if inner is not None and inner[0].type.dtype == dtype:
            terms = list(node.inputs)
            terms[k] = inner[0]
            return same_type(node, tm.neg(tm.mul(*terms)))
    return None


@register(SPECIALIZE, *SPECIAL_TAGS)
@node_rewriter([Elemwise])
def local_pow_one(fgraph, node):
    "x ** 1 -> x"
    if not is_node_of(node, scal.Pow) or _complex_output(node) or not is_one(node.inputs[1]):
        return None
    return same_type(node, node.inputs[0])


@register(SPECIALIZE, *SPECIAL_TAGS)
@node_rewriter([Elemwise])
def local_pow_two(fgraph, node):
    "x ** 2 -> sqr(x)  (integer x)"
    # Integers only: both wrap modulo 2**bits. For floats C's pow(x, 2) is not always the
    # correctly rounded x * x (1 ulp apart about once in 1,000 draws), so it stays a pow.
    if not is_node_of(node, scal.Pow) or node.inputs[0].type.dtype not in scal.integer_types:
        return None
    x, y = node.inputs
    value = scalar_constant(y)
    if value is None or value != 2:
        return None
    return same_type(node, tm.sqr(x))


def _exact_reciprocal(value, dtype):
    """1 / value in ``dtype`` when value is a finite power of two whose reciprocal is too
    (so x * (1 / c) rounds as x / c does), else None."""
    c = np.asarray(value).astype(dtype)
    if not np.isfinite(c) or c == 0:
        return None
    with np.errstate(over="ignore"):
        r = np.reciprocal(c)
    if not np.isfinite(r) or np.frexp(np.abs(c))[0] != 0.5 or r * c != 1:
        return None
    return r


@register(SPECIALIZE, *SPECIAL_TAGS)
@node_rewriter([Elemwise])
def local_div_to_mul(fgraph, node):
    "x / c -> x * (1 / c)  (floats, c a power of two)"
    # Only where 1 / c is exact: x * 0.1 and x / 10 round differently.
    if not is_node_of(node, scal.TrueDiv):
        return None
    x, c = node.inputs
    dtype = node.outputs[0].type.dtype
    if dtype not in scal.float_types or x.type.dtype not in scal.float_types:
        return None
    value = scalar_constant(c)
    if value is None:
        return None
    r = _exact_reciprocal(value, dtype)
    if r is None:
        return None
    shape = (1,) * c.type.ndim
    return same_type(node, tm.mul(x, constant(np.full(shape, r, dtype=dtype))))


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([Elemwise])
def local_log1p(fgraph, node):
    "log(1 + x) -> log1p(x)"
    if not is_node_of(node, scal.Log):
        return None
    terms = elemwise_of(node.inputs[0], scal.Add)
    rest = drop_one(list(terms)) if terms is not None else None
    if not rest:
        return None
    return same_type(node, tm.log1p(rest[0] if len(rest) == 1 else tm.add(*rest)))


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([Elemwise])
def local_expm1(fgraph, node):
    "exp(x) - 1 -> expm1(x)"
    if not is_node_of(node, scal.Sub) or not is_one(node.inputs[1]):
        return None
    arg = elemwise_of(node.inputs[0], scal.Exp)
    if arg is None:
        return None
    return same_type(node, tm.expm1(arg[0]))


def _logsumexp_shift(x, axis):
    """max(x, axis, keepdims=True), 0 where that is infinite or the axes are empty: what
    exp(x - shift) may be summed with and not overflow, and what log(...) + shift leaves
    exact. An all -inf row would give -inf - -inf = nan: it is shifted by 0 (the result is
    -inf, as exp(-inf) sums to 0); +inf and nan rows give inf and nan, as the exact math.
    An empty axis, where sum(exp(x)) is 0 and max raises, is shifted by 0 without computing
    the max (a lazy ifelse: Theano 1.0.5's local_log_sum_exp raises there)."""
    m = tensor_max(x, axis=axis, keepdims=True)
    m = tm.switch(tm.isinf(m), zeros_like(m), m)
    lengths = [x.shape[a] for a in axis]
    empty = tm.eq(lengths[0] if len(lengths) == 1 else tm.mul(*lengths), 0)
    # The sum of x over its empty axes: zeros of m's shape, cheap exactly when it is taken.
    zero = tm.cast(tensor_sum(x, axis=axis, keepdims=True), m.type.dtype)
    return ifelse(empty, zero, m)


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([Elemwise])
def local_logsumexp(fgraph, node):
    "log(sum(exp(x), axis)) -> max(x, axis) + log(sum(exp(x - max(x, axis)), axis))"
    if not is_node_of(node, scal.Log):
        return None
    summed, keep = node.inputs[0], None
    if summed.owner is not None and isinstance(summed.owner.op, DimShuffle):
        # sum(..., keepdims=True) is a DimShuffle of the Sum: rebuild it around the result.
        keep, summed = summed.owner.op, summed.owner.inputs[0]
    if summed.owner is None or not isinstance(summed.owner.op, Sum):
        return None
    arg = elemwise_of(summed.owner.inputs[0], scal.Exp)
    if arg is None:
        return None
    x = arg[0]
    shift = elemwise_of(x, scal.Sub)
    if shift is not None and shift[1].owner is not None and \
            isinstance(shift[1].owner.op, IfElse):
        return None  # already x - shift: this rule's own output
    axis = summed.owner.op.axis
    axis = list(range(x.ndim)) if axis is None else list(axis)
    if not axis:
        return None
    m = _logsumexp_shift(x, axis)
    shifted = summed.owner.op(tm.exp(x - m))
    out = tm.log(shifted) + m.dimshuffle([i for i in range(x.ndim) if i not in axis])
    if keep is not None:
        out = keep(out)
    return same_type(node, out)



def _exp_arg(var):
    inputs = elemwise_of(var, scal.Exp)
    return inputs[0] if inputs is not None else None


def _peel_dimshuffles(var):
    """(the DimShuffle ops applied over a variable, outermost first; that variable)."""
    ops = []
    while var.owner is not None and isinstance(var.owner.op, DimShuffle):
        ops.append(var.owner.op)
        var = var.owner.inputs[0]
    return ops, var


def _apply_all(ops, var):
    for op in reversed(ops):
        var = op(var)
    return var


@register(STABILIZE, *STABLE_TAGS)
@node_rewriter([Elemwise])
def local_logsumexp_grad(fgraph, node):
    "[fill(exp(x),] g / sum(exp(x))[)] * exp(x) -> (g / sum(exp(x - max))) * exp(x - max)"
    # T.grad of log(sum(exp(x))) as written: exp(x) overflows to inf over inf for large x.
    # Dividing both by exp(max) over the summed axes is exact; the DimShuffles T.grad put
    # around the quotient (keepdims, the broadcast back) are kept as they are.
    if not is_node_of(node, scal.Mul) or len(node.inputs) != 2:
        return None
    for scaled, e in (node.inputs, node.inputs[::-1]):
        x = _exp_arg(e)
        if x is None:
            continue
        # The fill T.grad wrote is gone once local_fill_sink ran (canonicalize, fast_run).
        fill = elemwise_of(scaled, scal.Second)
        if fill is not None and _exp_arg(fill[0]) is not x:
            continue
        outer, quotient_var = _peel_dimshuffles(scaled if fill is None else fill[1])
        quotient = elemwise_of(quotient_var, scal.TrueDiv)
        if quotient is None:
            continue
        inner, summed = _peel_dimshuffles(quotient[1])
        if summed.owner is None or not isinstance(summed.owner.op, Sum) or \
                _exp_arg(summed.owner.inputs[0]) is not x:
            continue
        axis = summed.owner.op.axis
        axis = list(range(x.ndim)) if axis is None else list(axis)
        shifted = tm.exp(x - _logsumexp_shift(x, axis))
        divisor = _apply_all(inner, summed.owner.op(shifted))
        return same_type(node, _apply_all(outer, quotient[0] / divisor) * shifted)
    return None


# --------------------------------------------------------------------------- canonical forms
# Theano's canonical add/mul: one n-ary node per chain, every scalar constant folded into one
# constant of the output's dtype, placed first (mul(2.0, x, y)); the gemm and fusion rules
# read this form. Only chains of one dtype are flattened (int8 products wrap where the
# flattened float64 one would not), and only through nodes nobody else reads.

def _single_client(fgraph, var):
    return len(fgraph.clients.get(var, ())) == 1 if fgraph is not None else False


def _flat_terms(fgraph, node, scalar_op_class):
    """The operands of the chain of ``scalar_op_class`` nodes rooted at ``node`` (left to
    right), and whether any inner node was taken in."""
    dtype = node.outputs[0].type.dtype
    terms, flattened = [], False
    for inp in node.inputs:
        inner = inp.owner
        if inner is not None and is_node_of(inner, scalar_op_class) and \
                inp.type.dtype == dtype and _single_client(fgraph, inp):
            sub, _ = _flat_terms(fgraph, inner, scalar_op_class)
            terms.extend(sub)
            flattened = True
        else:
            terms.append(inp)
    return terms, flattened


def _is_canonical_constant(var, dtype, ndim):
    return isinstance(var, Constant) and var.type.dtype == dtype and var.type.ndim == ndim


def _canonize(fgraph, node, scalar_op_class, ufunc, identity, op):
    out = node.outputs[0]
    dtype = out.type.dtype
    if not is_node_of(node, scalar_op_class) or dtype in scal.complex_types or dtype == "bool":
        return None
    terms, flattened = _flat_terms(fgraph, node, scalar_op_class)
    consts = [(t, scalar_constant(t)) for t in terms]
    values = [v for _, v in consts if v is not None]
    rest = [t for t, v in consts if v is None]
    if not rest:
        return None  # all constants: constant_folding's work
    misplaced = bool(values) and not (
        _is_canonical_constant(terms[0], dtype, out.type.ndim) and len(values) == 1)
    # T.grad builds its products with an unnamed Elemwise{mul}: the canonical node prints
    # as the user's op does (Elemwise{mul,no_inplace}), as in Theano.
    renamed = node.op is not op and node.op.name != op.name
    if not flattened and not misplaced and not renamed:
        return None
    new_terms = list(rest)
    if values:
        with np.errstate(all="ignore"):
            folded = np.asarray(values[0]).astype(dtype)
            for v in values[1:]:
                folded = ufunc(folded, np.asarray(v).astype(dtype)).astype(dtype)
        # x * 1 and (integer) x + 0 are x; a float + 0 is kept (it turns -0.0 into +0.0).
        droppable = folded == identity and rest and (
            scalar_op_class is scal.Mul or dtype not in scal.float_types)
        if not droppable:
            new_terms.insert(0, constant(np.full((1,) * out.type.ndim, folded, dtype=dtype)))
    return same_type(node, new_terms[0] if len(new_terms) == 1 else op(*new_terms))


@register(CANONICALIZE, "fast_run")
@node_rewriter([Elemwise])
def local_mul_canonizer(fgraph, node):
    "mul(mul(x, 2), y, 3) -> mul(6.0, x, y)"
    return _canonize(fgraph, node, scal.Mul, np.multiply, 1, tm.mul)


@register(CANONICALIZE, "fast_run")
@node_rewriter([Elemwise])
def local_add_canonizer(fgraph, node):
    "add(add(x, 1), y, 2) -> add(3.0, x, y)"
    return _canonize(fgraph, node, scal.Add, np.add, 0, tm.add)


# --------------------------------------------------------------------------- division
# (a * b) / (b * c) -> a / c. Theano 1.0 cancels any common factor, which turns x / x into
# 1 where x is 0, inf or nan, and drops the shape error of a factor that did not broadcast.
# In fast_run only factors proven nonzero and finite cancel: equal constants (whose
# cancelling gives the exact quotient, where (x * c) / c may round or overflow). Theano's
# form is local_div_cancel_unsafe, under its own tag only.

def _mul_factors(var):
    """The factors of a product (through inner products of its dtype), else [var]."""
    terms = elemwise_of(var, scal.Mul)
    if terms is None:
        return [var]
    factors = []
    for t in terms:
        factors.extend(_mul_factors(t) if t.type.dtype == var.type.dtype else [t])
    return factors


def _exact_constant(var, dtype):
    """The value of a constant factor, as the product computes it in ``dtype``, when that
    is exact, nonzero and finite; else None."""
    value = scalar_constant(var)
    if value is None or np.asarray(value).dtype.kind not in "biuf":
        return None
    with np.errstate(all="ignore"):
        cast = np.asarray(value).astype(dtype)
    if not np.isfinite(cast) or cast == 0 or cast != value:
        return None
    return cast


def _same_constant(a, b, dtype):
    ca, cb = _exact_constant(a, dtype), _exact_constant(b, dtype)
    return ca is not None and cb is not None and ca == cb


def _cancel_common(node, cancels):
    """true_div(num, den) with the factor pairs ``cancels(a, b, dtype)`` accepts struck
    out: (numerator factors, denominator factors, the factors struck from the numerator), or
    None when nothing cancels or a factor is neither of the output's float dtype nor a
    constant exact in it (an integer product may wrap, a mixed one is cast)."""
    if not is_node_of(node, scal.TrueDiv):
        return None
    dtype = node.outputs[0].type.dtype
    num, den = _mul_factors(node.inputs[0]), _mul_factors(node.inputs[1])
    if dtype not in scal.float_types or any(
            f.type.dtype != dtype and _exact_constant(f, dtype) is None for f in num + den):
        return None
    struck = []
    for a in list(num):
        for j, b in enumerate(den):
            if cancels(a, b, dtype):
                num.remove(a)
                del den[j]
                struck.append(a)
                break
    return (num, den, struck) if struck else None


def _quotient(node, num, den, keep_shape_of=()):
    dtype = node.outputs[0].type.dtype
    out = num[0] if len(num) == 1 else tm.mul(*num) if num else None
    if den:
        d = den[0] if len(den) == 1 else tm.mul(*den)
        out = tm.true_div(out if out is not None else constant(np.asarray(1, dtype)), d)
    if out is None:
        out = constant(np.ones((1,) * node.outputs[0].type.ndim, dtype=dtype))
    for f in keep_shape_of:
        out = tm.second(f, out)
    return same_type(node, out)


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Elemwise])
def local_div_cancel(fgraph, node):
    "(c * x) / (c * y) -> x / y ; (x * c) / c -> x  (c a nonzero finite constant, floats)"
    found = _cancel_common(node, _same_constant)
    return _quotient(node, found[0], found[1]) if found is not None else None


@register(CANONICALIZE, "div_cancel_unsafe")
@node_rewriter([Elemwise])
def local_div_cancel_unsafe(fgraph, node):
    "x / x -> 1 ; (x * y) / y -> x ; (a * b) / (b * c) -> a / c  (any common factor)"
    # Not in fast_run: x / x is nan where x is 0, inf or nan, and 1 here. The struck factors
    # stay as fills, so the result keeps their shape and its broadcasting errors.
    # optimizer_including=div_cancel_unsafe turns it on (Theano 1.0's canonicalizer).
    found = _cancel_common(node, lambda a, b, dtype: a is b or _same_constant(a, b, dtype))
    if found is None:
        return None
    num, den, struck = found
    return _quotient(node, num, den, [f for f in struck if not isinstance(f, Constant)])


@register(CANONICALIZE, *CANON_TAGS)
@register(SPECIALIZE, *SPECIAL_TAGS, "local_neg_div_neg", name="local_neg_div_neg_specialize")
@node_rewriter([Elemwise])
def local_neg_div_neg(fgraph, node):
    "-((-a) / b) -> a / b  (float a)"
    # The sign of a quotient is the xor of its operands' signs: exact. Not for an integer
    # a, whose -a wraps at the smallest value.
    if not is_node_of(node, scal.Neg):
        return None
    quotient = elemwise_of(node.inputs[0], scal.TrueDiv)
    inner = elemwise_of(quotient[0], scal.Neg) if quotient is not None else None
    if inner is None or inner[0].type.dtype not in scal.float_types:
        return None
    return same_type(node, tm.true_div(inner[0], quotient[1]))


# --------------------------------------------------------------------------- shapes as numbers

def _is_shape_entry(var):
    """Whether ``var`` is a length read off a shape (never negative)."""
    node = var.owner
    if node is None or var.type.ndim != 0:
        return False
    if isinstance(node.op, Shape_i):
        return True
    return isinstance(node.op, Subtensor) and node.inputs[0].owner is not None and \
        isinstance(node.inputs[0].owner.op, Shape)


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Elemwise])
def local_useless_maximum_of_shape(fgraph, node):
    "maximum(x.shape[i], c) -> x.shape[i]  (c <= 0 a constant)"
    # arange(n)'s length is max(n, 0): a shape's length is never negative.
    if not is_node_of(node, scal.Maximum):
        return None
    for a, c in (node.inputs, node.inputs[::-1]):
        value = scalar_constant(c)
        if value is not None and value <= 0 and _is_shape_entry(a):
            return same_type(node, a)
    return None


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Elemwise])
def local_useless_switch_same_branches(fgraph, node):
    "switch(c, x, x) -> x  (c all broadcastable)"
    # A size-1 condition cannot change the shape, and either branch is x (nan c included).
    if not is_node_of(node, scal.Switch):
        return None
    cond, a, b = node.inputs
    if a is not b or not all(cond.type.broadcastable):
        return None
    return same_type(node, a)


# --------------------------------------------------------------------------- fill
# fill(a, v) (T.second) is v broadcast to a's shape; T.grad writes one per broadcast. They
# sink to the outside of elementwise chains and vanish where the shape is known to be v's.

def _same_dims(fgraph, model, v):
    """Whether ``v`` is known to have ``model``'s length along every dimension where
    ``model`` is not broadcastable (then fill(model, v) is v, shape errors included)."""
    if model.type.ndim != v.type.ndim:
        return False
    if all(model.type.broadcastable):
        return True
    shape_feature = getattr(fgraph, "shape_feature", None)
    if shape_feature is None:
        return False
    for d, bcast in enumerate(model.type.broadcastable):
        if not bcast and not shape_feature.same_shape(model, v, d, d):
            return False
    return True


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Elemwise])
def local_useless_fill(fgraph, node):
    "fill(a, v) -> v  (v of the output's type, a's shape known to be v's)"
    if not is_node_of(node, scal.Second):
        return None
    model, v = node.inputs
    if v.type != node.outputs[0].type or not _same_dims(fgraph, model, v):
        return None
    return [v]


@register(CANONICALIZE, "fast_run")
@node_rewriter([Elemwise])
def local_fill_sink(fgraph, node):
    "f(fill(a, b), c) -> fill(a, f(b, c))"
    if is_node_of(node, scal.Second) or len(node.outputs) != 1:
        return None
    models, inputs = [], []
    for inp in node.inputs:
        fill = elemwise_of(inp, scal.Second)
        if fill is not None:
            models.append(fill[0])
            inputs.append(fill[1])
        else:
            inputs.append(inp)
    if not models:
        return None
    out = node.op(*inputs)
    for model in models:
        if not (out.type == node.outputs[0].type and _same_dims(fgraph, model, out)):
            out = tm.second(model, out)
    return same_type(node, out)


# --------------------------------------------------------------------------- specialize

@register(SPECIALIZE, *SPECIAL_TAGS)
@node_rewriter([Elemwise])
def local_add_specialize(fgraph, node):
    "add(x, 0) -> x  (integers, or a float -0.0: bit for bit)"
    return local_add_zero.fn(fgraph, node)


@register(SPECIALIZE, *SPECIAL_TAGS)
@node_rewriter([Elemwise])
def local_mul_specialize(fgraph, node):
    "mul(-1, x) -> neg(x) ; mul(1, x, y) -> mul(x, y)"
    if not is_node_of(node, scal.Mul) or _complex_output(node):
        return None
    terms = list(node.inputs)
    rest = _without(terms, is_one)
    if rest is not None:
        return _rebuild(node, rest, tm.mul)
    if len(terms) != 2:
        return None  # mul(-1, x, y) stays: neg(mul(x, y)) is one node more
    for minus_one, x in (terms, terms[::-1]):
        value = scalar_constant(minus_one)
        if value is not None and value == -1 and x.type.dtype == node.outputs[0].type.dtype:
            # -1.0 * x is -x bit for bit (-0.0, nan and inf included); integers wrap alike.
            return same_type(node, tm.neg(x))
    return None


@register(SPECIALIZE, *SPECIAL_TAGS)
@node_rewriter([Sum])
def local_sum_prod_mul_by_scalar(fgraph, node):
    "sum(c * x) -> c * sum(x) ; sum(-x) -> -sum(x)  (floats, c a finite constant)"
    arg = node.inputs[0]
    if arg.owner is None or len(fgraph.clients.get(arg, ())) != 1 or \
            arg.type.dtype not in scal.float_types or \
            node.outputs[0].type.dtype not in scal.float_types:
        return None
    neg = elemwise_of(arg, scal.Neg)
    if neg is not None:
        return same_type(node, tm.neg(node.op(neg[0])))
    terms = elemwise_of(arg, scal.Mul)
    if terms is None or len(terms) != 2:
        return None
    for c, x in (terms, terms[::-1]):
        value = scalar_constant(c)
        if value is None or not np.isfinite(value) or x.type.dtype != arg.type.dtype:
            continue
        # An all-broadcastable c times a reduced value: c is reshaped to the result's rank.
        c0 = constant(np.asarray(value, dtype=node.outputs[0].type.dtype).reshape(
            (1,) * node.outputs[0].type.ndim))
        return same_type(node, tm.mul(c0, node.op(x)))
    return None


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([Elemwise])
def local_useless_elemwise(fgraph, node):
    "mul(x) -> x ; add(x) -> x ; identity(x) -> x"
    # Theano's eq(x, x) -> 1 and xor(x, x) -> 0 are left out: eq(nan, nan) is False.
    if len(node.inputs) != 1 or not isinstance(node.op.scalar_op,
                                               (scal.Mul, scal.Add, scal.Identity)):
        return None
    return same_type(node, node.inputs[0])


@register(CANONICALIZE, "greedy_distributor")
@node_rewriter([Elemwise])
def local_greedy_distributor(fgraph, node):
    "(a / x + b) * x -> a + b * x"
    # Not in fast_run: a / x * x is a only where x is finite and not 0 (nan or inf
    # otherwise). optimizer_including=local_greedy_distributor turns it on, as in Theano.
    if not is_node_of(node, scal.Mul) or len(node.inputs) != 2:
        return None
    for total, x in (node.inputs, node.inputs[::-1]):
        terms = elemwise_of(total, scal.Add)
        if terms is None:
            continue
        for k, t in enumerate(terms):
            quotient = elemwise_of(t, scal.TrueDiv)
            if quotient is not None and quotient[1] is x:
                others = [u * x for j, u in enumerate(terms) if j != k]
                return same_type(node, tm.add(quotient[0], *others))
    return None


class LocalRewritesToFixedPoint:
    """Theano's ``in2out(rule, ...)`` of a few rules, as a value: ``optimize(fgraph)`` runs
    them until none applies (``mul_canonizer`` is one)."""

    def __init__(self, *rules, name=None):
        db = RewriteDatabase()
        for rule in rules:
            db.register(rule, CANONICALIZE, "selected")
        self.plan = db.query(Query(include=("selected",)))
        self.name = name

    def optimize(self, fgraph, *args, **kwargs):
        self.plan.rewrite(fgraph)

    __call__ = optimize
    apply = optimize


mul_canonizer = LocalRewritesToFixedPoint(local_mul_canonizer, local_fill_sink,
                                          local_useless_fill, name="mul_canonizer")
add_canonizer = LocalRewritesToFixedPoint(local_add_canonizer, local_fill_sink,
                                          local_useless_fill, name="add_canonizer")


@register(SPECIALIZE, *SPECIAL_TAGS)
@node_rewriter([Elemwise])
def local_fill_to_alloc(fgraph, node):
    "fill(s, v) -> alloc(v, *shape_of[s])  (s alone gives the output's broadcast pattern)"
    # Once the shape comes from shape_of, s itself is often no longer computed. alloc
    # raises a ValueError where the fill does (v's lengths do not fit s's shape).
    if not is_node_of(node, scal.Second):
        return None
    s, v = node.inputs
    out = node.outputs[0]
    shape_feature = getattr(fgraph, "shape_feature", None)
    if shape_feature is None or shape_feature.shape_of.get(s) is None or \
            s.type.broadcastable != out.type.broadcastable or v.type.dtype != out.type.dtype:
        return None
    return same_type(node, alloc(v, *shape_feature.shape_of[s]))


@register(CANONICALIZE, *CANON_TAGS)
@node_rewriter([CAReduce])
def local_cut_useless_reduce(fgraph, node):
    "Sum{axis=[]}(x) -> x ; Sum(0-d x) -> x  (the same dtype)"
    axis = node.op.axis
    if node.inputs[0].type.ndim and (axis is None or len(axis)):
        return None
    return same_type(node, node.inputs[0])


# Theano 1.0 compat: the rules' names under theano.tensor.opt.
for _name in ("local_mul_canonizer", "local_add_canonizer", "local_fill_sink",
              "local_useless_fill", "local_add_specialize", "local_mul_specialize",
              "local_sum_prod_mul_by_scalar", "local_useless_elemwise",
              "local_greedy_distributor", "mul_canonizer", "add_canonizer", "local_log1p",
              "local_expm1", "local_neg_neg", "local_fill_to_alloc", "local_cut_useless_reduce"):
    setattr(tensor_opt, _name, globals()[_name])
tensor_opt.local_pow_specialize = local_pow_two
