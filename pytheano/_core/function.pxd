# C-level interface of the compiled-function call path.
from pytheano._core.vm cimport VM


cdef class InputSlot:
    cdef public list cell
    cdef public object type
    cdef public object variable
    cdef public object name
    cdef public bint strict
    cdef public object allow_downcast
    cdef public bint required
    cdef public bint implicit
    cdef public bint refeed
    cdef public object default
    cdef public int fast_type_num
    cdef public int fast_ndim
    cdef public tuple unit_dims
    cdef object scalar_box  # the 0-d array the last Python number was stored in

    cdef object filter(self, object value)


cdef class FunctionCore:
    cdef public VM vm
    cdef public list slots
    cdef public list param_slots
    cdef public dict kw_index
    cdef public list output_cells
    cdef public Py_ssize_t n_outputs
    cdef public list update_targets
    cdef public bint clear_outputs
    cdef public bint unpack_single
    cdef public object output_keys
    cdef public bint trust_input
    cdef public object name
    cdef public object profile
    cdef dict __dict__
    cdef object __weakref__

    cdef object _bad_input(self, Py_ssize_t index, object value)
    cdef object _fill_general(self, tuple args, dict kwargs)
    cdef object _run(self)
    cdef object _reset_inputs(self)
