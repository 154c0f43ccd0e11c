"""Rewrites of the ops of pytheano/tensor/blas.py: products become BLAS calls (BLAS phase),
then BLAS calls that may overwrite their accumulator do (INPLACE phase).

BLAS phase (fast_run), as Theano 1.0's BlasOpt:
- dot of float matrices -> Dot22; matrix . vector and vector . matrix -> Gemv on an
  AllocEmpty with beta 0; Dot22 of a column and a row -> Ger on zeros;
- a sum of scaled terms holding a product, ``b * z + a * dot(x, y)`` (with sub, neg and nested
  add/mul, as Theano's _gemm_canonicalize reads it) -> Gemm (Gemv, Ger for those products);
- ``scalar * Dot22`` -> Dot22Scalar;
- Gemm on a row or column -> Gemv; Gemm computing an outer product -> Ger;
- Ger -> ScipyGer (Theano's graph), CGemv/CGer when config.blas.ldflags is set ('c_blas').
INPLACE phase (fast_run, inplace): Gemm, Gemv and Ger in place where the DestroyHandler
allows it (never on an input not declared mutable).

Scales (alpha, beta) are folded as Theano does, symbolic ones included. Gemm and Gemv ignore
the accumulator only for a constant 0 beta (the AllocEmpty of a dot); a beta that is 0 at
run time computes ``0 * z`` as written, so a NaN in z stays a NaN (Theano 1.0 drops it).

The BLAS phase must run before FUSION (Theano: BlasOpt at 1.7, fusion at 49): a fused
Composite hides the add/mul that the Gemm rule reads.

Layer 6: the functions Theano exposed as theano.tensor.blas.X are set there at the end.
"""
import numbers

import numpy as np

from pytheano.configparser import config
from pytheano.errors import InconsistencyError
from pytheano.graph.rewriting import BLAS, INPLACE, node_rewriter, register
from pytheano.scalar import basic as scal
from pytheano.tensor import blas as tensor_blas
from pytheano.tensor import blas_c, blas_scipy
from pytheano.tensor import math as tm
from pytheano.tensor.basic import (NotScalarConstantError, constant,
                                   get_scalar_constant_value, patternbroadcast)
from pytheano.tensor.blas import (Dot, Dot22, Dot22Scalar, Gemm, Gemv, Ger, _dot22,
                                  _dot22scalar, gemm_no_inplace, gemv_no_inplace, ger)
from pytheano.tensor.creation import Alloc, AllocEmpty, zeros
from pytheano.tensor.elemwise import DimShuffle, Elemwise
from pytheano.tensor.shape import shape_i

__all__ = ["local_dot_to_dot22", "local_dot22_to_ger_or_gemv", "local_gemm_from_sum",
           "local_dot22_to_dot22scalar", "local_gemm_to_gemv", "local_gemm_to_ger",
           "use_scipy_ger", "use_c_gemv", "use_c_ger", "local_inplace_gemm",
           "local_inplace_gemv", "local_inplace_ger", "res_is_a", "_as_scalar",
           "_is_real_matrix", "_is_real_vector", "_gemm_canonicalize", "_factor_canonicalized"]

BLAS_TAGS = ("fast_run",)
INPLACE_TAGS = ("fast_run", "inplace")
_REAL = ("float16", "float32", "float64")
_FLOAT = _REAL + ("complex64", "complex128")


# --------------------------------------------------------------------------- matching

def res_is_a(var, op, maxclients=None, fgraph=None):
    """Whether ``var`` is computed by ``op`` (and, with ``maxclients`` and ``fgraph``, read by
    at most that many clients)."""
    if var.owner is None or var.owner.op != op:
        return False
    return maxclients is None or fgraph is None or _n_clients(fgraph, var) <= maxclients


def _n_clients(fgraph, var):
    return len(fgraph.clients.get(var, ())) if fgraph is not None else 0


def _as_scalar(res, dtype=None):
    """``res`` as a 0-d variable when all its dims are broadcastable (DimShuffles removed;
    an integer one cast to ``dtype`` when that cast is exact for the product), else None."""
    dtype = config.floatX if dtype is None else dtype
    if not all(res.type.broadcastable):
        return None
    while res.owner is not None and isinstance(res.owner.op, DimShuffle):
        res = res.owner.inputs[0]
    rval = res.dimshuffle() if res.type.broadcastable else res
    if rval.type.dtype in scal.discrete_types:
        if scal.upcast(rval.type.dtype, dtype) != dtype:
            return None
        return tm.cast(rval, dtype)
    return rval


