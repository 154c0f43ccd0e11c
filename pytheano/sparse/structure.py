"""The sparse ops on structure: CSM (build from data/indices/indptr/shape) and
CSMProperties (take apart), dense <-> sparse, cast, transpose, neg, indexing, remove0,
sorted indices, diagonals, stacking; and the type helpers the other sparse modules share.
"""
import numpy as np
import scipy.sparse
from numpy.lib.stride_tricks import as_strided

from pytheano import hooks, scalar
from pytheano import tensor as T
from pytheano._core.graph import Apply, Constant, Variable
from pytheano.configparser import config
from pytheano.graph.grad_types import DisconnectedType, grad_undefined
from pytheano.graph.op import Op
from pytheano.graph.type import generic
from pytheano.sparse.type import (  # noqa: F401  (Theano's names in theano.sparse.basic)
    SparseType, _is_dense, _is_dense_variable, _is_sparse, _is_sparse_variable,
    as_sparse, as_sparse_variable, bsr_matrix, constant, csc_matrix, csr_matrix, matrix,
    sparse_formats)

_mtypes = [scipy.sparse.csc_matrix, scipy.sparse.csr_matrix]
_mtype_to_str = {scipy.sparse.csc_matrix: "csc", scipy.sparse.csr_matrix: "csr"}

csc_dmatrix = SparseType(format="csc", dtype="float64")
csr_dmatrix = SparseType(format="csr", dtype="float64")
bsr_dmatrix = SparseType(format="bsr", dtype="float64")
csc_fmatrix = SparseType(format="csc", dtype="float32")
csr_fmatrix = SparseType(format="csr", dtype="float32")
bsr_fmatrix = SparseType(format="bsr", dtype="float32")

all_dtypes = SparseType.dtype_set
complex_dtypes = sorted(t for t in all_dtypes if t.startswith("complex"))
float_dtypes = sorted(t for t in all_dtypes if t.startswith("float"))
int_dtypes = sorted(t for t in all_dtypes if t.startswith("int"))
uint_dtypes = sorted(t for t in all_dtypes if t.startswith("uint"))
integer_dtypes = int_dtypes + uint_dtypes
continuous_dtypes = complex_dtypes + float_dtypes
discrete_dtypes = int_dtypes + uint_dtypes


def as_sparse_or_tensor_variable(x, name=None):
    """``x`` as a sparse variable if it is one, else as a tensor variable."""
    try:
        return as_sparse_variable(x, name)
    except (ValueError, TypeError):
        return T.as_tensor_variable(x, name)


def _compressed(x):
    """``x`` as a sparse variable in csr or csc format (the formats the ops compute on)."""
    x = as_sparse_variable(x)
    if x.format not in ("csr", "csc"):
        raise NotImplementedError("This op supports the csr and csc formats, not %s"
                                  % x.format)
    return x


# ---------------------------------------------------------------------------- CSM


class CSMProperties(Op):
    """The (data, indices, indptr, shape) of a csc/csr matrix, as int32 vectors (data in the
    matrix's dtype). The outputs are views of the matrix's buffers."""

    __props__ = ()
    view_map = {0: [0], 1: [0], 2: [0]}

    def __init__(self, kmap=None):
        if kmap is not None:
            raise Exception("Do not use kmap, it is removed")

    def make_node(self, csm):
        csm = _compressed(csm)
        data = T.TensorType(dtype=csm.type.dtype, broadcastable=(False,))()
        return Apply(self, [csm], [data, T.ivector(), T.ivector(), T.ivector()])

    def perform(self, node, inputs, out):
        (csm,) = inputs
        out[0][0] = csm.data
        out[1][0] = np.asarray(csm.indices, dtype="int32")
        out[2][0] = np.asarray(csm.indptr, dtype="int32")
        out[3][0] = np.asarray(csm.shape, dtype="int32")

    def grad(self, inputs, g):
        (csm,) = inputs
        if isinstance(g[0].type, DisconnectedType):
            return [csm.zeros_like()]
        _, indices, indptr, shape = csm_properties(csm)
        return [CSM(csm.format)(g[0], indices, indptr, shape)]


csm_properties = CSMProperties()


def csm_data(csm):
    return csm_properties(csm)[0]


def csm_indices(csm):
    return csm_properties(csm)[1]


