"""Dot products: ``Dot`` (vector/matrix products, numpy's BLAS underneath), ``BatchedDot``,
and the functions built on them: ``dot`` (any ranks, tensordot semantics beyond 2-d),
``tensordot``, ``outer``, ``batched_dot``, ``batched_tensordot``.

As in Theano 1.0, products of rank > 2 are reshaped to matrix products, so every dot in a
graph is a ``Dot`` (printed ``dot``) or a ``BatchedDot`` that the BLAS rewrites can
specialise into the BLAS ops of this module (pytheano/rewriting/blas.py makes them):
``Dot22`` (matrix . matrix), ``Dot22Scalar`` (a * dot(x, y)), ``Gemm`` (b * z + a * dot(x, y)),
``Gemv`` (b * y + a * dot(A, x)) and ``Ger`` (A + a * outer(x, y)). Their perform calls
scipy's BLAS (``scipy.linalg.get_blas_funcs``) for float32/64 and complex, in place when the
op is the in-place one; other dtypes (float16) use numpy. With the C backend (linker 'cvm'
or 'c' and a compiler), float32/64 nodes run in a BlasThunk (_core/blas_thunk.pyx), which
calls scipy's BLAS routines from Cython with no Python in between (the products: numpy's
OpenBLAS when it is the newer one, ``blas_thunk.GEMM_BLAS``) and computes what perform
computes; ``c_blas_call(node)`` names the routine.
"""
import numpy as np
import scipy.linalg
import scipy.linalg.blas

from pytheano._core.graph import Apply, Constant
from pytheano.configparser import config
from pytheano.errors import InconsistencyError
from pytheano.graph.printing import FunctionPrinter, OperatorPrinter, pprint, special
from pytheano.graph.op import Op
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import as_tensor_variable, patternbroadcast
from pytheano.tensor.type import TensorType
from pytheano.tensor.join import concatenate
from pytheano.tensor.shape import mul_dims
from pytheano.tensor import math as tmath
from pytheano.tensor.reduction import sum as tensor_sum

__all__ = ["Dot", "dot", "tensordot", "outer", "BatchedDot", "batched_dot",
           "batched_tensordot"]
# The BLAS ops are reached as theano.tensor.blas.X, as in Theano (not star-exported).




def _float_grad(x, g):
    """The gradient term for ``x``: ``g`` with x's broadcastable pattern."""
    # Theano 1.0 compat: an integer input gets the product too (gz . y, a float: a float32
    # gz and an int8 y give float32), not zeros of floatX.
    if g.broadcastable != x.broadcastable:
        # Only one side may know a dimension is 1: fix the pattern (Theano gh-1461).
        g = patternbroadcast(g, x.broadcastable)
    return g


def _sum_eval_points(op, inputs, eval_points):
    """R_op of a bilinear op: op(dx, y) + op(x, dy), skipping the missing terms."""
    if eval_points[0] is None and eval_points[1] is None:
        return [None]
    terms = []
    if eval_points[0] is not None:
        terms.append(op(eval_points[0], inputs[1]))
    if eval_points[1] is not None:
        terms.append(op(inputs[0], eval_points[1]))
    return [terms[0] + terms[1] if len(terms) == 2 else terms[0]]


