# C-level interface of the rewrite driver (pytheano/_core/rewrite.pyx).
from pytheano._core.fgraph cimport Feature, FunctionGraph
from pytheano._core.graph cimport Apply


cdef class Rule:
    # One node rewriter as the driver calls it: ``fn(fgraph, node)``, its name (the key of
    # the profile and of the warnings) and what it tracks (None: every node).
    cdef readonly object fn
    cdef readonly str name
    cdef readonly object tracks


cdef class Dispatch:
    # Op class (or op instance) -> the rules that can match it, resolved once per op type.
    cdef tuple everywhere
    cdef dict by_class
    cdef dict by_op
    cdef dict by_type       # type(op) -> tuple of rules (everywhere + the op's classes)
    cdef frozenset op_types  # the types of the ops tracked by instance
    cdef readonly Py_ssize_t n_rules

    cdef tuple candidates(self, object op)


cdef class ChangeTracker(Feature):
    # The nodes a pass must look at again, and how many nodes the pass created.
    cdef public list dirty
    cdef set _dirty_set
    cdef public Py_ssize_t created
    cdef FunctionGraph fgraph

    cdef void mark(self, object node)
    cdef list take_dirty(self)


cpdef Py_ssize_t merge_graph(FunctionGraph fgraph) except -1