def csm_indptr(csm):
    return csm_properties(csm)[2]


def csm_shape(csm):
    return csm_properties(csm)[3]


def _int32_index_vector(v, what):
    if not isinstance(v, Variable):
        values = np.asarray(v)
        as32 = np.asarray(v, dtype="int32")
        if not (values == as32).all():
            raise ValueError("%s do not fit in int32" % what)
        v = as32
    v = T.as_tensor_variable(v)
    if v.type.ndim != 1 or v.type.dtype not in discrete_dtypes:
        raise TypeError("%s must be vector of integers" % what, v, v.type)
    return v


class CSM(Op):
    """A csc or csr matrix built from its (data, indices, indptr, shape). The output's data
    is a view of the data input."""

    __props__ = ("format",)

    def __init__(self, format, kmap=None):
        if format not in ("csr", "csc"):
            raise ValueError("format must be one of: 'csr', 'csc'", format)
        if kmap is not None:
            raise Exception("Do not use kmap, it is removed")
        self.format = format
        self.view_map = {0: [0]}

    def make_node(self, data, indices, indptr, shape):
        data = T.as_tensor_variable(data)
        if data.type.ndim != 1:
            raise TypeError("data argument must be a vector", data.type, data.type.ndim)
        indices = _int32_index_vector(indices, "indices")
        indptr = _int32_index_vector(indptr, "indptr")
        shape = _int32_index_vector(shape, "shape")
        return Apply(self, [data, indices, indptr, shape],
                     [SparseType(dtype=data.type.dtype, format=self.format)()])

    def perform(self, node, inputs, outputs):
        data, indices, indptr, shape = inputs
        if len(shape) != 2:
            raise ValueError("Shape should be an array of length 2")
        if data.shape != indices.shape:
            raise ValueError("Data (shape %r must have the same number of elements as indices "
                             "(shape%r)" % (data.shape, indices.shape))
        cls = SparseType.format_cls[self.format]
        outputs[0][0] = cls((data, indices.copy(), indptr.copy()), tuple(int(s) for s in shape),
                            copy=False)

    def infer_shape(self, fgraph, node, shapes):
        return [(node.inputs[3][0], node.inputs[3][1])]

    def connection_pattern(self, node):
        return [[True], [False], [False], [False]]

    def grad(self, inputs, gout):
        x_data, x_indices, x_indptr, x_shape = inputs
        (g_out,) = gout
        g_data, g_indices, g_indptr, g_shape = csm_properties(g_out)
        g_data = csm_grad()(x_data, x_indices, x_indptr, x_shape,
                            g_data, g_indices, g_indptr, g_shape)
        return [g_data] + [DisconnectedType()() for _ in range(3)]


CSC = CSM("csc")
CSR = CSM("csr")


class CSMGrad(Op):
    """The gradient of CSM's data: ``g``'s values read at ``x``'s structure (``g`` may hold
    a different structure, e.g. unsorted or with extra entries)."""

    __props__ = ()

    def __init__(self, kmap=None):
        if kmap is not None:
            raise Exception("Do not use kmap, it is removed")

    def make_node(self, x_data, x_indices, x_indptr, x_shape, g_data, g_indices, g_indptr,
                  g_shape):
        inputs = [T.as_tensor_variable(v) for v in (x_data, x_indices, x_indptr, x_shape,
                                                    g_data, g_indices, g_indptr, g_shape)]
        return Apply(self, inputs, [inputs[4].type()])

    def perform(self, node, inputs, outputs):
        x_data, x_indices, x_indptr, x_shape, g_data, g_indices, g_indptr, g_shape = inputs
        # The compressed axis is rows for csr (len(indptr) - 1 == rows), columns for csc.
        minor = x_shape[1] if len(x_indptr) - 1 == x_shape[0] else x_shape[0]
        major = len(x_indptr) - 1
        # Copies: sum_duplicates works in place, and g's buffers are this op's inputs.
        g = scipy.sparse.csr_matrix((g_data.copy(), g_indices.copy(), g_indptr.copy()),
                                    shape=(major, minor))
        g.sum_duplicates()
        x = scipy.sparse.csr_matrix((np.ones(len(x_indices)), x_indices, x_indptr),
                                    shape=(major, minor))
        rows = np.repeat(np.arange(major), np.diff(x.indptr))
        out = np.asarray(g[rows, x.indices]).ravel() if len(rows) else np.zeros(0)
        outputs[0][0] = out.astype(node.outputs[0].dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[1]]


