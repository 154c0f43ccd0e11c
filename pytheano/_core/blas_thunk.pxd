# The thunk running the BLAS ops (tensor/blas.py) through scipy's exported BLAS routines.
cimport numpy as cnp

from pytheano._core.vm cimport Thunk


cdef class BlasThunk(Thunk):
    cdef int routine            # GEMM, GEMV, GER, DOT22 or DOT22SCALAR (blas_thunk.pyx)
    cdef int type_num           # NPY_FLOAT32 or NPY_FLOAT64
    cdef bint destroys          # writes into input 0 (the in-place / destructive variant)
    cdef bint ignores_accumulator  # beta is the constant 0: input 0 is never read
    cdef public object fallback     # perform(node, inputs, output_cells)
    cdef public Py_ssize_t blas_calls  # calls that ran BLAS here (the rest ran the fallback)
    cdef public Py_ssize_t operand_copies  # operands copied first (a layout BLAS cannot read)

    cdef cnp.ndarray blas_matrix(self, cnp.ndarray a)
    cdef cnp.ndarray blas_vector(self, cnp.ndarray v)
    cdef int run_fallback(self, list inputs) except -1
    cdef cnp.ndarray output_buffer(self, Py_ssize_t m, Py_ssize_t n, int ndim, bint fortran)