def _is_real_matrix(res):
    return res.type.dtype in _REAL and res.type.ndim == 2 and \
        tuple(res.type.broadcastable) == (False, False)


def _is_real_vector(res):
    return res.type.dtype in _REAL and res.type.ndim == 1 and \
        tuple(res.type.broadcastable) == (False,)


def _is_elemwise(var, scalar_op_class):
    node = var.owner
    return node is not None and isinstance(node.op, Elemwise) and \
        isinstance(node.op.scalar_op, scalar_op_class)


def _is_number(s):
    return isinstance(s, (numbers.Number, np.number))


def _constant_value(var):
    """The number a scalar variable always holds, or None."""
    if _is_number(var):
        return var
    try:
        return get_scalar_constant_value(var)
    except NotScalarConstantError:
        return None


# --------------------------------------------------------------------------- gemm canonical form

def _mul_scales(s, t, dtype):
    """s * t for scales (numbers or 0-d variables); a number meeting a variable becomes a
    constant of ``dtype`` (the term's), so that it does not upcast the product."""
    if _is_number(s) and _is_number(t):
        return s * t
    for num, var in ((s, t), (t, s)):
        if _is_number(num):
            if num == 1:
                return var
            if num == -1 and var.type.dtype != "bool":
                return -var
            return constant(np.asarray(num, dtype=dtype)) * var
    return s * t


def _as_number(var):
    """A scalar constant's value as a Python number, else ``var``."""
    value = _constant_value(var)
    if value is None:
        return var
    value = np.asarray(value)
    return complex(value) if value.dtype.kind == "c" else float(value)


def _gemm_canonicalize(r, scale, rval, maxclients, fgraph=None, opened=None):
    """Append to ``rval`` the terms of ``r`` read as a sum of scaled terms: ``(scale,
    term)`` pairs, where a scale is a number or a 0-d variable (constants become numbers).
    Add, sub, neg and products with scalars are opened (their nodes are added to the set
    ``opened``); an inner node read elsewhere (more than ``maxclients`` clients in
    ``fgraph``) is a term. Theano 1.0's helper, with its results."""
    dtype = r.type.dtype if hasattr(r.type, "dtype") else None

    def scaled(thing):
        return _mul_scales(scale, _as_number(thing), dtype)

    def opening(node):
        if opened is not None:
            opened.add(node)

    if not hasattr(r.type, "broadcastable"):
        return None
    if r.type.ndim not in (1, 2) or r.type.dtype not in _FLOAT:
        rval.append((scale, r))
        return rval
    if maxclients and _n_clients(fgraph, r) > maxclients:
        rval.append((scale, r))
        return rval
    sub = (r, scale, rval, 1, fgraph, opened)
    if _is_elemwise(r, scal.Sub):
        opening(r.owner)
        _gemm_canonicalize(r.owner.inputs[0], *sub[1:])
        _gemm_canonicalize(r.owner.inputs[1], _mul_scales(-1, scale, dtype), *sub[2:])
    elif _is_elemwise(r, scal.Add):
        opening(r.owner)
        for i in r.owner.inputs:
            _gemm_canonicalize(i, *sub[1:])
    elif _is_elemwise(r, scal.Neg):
        opening(r.owner)
        _gemm_canonicalize(r.owner.inputs[0], _mul_scales(-1, scale, dtype), *sub[2:])
    elif _is_elemwise(r, scal.Mul):
        scalars, others = [], []
        for i in r.owner.inputs:
            if all(i.type.broadcastable):
                while i.owner is not None and isinstance(i.owner.op, DimShuffle):
                    i = i.owner.inputs[0]
                scalars.append(i.dimshuffle() if i.type.broadcastable else i)
            elif _is_real_vector(i) or _is_real_matrix(i):
                others.append(i)
            else:
                rval.append((scale, r))
                return rval
        if len(others) != 1:
            rval.append((scale, r))  # a product of several tensors: one term
            return rval
        opening(r.owner)
        new_scale = scale
        if scalars:
            new_scale = scaled(scalars[0])
            rest = [_as_number(v) for v in scalars[1:]]
            numbers = [v for v in rest if _is_number(v)]
            variables = [v for v in rest if not _is_number(v)]
            for num in numbers:
                new_scale = _mul_scales(new_scale, num, dtype)
            if variables:
                factors = [] if _is_number(new_scale) and new_scale == 1 else [
                    constant(np.asarray(new_scale, dtype=dtype))
                    if _is_number(new_scale) else new_scale]
                factors += variables
                new_scale = factors[0] if len(factors) == 1 else tm.mul(*factors)
        _gemm_canonicalize(others[0], new_scale, *sub[2:])
    else:
        rval.append((scale, r))
    return rval