csm_grad = CSMGrad


def sp_ones_like(x):
    """A sparse matrix of ones with ``x``'s sparsity pattern."""
    data, indices, indptr, shape = csm_properties(x)
    return CSM(format=x.format)(T.ones_like(data), indices, indptr, shape)


def sp_zeros_like(x, dtype=None):
    """An all-zero sparse matrix (no stored entry) of ``x``'s shape."""
    _, _, indptr, shape = csm_properties(x)
    return CSM(format=x.format)(np.array([], dtype=dtype or x.type.dtype),
                                np.array([], dtype="int32"), T.zeros_like(indptr), shape)


# ---------------------------------------------------------------------------- conversions


class Cast(Op):
    """A sparse matrix's values cast to ``out_type``."""

    __props__ = ("out_type",)

    def __init__(self, out_type):
        self.out_type = out_type

    def make_node(self, x):
        x = _compressed(x)
        return Apply(self, [x], [SparseType(dtype=self.out_type, format=x.format)()])

    def perform(self, node, inputs, outputs):
        outputs[0][0] = inputs[0].astype(self.out_type)

    def infer_shape(self, fgraph, node, shapes):
        return shapes

    def grad(self, inputs, outputs_gradients):
        (gz,) = outputs_gradients
        (x,) = inputs
        if gz.dtype in complex_dtypes or x.dtype in complex_dtypes:
            raise NotImplementedError("grad not implemented for complex types")
        if gz.dtype in discrete_dtypes:
            return [sp_zeros_like(x, config.floatX if x.dtype in discrete_dtypes else None)]
        if x.dtype in discrete_dtypes:
            return [gz]
        return [Cast(x.dtype)(gz)]

    def __str__(self):
        return "%s(%s)" % (type(self).__name__, self.out_type)


bcast = Cast("int8")
wcast = Cast("int16")
icast = Cast("int32")
lcast = Cast("int64")
fcast = Cast("float32")
dcast = Cast("float64")
ccast = Cast("complex64")
zcast = Cast("complex128")


def cast(variable, dtype):
    """``variable`` (sparse) cast to ``dtype``."""
    return Cast(dtype)(variable)


class DenseFromSparse(Op):
    """The dense ndarray of a sparse matrix. ``structured`` (default): the gradient keeps
    the input's sparsity pattern; else it is the dense gradient made sparse."""

    __props__ = ()

    def __init__(self, structured=True):
        self.sparse_grad = structured

    def __str__(self):
        return "%s{structured_grad=%s}" % (type(self).__name__, self.sparse_grad)

    def make_node(self, x):
        x = as_sparse_variable(x)
        return Apply(self, [x], [T.TensorType(dtype=x.type.dtype,
                                              broadcastable=(False, False))()])

    def perform(self, node, inputs, outputs):
        (x,) = inputs
        outputs[0][0] = x if _is_dense(x) else x.toarray()

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def grad(self, inputs, gout):
        (x,) = inputs
        (gz,) = gout
        if self.sparse_grad:
            left, right = sp_ones_like(x), gz
            if right.dtype == "float64" and left.dtype == "float32":
                left = left.astype("float64")
            if right.dtype == "float32" and left.dtype == "float64":
                right = right.astype("float64")
            return [left * right]
        return [SparseFromDense(x.type.format)(gz)]


dense_from_sparse = DenseFromSparse()


class SparseFromDense(Op):
    """A dense matrix (a vector or scalar becomes one row) as a sparse one of ``format``."""

    __props__ = ()

    def __init__(self, format):
        self.format = format

    def __eq__(self, other):
        return type(self) is type(other) and self.format == other.format

    def __hash__(self):
        return hash((type(self), self.format))

    def __str__(self):
        return "%s{%s}" % (type(self).__name__, self.format)

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        if x.ndim > 2:
            raise TypeError("Theano does not have sparse tensor types with more than 2 "
                            "dimensions, but %s.ndim = %i" % (x, x.ndim))
        if x.ndim == 1:
            x = x.dimshuffle("x", 0)
        elif x.ndim == 0:
            x = x.dimshuffle("x", "x")
        return Apply(self, [x], [SparseType(dtype=x.type.dtype, format=self.format)()])

    def perform(self, node, inputs, outputs):
        outputs[0][0] = SparseType.format_cls[self.format](inputs[0])

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def grad(self, inputs, gout):
        (x,) = inputs
        (gz,) = gout
        # A product with a dense operand (sparse.dot) gives a dense gradient.
        gx = dense_from_sparse(gz) if _is_sparse_variable(gz) else gz
        return [T.patternbroadcast(gx, x.broadcastable)]


