"""Sparse arithmetic: add, sub, mul (sparse-sparse, sparse-dense, sparse-vector), the
comparisons, row/column scaling, sums, and the structured elementwise functions (applied
to the stored values only, so the sparsity pattern is kept)."""
import numpy as np
import scipy.sparse

from pytheano import scalar
from pytheano import tensor as T
from pytheano._core.graph import Apply, Variable
from pytheano.configparser import config
from pytheano.graph.op import Op
from pytheano.sparse.structure import (
    CSM, SparseFromDense, _compressed, _is_sparse_variable, as_sparse_or_tensor_variable,
    continuous_dtypes, csm_properties, dense_from_sparse, sp_ones_like, sp_zeros_like)
from pytheano.sparse.type import SparseType, as_sparse_variable
from pytheano.tensor.nnet import sigmoid as _sigmoid


def _sparse_or_dense(x):
    """A scipy.sparse value becomes a sparse constant, anything else a tensor."""
    if isinstance(x, scipy.sparse.spmatrix):
        return as_sparse_variable(x)
    if not isinstance(x, Variable):
        return T.as_tensor_variable(x)
    return x


# ---------------------------------------------------------------------------- add


class _SparseSparseOp(Op):
    """An elementwise op of two sparse matrices of one shape: a sparse matrix in ``x``'s
    format and the upcast dtype; subclasses give ``combine(x, y)`` on scipy matrices."""

    __props__ = ()

    def make_node(self, x, y):
        x, y = _compressed(x), _compressed(y)
        out_dtype = scalar.upcast(x.type.dtype, y.type.dtype)
        return Apply(self, [x, y], [SparseType(dtype=out_dtype, format=x.type.format)()])

    def perform(self, node, inputs, outputs):
        x, y = inputs
        if x.shape != y.shape:
            raise ValueError("%s: shapes %s and %s differ" % (type(self).__name__, x.shape,
                                                              y.shape))
        outputs[0][0] = SparseType.format_cls[node.outputs[0].type.format](
            self.combine(x, y), dtype=node.outputs[0].dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]


class AddSS(_SparseSparseOp):
    """``x + y``, both sparse: a sparse matrix in ``x``'s format."""

    @staticmethod
    def combine(x, y):
        return x + y

    def grad(self, inputs, gout):
        return [gout[0], gout[0]]


add_s_s = AddSS()


class AddSSData(Op):
    """``x + y`` for two sparse matrices of one structure (the same indices): the data
    vectors are added."""

    __props__ = ()

    def make_node(self, x, y):
        x, y = _compressed(x), _compressed(y)
        if x.type.dtype != y.type.dtype:
            raise NotImplementedError("AddSSData needs one dtype, got %s and %s"
                                      % (x.type.dtype, y.type.dtype))
        if x.type.format != y.type.format:
            raise NotImplementedError("AddSSData needs one format, got %s and %s"
                                      % (x.type.format, y.type.format))
        return Apply(self, [x, y], [x.type()])

    def perform(self, node, inputs, outputs):
        x, y = inputs
        if x.shape != y.shape or x.data.shape != y.data.shape:
            raise ValueError("AddSSData needs two matrices of the same structure")
        out = x.copy()
        out.data += y.data
        outputs[0][0] = out

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def grad(self, inputs, gout):
        return [gout[0] if i.dtype in continuous_dtypes else None for i in inputs]


add_s_s_data = AddSSData()


class AddSD(Op):
    """``x + y``, ``x`` sparse and ``y`` a dense matrix: a dense matrix."""

    __props__ = ()

    def make_node(self, x, y):
        x, y = _compressed(x), T.as_tensor_variable(y)
        if y.type.ndim != 2:
            raise TypeError("AddSD needs a dense matrix, got %s" % y.type)
        out_dtype = scalar.upcast(x.type.dtype, y.type.dtype)
        return Apply(self, [x, y], [T.TensorType(dtype=out_dtype,
                                                 broadcastable=y.type.broadcastable)()])

    def perform(self, node, inputs, outputs):
        x, y = inputs
        outputs[0][0] = np.asarray(x + y, dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[1]]

    def grad(self, inputs, gout):
        x, _ = inputs
        (gz,) = gout
        return [sp_ones_like(x) * gz, gz]


