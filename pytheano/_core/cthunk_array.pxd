# The thunk of a node whose C reads whole arrays (pytheano/link/c/array.py).
from libc.stdint cimport int64_t

from pytheano._core.vm cimport Thunk

ctypedef int (*array_fn)(char **data, const int64_t *shapes,
                         const int64_t *strides) noexcept nogil


cdef class ArrayCThunk(Thunk):
    cdef array_fn fn
    cdef Py_ssize_t nin
    cdef Py_ssize_t nout
    cdef int *types        # per operand (inputs then outputs): numpy type number
    cdef int *ndims        # per operand
    cdef int *offsets      # per operand: its first entry in shapes/strides
    cdef int *out_src      # per output dimension: (input, dimension or -1 for a value), or
                           # (-1, -1): the C writes it (query_shapes)
    cdef bint query_shapes # the C is called first with NULL outputs, to write their shapes
    cdef int *inplace      # per output: the input it overwrites, or -1
    cdef char **data
    cdef int64_t *shapes
    cdef int64_t *strides
    cdef public object fallback
    cdef public object library
    cdef public Py_ssize_t c_calls    # calls that ran the C (the rest ran the fallback)

    cdef int run_fallback(self, list inputs) except -1