csr_from_dense = SparseFromDense("csr")
csc_from_dense = SparseFromDense("csc")


# ---------------------------------------------------------------------------- indexing


def _int_index(ind):
    ind = T.as_tensor_variable(ind)
    if ind.dtype not in integer_dtypes:
        raise TypeError("Sparse indexing needs integer indices, got %s" % ind.type)
    return ind


class GetItemList(Op):
    """``x[indices]``: the rows of ``x`` listed in an integer vector."""

    __props__ = ()

    def make_node(self, x, index):
        x = _compressed(x)
        ind = _int_index(index)
        if ind.ndim != 1:
            raise TypeError("GetItemList needs a vector of indices, got %s" % ind.type)
        return Apply(self, [x, ind], [x.type()])

    def perform(self, node, inputs, outputs):
        x, indices = inputs
        outputs[0][0] = x[indices]

    def infer_shape(self, fgraph, node, shapes):
        return [(shapes[1][0], shapes[0][1])]

    def grad(self, inputs, g_outputs):
        x, indices = inputs
        return [get_item_list_grad(x, indices, g_outputs[0]),
                grad_undefined(self, 1, indices, "No gradient for this input")]


get_item_list = GetItemList()


class GetItemListGrad(Op):
    """The gradient of GetItemList: ``gz``'s rows added at the rows ``indices`` of a zero
    matrix shaped as ``x``."""

    __props__ = ()

    def make_node(self, x, index, gz):
        x = _compressed(x)
        gz = _compressed(gz)
        ind = _int_index(index)
        return Apply(self, [x, ind, gz], [x.type()])

    def perform(self, node, inputs, outputs):
        x, indices, gz = inputs
        n = len(indices)
        pick = scipy.sparse.csr_matrix((np.ones(n), (indices, np.arange(n))),
                                       shape=(x.shape[0], n))
        out = pick @ scipy.sparse.csr_matrix(gz)
        outputs[0][0] = SparseType.format_cls[x.format](out, dtype=node.outputs[0].dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]


get_item_list_grad = GetItemListGrad()


class GetItem2Lists(Op):
    """``x[ind1, ind2]``: the vector of the entries at the pairs (ind1[k], ind2[k])."""

    __props__ = ()

    def make_node(self, x, ind1, ind2):
        x = _compressed(x)
        ind1, ind2 = _int_index(ind1), _int_index(ind2)
        return Apply(self, [x, ind1, ind2], [T.TensorType(x.dtype, (False,))()])

    def perform(self, node, inputs, outputs):
        x, ind1, ind2 = inputs
        outputs[0][0] = np.asarray(x[ind1, ind2]).flatten().astype(x.dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[1]]

    def grad(self, inputs, g_outputs):
        x, ind1, ind2 = inputs
        return [get_item_2lists_grad(x, ind1, ind2, g_outputs[0]),
                grad_undefined(self, 1, ind1, "No gradient for this input"),
                grad_undefined(self, 2, ind2, "No gradient for this input")]


get_item_2lists = GetItem2Lists()


class GetItem2ListsGrad(Op):
    """The gradient of GetItem2Lists: ``gz`` written at the pairs (ind1[k], ind2[k]) of a
    zero matrix shaped as ``x``."""

    __props__ = ()

    def make_node(self, x, ind1, ind2, gz):
        x = _compressed(x)
        ind1, ind2 = _int_index(ind1), _int_index(ind2)
        gz = T.as_tensor_variable(gz)
        return Apply(self, [x, ind1, ind2, gz], [x.type()])

    def perform(self, node, inputs, outputs):
        x, ind1, ind2, gz = inputs
        out = scipy.sparse.coo_matrix((gz, (ind1, ind2)), shape=x.shape).tocsr()
        outputs[0][0] = SparseType.format_cls[x.format](out, dtype=node.outputs[0].dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]