def _factor_canonicalized(lst):
    """``lst`` with the pairs of one term merged: (s1, X), (s2, X) -> (s1 + s2, X)."""
    lst = list(lst)
    i = 0
    while i < len(lst) - 1:
        s_i, m_i = lst[i]
        j = i + 1
        while j < len(lst):
            s_j, m_j = lst[j]
            if m_i is m_j:
                s_i = s_i + s_j
                lst[i] = (s_i, m_i)
                del lst[j]
            else:
                j += 1
        i += 1
    return lst


def _scale_var(s, dtype):
    """The scale ``s`` (a number or 0-d variable) as a 0-d variable of ``dtype``, or None
    if that cast would change the product (a float64 scale of a float32 product)."""
    value = _constant_value(s)
    if value is not None:
        return constant(np.asarray(value, dtype=dtype))
    if s.type.ndim != 0:
        return None
    if s.type.dtype == dtype:
        return s
    if scal.upcast(s.type.dtype, dtype) != dtype:
        return None
    return tm.cast(s, dtype)


def _times(a, b, dtype):
    """a * b for two scales (numbers or 0-d variables) as a 0-d ``dtype`` variable."""
    va, vb = _constant_value(a), _constant_value(b)
    if va is not None and vb is not None:
        return constant(np.asarray(va * vb, dtype=dtype))
    for one, other in ((va, b), (vb, a)):
        if one is not None and one in (1, -1):
            other = _scale_var(other, dtype)
            return other if other is None or one == 1 else -other
    a, b = _scale_var(a, dtype), _scale_var(b, dtype)
    return None if a is None or b is None else a * b


def _accumulator(scale, term, dtype):
    """(z, beta) for the accumulated term ``scale * term``. A constant 0 stays on z
    (``0 * z``, beta 1): Gemm ignores z for a constant zero beta, which would drop z's
    NaNs; a zero that is a run-time value is computed as written by Gemm's perform."""
    value = _constant_value(scale)
    if value is not None and value == 0:
        s = _scale_var(value, dtype)
        return s * term, constant(np.asarray(1, dtype=dtype))
    beta = _scale_var(scale, dtype)
    return (term, beta) if beta is not None else (None, None)


def _is_zeros(var):
    """Whether ``var`` is an Alloc of the constant 0."""
    if var.owner is None or not isinstance(var.owner.op, Alloc):
        return False
    return _constant_value(var.owner.inputs[0]) == 0


def _read_only_by(fgraph, var, nodes):
    """Whether every client of ``var`` is one of ``nodes`` (the nodes being replaced): then
    folding it into a BLAS call computes it once, not twice."""
    if fgraph is None:
        return True
    return all(client in nodes for client, _ in fgraph.clients.get(var, ()))


def _transposed_product(fgraph, M):
    """(node, transposed) of the product behind ``M``, looking through a transpose that
    is its only reader."""
    node = M.owner
    if node is not None and isinstance(node.op, DimShuffle) and \
            tuple(node.op.new_order) == (1, 0) and node.inputs[0].owner is not None and \
            isinstance(node.inputs[0].owner.op, (Dot22, Dot22Scalar)) and \
            _read_only_by(fgraph, node.inputs[0], {node}):
        return node.inputs[0].owner, True
    return node, False