class Dot(Op):
    """The product of vectors and matrices: vector.vector (a 0-d result), matrix.vector,
    vector.matrix, matrix.matrix. Use ``dot`` for other ranks."""

    __props__ = ()

    def __str__(self):
        return "dot"

    def make_node(self, *inputs):
        if len(inputs) != 2:
            raise TypeError("theano.tensor.Dot: 2 arguments required, %d given " % len(inputs))
        inputs = [as_tensor_variable(i) for i in inputs]
        for k, inp in enumerate(inputs):
            if inp.ndim not in (1, 2):
                raise TypeError("theano.tensor.Dot: input %d (0-indexed) must have ndim of 1 or "
                                "2, %d given. Consider calling theano.tensor.dot instead."
                                % (k, inp.ndim))
        bx, by = (i.type.broadcastable for i in inputs)
        bz = bx[:-1] + (by[-1:] if len(by) == 2 else ())
        dtype = scal.upcast(*[i.type.dtype for i in inputs])
        return Apply(self, inputs, [TensorType(dtype, bz)()])

    def perform(self, node, inputs, output_storage):
        x, y = inputs
        if x.shape[-1] != y.shape[0]:
            raise ValueError("Shape mismatch in dot: x has shape %s and y has shape %s, but "
                             "x.shape[%d] (%d) != y.shape[0] (%d)"
                             % (x.shape, y.shape, x.ndim - 1, x.shape[-1], y.shape[0]))
        output_storage[0][0] = np.asarray(np.dot(x, y), dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, shapes):
        xshp, yshp = shapes
        return [tuple(xshp[:-1]) + tuple(yshp[1:])]

    def grad(self, inputs, output_grads):
        x, y = inputs
        gz, = output_grads
        xdim, ydim, gdim = x.type.ndim, y.type.ndim, gz.type.ndim
        if gdim == 0:  # vector . vector
            xgrad, ygrad = gz * y, gz * x
        elif xdim == 1 and ydim == 2:
            xgrad, ygrad = dot(gz, y.T), outer(x.T, gz)
        elif xdim == 2 and ydim == 1:
            xgrad, ygrad = outer(gz, y.T), dot(x.T, gz)
        else:
            xgrad, ygrad = dot(gz, y.T), dot(x.T, gz)
        return [_float_grad(x, xgrad), _float_grad(y, ygrad)]

    def R_op(self, inputs, eval_points):
        return _sum_eval_points(self, inputs, eval_points)


_dot = Dot()