get_item_2lists_grad = GetItem2ListsGrad()


_NONE = Constant(generic, None)


def _slice_bound(bound, what):
    if bound is None:
        return _NONE
    if not isinstance(bound, Variable):
        bound = T.as_tensor_variable(bound)
    if not (bound.ndim == 0 and bound.dtype in T.discrete_dtypes):
        raise ValueError("Impossible to index into a sparse matrix with slice where %s=%s"
                         % (what, bound), bound.ndim, bound.dtype)
    return bound


class GetItem2d(Op):
    """``x[a:b:s, c:d:t]`` (or ``x[a:b]``): a sparse sub-matrix. The slice bounds are
    inputs (None is a generic constant)."""

    __props__ = ()

    def make_node(self, x, index):
        x = _compressed(x)
        if len(index) not in (1, 2):
            raise ValueError("GetItem2d takes one or two slices, got %d" % len(index))
        inputs = [x]
        for ind in index:
            if isinstance(ind, slice):
                step = None if ind.step is None or (not isinstance(ind.step, Variable)
                                                    and ind.step == 1) else ind.step
                inputs += [_slice_bound(ind.start, "start"), _slice_bound(ind.stop, "stop"),
                           _slice_bound(step, "step")]
            elif (isinstance(ind, Variable) and getattr(ind, "ndim", -1) == 0) \
                    or np.isscalar(ind):
                raise NotImplementedError("Theano has no sparse vectorUse X[a:b, c:d], "
                                          "X[a:b, c:c+1] or X[a:b] instead.")
            else:
                raise ValueError("Advanced indexing is not implemented for sparse matrices. "
                                 "Argument not supported: %s" % (ind,))
        if len(index) == 1:
            inputs += [_NONE, _NONE, _NONE]
        return Apply(self, inputs, [x.type()])

    def perform(self, node, inputs, outputs):
        x, start1, stop1, step1, start2, stop2, step2 = inputs
        outputs[0][0] = x[start1:stop1:step1, start2:stop2:step2]


get_item_2d = GetItem2d()


class GetItemScalar(Op):
    """``x[i, j]``: one entry of a sparse matrix, as a tensor scalar."""

    __props__ = ()

    def make_node(self, x, index):
        x = _compressed(x)
        if len(index) != 2:
            raise ValueError("GetItemScalar needs two indices, got %d" % len(index))
        inputs = [x]
        for ind in index:
            if isinstance(ind, slice):
                raise Exception("GetItemScalar called with a slice as index!")
            if isinstance(ind, (int, np.integer)):
                ind = T.constant(ind)
            elif getattr(ind, "ndim", None) != 0:
                raise NotImplementedError("GetItemScalar needs scalar indices")
            inputs.append(ind)
        return Apply(self, inputs, [T.TensorType(x.dtype, ())()])

    def perform(self, node, inputs, outputs):
        x, ind1, ind2 = inputs
        outputs[0][0] = np.asarray(x[int(ind1), int(ind2)], dtype=x.dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [()]


get_item_scalar = GetItemScalar()


# ---------------------------------------------------------------------------- structure


class Transpose(Op):
    """The transpose, a view: csr becomes csc and csc becomes csr."""

    view_map = {0: [0]}
    format_map = {"csr": "csc", "csc": "csr"}
    __props__ = ()

    def __str__(self):
        return "Sparse" + type(self).__name__

    def make_node(self, x):
        x = _compressed(x)
        return Apply(self, [x], [SparseType(dtype=x.type.dtype,
                                            format=self.format_map[x.type.format])()])

    def perform(self, node, inputs, outputs):
        outputs[0][0] = inputs[0].transpose()

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0][::-1]]

    def grad(self, inputs, gout):
        return [transpose(gout[0])]


transpose = Transpose()


class Neg(Op):
    """``-x``."""

    __props__ = ()

    def __str__(self):
        return "Sparse" + type(self).__name__

    def make_node(self, x):
        x = _compressed(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outputs):
        outputs[0][0] = -inputs[0]

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def grad(self, inputs, gout):
        return [-gout[0]]


neg = Neg()


