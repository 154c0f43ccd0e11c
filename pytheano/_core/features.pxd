# C-level interface of the graph's bookkeeping features (history, validation).
from pytheano._core.fgraph cimport Feature, FunctionGraph


cdef class History(Feature):
    cdef public dict history    # fgraph -> [(node, i, old input)], None while reverting

    cpdef Py_ssize_t checkpoint_(self, FunctionGraph fgraph)
    cpdef revert(self, FunctionGraph fgraph, Py_ssize_t checkpoint)


cpdef bint validate_graph(FunctionGraph fgraph) except -1


cdef class Validator(Feature):
    pass


cdef class ReplaceValidate(History):
    cdef public object fail_validate
    cpdef replace_all_validate(self, FunctionGraph fgraph, replacements, reason=*,
                               verbose=*)