def dot(a, b):
    """The dot product of ``a`` and ``b`` (numpy's ``dot``).

    A scalar operand gives the elementwise product; vectors and matrices use the ``Dot`` op;
    higher ranks sum over the last axis of ``a`` and the second-to-last of ``b``
    (``tensordot(a, b, [[a.ndim - 1], [max(0, b.ndim - 2)]])``).
    """
    a, b = as_tensor_variable(a), as_tensor_variable(b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.ndim > 2 or b.ndim > 2:
        return tensordot(a, b, [[a.ndim - 1], [max(0, b.ndim - 2)]])
    return _dot(a, b)


def _axes_list(axes):
    if isinstance(axes, (int, np.integer)):
        return [int(axes)]
    return [int(a) for a in axes]


def _tensordot_as_dot(a, b, axes, dot, batched):
    """tensordot (or batched_tensordot) of ``a`` and ``b``, reduced to one ``dot`` of
    matrices or vectors: the summed axes are moved last in ``a`` and first in ``b``, both
    are reshaped to 2-d (3-d with a batch axis), and the product is reshaped back."""
    a, b = as_tensor_variable(a), as_tensor_variable(b)
    if not np.isscalar(axes) and len(axes) != 2:
        raise ValueError("Axes should be an integer or a list/tuple of len 2 (%s was provided)"
                         % str(axes))
    if not np.isscalar(axes):
        axes = [_axes_list(ax) for ax in axes]
        if len(axes[0]) != len(axes[1]):
            raise ValueError("Axes elements must have the same length.")
        for i, (name, operand) in enumerate((("a", a), ("b", b))):
            if len(axes[i]) > operand.ndim:
                raise ValueError("axes[%i] should be array_like with length less than the "
                                 "dimensions of %s (%s.ndim=%i, len(axes[0])=%i)."
                                 % (i, name, name, operand.ndim, len(axes[i])))
            if axes[i] and max(axes[i]) >= operand.ndim:
                raise ValueError("axes[%i] contains dimensions greater than or equal to %s.ndim "
                                 "(%s.ndim=%i, max(axes[0])=%i)."
                                 % (i, name, name, operand.ndim, max(axes[i])))
            if batched and 0 in axes[i]:
                raise ValueError("axes to sum over must not contain the batch axis "
                                 "(axes[%i]=%s)" % (i, axes[i]))
        axes = [[ax % operand.ndim for ax in axs] for axs, operand in zip(axes, (a, b))]
        batch_axes = [0] if batched else []
        other_axes = [[x for x in range(operand.ndim)
                       if x not in axes[i] and x not in batch_axes]
                      for i, operand in enumerate((a, b))]
        a = a.dimshuffle(batch_axes + other_axes[0] + axes[0])
        b = b.dimshuffle(batch_axes + axes[1] + other_axes[1])
        axes = len(axes[0])

    axes = int(axes)
    for name, operand in (("a", a), ("b", b)):
        if axes > operand.ndim:
            raise ValueError("axes can not be larger than the dimension of %s (%s.ndim=%i, "
                             "axes=%i)" % (name, name, operand.ndim, axes))
        if batched and axes == operand.ndim:
            raise ValueError("axes to sum over must not include the batch axis of %s "
                             "(%s.ndim=%i, axes=%i)" % (name, name, operand.ndim, axes))

    nb = 1 if batched else 0
    a_out = slice(0, a.ndim - axes)
    b_out = slice(nb + axes, b.ndim)
    outbcast = a.broadcastable[a_out] + b.broadcastable[b_out]
    outshape = concatenate([a.shape[a_out], b.shape[b_out]])

    a_shape = [mul_dims(*[a.shape[i] for i in range(nb, a.ndim - axes)]),
               mul_dims(*[a.shape[a.ndim - axes + i] for i in range(axes)])]
    b_shape = [mul_dims(*[b.shape[nb + i] for i in range(axes)]),
               mul_dims(*[b.shape[i] for i in range(nb + axes, b.ndim)])]
    if batched:
        a_shape.insert(0, a.shape[0])
        b_shape.insert(0, b.shape[0])
    out = dot(a.reshape(a_shape), b.reshape(b_shape))
    out = out.reshape(outshape, len(outbcast))
    # The reshapes lose what was known to be broadcastable: restore it.
    return patternbroadcast(out, outbcast)


def tensordot(a, b, axes=2):
    """numpy's ``tensordot``: the sum of products over ``axes``.

    axes: an int n (the last n axes of ``a`` with the first n of ``b``) or a pair of axis
    lists (``[[1, 2], [3, 2]]`` sums a's axes 1, 2 against b's axes 3, 2). The result has
    a's remaining axes, then b's.
    """
    return _tensordot_as_dot(a, b, axes, dot=dot, batched=False)


def outer(x, y):
    """The outer product of two vectors (other ranks are flattened first)."""
    x, y = as_tensor_variable(x), as_tensor_variable(y)
    if x.ndim != 1:
        x = x.flatten()
    if y.ndim != 1:
        y = y.flatten()
    return dot(x.dimshuffle(0, "x"), y.dimshuffle("x", 0))


class BatchedDot(Op):
    """``batched_dot(a, b)[i] = dot(a[i], b[i])`` for inputs of rank 2 or 3."""

    __props__ = ()

    def make_node(self, *inputs):
        if len(inputs) != 2:
            raise TypeError("theano.tensor.blas.BatchedDot: 2 arguments required, %d given "
                            % len(inputs))
        inputs = [as_tensor_variable(i) for i in inputs]
        for k, inp in enumerate(inputs):
            if inp.ndim not in (2, 3):
                raise TypeError("theano.tensor.blas.BatchedDot: input %d (0-indexed) must have "
                                "ndim of 2 or 3, %d given. Consider calling "
                                "theano.tensor.batched_dot instead." % (k, inp.ndim))
        dtype = scal.upcast(*[i.type.dtype for i in inputs])
        cast = tmath.cast
        inputs = [i if i.dtype == dtype else cast(i, dtype) for i in inputs]
        x, y = inputs
        bcast = ((x.type.broadcastable[0] or y.type.broadcastable[0],)
                 + x.type.broadcastable[1:-1] + y.type.broadcastable[2:])
        return Apply(self, inputs, [TensorType(dtype, bcast)()])

    def perform(self, node, inputs, output_storage):
        x, y = inputs
        if x.shape[0] != y.shape[0]:
            raise ValueError("Shape mismatch in batched_dot: batch sizes unequal. x.shape is "
                             "%s, y.shape is %s." % (x.shape, y.shape))
        if x.shape[-1] != y.shape[1]:
            raise ValueError("Shape mismatch in batched_dot: summation axis sizes unequal. "
                             "x.shape is %s, y.shape is %s." % (x.shape, y.shape))
        # matmul over the batch: vectors become 1-row / 1-column matrices and back.
        z = np.matmul(x[:, None, :] if x.ndim == 2 else x, y[:, :, None] if y.ndim == 2 else y)
        if y.ndim == 2:
            z = z[..., 0]
        if x.ndim == 2:
            z = z[:, 0]
        output_storage[0][0] = np.asarray(z, dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, shapes):
        xshp, yshp = shapes
        return [tuple(xshp[:-1]) + tuple(yshp[2:])]

    def grad(self, inputs, output_grads):
        x, y = inputs
        gz, = output_grads
        xdim, ydim, gdim = x.type.ndim, y.type.ndim, gz.type.ndim
        if gdim == 1:  # both rank 2
            xgrad = gz.dimshuffle(0, "x") * y
            ygrad = gz.dimshuffle(0, "x") * x
        elif xdim == 2 and ydim == 3:
            xgrad = batched_dot(gz, y.dimshuffle(0, 2, 1))
            ygrad = x.dimshuffle(0, 1, "x") * gz.dimshuffle(0, "x", 1)
        elif xdim == 3 and ydim == 2:
            xgrad = gz.dimshuffle(0, 1, "x") * y.dimshuffle(0, "x", 1)
            ygrad = batched_dot(x.dimshuffle(0, 2, 1), gz)
        else:
            xgrad = batched_dot(gz, y.dimshuffle(0, 2, 1))
            ygrad = batched_dot(x.dimshuffle(0, 2, 1), gz)
        return [_float_grad(x, xgrad), _float_grad(y, ygrad)]

    def R_op(self, inputs, eval_points):
        return _sum_eval_points(self, inputs, eval_points)


_batched_dot = BatchedDot()


def batched_dot(a, b):
    """``batched_dot(a, b)[i] = dot(a[i], b[i])`` along the first (batch) axis.

    A vector operand gives a batched elementwise product; ranks 2 and 3 use ``BatchedDot``;
    higher ranks go through ``batched_tensordot``.
    """
    a, b = as_tensor_variable(a), as_tensor_variable(b)
    if a.ndim == 0:
        raise TypeError("a must have at least one (batch) axis")
    if b.ndim == 0:
        raise TypeError("b must have at least one (batch) axis")
    if a.ndim == 1:
        return a.dimshuffle(*([0] + ["x"] * (b.ndim - 1))) * b
    if b.ndim == 1:
        return a * b.dimshuffle(*([0] + ["x"] * (a.ndim - 1)))
    if a.ndim > 3 or b.ndim > 3:
        return batched_tensordot(a, b, [[a.ndim - 1], [max(1, b.ndim - 2)]])
    return _batched_dot(a, b)


def batched_tensordot(x, y, axes=2):
    """tensordot of ``x[i]`` and ``y[i]`` for each i along the first (batch) axis.

    axes: an int n (the last n axes of x with y's axes 1..n) or a pair of axis lists, as in
    ``tensordot`` but never including the batch axis 0.
    """
    return _tensordot_as_dot(x, y, axes, dot=batched_dot, batched=True)


pprint.assign(Dot, OperatorPrinter(special["middle_dot"], -1, "left"))


# --------------------------------------------------------------------------- BLAS ops

# The dtypes scipy's BLAS has routines for; others (float16) compute with numpy.
_BLAS_DTYPES = ("float32", "float64", "complex64", "complex128")
_FLOAT_DTYPES = ("float16",) + _BLAS_DTYPES
have_fblas = True  # Theano 1.0 compat: scipy (a dependency) always brings its BLAS
fblas = scipy.linalg.blas
_blas_funcs = {}


def _blas(name, dtype):
    """scipy's BLAS routine ``name`` ('gemm', 'gemv', 'ger') for ``dtype``, or None (cached
    per (name, dtype) object: this runs on every call of the op)."""
    key = (name, dtype)
    try:
        return _blas_funcs[key]
    except KeyError:
        pass
    dtype_name = str(dtype)
    fn = None
    if dtype_name in _BLAS_DTYPES:
        routine = "geru" if name == "ger" and dtype_name.startswith("complex") else name
        fn = scipy.linalg.get_blas_funcs(routine, dtype=np.dtype(dtype_name))
    _blas_funcs[key] = fn
    return fn


def _fortran(m):
    """``(array, trans)`` with an F-contiguous array whose op(array) is ``m``, so that BLAS
    reads ``m`` without a copy when ``m`` or its transpose is contiguous."""
    if m.flags.f_contiguous:
        return m, 0
    if m.flags.c_contiguous:
        return m.T, 1
    return np.asfortranarray(m), 0


def _view_roots(v):
    """The variables whose memory ``v`` may share (following view_map and destroy_map)."""
    while v.owner is not None:
        op, idx = v.owner.op, v.owner.outputs.index(v)
        aliased = (getattr(op, "view_map", None) or {}).get(idx) or \
            (getattr(op, "destroy_map", None) or {}).get(idx)
        if not aliased:
            break
        v = v.owner.inputs[aliased[0]]
    return {v}


def _is_zero(value):
    # The scalars a, b arrive as 0-d arrays: their truth value is one C call (np.any costs
    # microseconds, on every call of the op).
    if getattr(value, "ndim", 0) == 0:
        return not value
    return not np.any(value)


def _ignores_accumulator(node, beta):
    """Whether the accumulator (input 0) is not read: beta is the constant 0 (BLAS's rule;
    the BLAS rewrites give such ops an uninitialised AllocEmpty). A beta that is 0 only at
    run time computes ``0 * z`` as written, NaN for a NaN in z."""
    return _is_zero(beta) and isinstance(node.inputs[4], Constant)


def _blas_call(node, routine, accumulator_beta=None):
    """What the C backend's BlasThunk (_core/blas_thunk.pyx) needs to run ``node``:
    (routine, ignores the accumulator), or None for dtypes other than float32/64 (complex
    and float16 stay in perform). ``accumulator_beta``: the index of beta, if any."""
    if node.outputs[0].type.dtype not in ("float32", "float64"):
        return None
    ignores = False
    if accumulator_beta is not None:
        beta = node.inputs[accumulator_beta]
        ignores = isinstance(beta, Constant) and _is_zero(beta.data)
    return routine, ignores


def _scalar_sum(g, term, dtype):
    """sum(g * term) as a 0-d ``dtype`` tensor: the gradient of a scalar coefficient."""
    return tmath.cast(tensor_sum(g * term), dtype)


class GemmRelated(Op):
    """The base of the matrix-product BLAS ops (Theano's name): Dot22, Dot22Scalar, Gemm."""

    __props__ = ()


class _OverwritesFirstInput(Op):
    """A BLAS op that may write its result into its first input (``inplace=True``), printed
    ``Name{inplace}`` or ``Name{no_inplace}`` as Theano does."""

    def __init__(self, inplace):
        self.inplace = inplace
        if inplace:
            self.destroy_map = {0: [0]}

    def __str__(self):
        return "%s{%s}" % (type(self).__name__, "inplace" if self.inplace else "no_inplace")

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]  # the result has the accumulator's shape