add_s_d = AddSD()


class StructuredAddSV(Op):
    """``x + y`` on ``x``'s stored entries only, ``y`` a vector added to each row."""

    __props__ = ()

    def make_node(self, x, y):
        x = _compressed(x)
        y = T.as_tensor_variable(y)
        if y.type.ndim != 1:
            raise TypeError("StructuredAddSV needs a vector, got %s" % y.type)
        if x.type.dtype != y.type.dtype:
            raise NotImplementedError("StructuredAddSV needs one dtype, got %s and %s"
                                      % (x.type.dtype, y.type.dtype))
        return Apply(self, [x, y], [x.type()])

    def perform(self, node, inputs, outputs):
        x, y = inputs
        if x.shape[1] != y.shape[0]:
            raise ValueError("StructuredAddSV: %d columns and a vector of %d"
                             % (x.shape[1], y.shape[0]))
        out = x.tocoo(copy=True)
        out.data = out.data + y[out.col]
        outputs[0][0] = SparseType.format_cls[x.format](out)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def grad(self, inputs, gout):
        (gz,) = gout
        return [gz, sp_sum(gz, axis=0, sparse_grad=True)]


structured_add_s_v = StructuredAddSV()


def add(x, y):
    """``x + y`` with at least one sparse operand (sparse + sparse is sparse, sparse +
    dense is dense)."""
    x, y = _sparse_or_dense(x), _sparse_or_dense(y)
    xs, ys = _is_sparse_variable(x), _is_sparse_variable(y)
    if not (xs or ys):
        raise TypeError("sparse.add needs at least one sparse operand")
    if xs and ys:
        return add_s_s(x, y)
    return add_s_d(x, y) if xs else add_s_d(y, x)


def sub(x, y):
    """``x - y`` with at least one sparse operand."""
    return x + (-y)


# ---------------------------------------------------------------------------- mul


class MulSS(_SparseSparseOp):
    """Elementwise ``x * y``, both sparse."""

    @staticmethod
    def combine(x, y):
        return x.multiply(y)

    def grad(self, inputs, gout):
        x, y = inputs
        (gz,) = gout
        return [y * gz, x * gz]


mul_s_s = MulSS()


class MulSD(Op):
    """Elementwise ``x * y``, ``x`` sparse and ``y`` a dense matrix or scalar: sparse, with
    ``x``'s structure."""

    __props__ = ()

    def make_node(self, x, y):
        x, y = _compressed(x), T.as_tensor_variable(y)
        if y.type.ndim not in (0, 2):
            raise TypeError("MulSD needs a dense matrix or scalar, got %s" % y.type)
        dtype = scalar.upcast(x.type.dtype, y.type.dtype)
        return Apply(self, [x, y], [SparseType(dtype=dtype, format=x.type.format)()])

    def perform(self, node, inputs, outputs):
        x, y = inputs
        out_dtype = node.outputs[0].dtype
        z = x.astype(out_dtype) if x.dtype != out_dtype else x.copy()
        if y.ndim == 0:
            z.data *= y
        else:
            if x.shape != y.shape:
                raise ValueError("MulSD: shapes %s and %s differ" % (x.shape, y.shape))
            coo = x.tocoo()
            z = SparseType.format_cls[x.format](
                (coo.data.astype(out_dtype) * y[coo.row, coo.col], (coo.row, coo.col)),
                shape=x.shape)
        outputs[0][0] = z

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def grad(self, inputs, gout):
        x, y = inputs
        (gz,) = gout
        return [y * gz, dense_from_sparse(x * gz)]