class Remove0(Op):
    """``x`` without its explicitly stored zeros (``inplace``: in ``x`` itself)."""

    __props__ = ("inplace",)

    def __init__(self, inplace=False):
        self.inplace = inplace
        if inplace:
            self.destroy_map = {0: [0]}

    def __str__(self):
        return type(self).__name__ + "{%s}" % ("inplace" if self.inplace else "")

    def make_node(self, x):
        x = _compressed(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outputs):
        c = inputs[0] if self.inplace else inputs[0].copy()
        c.eliminate_zeros()
        outputs[0][0] = c

    def infer_shape(self, fgraph, node, shapes):
        return shapes

    def grad(self, inputs, gout):
        return [gout[0]]


remove0 = Remove0()


class EnsureSortedIndices(Op):
    """``x`` with its indices sorted within each row (csr) or column (csc)."""

    __props__ = ("inplace",)

    def __init__(self, inplace):
        self.inplace = inplace
        if inplace:
            self.view_map = {0: [0]}

    def make_node(self, x):
        x = _compressed(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outputs):
        (x,) = inputs
        if self.inplace:
            x.sort_indices()
            outputs[0][0] = x
        else:
            outputs[0][0] = x.sorted_indices()

    def infer_shape(self, fgraph, node, shapes):
        return shapes

    def grad(self, inputs, output_grad):
        return [output_grad[0]]

    def __str__(self):
        return type(self).__name__ + ("{inplace}" if self.inplace else "{no_inplace}")


ensure_sorted_indices = EnsureSortedIndices(inplace=False)


def clean(x):
    """``x`` with sorted indices and no explicitly stored zero."""
    return ensure_sorted_indices(remove0(x))


class Diag(Op):
    """The diagonal of a square sparse matrix, as a dense vector."""

    __props__ = ()

    def make_node(self, x):
        x = _compressed(x)
        return Apply(self, [x], [T.TensorType(x.dtype, (False,))()])

    def perform(self, node, inputs, outputs):
        (x,) = inputs
        if x.shape[0] != x.shape[1]:
            raise ValueError("Diag only apply on square matrix")
        outputs[0][0] = x.diagonal()

    def infer_shape(self, fgraph, node, shapes):
        return [(T.minimum(*shapes[0]),)]

    def grad(self, inputs, gout):
        return [square_diagonal(gout[0])]


diag = Diag()


class SquareDiagonal(Op):
    """The square csc matrix with the vector ``diag`` on its diagonal."""

    __props__ = ()

    def make_node(self, diag):
        diag = T.as_tensor_variable(diag)
        if diag.type.ndim != 1:
            raise TypeError("data argument must be a vector", diag.type)
        return Apply(self, [diag], [SparseType(dtype=diag.dtype, format="csc")()])

    def perform(self, node, inputs, outputs):
        (d,) = inputs
        n = len(d)
        outputs[0][0] = scipy.sparse.csc_matrix((d, np.arange(n), np.arange(n + 1)),
                                                shape=(n, n), copy=True)

    def infer_shape(self, fgraph, node, shapes):
        return [(shapes[0][0], shapes[0][0])]

    def grad(self, inputs, gout):
        return [diag(gout[0])]


square_diagonal = SquareDiagonal()


class HStack(Op):
    """Sparse matrices side by side, as one matrix of ``format`` (default csc) and
    ``dtype``."""

    __props__ = ("format", "dtype")
    _axis = 1

    def __init__(self, format=None, dtype=None):
        if dtype is None:
            raise ValueError("The output dtype must be specified.")
        self.format = format or "csc"
        self.dtype = dtype

    def make_node(self, *mat):
        if not mat:
            raise ValueError("Cannot join an empty list of sparses.")
        blocks = [_compressed(x) for x in mat]
        return Apply(self, blocks, [SparseType(dtype=self.dtype, format=self.format)()])

    def _stack(self, blocks):
        return scipy.sparse.hstack(blocks, format=self.format, dtype=self.dtype)

    def perform(self, node, blocks, outputs):
        out = self._stack(blocks)
        outputs[0][0] = out if out.dtype == self.dtype else out.astype(self.dtype)

    def infer_shape(self, fgraph, node, shapes):
        total = sum(s[self._axis] for s in shapes)
        return [(shapes[0][0], total) if self._axis == 1 else (total, shapes[0][1])]

    def grad(self, inputs, gout):
        (gz,) = gout
        if _is_sparse_variable(gz):
            gz = dense_from_sparse(gz)
        sizes = T.stack([x.shape[self._axis] for x in inputs])
        parts = T.Split(len(inputs))(gz, self._axis, sizes)
        if not isinstance(parts, list):
            parts = [parts]
        return [SparseFromDense(self.format)(p) if x.dtype in T.continuous_dtypes else None
                for x, p in zip(inputs, parts)]

    def __str__(self):
        return "%s(%s,%s)" % (type(self).__name__, self.format, self.dtype)