def _accumulate(fgraph, beta, L, alpha, M, opened=frozenset()):
    """``beta * L + alpha * M`` as one BLAS node when M is a product read only by the
    ``opened`` nodes (those being replaced), else None."""
    if M.owner is None or L.type != M.type or not _read_only_by(fgraph, M, opened):
        return None
    node, transposed = _transposed_product(fgraph, M)
    if transposed:  # (x . y).T = y.T . x.T
        x, y = node.inputs[:2]
        node = type(node.op)().make_node(y.T, x.T, *node.inputs[2:])
    op = node.op
    is_gemv = isinstance(op, Gemv) and _constant_value(node.inputs[4]) == 0
    is_ger = isinstance(op, Ger) and _is_zeros(node.inputs[0])
    if not (isinstance(op, (Dot22, Dot22Scalar)) or is_gemv or is_ger):
        return None
    dtype = M.type.dtype
    z, b = _accumulator(beta, L, dtype)
    if z is None:
        return None
    if isinstance(op, Dot22):
        a = _scale_var(alpha, dtype)
        return None if a is None else gemm_no_inplace(z, a, *node.inputs, b)
    if isinstance(op, Dot22Scalar):
        x, y, s = node.inputs
        a = _times(alpha, s, dtype)
        return None if a is None else gemm_no_inplace(z, a, x, y, b)
    if is_gemv:
        _, s, A, x, _ = node.inputs
        a = _times(alpha, s, dtype)
        return None if a is None else type(op)(False)(z, a, A, x, b)
    _, s, x, y = node.inputs
    a = _times(alpha, s, dtype)
    if a is None or _constant_value(b) != 1:
        return None  # Ger has no beta
    return type(op)(False)(z, a, x, y)


def _term_var(s, m):
    """The term ``s * m`` as a variable."""
    value = _constant_value(s)
    if value is not None and value == 1:
        return m
    if value is not None and value == -1 and m.type.dtype != "bool":
        return -m
    return (_scale_var(s, m.type.dtype) if value is not None else s) * m


def _gemm_from_factored_list(fgraph, lst, opened=frozenset()):
    """The sum ``lst`` with one pair of terms made one BLAS node, or None."""
    for i in range(len(lst)):
        for j in range(len(lst)):
            if i == j:
                continue
            (s_i, m_i), (s_j, m_j) = lst[i], lst[j]
            new = _accumulate(fgraph, s_i, m_i, s_j, m_j, opened)
            if new is None:
                continue
            rest = [_term_var(s, m) for k, (s, m) in enumerate(lst) if k not in (i, j)]
            return tm.add(*rest, new) if rest else new
    return None


# --------------------------------------------------------------------------- BLAS phase

def _empty(fgraph, dtype, var, axis):
    """An uninitialised vector as long as ``var``'s dimension ``axis``."""
    if var.type.broadcastable[axis]:
        return AllocEmpty(dtype)(constant(1, dtype="int64"))
    return AllocEmpty(dtype)(shape_i(var, axis, fgraph))


def _dimshuffle(var, order):
    """``var.dimshuffle(*order)``, composed with a DimShuffle that made ``var`` (so that
    ``v.dimshuffle(0, 'x').dimshuffle(0)`` is ``v``)."""
    node = var.owner
    if node is not None and isinstance(node.op, DimShuffle):
        inner = node.op.new_order
        composed = tuple("x" if k == "x" else inner[k] for k in order)
        src = node.inputs[0]
        if composed == tuple(range(src.type.ndim)):
            return src
        return src.dimshuffle(*composed)
    return var.dimshuffle(*order)


def _one(dtype):
    return constant(np.asarray(1, dtype=dtype))


def _zero(dtype):
    return constant(np.asarray(0, dtype=dtype))


def _keep_type(node, new):
    """``[new]`` with the output's broadcastable pattern, or None if the type differs."""
    out = node.outputs[0]
    if new.type.dtype != out.type.dtype or new.type.ndim != out.type.ndim:
        return None
    if new.type.broadcastable != out.type.broadcastable:
        new = patternbroadcast(new, out.type.broadcastable)
    return [new] if new.type == out.type else None


