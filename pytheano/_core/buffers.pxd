# What the C thunks (cthunk, cthunk_array, blas_thunk) share about memory: raw allocations,
# and whether the array an output cell kept from the last call can be written again.
cimport numpy as cnp
from cpython.mem cimport PyMem_Malloc
from libc.stdint cimport int64_t

cdef extern from "Python.h":
    Py_ssize_t Py_REFCNT(object o)


cdef inline void *alloc_or_raise(size_t n) except NULL:
    cdef void *p = PyMem_Malloc(n if n > 0 else 1)
    if p == NULL:
        raise MemoryError()
    return p


cdef inline bint reusable_output(object old, int type_num, int ndim, const int64_t *shape,
                                 bint fortran) noexcept:
    """Whether ``old`` (what an output cell held after the last call; the caller holds it in
    a local, so the cell and that local are its only references when nothing else kept it)
    is an ndarray of this type and shape that owns writeable memory in C (or Fortran)
    order: the next result can be written into it."""
    cdef int d
    if not (old is not None and cnp.PyArray_CheckExact(old) and Py_REFCNT(old) == 2
            and cnp.PyArray_TYPE(<cnp.ndarray>old) == type_num
            and cnp.PyArray_NDIM(<cnp.ndarray>old) == ndim
            and cnp.PyArray_BASE(<cnp.ndarray>old) == NULL
            and cnp.PyArray_ISWRITEABLE(<cnp.ndarray>old)
            and (cnp.PyArray_IS_F_CONTIGUOUS(<cnp.ndarray>old) if fortran
                 else cnp.PyArray_IS_C_CONTIGUOUS(<cnp.ndarray>old))):
        return False
    for d in range(ndim):
        if cnp.PyArray_DIM(<cnp.ndarray>old, d) != shape[d]:
            return False
    return True