class Gemm(_OverwritesFirstInput, GemmRelated):
    """``gemm(z, a, x, y, b) = b * z + a * dot(x, y)`` for matrices z, x, y and scalars a, b
    of one float dtype. ``Gemm(inplace=True)`` (gemm_inplace) overwrites z with the result.
    A constant 0 for b ignores z (as BLAS does: z may hold garbage)."""

    E_rank = "gemm only works for rank 2"
    E_scalar = "gemm requires scalar argument"
    E_z_uniq = "argument z aliased to x or y"
    E_mixed = "gemm requires matching dtypes"
    E_float = "gemm requires floating-point dtypes"
    __props__ = ("inplace",)

    def make_node(self, *inputs):
        inputs = [as_tensor_variable(i) for i in inputs]
        if len(inputs) != 5:
            raise TypeError("Wrong number of inputs for %s (expected 5, got %s)"
                            % (self, len(inputs)))
        z, a, x, y, b = inputs
        if self.inplace:
            # Only z is declared destroyed: x or y sharing its memory would be read while
            # it is overwritten.
            zr = _view_roots(z)
            if zr & _view_roots(x):
                raise InconsistencyError(Gemm.E_z_uniq, (z, x))
            if zr & _view_roots(y):
                raise InconsistencyError(Gemm.E_z_uniq, (z, y))
        for v, err in ((z, Gemm.E_rank), (a, Gemm.E_scalar), (x, Gemm.E_rank),
                       (y, Gemm.E_rank), (b, Gemm.E_scalar)):
            if v.ndim != (0 if err is Gemm.E_scalar else 2):
                raise TypeError(err, v)
        if not (z.dtype == a.dtype == x.dtype == y.dtype == b.dtype):
            raise TypeError(Gemm.E_mixed, (z.dtype, a.dtype, x.dtype, y.dtype, b.dtype))
        if z.dtype not in _FLOAT_DTYPES:
            raise TypeError(Gemm.E_float, z.dtype)
        return Apply(self, inputs, [z.type()])

    def perform(self, node, inputs, output_storage):
        z, a, x, y, b = inputs
        if x.shape[1] != y.shape[0] or z.shape != (x.shape[0], y.shape[1]):
            raise ValueError("Incompatible shapes for gemm (b * z + a * dot(x, y)). z: %s, "
                             "x: %s, y: %s" % (z.shape, x.shape, y.shape))
        fn = _blas("gemm", z.dtype)
        ignore_z = _ignores_accumulator(node, b)
        if fn is None or z.size == 0 or x.shape[1] == 0 or _is_zero(a) or \
                (_is_zero(b) and not ignore_z):
            # numpy: a zero a keeps a NaN of 0 * inf in dot(x, y), as a * dot(x, y) does
            # (BLAS skips the product); likewise 0 * z for a run-time zero b.
            prod = a * np.dot(x, y)
            out = z if self.inplace else np.empty_like(z)
            if ignore_z:
                out[...] = prod
            else:
                out[...] = b * z + prod
        else:
            # BLAS is column-major: a C-ordered z is an F-ordered z.T = y.T x.T.
            c_order = not z.flags.f_contiguous
            c = z.T if c_order else z
            (p, tp), (q, tq) = (_fortran(y.T), _fortran(x.T)) if c_order else \
                (_fortran(x), _fortran(y))
            r = fn(a, p, q, beta=b, c=c, trans_a=tp, trans_b=tq,
                   overwrite_c=bool(self.inplace) and c.flags.f_contiguous)
            out = r.T if c_order else r
            if self.inplace and out is not z and not np.shares_memory(out, z):
                z[...] = out
                out = z
        output_storage[0][0] = out

    def c_blas_call(self, node):
        return _blas_call(node, "gemm", accumulator_beta=4)

    def grad(self, inputs, output_grads):
        z, a, x, y, b = inputs
        gz, = output_grads
        dt = z.dtype
        return [_float_grad(z, gz * b), _scalar_sum(gz, dot(x, y), dt),
                _float_grad(x, a * dot(gz, y.T)), _float_grad(y, a * dot(x.T, gz)),
                _scalar_sum(gz, z, dt)]