mul_s_d = MulSD()


class MulSV(Op):
    """``x * y``, ``x`` sparse and ``y`` a vector multiplying each row."""

    __props__ = ()

    def make_node(self, x, y):
        x = _compressed(x)
        y = T.as_tensor_variable(y)
        if y.type.ndim != 1:
            raise TypeError("MulSV needs a vector, got %s" % y.type)
        if x.type.dtype != y.type.dtype:
            raise NotImplementedError("MulSV not implemented for differing dtypes.Got %s and "
                                      "%s." % (x.type.dtype, y.type.dtype))
        return Apply(self, [x, y], [x.type()])

    def perform(self, node, inputs, outputs):
        x, y = inputs
        if x.shape[1] != y.shape[0]:
            raise ValueError("MulSV: %d columns and a vector of %d" % (x.shape[1], y.shape[0]))
        out = x.tocoo(copy=True)
        out.data = out.data * y[out.col]
        outputs[0][0] = SparseType.format_cls[x.format](out)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def grad(self, inputs, gout):
        x, y = inputs
        (gz,) = gout
        if gz.dtype == "float64" and y.dtype == "float32":
            y = y.astype("float64")
        if gz.dtype == "float32" and y.dtype == "float64":
            gz = gz.astype("float64")
        return [mul_s_v(gz, y), sp_sum(x * gz, axis=0, sparse_grad=True)]


mul_s_v = MulSV()


def mul(x, y):
    """Elementwise ``x * y`` with at least one sparse operand: sparse, with the sparse
    operand's structure."""
    x = as_sparse_or_tensor_variable(x)
    y = as_sparse_or_tensor_variable(y)
    xs, ys = _is_sparse_variable(x), _is_sparse_variable(y)
    if not (xs or ys):
        raise TypeError("sparse.mul needs at least one sparse operand")
    if xs and y.dtype == "float64" and x.dtype == "float32":
        x = x.astype("float64")
    if xs and ys:
        return mul_s_s(x, y)
    return mul_s_d(x, y) if xs else mul_s_d(y, x)


# ---------------------------------------------------------------------------- comparisons


class _ComparisonOpSS(Op):
    """``x <cmp> y`` for two sparse matrices of one format: a sparse uint8 matrix."""

    __props__ = ()
    comparison = None  # a function of two scipy.sparse matrices

    def make_node(self, x, y):
        x, y = as_sparse_variable(x), as_sparse_variable(y)
        if x.type.format != y.type.format:
            raise NotImplementedError("Comparison of two sparse matrices of different "
                                      "formats (%s, %s)" % (x.type.format, y.type.format))
        return Apply(self, [x, y], [SparseType(dtype="uint8", format=x.type.format)()])

    def perform(self, node, inputs, outputs):
        x, y = inputs
        if x.shape != y.shape:
            raise ValueError("Comparison: shapes %s and %s differ" % (x.shape, y.shape))
        outputs[0][0] = type(self).comparison(x, y).astype("uint8")

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]


class _ComparisonOpSD(Op):
    """``x <cmp> y``, ``x`` sparse and ``y`` a dense matrix: a dense uint8 matrix."""

    __props__ = ()
    comparison = None

    def make_node(self, x, y):
        x, y = as_sparse_variable(x), T.as_tensor_variable(y)
        if y.type.ndim != 2:
            raise TypeError("Comparison of a sparse matrix needs a dense matrix, got %s"
                            % y.type)
        return Apply(self, [x, y], [T.TensorType(dtype="uint8",
                                                 broadcastable=(False, False))()])

    def perform(self, node, inputs, outputs):
        x, y = inputs
        if x.shape != y.shape:
            raise ValueError("Comparison: shapes %s and %s differ" % (x.shape, y.shape))
        result = type(self).comparison(x, y)
        if scipy.sparse.issparse(result):
            result = result.toarray()
        outputs[0][0] = np.asarray(result).astype("uint8")

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]


