# The thunks of the shape and view nodes (pytheano/_core/view_thunk.pyx).
from pytheano._core.vm cimport Thunk


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


cdef class ViewOpThunk(NumpyCThunk):
    pass


cdef class RebroadcastThunk(NumpyCThunk):
    cdef list ones
    cdef int in_ndim


cdef class DeepCopyThunk(NumpyCThunk):
    pass


cdef class ShapeThunk(NumpyCThunk):
    pass


cdef class ShapeIThunk(NumpyCThunk):
    cdef int i


cdef class MakeVectorThunk(NumpyCThunk):
    cdef int type_num


cdef class ARangeThunk(NumpyCThunk):
    cdef int type_num


cdef class AllocEmptyThunk(NumpyCThunk):
    cdef int type_num


cdef class ScalarFromTensorThunk(NumpyCThunk):
    pass


cdef class TensorFromScalarThunk(NumpyCThunk):
    cdef int type_num