gemm_inplace = Gemm(inplace=True)
gemm_no_inplace = Gemm(inplace=False)
gemm = gemm_no_inplace  # the user interface; the inplace rewrite makes it in place


class Gemv(_OverwritesFirstInput):
    """``gemv(y, a, A, x, b) = b * y + a * dot(A, x)`` for a matrix A, vectors x, y and
    scalars a, b. ``Gemv(inplace=True)`` overwrites y. A constant 0 for b ignores y (BLAS)."""

    __props__ = ("inplace",)

    def make_node(self, y, alpha, A, x, beta):
        y, alpha, A, x, beta = (as_tensor_variable(v) for v in (y, alpha, A, x, beta))
        if y.dtype != A.dtype or y.dtype != x.dtype:
            raise TypeError("Gemv requires matching dtypes", (y.dtype, A.dtype, x.dtype))
        if A.ndim != 2:
            raise TypeError("gemv requires matrix for A", A.type)
        if x.ndim != 1:
            raise TypeError("gemv requires vector for x", x.type)
        if y.ndim != 1:
            raise TypeError("gemv requires vector for y", y.type)
        if alpha.ndim != 0 or beta.ndim != 0:
            raise TypeError("gemv requires scalar alpha and beta", (alpha.type, beta.type))
        return Apply(self, [y, alpha, A, x, beta], [y.type()])

    def perform(self, node, inputs, output_storage):
        y, alpha, A, x, beta = inputs
        if A.shape[0] != y.shape[0] or A.shape[1] != x.shape[0]:
            raise ValueError("Incompatible shapes for gemv (beta * y + alpha * dot(A, x)). "
                             "y: %s, A: %s, x: %s " % (y.shape, A.shape, x.shape))
        fn = _blas("gemv", y.dtype)
        out = y if self.inplace else None
        ignore_y = _ignores_accumulator(node, beta)
        if fn is None or y.size == 0 or x.size == 0 or _is_zero(alpha) or \
                (_is_zero(beta) and not ignore_y):
            prod = alpha * np.dot(A, x)
            out = np.empty_like(y) if out is None else out
            out[...] = prod if ignore_y else beta * y + prod
        else:
            if _is_zero(beta):
                # y is ignored; it may be garbage (AllocEmpty) that some BLAS would read.
                y = np.zeros_like(y) if out is None else y
                y.fill(0)
            m, trans = _fortran(A)
            r = fn(alpha, m, x, beta=beta, y=y, trans=trans,
                   overwrite_y=bool(self.inplace) and y.flags.contiguous)
            if out is not None and r is not out and not np.shares_memory(r, out):
                out[...] = r
            else:
                out = r
        output_storage[0][0] = out

    def c_blas_call(self, node):
        return _blas_call(node, "gemv", accumulator_beta=4)

    def grad(self, inputs, output_grads):
        y, alpha, A, x, beta = inputs
        gz, = output_grads
        return [_float_grad(y, gz * beta), _scalar_sum(gz, dot(A, x), alpha.dtype),
                _float_grad(A, alpha * outer(gz, x)), _float_grad(x, alpha * dot(A.T, gz)),
                _scalar_sum(gz, y, beta.dtype)]