def _comparison_pair(name, fn):
    ss = type(name + "SS", (_ComparisonOpSS,), {"comparison": staticmethod(fn),
                                                "__module__": __name__,
                                                "__doc__": "``x %s y``, both sparse."
                                                % name})
    sd = type(name + "SD", (_ComparisonOpSD,), {"comparison": staticmethod(fn),
                                                "__module__": __name__,
                                                "__doc__": "``x %s y``, ``y`` dense."
                                                % name})
    return ss, sd


EqualSS, EqualSD = _comparison_pair("Equal", lambda x, y: x == y)
NotEqualSS, NotEqualSD = _comparison_pair("NotEqual", lambda x, y: x != y)
LessThanSS, LessThanSD = _comparison_pair("LessThan", lambda x, y: x < y)
GreaterThanSS, GreaterThanSD = _comparison_pair("GreaterThan", lambda x, y: x > y)
LessEqualSS, LessEqualSD = _comparison_pair("LessEqual", lambda x, y: x <= y)
GreaterEqualSS, GreaterEqualSD = _comparison_pair("GreaterEqual", lambda x, y: x >= y)

equal_s_s, equal_s_d = EqualSS(), EqualSD()
not_equal_s_s, not_equal_s_d = NotEqualSS(), NotEqualSD()
less_than_s_s, less_than_s_d = LessThanSS(), LessThanSD()
greater_than_s_s, greater_than_s_d = GreaterThanSS(), GreaterThanSD()
less_equal_s_s, less_equal_s_d = LessEqualSS(), LessEqualSD()
greater_equal_s_s, greater_equal_s_d = GreaterEqualSS(), GreaterEqualSD()


def _comparison(ss, sd, ds, doc):
    """The public comparison: picks the op by which operands are sparse (dense <cmp> sparse
    is the mirrored comparison ``ds`` on swapped operands)."""
    def compare(x, y):
        x, y = _sparse_or_dense(x), _sparse_or_dense(y)
        xs, ys = _is_sparse_variable(x), _is_sparse_variable(y)
        if not (xs or ys):
            raise TypeError("sparse comparisons need at least one sparse operand")
        if xs and ys:
            return ss(x, y)
        return sd(x, y) if xs else ds(y, x)
    compare.__doc__ = doc
    return compare


eq = _comparison(equal_s_s, equal_s_d, equal_s_d, "``x == y`` (uint8).")
neq = _comparison(not_equal_s_s, not_equal_s_d, not_equal_s_d, "``x != y`` (uint8).")
lt = _comparison(less_than_s_s, less_than_s_d, greater_than_s_d, "``x < y`` (uint8).")
gt = _comparison(greater_than_s_s, greater_than_s_d, less_than_s_d, "``x > y`` (uint8).")
le = _comparison(less_equal_s_s, less_equal_s_d, greater_equal_s_d, "``x <= y`` (uint8).")
ge = _comparison(greater_equal_s_s, greater_equal_s_d, less_equal_s_d, "``x >= y`` (uint8).")


# ---------------------------------------------------------------------------- scaling, sums


class ColScaleCSC(Op):
    """A csc matrix with column j multiplied by ``s[j]``."""

    __props__ = ()

    def make_node(self, x, s):
        x = as_sparse_variable(x)
        if x.format != "csc":
            raise ValueError("x was not a csc matrix")
        s = T.as_tensor_variable(s)
        return Apply(self, [x, s], [x.type()])

    def perform(self, node, inputs, outputs):
        x, s = inputs
        if s.shape != (x.shape[1],):
            raise ValueError("ColScaleCSC: %d columns and %s scales" % (x.shape[1], s.shape))
        y = x.copy()
        y.data *= np.repeat(s, np.diff(y.indptr)).astype(y.dtype, copy=False)
        outputs[0][0] = y

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def grad(self, inputs, gout):
        x, s = inputs
        (gz,) = gout
        return [col_scale(gz, s), sp_sum(x * gz, axis=0)]


