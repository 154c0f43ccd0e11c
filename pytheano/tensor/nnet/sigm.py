"""Sigmoid and softplus: scalar ops mapped elementwise (``sigmoid`` prints as ``sigmoid``),
computed in numerically stable forms, and their cheaper approximations."""
import numpy as np
from scipy.special import expit

from pytheano.scalar import basic as scal
from pytheano.graph.printing import FunctionPrinter
from pytheano.tensor.elemwise import Elemwise, elemwise_printer
import warnings

from pytheano.configparser import config
from pytheano.tensor.basic import (NotScalarConstantError, as_tensor_variable, constant,
                                   get_scalar_constant_value)
from pytheano.tensor.math import add, clip, exp, mul, neg

__all__ = ["ScalarSigmoid", "scalar_sigmoid", "sigmoid", "sigmoid_inplace",
           "UltraFastScalarSigmoid", "ultra_fast_scalar_sigmoid", "ultra_fast_sigmoid",
           "hard_sigmoid", "ScalarSoftplus", "scalar_softplus", "softplus"]
# The graph helpers of Theano's sigmoid rewrites (``from theano.tensor.nnet.sigm import
# parse_mul_tree``) are public here too, but not star-exported into tensor.nnet, as in Theano.



class ScalarSigmoid(scal.UnaryFloatOp):
    """1 / (1 + exp(-x)), without overflow (scipy's expit)."""

    kernel = scal.float_kernel(expit, "(%(t_o0)s)1 / ((%(t_o0)s)1 + exp(-%(i0)s))")

    def derivative(self, x, gz):
        y = scalar_sigmoid(x)
        return gz * y * (1.0 - y)


scalar_sigmoid = ScalarSigmoid(scal.upgrade_to_float, name="scalar_sigmoid")
sigmoid = Elemwise(scalar_sigmoid, name="sigmoid")
elemwise_printer.assign(ScalarSigmoid, FunctionPrinter("sigmoid"))
sigmoid_inplace = Elemwise(ScalarSigmoid(scal.transfer_type(0)), inplace_pattern={0: 0},
                           name="sigmoid_inplace")


def _ultra_fast_sigmoid(x):
    # 0.5 * (1 + tanh(x / 2)) with a three-piece approximation of tanh.
    x = scal.as_float(x)
    u = 0.5 * np.abs(x)
    z = np.where(u < 1.7, 1.5 * u / (1 + u),
                 np.where(u < 3, 0.935409070603099 + 0.0458812946797165 * (u - 1.7),
                          0.99505475368673))
    z = np.where(x >= 0, z, -z)
    return (0.5 * (z + 1.0)).astype(x.dtype, copy=False)


_ULTRA_FAST_SIGMOID_C = """
static inline %(t_o0)s %(fn)s(%(t_o0)s x) {
    %(t_o0)s u = (%(t_o0)s)0.5 * fabs(x), z;
    if (u < (%(t_o0)s)1.7) z = (%(t_o0)s)1.5 * u / (1 + u);
    else if (u < 3)
        z = (%(t_o0)s)0.935409070603099 + (%(t_o0)s)0.0458812946797165 * (u - (%(t_o0)s)1.7);
    else z = (%(t_o0)s)0.99505475368673;
    return (%(t_o0)s)0.5 * ((x >= 0 ? z : -z) + 1);
}
"""


class UltraFastScalarSigmoid(scal.UnaryFloatOp):
    """A piecewise approximation of sigmoid, for speed, not accuracy (absolute error below
    0.03). It has no gradient (as in Theano): differentiate sigmoid instead."""

    kernel = scal.float_kernel(None, numpy=_ultra_fast_sigmoid, has_grad=False,
                               c="%(fn)s(%(i0)s)", support=_ULTRA_FAST_SIGMOID_C)


ultra_fast_scalar_sigmoid = UltraFastScalarSigmoid(scal.upgrade_to_float,
                                                   name="ultra_fast_scalar_sigmoid")
ultra_fast_sigmoid = Elemwise(ultra_fast_scalar_sigmoid, name="ultra_fast_sigmoid")
elemwise_printer.assign(UltraFastScalarSigmoid, FunctionPrinter("ultra_fast_sigmoid"))


def hard_sigmoid(x):
    """clip(0.2 * x + 0.5, 0, 1): the cheapest approximation of sigmoid."""

    x = as_tensor_variable(x)
    # Computed in the float dtype sigmoid itself would give (int8 -> float32, ...).
    out_dtype = scal.upgrade_to_float(scal.get_scalar_type(x.dtype))[0].dtype
    slope = constant(0.2, dtype=out_dtype)
    shift = constant(0.5, dtype=out_dtype)
    return clip((x * slope) + shift, 0, 1)