gemv_no_inplace = Gemv(inplace=False)
gemv_inplace = Gemv(inplace=True)
gemv = gemv_no_inplace


class Ger(Op):
    """``ger(A, alpha, x, y) = A + alpha * outer(x, y)`` (BLAS's rank-1 update).
    ``Ger(destructive=True)`` overwrites A."""

    __props__ = ("destructive",)

    def __init__(self, destructive):
        self.destructive = destructive
        if destructive:
            self.destroy_map = {0: [0]}

    def __str__(self):
        return "%s{%s}" % (type(self).__name__,
                           "destructive" if self.destructive else "non-destructive")

    def make_node(self, A, alpha, x, y):
        A, alpha, x, y = (as_tensor_variable(v) for v in (A, alpha, x, y))
        if not (A.dtype == x.dtype == y.dtype == alpha.dtype):
            raise TypeError("ger requires matching dtypes",
                            (A.dtype, alpha.dtype, x.dtype, y.dtype))
        if alpha.ndim != 0:
            raise TypeError("ger requires scalar alpha", alpha.type)
        if A.ndim != 2:
            raise TypeError("ger requires matrix for A", A.type)
        if x.ndim != 1:
            raise TypeError("ger requires vector for x", x.type)
        if y.ndim != 1:
            raise TypeError("ger requires vector for y", y.type)
        if x.dtype not in _BLAS_DTYPES:
            raise TypeError("only float and complex types supported", x.dtype)
        return Apply(self, [A, alpha, x, y], [A.type()])

    def perform(self, node, inputs, output_storage):
        A, alpha, x, y = inputs
        if A.shape[0] != x.shape[0]:
            raise ValueError("Shape mismatch: A.shape[0] != x.shape[0] (A: %s, x: %s)"
                             % (A.shape, x.shape))
        if A.shape[1] != y.shape[0]:
            raise ValueError("Shape mismatch: A.shape[1] != y.shape[0] (A: %s, y: %s)"
                             % (A.shape, y.shape))
        fn = _blas("ger", A.dtype)
        if fn is None or A.size == 0 or _is_zero(alpha):
            out = A if self.destructive else A.copy()
            out += alpha * np.outer(x, y)
        else:
            overwrite = bool(self.destructive)
            if A.flags.c_contiguous:
                r = fn(alpha, y, x, a=A.T, overwrite_a=overwrite).T
            else:
                r = fn(alpha, x, y, a=A, overwrite_a=overwrite and A.flags.f_contiguous)
            out = r
            if overwrite and not np.shares_memory(r, A):
                A[...] = r
                out = A
        output_storage[0][0] = out

    def c_blas_call(self, node):
        return _blas_call(node, "ger")

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def grad(self, inputs, output_grads):
        A, alpha, x, y = inputs
        gz, = output_grads
        return [_float_grad(A, gz), _scalar_sum(gz, outer(x, y), alpha.dtype),
                _float_grad(x, alpha * dot(gz, y)), _float_grad(y, alpha * dot(gz.T, x))]