class RowScaleCSC(Op):
    """A csc matrix with row i multiplied by ``s[i]``."""

    view_map = {0: [0]}
    __props__ = ()

    def make_node(self, x, s):
        x = _compressed(x)
        s = T.as_tensor_variable(s)
        return Apply(self, [x, s], [x.type()])

    def perform(self, node, inputs, outputs):
        x, s = inputs
        if x.format != "csc":
            raise ValueError("x was not a csc matrix")
        if s.shape != (x.shape[0],):
            raise ValueError("RowScaleCSC: %d rows and %s scales" % (x.shape[0], s.shape))
        data = x.data * s[x.indices]
        outputs[0][0] = scipy.sparse.csc_matrix((data.astype(x.dtype, copy=False), x.indices,
                                                 x.indptr), x.shape)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def grad(self, inputs, gout):
        x, s = inputs
        (gz,) = gout
        return [row_scale(gz, s), sp_sum(x * gz, axis=1)]


def col_scale(x, s):
    """``x`` (csc or csr) with column j multiplied by ``s[j]``."""
    if x.format == "csc":
        return ColScaleCSC()(x, s)
    if x.format == "csr":
        return RowScaleCSC()(x.T, s).T
    raise NotImplementedError("col_scale supports csc and csr, not %s" % x.format)


def row_scale(x, s):
    """``x`` (csc or csr) with row i multiplied by ``s[i]``."""
    return col_scale(x.T, s).T


class SpSum(Op):
    """The sum of a sparse matrix (``axis`` None: a scalar; 0 or 1: a dense vector).
    ``sparse_grad``: the gradient keeps the input's structure."""

    __props__ = ("axis",)

    def __init__(self, axis=None, sparse_grad=True):
        if axis not in (None, 0, 1):
            raise ValueError("Illegal value for self.axis.")
        self.axis = axis
        self.structured = sparse_grad

    def make_node(self, x):
        x = _compressed(x)
        b = () if self.axis is None else (False,)
        return Apply(self, [x], [T.TensorType(broadcastable=b, dtype=x.dtype)()])

    def perform(self, node, inputs, outputs):
        (x,) = inputs
        dtype = node.outputs[0].dtype
        if self.axis is None:
            outputs[0][0] = np.asarray(x.sum(), dtype=dtype)
        else:
            outputs[0][0] = np.asarray(x.sum(self.axis), dtype=dtype).ravel()

    def infer_shape(self, fgraph, node, shapes):
        if self.axis is None:
            return [()]
        return [(shapes[0][1],)] if self.axis == 0 else [(shapes[0][0],)]

    def grad(self, inputs, gout):
        (x,) = inputs
        (gz,) = gout
        if x.dtype not in continuous_dtypes:
            return [sp_zeros_like(x, config.floatX)]
        if self.structured:
            ones = sp_ones_like(x)
            if self.axis is None:
                return [gz * ones]
            return [col_scale(ones, gz) if self.axis == 0 else row_scale(ones, gz)]
        fmt = x.format
        x = dense_from_sparse(x)
        if _is_sparse_variable(gz):
            gz = dense_from_sparse(gz)
        if self.axis is None:
            r = T.second(x, gz)
        elif self.axis == 0:
            r = T.addbroadcast(gz.dimshuffle("x", 0), 0) * T.ones_like(x)
        else:
            r = T.addbroadcast(gz.dimshuffle(0, "x"), 1) * T.ones_like(x)
        return [SparseFromDense(fmt)(r)]

    def __str__(self):
        return type(self).__name__ + "{axis=%s}" % (self.axis,)


def sp_sum(x, axis=None, sparse_grad=False):
    """The sum of the sparse matrix ``x`` over ``axis`` (None: all)."""
    return SpSum(axis, sparse_grad)(x)


