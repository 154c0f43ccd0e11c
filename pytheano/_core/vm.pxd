# C-level interface of the executor: the call path (function.pyx) cimports it.

cdef class Thunk:
    cdef public object node
    cdef public list input_cells
    cdef public list output_cells
    cdef int run(self) except -1


cdef class PerformThunk(Thunk):
    cdef public object perform
    cdef public object params
    cdef bint has_params


cdef class CallableThunk(Thunk):
    cdef public object fn


cdef class UfuncThunk(Thunk):
    cdef object ufunc
    cdef object dtype
    cdef int type_num
    cdef object check_shapes
    cdef list out_cell
    cdef list must_agree
    cdef Py_ssize_t destroyed  # the input written into (in-place node), or -1
    cdef int op_0d             # _binary_0d's op for two 0-d float operands, or 0

    cdef int shapes_agree(self, tuple args) except -1


cdef class VM:
    cdef readonly list thunks
    cdef readonly list nodes
    cdef readonly list clear_after
    cdef public bint allow_gc    # writable, as Theano: f.fn.allow_gc = False keeps intermediates
    cdef public bint profiling
    cdef public list thunk_times
    cdef public list thunk_calls
    cdef public object on_error
    cdef public object storage_map
    cdef Py_ssize_t n_thunks

    cdef int run_all(self) except -1


cdef class LazyThunk(Thunk):
    # fn() -> None when done, or the indices of the inputs it still needs.
    cdef public object fn

    cdef object run_lazy(self)


cdef class LazyVM(VM):
    cdef list lazy
    cdef list input_computed    # per node: the compute cells of its inputs
    cdef list input_owner       # per node: per input, the schedule index of its owner or -1
    cdef list output_computed   # per node: the compute cells of its outputs
    cdef list reset_cells       # compute cells of the intermediates, cleared before a call
    cdef list roots             # schedule indices of the nodes computing the graph outputs
    cdef list input_slots       # per node: indices (into var_cells) of its distinct inputs
    cdef list var_cells         # storage cell of each intermediate the VM may free
    cdef list var_clients       # number of schedule nodes reading each of them

    cdef int _run_one(self, Py_ssize_t i) except -1