ger = Ger(destructive=False)
ger_destructive = Ger(destructive=True)


class Dot22(GemmRelated):
    """matrix . matrix of one float dtype (the BLAS rewrites make it from Dot)."""

    def __str__(self):
        return "Dot22"

    def make_node(self, x, y):
        x, y = as_tensor_variable(x), as_tensor_variable(y)
        why = "Dot22 takes two matrices of one float dtype; got %s and %s" % (x.type, y.type)
        for v in (x, y):
            if v.type.ndim != 2 or v.type.dtype not in _FLOAT_DTYPES:
                raise TypeError(v, why)
        if y.type.dtype != x.type.dtype:
            raise TypeError("dtype mismatch to Dot22", why)
        bz = (x.type.broadcastable[0], y.type.broadcastable[1])
        return Apply(self, [x, y], [TensorType(x.type.dtype, bz)()])

    def perform(self, node, inputs, output_storage):
        _dot.perform(node, inputs, output_storage)  # Dot's shape check and message

    def c_blas_call(self, node):
        return _blas_call(node, "dot22")

    def infer_shape(self, fgraph, node, shapes):
        return [(shapes[0][0], shapes[1][1])]

    def grad(self, inputs, output_grads):
        return _dot.grad(inputs, output_grads)

    def R_op(self, inputs, eval_points):
        return _sum_eval_points(_dot, inputs, eval_points)


