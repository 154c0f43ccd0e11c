# The thunks of the shape and view nodes (pytheano/_core/view_thunk.pyx).
cimport numpy as cnp
from libc.stdint cimport int64_t

from pytheano._core.vm cimport Thunk

ctypedef void (*pt_loop)(char *d, cnp.npy_intp ds, const char *s, cnp.npy_intp ss,
                         cnp.npy_intp n)


cdef class NumpyCThunk(Thunk):
    cdef public object fallback
    cdef public Py_ssize_t c_calls    # calls that ran the C (the rest ran the fallback)

    cdef int run_fallback(self) except -1
    cdef int done(self, object out) except -1


cdef class DimShuffleThunk(NumpyCThunk):
    cdef list order     # per output axis: the input axis, or -1 for a new length-1 axis
    cdef list drop      # the input axes dropped (length 1)
    cdef int in_ndim
    cdef bint inplace


cdef class ReshapeThunk(NumpyCThunk):
    cdef int ndim


cdef class SubtensorThunk(NumpyCThunk):
    cdef list kinds
    cdef list sources
    cdef list consts
    cdef list bcast
    cdef int in_ndim

    cdef bint value(self, int k, Py_ssize_t default, Py_ssize_t *out)
    cdef int region(self, cnp.ndarray a, cnp.npy_intp *dims, cnp.npy_intp *strides,
                    char **data) except -2


cdef class IncSubtensorThunk(SubtensorThunk):
    cdef bint inplace
    cdef bint set_instead_of_inc
    cdef int type_num
    cdef int y_type_num
    cdef pt_loop loop    # the same-dtype write, or NULL: numpy's


cdef class ViewOpThunk(NumpyCThunk):
    pass


cdef class RebroadcastThunk(NumpyCThunk):
    cdef list ones
    cdef int in_ndim


cdef class SpecifyShapeThunk(NumpyCThunk):
    pass


cdef class DeepCopyThunk(NumpyCThunk):
    pass


cdef class ShapeThunk(NumpyCThunk):
    pass


cdef class ShapeIThunk(NumpyCThunk):
    cdef int i


cdef class MakeVectorThunk(NumpyCThunk):
    cdef int type_num


cdef class JoinThunk(NumpyCThunk):
    cdef int type_num
    cdef int ndim
    cdef int view       # Join{view=k}'s k, or -1


cdef class ARangeThunk(NumpyCThunk):
    cdef int type_num
    cdef int itemsize
    cdef bint floating
    cdef int64_t low     # the values the output's dtype holds exactly
    cdef int64_t high


cdef class AllocEmptyThunk(NumpyCThunk):
    cdef int type_num


cdef class ScalarFromTensorThunk(NumpyCThunk):
    pass


cdef class TensorFromScalarThunk(NumpyCThunk):
    cdef int type_num
