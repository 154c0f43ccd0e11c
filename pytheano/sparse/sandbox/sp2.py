"""Theano 1.0's ``theano.sparse.sandbox.sp2``: random sparse matrices (Poisson, Binomial,
Multinomial), and the names that module re-exports."""
import numpy as np

from pytheano import tensor as T
from pytheano._core.graph import Apply
from pytheano.graph.grad_types import disconnected_type, grad_undefined
from pytheano.graph.op import Op
from pytheano.sparse.basic import (  # noqa: F401  (Theano's sp2 re-exports these)
    CSC, CSM, CSR, AddSSData, Cast, CSMProperties, HStack, MulSV, Remove0, SamplingDot,
    StructuredAddSV, VStack, _is_dense_variable, _is_sparse, _is_sparse_variable, add_s_s,
    add_s_s_data, as_sparse_variable, bcast, ccast, csm_data, csm_indices, csm_indptr,
    csm_properties, csm_shape, dcast, dot, fcast, hstack, icast, lcast, mul_s_d, mul_s_s,
    mul_s_v, neg, remove0, sampling_dot, structured_add, structured_add_s_v, structured_exp,
    structured_log, structured_maximum, structured_minimum, structured_monoid,
    structured_pow, structured_sigmoid, vstack, wcast, zcast)
from pytheano.sparse.opt import (  # noqa: F401
    MulSDCSC, MulSDCSR, MulSVCSR, SamplingDotCSR, StructuredAddSVCSR, local_mul_s_d,
    local_mul_s_v, local_sampling_dot_csr, local_structured_add_s_v, mul_s_d_csc,
    mul_s_d_csr, mul_s_v_csr, sampling_dot_csr, structured_add_s_v_csr)
from pytheano.sparse.type import SparseType

EliminateZeros = Remove0
eliminate_zeros = remove0


class Poisson(Op):
    """A sparse matrix of Poisson samples, one per stored entry of ``x`` (the entry is the
    rate); the zero samples are not stored."""

    __props__ = ()

    def make_node(self, x):
        x = as_sparse_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outputs):
        (x,) = inputs
        out = x.copy()
        out.data = np.asarray(np.random.poisson(out.data), dtype=x.dtype)
        out.eliminate_zeros()
        outputs[0][0] = out

    def infer_shape(self, fgraph, node, shapes):
        return shapes

    def grad(self, inputs, outputs_gradients):
        return [grad_undefined(self, 0, inputs[0], "No gradient exists for class Poisson")]


poisson = Poisson()


class Binomial(Op):
    """A sparse matrix of ``format``/``dtype`` and ``shape`` of binomial(n, p) samples."""

    __props__ = ("format", "dtype")

    def __init__(self, format, dtype):
        self.format = format
        self.dtype = dtype

    def make_node(self, n, p, shape):
        n, p, shape = (T.as_tensor_variable(v) for v in (n, p, shape))
        if n.dtype not in T.discrete_dtypes or shape.dtype not in T.discrete_dtypes:
            raise TypeError("Binomial needs an integer n and shape")
        if p.dtype not in T.float_dtypes:
            raise TypeError("Binomial needs a float p")
        return Apply(self, [n, p, shape], [SparseType(dtype=self.dtype, format=self.format)()])

    def perform(self, node, inputs, outputs):
        n, p, shape = inputs
        samples = np.random.binomial(n, p, size=tuple(shape))
        outputs[0][0] = SparseType.format_cls[self.format](samples, dtype=self.dtype)

    def connection_pattern(self, node):
        return [[True], [True], [False]]

    def grad(self, inputs, gout):
        n, p, _ = inputs
        return [grad_undefined(self, 0, n, "No gradient exists for the number of samples"),
                grad_undefined(self, 1, p, "No gradient exists for the prob of success"),
                disconnected_type()]

    def infer_shape(self, fgraph, node, shapes):
        return [(node.inputs[2][0], node.inputs[2][1])]


csr_fbinomial = Binomial("csr", "float32")
csc_fbinomial = Binomial("csc", "float32")
csr_dbinomial = Binomial("csr", "float64")
csc_dbinomial = Binomial("csc", "float64")


class Multinomial(Op):
    """For each row of the csr ``p`` (probabilities at the stored entries), multinomial
    samples of ``n`` (a scalar, or one count per row), stored at ``p``'s entries."""

    __props__ = ()

    def make_node(self, n, p):
        n = T.as_tensor_variable(n)
        p = as_sparse_variable(p)
        if p.format not in ("csr", "csc"):
            raise NotImplementedError("Multinomial of a %s matrix" % p.format)
        return Apply(self, [n, p], [p.type()])

    def perform(self, node, inputs, outputs):
        n, p = inputs
        if p.format != "csr":
            raise NotImplementedError("Multinomial needs a csr matrix of probabilities")
        if n.ndim == 1 and n.shape[0] != p.shape[0]:
            raise ValueError("The number of element of n must be the same as the number of "
                             "row of p.")
        out = p.copy()
        for i in range(p.shape[0]):
            k, end = p.indptr[i], p.indptr[i + 1]
            out.data[k:end] = np.random.multinomial(n if n.ndim == 0 else n[i], p.data[k:end])
        outputs[0][0] = out

    def grad(self, inputs, outputs_gradients):
        return [grad_undefined(self, 0, inputs[0], "No gradient exists for the number of "
                               "samples"),
                grad_undefined(self, 1, inputs[1], "No gradient exists for the prob of "
                               "success")]

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[1]]


multinomial = Multinomial()
