# C-level interface of the graph structures; fgraph.pyx and vm.pyx cimport it.

cdef class Node:
    pass


cdef class Variable(Node):
    cdef public object type
    cdef public object owner          # the Apply that computes this variable, or None
    cdef public object index          # position in owner.outputs, or None
    cdef public object name
    cdef public object creation_site  # (filename, lineno, function) of the user code that made it
    cdef object _tag
    cdef dict __dict__
    cdef object __weakref__


cdef class Constant(Variable):
    cdef public object data


cdef class Apply(Node):
    cdef public object op
    cdef public list inputs
    cdef public list outputs
    cdef object _tag
    cdef dict __dict__
    cdef object __weakref__


cpdef list io_toposort(inputs, outputs, orderings=*)
cpdef dict clone_get_equiv(inputs, outputs, bint copy_inputs=*, bint copy_orphans=*, dict memo=*)
cpdef object user_location()