@register(BLAS, *BLAS_TAGS)
@node_rewriter([Dot])
def local_dot_to_dot22(fgraph, node):
    "dot(x, y) of float matrices/vectors -> Dot22(x, y) / Gemv(AllocEmpty, 1, x, y, 0)"
    x, y = node.inputs
    dtype = x.type.dtype
    if dtype != y.type.dtype or dtype not in _FLOAT:
        return None
    if x.ndim == 2 and y.ndim == 2:
        return _keep_type(node, _dot22(x, y))
    if x.ndim == 2 and y.ndim == 1:
        y0 = _empty(fgraph, dtype, x, 0)
        return _keep_type(node, gemv_no_inplace(y0, _one(dtype), x, y, _zero(dtype)))
    if x.ndim == 1 and y.ndim == 2:
        y0 = _empty(fgraph, dtype, y, 1)
        return _keep_type(node, gemv_no_inplace(y0, _one(dtype), y.T, x, _zero(dtype)))
    return None  # vector . vector: numpy's dot is BLAS's dot already


@register(BLAS, *BLAS_TAGS)
@node_rewriter([Dot22])
def local_dot22_to_ger_or_gemv(fgraph, node):
    "Dot22(column, row) -> Ger(zeros, 1, x, y); Dot22 with a row or column -> Gemv"
    x, y = node.inputs
    xb, yb = x.type.broadcastable, y.type.broadcastable
    dtype = x.type.dtype
    one, zero = _one(dtype), _zero(dtype)
    if xb[1] and yb[0]:
        if dtype not in tensor_blas._BLAS_DTYPES:
            return None
        xv, yv = _dimshuffle(x, (0,)), _dimshuffle(y, (1,))
        shape = [shape_i(xv, 0, fgraph), shape_i(yv, 0, fgraph)]
        return _keep_type(node, ger(zeros(shape, dtype), one, xv, yv))
    if xb[0] and not yb[0]:
        # row . matrix (or column): y.T . x as a vector
        y0 = _empty(fgraph, dtype, y, 1)
        out = gemv_no_inplace(y0, one, y.T, _dimshuffle(x, (1,)), zero)
        return _keep_type(node, out.dimshuffle("x", 0))
    if not xb[0] and not xb[1] and yb[1] and not yb[0]:
        y0 = _empty(fgraph, dtype, x, 0)
        out = gemv_no_inplace(y0, one, x, _dimshuffle(y, (0,)), zero)
        return _keep_type(node, out.dimshuffle(0, "x"))
    return None


def _opened_by_its_reader(fgraph, node):
    """Whether the only reader of the node's output is a sum (or scaling) that
    _gemm_canonicalize opens, so that it reads this node's terms too."""
    out = node.outputs[0]
    clients = fgraph.clients.get(out, ()) if fgraph is not None else ()
    if len(clients) != 1 or clients[0][0] == "output":
        return False
    reader = clients[0][0]
    # The reader must keep the dtype: a float64 scale of a float32 sum cannot be folded,
    # and then this node's own Gemm is the one to make.
    if not isinstance(reader.op, Elemwise) or reader.outputs[0].type.ndim not in (1, 2) or \
            reader.outputs[0].type.dtype != out.type.dtype:
        return False
    scalar_op = reader.op.scalar_op
    if isinstance(scalar_op, (scal.Add, scal.Sub, scal.Neg)):
        return True
    return isinstance(scalar_op, scal.Mul) and all(
        all(v.type.broadcastable) for v in reader.inputs if v is not out)


_SUM_OPS = (scal.Add, scal.Sub, scal.Neg, scal.Mul)


def _holds_product(fgraph, var, depth=0):
    """Whether a BLAS product is among the terms _gemm_canonicalize would find under
    ``var`` (a cheap look that builds nothing, done before the canonical form)."""
    node = var.owner
    if node is None or depth > 32:
        return False
    if isinstance(node.op, Elemwise) and depth and _n_clients(fgraph, var) > 1:
        return False  # a shared inner sum is a term, as for _gemm_canonicalize
    op = node.op
    if isinstance(op, (Dot22, Dot22Scalar)):
        return True
    if isinstance(op, Gemv):
        return _constant_value(node.inputs[4]) == 0
    if isinstance(op, Ger):
        return _is_zeros(node.inputs[0])
    if isinstance(op, DimShuffle):
        return tuple(op.new_order) == (1, 0) and _holds_product(fgraph, node.inputs[0],
                                                                 depth + 1)
    if isinstance(op, Elemwise) and isinstance(op.scalar_op, _SUM_OPS):
        return any(_holds_product(fgraph, v, depth + 1) for v in node.inputs)
    return False