def _softplus(x):
    return np.logaddexp(x.dtype.type(0), x)


class ScalarSoftplus(scal.UnaryFloatOp):
    """log(1 + exp(x)), without overflow for large x or loss for very negative x."""

    # numpy's logaddexp(0, x).
    kernel = scal.float_kernel(None, numpy=_softplus,
                               c="%(i0)s > 0 ? %(i0)s + log1p(exp(-%(i0)s)) : log1p(exp(%(i0)s))")

    def derivative(self, x, gz):
        return gz * scalar_sigmoid(x)


scalar_softplus = ScalarSoftplus(scal.upgrade_to_float, name="scalar_softplus")
softplus = Elemwise(scalar_softplus, name="softplus")
elemwise_printer.assign(ScalarSoftplus, FunctionPrinter("softplus"))


# ---------------------------------------------------------------------- rewrite helpers
#
# Theano's sigmoid rewrites read a product as a *multiplication tree*: a pair
# ``[negated, x]`` where x is a variable (a leaf), a list of such pairs (the inputs of one
# ``mul``), or None (a factor of 1 left by a simplification). These helpers match, build and
# simplify such trees on pytheano graphs; variables are compared by identity.


def _constant_value(var, only_process_constants=False):
    """The scalar value ``var`` always has, or None."""
    try:
        return get_scalar_constant_value(var, elemwise=False,
                                         only_process_constants=only_process_constants)
    except NotScalarConstantError:
        return None


def is_mul(var):
    """The inputs [x, y, ...] if ``var`` is ``x * y * ...``, else None."""
    if var.owner is not None and var.owner.op == mul:
        return var.owner.inputs
    return None


def is_neg(var):
    """``x`` if ``var`` is ``-x`` (a negation, or a product with a constant -1 factor; then x
    is the product of the other factors), else None."""
    node = var.owner
    if node is None:
        return None
    if node.op == neg:
        return node.inputs[0]
    if node.op == mul and len(node.inputs) >= 2:
        for i, factor in enumerate(node.inputs):
            value = _constant_value(factor)
            if value is not None and np.allclose(value, -1):
                rest = node.inputs[:i] + node.inputs[i + 1:]
                return rest[0] if len(rest) == 1 else mul(*rest)
    return None


def is_exp(var):
    """``(False, x)`` if ``var`` is ``exp(x)``, ``(True, x)`` if it is ``-exp(x)``, else
    None."""
    negated = is_neg(var)
    if negated is not None:
        var = negated
    if var.owner is not None and var.owner.op == exp:
        return negated is not None, var.owner.inputs[0]
    return None


def is_1pexp(t, only_process_constants=True):
    """``(False, x)`` if ``t`` is ``1 + exp(x)`` (constant terms summing to 1, in any order),
    else None."""
    if t.owner is None or t.owner.op != add:
        return None
    constants, others = [], []
    for term in t.owner.inputs:
        value = _constant_value(term, only_process_constants)
        (others if value is None else constants).append(term if value is None else value)
    if len(others) != 1 or others[0].owner is None or others[0].owner.op != exp:
        return None
    if constants and np.allclose(sum(constants), 1):
        return False, others[0].owner.inputs[0]
    if config.warn.identify_1pexp_bug:
        warnings.warn("Theano before 0.5 (commit 7987b51, 2011-12-18) took a constant plus "
                      "exp(x) for 1 + exp(x) whatever the constant, and may have computed a "
                      "wrong result for this graph; your code is fine. Set "
                      "config.warn.identify_1pexp_bug to False to silence this warning.",
                      stacklevel=2)
    return None


def partition_num_or_denom(r, f):
    """Split the factors of the product ``r`` into those ``f`` matches (f returns
    ``(negated, x)``; their x are returned) and the rest; and whether the matched ones
    negate the product overall."""
    factors = r.owner.inputs if r.owner is not None and r.owner.op == mul else [r]
    matched, rest, negated = [], [], False
    for factor in factors:
        found = f(factor)
        if found is None:
            rest.append(factor)
        else:
            negated ^= bool(found[0])
            matched.append(found[1])
    return matched, rest, negated


def parse_mul_tree(root):
    """The multiplication tree of ``root``: ``x * y`` -> ``[False, [[False, x], [False,
    y]]]``, ``-x`` -> ``[True, x]``, anything else -> ``[False, root]``."""
    factors = is_mul(root)
    if factors is not None:
        return [False, [parse_mul_tree(f) for f in factors]]
    negated = is_neg(root)
    if negated is None:
        return [False, root]
    sign, sub_tree = parse_mul_tree(negated)
    return [not sign, sub_tree]


