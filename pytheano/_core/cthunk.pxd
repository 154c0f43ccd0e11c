# The thunks that call compiled C entry points (pytheano/link/c) with no Python in between.
from libc.stdint cimport int64_t

from pytheano._core.vm cimport Thunk

ctypedef int (*elemwise_fn)(int64_t nd, const int64_t *shape, char **data,
                            const int64_t *strides) noexcept nogil


cdef class ElemwiseCThunk(Thunk):
    cdef elemwise_fn fn
    cdef Py_ssize_t nin
    cdef Py_ssize_t nout
    cdef int ndim
    cdef int *in_types
    cdef int *out_types
    cdef char *in_bcast        # nin * ndim: the inputs' broadcastable patterns
    cdef Py_ssize_t *destroys  # per output: the input it is written into, or -1
    cdef char **data
    cdef int64_t *strides      # (nin + nout) * ndim
    cdef int64_t *shape
    cdef public object fallback       # perform(node, inputs, output_cells)
    cdef public object check_shapes   # check_shapes(node, inputs): raises the op's error
    cdef public list messages         # ZeroDivisionError message per zero check
    cdef public object library        # keeps the loaded library alive
    cdef public Py_ssize_t c_calls    # calls that ran the C (the rest ran the fallback)

    cdef int run_fallback(self, list inputs) except -1