@register(BLAS, *BLAS_TAGS)
@node_rewriter([Elemwise])
def local_gemm_from_sum(fgraph, node):
    "b * z + a * dot(x, y) (add/sub/neg/mul) -> Gemm(z, a, x, y, b) (Gemv, Ger likewise)"
    if not isinstance(node.op.scalar_op, _SUM_OPS):
        return None
    if _opened_by_its_reader(fgraph, node) or not _holds_product(fgraph, node.outputs[0]):
        return None  # the enclosing sum is rewritten whole; or nothing to fold
    opened = set()
    lst = _gemm_canonicalize(node.outputs[0], 1.0, [], 0, fgraph, opened)
    if not lst or len(lst) < 2:
        return None
    lst = _factor_canonicalized(lst)
    try:
        new = _gemm_from_factored_list(fgraph, lst, opened)
    except (InconsistencyError, TypeError):
        return None
    if new is None:
        return None
    return _keep_type(node, new)


def _split_scalars(factors, dtype):
    """(scalars as 0-d ``dtype`` variables, the other factors) of a product's factors; a
    scalar whose cast to ``dtype`` would change the product stays a factor."""
    scalars, rest = [], []
    for v in factors:
        s = _as_scalar(v, dtype=dtype)
        if s is not None and scal.upcast(s.type.dtype, dtype) == dtype:
            scalars.append(_scale_var(s, dtype))  # a constant stays one
        else:
            rest.append(v)
    return scalars, rest


def _mul_factors(fgraph, var, dtype):
    """The factors of ``var``: the inputs of a product read only here, in ``dtype``,
    opened recursively (mul(mul(a, c), b) -> a, c, b), else ``[var]``."""
    if _is_elemwise(var, scal.Mul) and var.type.dtype == dtype and \
            _n_clients(fgraph, var) <= 1:
        return [f for v in var.owner.inputs for f in _mul_factors(fgraph, v, dtype)]
    return [var]


def _product_of_scales(scalars, dtype):
    """The product of 0-d ``dtype`` variables, its constants folded into one."""
    value, variables = 1, []
    for s in scalars:
        v = _constant_value(s)
        if v is None:
            variables.append(s)
        else:
            value = value * v
    if value != 1 or not variables:
        variables.insert(0, constant(np.asarray(value, dtype=dtype)))
    return variables[0] if len(variables) == 1 else tm.mul(*variables)


@register(BLAS, *BLAS_TAGS)
@node_rewriter([Elemwise])
def local_dot22_to_dot22scalar(fgraph, node):
    "mul(a, Dot22(x, y), ...) -> mul(Dot22Scalar(x, y, a), ...)"
    if not isinstance(node.op.scalar_op, scal.Mul):
        return None
    # A product read elsewhere too stays: folding the scale would compute it twice.
    dots = [i for i, v in enumerate(node.inputs) if res_is_a(v, _dot22, 1, fgraph)]
    if not dots:
        return None
    d = node.inputs[dots[0]]
    dtype = d.type.dtype
    factors = [f for i, v in enumerate(node.inputs) if i != dots[0]
               for f in _mul_factors(fgraph, v, dtype)]
    scalars, rest = _split_scalars(factors, dtype)
    if not scalars:
        return None
    a = _product_of_scales(scalars, dtype)
    new = _dot22scalar(d.owner.inputs[0], d.owner.inputs[1], a)
    return _keep_type(node, tm.mul(new, *rest) if rest else new)


@register(BLAS, *BLAS_TAGS)
@node_rewriter([Gemm])
def local_gemm_to_gemv(fgraph, node):
    "Gemm on a row or a column -> Gemv"
    if node.op.inplace:
        return None
    z, a, x, y, b = node.inputs
    if z.type.broadcastable == x.type.broadcastable == (True, False):
        r = gemv_no_inplace(_dimshuffle(z, (1,)), a, y.T, _dimshuffle(x, (1,)), b)
        return _keep_type(node, r.dimshuffle("x", 0))
    if z.type.broadcastable == y.type.broadcastable == (False, True):
        r = gemv_no_inplace(_dimshuffle(z, (0,)), a, x, _dimshuffle(y, (0,)), b)
        return _keep_type(node, r.dimshuffle(0, "x"))
    return None


