# C-level interface of scan's stepping loop (scan_loop.pyx).
from pytheano._core.function cimport FunctionCore


cdef Py_ssize_t step_loop(FunctionCore fn, Py_ssize_t n_steps, list seqs, list buffers,
                          list lags, list taps, list out_taps, list nit_buffers,
                          list nit_sizes,
                          list nit_dtypes, list nit_reversed, list shared, list non_seqs,
                          bint as_while) except -1