def compute_mul(tree):
    """The variable a multiplication tree computes (the inverse of ``parse_mul_tree``)."""
    negated, inputs = tree
    if inputs is None:
        raise AssertionError("Function `compute_mul` found a missing leaf, did you forget to "
                             "call `simplify_mul` on the tree first?")
    out = mul(*[compute_mul(t) for t in inputs]) if isinstance(inputs, list) else inputs
    return -out if negated else out


def simplify_mul(tree):
    """The same product without factors of +-1 (``[sign, None]`` leaves) and without
    products of fewer than two factors."""
    negated, inputs = tree
    if not isinstance(inputs, list):
        return tree
    kept = []
    for sub_tree in (simplify_mul(t) for t in inputs):
        if sub_tree[1] is None:
            negated ^= sub_tree[0]
        else:
            kept.append(sub_tree)
    if not kept:
        return [negated, None]
    if len(kept) == 1:
        kept[0][0] ^= negated
        return kept[0]
    return [negated, kept]


def replace_leaf(arg, leaves, new_leaves, op, neg):
    """Find in ``leaves`` (pairs ``(x, leaf)``) the one whose x is ``arg``; make its leaf
    ``op(arg)``, flip its sign if ``neg``, move it to ``new_leaves``. True if found."""
    for i, (x, leaf) in enumerate(leaves):
        if x is arg:
            leaf[0] ^= neg
            leaf[1] = op(arg)
            new_leaves.append(leaves.pop(i))
            return True
    return False


def _sigmoid_of_neg(x):
    return sigmoid(-x)


def perform_sigm_times_exp(tree, exp_x=None, exp_minus_x=None, sigm_x=None,
                           sigm_minus_x=None, parent=None, child_idx=None, full_tree=None):
    """Rewrite the multiplication tree in place so that each pair ``exp(x) * sigmoid(-x)``
    becomes ``sigmoid(x)`` and each ``exp(-x) * sigmoid(x)`` becomes ``sigmoid(-x)`` (the
    exponential's leaf becomes a factor of 1: call ``simplify_mul`` after). The lists hold
    ``(argument, leaf)`` of the leaves seen so far that are still unpaired. True if the
    tree changed."""
    seen = [[] if v is None else v for v in (exp_x, exp_minus_x, sigm_x, sigm_minus_x)]
    exp_x, exp_minus_x, sigm_x, sigm_minus_x = seen
    negated, inputs = tree
    if isinstance(inputs, list):
        changed = False
        for i, sub_tree in enumerate(inputs):
            changed |= perform_sigm_times_exp(sub_tree, exp_x, exp_minus_x, sigm_x,
                                              sigm_minus_x, tree, i, full_tree or tree)
        return changed
    var = inputs
    paired = False
    exp_info = is_exp(var)
    if exp_info is not None:
        exp_negated, arg = exp_info
        negated ^= exp_negated
        minus = is_neg(arg)
        if minus is None:  # exp(x): pairs with an earlier sigmoid(-x)
            paired = replace_leaf(arg, sigm_minus_x, sigm_x, sigmoid, negated)
            if not paired:
                exp_x.append((arg, tree))
        else:  # exp(-x): pairs with an earlier sigmoid(x)
            paired = replace_leaf(minus, sigm_x, sigm_minus_x, _sigmoid_of_neg, negated)
            if not paired:
                exp_minus_x.append((minus, tree))
    elif var.owner is not None and var.owner.op == sigmoid:
        arg = var.owner.inputs[0]
        minus = is_neg(arg)
        if minus is None:  # sigmoid(x): pairs with an earlier exp(-x)
            paired = replace_leaf(arg, exp_minus_x, sigm_minus_x, _sigmoid_of_neg, negated)
            if not paired:
                sigm_x.append((arg, tree))
        else:  # sigmoid(-x): pairs with an earlier exp(x)
            paired = replace_leaf(minus, exp_x, sigm_x, sigmoid, negated)
            if not paired:
                sigm_minus_x.append((minus, tree))
    if paired:
        if parent is None:
            raise ValueError("perform_sigm_times_exp: the root of the tree cannot be "
                             "removed; call it on a product")
        parent[1][child_idx] = [False, None]
    return paired


# Theano 1.0 names this flag after its unregistered 1 - sigmoid(x) rewrite; pytheano's
# local_1msigmoid (rewriting/nnet.py) is registered
register_local_1msigmoid = True
