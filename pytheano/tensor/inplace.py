"""Theano 1.0's ``theano.tensor.inplace``: ``<op>_inplace`` versions of the elementwise ops,
writing their output into their first input (``Elemwise(scalar_op, {0: 0})``).

As in Theano, a graph holding them compiles only with ``function(..., accept_inplace=True)``
semantics in mind: they destroy their first input.
"""
from pytheano.scalar import basic as scal
from pytheano.tensor import math as _math
from pytheano.tensor.elemwise import DimShuffle, Elemwise

# Theano 1.0.5's names (abs_, and_, or_ keep Theano's trailing underscore).
_NAMES = (
    "abs_", "add", "and_", "arccos", "arccosh", "arcsin", "arcsinh", "arctan2", "arctan",
    "arctanh", "ceil", "chi2sf", "conj", "cos", "cosh", "deg2rad", "eq", "erf", "erfc",
    "erfcx", "exp2", "exp", "expm1", "fill", "floor", "gamma", "gammaln", "ge", "gt", "i0",
    "i1", "int_div", "inv", "invert", "iv", "j0", "j1", "jv", "le", "log10", "log1p", "log2",
    "log", "lt", "maximum", "minimum", "mod", "mul", "neg", "neq", "or_", "pow", "psi",
    "rad2deg", "round_half_away_from_zero", "round_half_to_even", "second", "sgn", "sin",
    "sinh", "sqr", "sqrt", "sub", "tan", "tanh", "tri_gamma", "true_div", "trunc", "xor")

__all__ = ["transpose_inplace"]


def _make_inplace(op, name):
    # Theano 1.0 compat: the output takes input 0's dtype (transfer_type), and the op prints
    # as its name (add_inplace).
    scalar_op = op.scalar_op.make_new_inplace(scal.transfer_type(0))
    return Elemwise(scalar_op, {0: 0}, name=name)


for _name in _NAMES:
    _op = getattr(_math, _name, None)
    if _name == "abs_" and _op is None:
        _op = getattr(_math, "abs", None)
    if isinstance(_op, Elemwise):
        globals()[_name + "_inplace"] = _make_inplace(_op, _name + "_inplace")
        __all__.append(_name + "_inplace")

# Theano 1.0 compat: fill is second with its arguments' roles named differently.
fill_inplace = globals().get("second_inplace")
if fill_inplace is not None:
    __all__.append("fill_inplace")


def transpose_inplace(x, **kwargs):
    """The transpose of ``x`` as a view (Theano's DimShuffle with inplace=True)."""
    dims = list(range(x.ndim - 1, -1, -1))
    return DimShuffle(x.broadcastable, dims)(x)