class VStack(HStack):
    """Sparse matrices one above the other, as one matrix of ``format`` (default csc)."""

    _axis = 0

    def _stack(self, blocks):
        return scipy.sparse.vstack(blocks, format=self.format, dtype=self.dtype)


def _stack_of(op_class, blocks, format, dtype):
    blocks = [as_sparse_variable(b) for b in blocks]
    if dtype is None:
        dtype = scalar.upcast(*[b.dtype for b in blocks])
    return op_class(format=format, dtype=dtype)(*blocks)


def hstack(blocks, format=None, dtype=None):
    """Sparse matrices side by side (as scipy.sparse.hstack); dtype: by default the
    upcast of theirs."""
    return _stack_of(HStack, blocks, format, dtype)


def vstack(blocks, format=None, dtype=None):
    """Sparse matrices one above the other (as scipy.sparse.vstack)."""
    return _stack_of(VStack, blocks, format, dtype)


class ConstructSparseFromList(Op):
    """A csc matrix shaped as ``x``, with the rows of ``values`` at the rows ``ilist``
    (the gradient of ``x[ilist]`` kept sparse)."""

    __props__ = ()

    def make_node(self, x, values, ilist):
        x_ = T.as_tensor_variable(x)
        values_ = T.as_tensor_variable(values)
        ilist_ = T.as_tensor_variable(ilist)
        if ilist_.type.dtype not in integer_dtypes:
            raise TypeError("index must be integers")
        if ilist_.type.ndim != 1:
            raise TypeError("index must be vector")
        if x_.type.ndim != 2:
            raise TypeError("cannot create a sparse matrix with %d dimensions" % x_.type.ndim)
        if values_.type.ndim != 2:
            raise TypeError("cannot create a sparse matrix from values with %d ndim"
                            % values_.type.ndim)
        return Apply(self, [x_.shape, values_, ilist_],
                     [SparseType(format="csc", dtype=x_.dtype)()])

    def perform(self, node, inputs, outputs):
        out_shape, values, ilist = inputs
        rows, cols = values.shape
        if rows != len(ilist):
            raise ValueError("ConstructSparseFromList: %d rows of values for %d indices"
                             % (rows, len(ilist)))
        indptr = np.arange(cols + 1) * rows
        indices = as_strided(ilist, strides=(0, ilist.strides[0]),
                             shape=(cols, ilist.shape[0])).flatten()
        data = values.T.flatten()
        outputs[0][0] = scipy.sparse.csc_matrix((data, indices, indptr),
                                                shape=tuple(out_shape), dtype=values.dtype)

    def infer_shape(self, fgraph, node, shapes):
        x = node.inputs[0]
        return [[x[0], x[1]]]

    def R_op(self, inputs, eval_points):
        if None in eval_points[:2]:
            return [None]
        return self.make_node(eval_points[0], eval_points[1], *inputs[2:]).outputs

    def connection_pattern(self, node):
        return [[True], [True], [False]]

    def grad(self, inputs, grads):
        (g_output,) = grads
        idx_list = inputs[2:]
        gy = T.advanced_subtensor1(g_output, *idx_list)
        return [g_output, gy] + [DisconnectedType()() for _ in idx_list]


construct_sparse_from_list = ConstructSparseFromList()
hooks.sparse_rows_grad.install(construct_sparse_from_list)


def sparse_grad(var):
    """``var`` (``x[ilist]``, an AdvancedSubtensor1) computed by an op whose gradient with
    respect to ``x`` is a sparse (csc) matrix instead of a dense one (``theano.sparse_grad``;
    ``x`` must be a matrix)."""
    if var.owner is None or not isinstance(var.owner.op, T.AdvancedSubtensor1):
        # Theano asserts it.
        raise AssertionError("sparse_grad: expected the result of x[int vector] "
                             "(AdvancedSubtensor1), got %s" % (var,))
    return type(var.owner.op)(sparse_grad=True)(*var.owner.inputs)
