# C-level interface of FunctionGraph; the rewrite engine and the linker cimport it.
from pytheano._core.graph cimport Apply, Variable


cdef class FunctionGraph:
    cdef public list inputs
    cdef public list outputs
    cdef public set apply_nodes
    cdef public set variables
    cdef public list _features
    cdef public object profile
    cdef public object update_mapping
    cdef public double execute_callbacks_time
    cdef public dict execute_callbacks_times
    cdef list _toposort_cache
    cdef dict __dict__
    cdef object __weakref__

    cdef _setup_var(self, Variable v)
    cdef _setup_node(self, Apply node)
    cdef _add_client(self, Variable v, client)
    cdef _remove_client(self, Variable v, client, reason)
    cdef _import_var(self, Variable v, reason)
    cdef list _new_nodes_upto(self, Apply apply_node)
    cdef _import_node(self, Apply node, bint check, reason)
    cpdef change_input(self, node, Py_ssize_t i, new_r, reason=*)
    cpdef replace(self, r, new_r, reason=*, verbose=*)
    cpdef execute_callbacks(self, str name, tuple args, dict kwargs=*)
    cpdef list toposort(self)