@register(BLAS, *BLAS_TAGS)
@node_rewriter([Gemm])
def local_gemm_to_ger(fgraph, node):
    "Gemm(z, a, column, row, 1) -> Ger(z, a, x, y)"
    if node.op.inplace:
        return None
    z, a, x, y, b = node.inputs
    if not (x.type.broadcastable[1] and y.type.broadcastable[0]) or \
            z.type.dtype not in tensor_blas._BLAS_DTYPES or _constant_value(b) != 1:
        return None
    return _keep_type(node, ger(z, a, _dimshuffle(x, (0,)), _dimshuffle(y, (1,))))


@register(BLAS, "fast_run", "scipy_blas")
@node_rewriter([Ger])
def use_scipy_ger(fgraph, node):
    "Ger{non-destructive} -> ScipyGer{non-destructive}"
    if type(node.op) is not Ger or node.op.destructive:
        return None
    return [blas_scipy.scipy_ger_no_inplace(*node.inputs)]


@register(BLAS, "fast_run", "c_blas")
@node_rewriter([Gemv])
def use_c_gemv(fgraph, node):
    "Gemv -> CGemv (when config.blas.ldflags is set, as Theano)"
    if not config.blas.ldflags or type(node.op) is not Gemv or \
            node.outputs[0].type.dtype not in ("float32", "float64"):
        return None
    return [blas_c.CGemv(node.op.inplace)(*node.inputs)]


@register(BLAS, "fast_run", "c_blas")
@node_rewriter([Ger])
def use_c_ger(fgraph, node):
    "Ger -> CGer (when config.blas.ldflags is set, as Theano)"
    if not config.blas.ldflags or type(node.op) not in (Ger, blas_scipy.ScipyGer) or \
            node.outputs[0].type.dtype not in ("float32", "float64"):
        return None
    return [blas_c.CGer(node.op.destructive)(*node.inputs)]


# --------------------------------------------------------------------------- INPLACE phase

def _inplace(node, inputs):
    """The node's op, in place (its own class: CGemv stays CGemv), on ``inputs``; None when
    the accumulator shares memory with another input (make_node refuses it)."""
    op = type(node.op)(True)
    try:
        return [op(*inputs)]
    except InconsistencyError:
        return None


@register(INPLACE, *INPLACE_TAGS)
@node_rewriter([Gemm])
def local_inplace_gemm(fgraph, node):
    "Gemm{no_inplace} -> Gemm{inplace}"
    if node.op.inplace:
        return None
    return _inplace(node, node.inputs)


def _reads_accumulator(node):
    """Whether another input of the node is, or is a view of, the accumulator (input 0):
    BLAS would read it while writing it."""
    roots = tensor_blas._view_roots(node.inputs[0])
    return any(roots & tensor_blas._view_roots(v) for v in node.inputs[1:])


@register(INPLACE, *INPLACE_TAGS)
@node_rewriter([Gemv])
def local_inplace_gemv(fgraph, node):
    "Gemv{no_inplace} -> Gemv{inplace}"
    if node.op.inplace or _reads_accumulator(node):
        return None
    inputs = list(node.inputs)
    y = inputs[0]
    if y.owner is not None and isinstance(y.owner.op, AllocEmpty) and _n_clients(fgraph, y) > 1:
        inputs[0] = AllocEmpty(y.type.dtype)(*y.owner.inputs)  # a buffer of its own
    return _inplace(node, inputs)


@register(INPLACE, *INPLACE_TAGS)
@node_rewriter([Ger])
def local_inplace_ger(fgraph, node):
    "Ger{non-destructive} -> Ger{destructive}"
    if node.op.destructive or _reads_accumulator(node):
        return None
    return _inplace(node, node.inputs)


# Theano 1.0 import paths: theano.tensor.blas held its rewrites and their helpers.
for _name in __all__:
    setattr(tensor_blas, _name, globals()[_name])
tensor_blas._gemm_from_factored_list = _gemm_from_factored_list
tensor_blas.local_inplace_gemm = local_inplace_gemm
for _module, _names in ((blas_scipy, ("use_scipy_ger",)), (blas_c, ("use_c_gemv", "use_c_ger"))):
    for _name in _names:
        setattr(_module, _name, globals()[_name])