# ---------------------------------------------------------------------------- structured


def structured_monoid(tensor_op):
    """Decorator: the function applies ``tensor_op`` to a sparse matrix's stored values
    (and to the scalar extra arguments), keeping its structure."""
    def decorator(f):
        def wrapper(*args):
            x = _compressed(args[0])
            extra = [scalar.as_scalar(a) for a in args[1:]]
            data, ind, ptr, shape = csm_properties(x)
            return CSM(x.format)(tensor_op(data, *extra), ind, ptr, shape)
        # Theano names the function after the scalar op (structured_exp.__name__ == 'exp').
        wrapper.__name__ = str(getattr(tensor_op, "scalar_op", f.__name__))
        wrapper.__qualname__ = f.__qualname__
        wrapper.__doc__ = f.__doc__
        return wrapper
    return decorator


def _structured(tensor_op, name, doc):
    def f(*args):
        pass
    f.__name__ = f.__qualname__ = name
    f.__doc__ = doc
    return structured_monoid(tensor_op)(f)


structured_sigmoid = _structured(_sigmoid, "structured_sigmoid",
                                 "sigmoid of the stored values.")
structured_exp = _structured(T.exp, "structured_exp", "exp of the stored values.")
structured_log = _structured(T.log, "structured_log", "log of the stored values.")
structured_pow = _structured(T.pow, "structured_pow", "The stored values to the power y.")
structured_minimum = _structured(T.minimum, "structured_minimum",
                                 "minimum(stored values, y).")
structured_maximum = _structured(T.maximum, "structured_maximum",
                                 "maximum(stored values, y).")
structured_add = _structured(T.add, "structured_add", "The stored values plus y.")

# Theano's sparse elementwise functions: f(0) == 0, so applying f to the stored values only
# is f on the whole matrix.
sin = _structured(T.sin, "sin", "Elementwise sin of a sparse matrix.")
tan = _structured(T.tan, "tan", "Elementwise tan of a sparse matrix.")
arcsin = _structured(T.arcsin, "arcsin", "Elementwise arcsin of a sparse matrix.")
arctan = _structured(T.arctan, "arctan", "Elementwise arctan of a sparse matrix.")
sinh = _structured(T.sinh, "sinh", "Elementwise sinh of a sparse matrix.")
arcsinh = _structured(T.arcsinh, "arcsinh", "Elementwise arcsinh of a sparse matrix.")
tanh = _structured(T.tanh, "tanh", "Elementwise tanh of a sparse matrix.")
arctanh = _structured(T.arctanh, "arctanh", "Elementwise arctanh of a sparse matrix.")
rint = _structured(T.round_half_to_even, "rint",
                   "Elementwise round half to even of a sparse matrix.")
rint.__name__ = "rint"
sgn = _structured(T.sgn, "sgn", "Elementwise sign of a sparse matrix.")
ceil = _structured(T.ceil, "ceil", "Elementwise ceil of a sparse matrix.")
floor = _structured(T.floor, "floor", "Elementwise floor of a sparse matrix.")
log1p = _structured(T.log1p, "log1p", "Elementwise log(1 + x) of a sparse matrix.")
expm1 = _structured(T.expm1, "expm1", "Elementwise exp(x) - 1 of a sparse matrix.")
deg2rad = _structured(T.deg2rad, "deg2rad", "Elementwise degrees to radians.")
rad2deg = _structured(T.rad2deg, "rad2deg", "Elementwise radians to degrees.")
trunc = _structured(T.trunc, "trunc", "Elementwise truncation of a sparse matrix.")
sqr = _structured(T.sqr, "sqr", "Elementwise square of a sparse matrix.")
sqrt = _structured(T.sqrt, "sqrt", "Elementwise square root of a sparse matrix.")
conj = _structured(T.conj, "conj", "Elementwise complex conjugate of a sparse matrix.")