_dot22 = Dot22()


class Dot22Scalar(GemmRelated):
    """``a * dot(x, y)`` for matrices x, y and a scalar a of one float dtype."""

    def __str__(self):
        return "Dot22Scalar"

    def make_node(self, x, y, a):
        x, y, a = as_tensor_variable(x), as_tensor_variable(y), as_tensor_variable(a)
        if a.ndim != 0:
            raise TypeError(Gemm.E_scalar, a)
        if x.ndim != 2:
            raise TypeError(Gemm.E_rank, x)
        if y.ndim != 2:
            raise TypeError(Gemm.E_rank, y)
        if not (a.dtype == x.dtype == y.dtype):
            raise TypeError("Dot22Scalar requires matching dtypes", (a.dtype, x.dtype, y.dtype))
        if a.dtype not in _FLOAT_DTYPES:
            raise TypeError("Dot22Scalar requires float or complex args", a.dtype)
        bz = (x.type.broadcastable[0], y.type.broadcastable[1])
        return Apply(self, [x, y, a], [TensorType(x.type.dtype, bz)()])

    def perform(self, node, inputs, output_storage):
        x, y, a = inputs
        if x.shape[1] != y.shape[0]:
            raise ValueError("Shape mismatch in Dot22Scalar: x has shape %s and y has shape "
                             "%s, but x.shape[1] (%d) != y.shape[0] (%d)"
                             % (x.shape, y.shape, x.shape[1], y.shape[0]))
        fn = _blas("gemm", x.dtype)
        if fn is None or x.size == 0 or y.size == 0 or _is_zero(a):
            out = np.asarray(a * np.dot(x, y), dtype=x.dtype)
        else:
            (p, tp), (q, tq) = _fortran(y.T), _fortran(x.T)
            out = fn(a, p, q, trans_a=tp, trans_b=tq).T  # C-ordered, as np.dot gives
        output_storage[0][0] = out

    def c_blas_call(self, node):
        return _blas_call(node, "dot22scalar")

    def infer_shape(self, fgraph, node, shapes):
        return [(shapes[0][0], shapes[1][1])]

    def grad(self, inputs, output_grads):
        x, y, a = inputs
        gz, = output_grads
        return [_float_grad(x, a * dot(gz, y.T)), _float_grad(y, a * dot(x.T, gz)),
                _scalar_sum(gz, dot(x, y), a.dtype)]


_dot22scalar = Dot22Scalar()


def ldflags(libs=True, flags=False, libs_dir=False, include_dir=False):
    """Theano 1.0 compat: the words of config.blas.ldflags of the kind asked for."""
    found = []
    for word in config.blas.ldflags.split():
        kind = word[:2]
        if (libs and kind == "-l") or (libs_dir and kind == "-L") or \
                (include_dir and kind == "-I") or (flags and kind not in ("-l", "-L", "-I")):
            found.append(word[2:] if kind in ("-l", "-L", "-I") else word)
    return found


pprint.assign(gemm_inplace, FunctionPrinter("gemm_inplace"))
pprint.assign(gemm_no_inplace, FunctionPrinter("gemm_no_inplace"))
