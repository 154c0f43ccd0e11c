# C-level interface of FunctionGraph; the rewrite engine, the features and the linker cimport it.
from pytheano._core.graph cimport Apply, Variable


cdef class Feature:
    # None: this feature's orderings (if it has any) may change at any time, so the graph
    # does not cache its toposort. A feature that bumps it on every change sets an int.
    cdef public object orderings_version
    cdef dict __dict__
    cdef object __weakref__


cdef class Clients(dict):
    # var -> [(node, i) or ('output', i)]; callable as Theano 1.0's fgraph.clients(var).
    pass


cdef class FunctionGraph:
    cdef public list inputs
    cdef public list outputs
    cdef public set apply_nodes
    cdef public set variables
    cdef readonly Clients clients
    cdef public list _features
    cdef public object profile
    cdef public object update_mapping
    cdef public double execute_callbacks_time
    cdef public dict execute_callbacks_times
    # Bumped by every edit of the graph and every attach/detach: the toposort cache key.
    cdef readonly Py_ssize_t version
    cdef list _toposort_cache
    cdef tuple _toposort_key
    # Bound hooks of the attached features, one list per event, rebuilt at attach/detach.
    cdef list _on_import
    cdef list _on_prune
    cdef list _on_change_input
    cdef list _validators
    cdef list _orderers         # features with an orderings hook
    cdef dict __dict__
    cdef object __weakref__

    cdef _rebuild_listeners(self)
    cdef _fire_import(self, Apply node, reason)
    cdef _fire_prune(self, Apply node, reason)
    cdef _fire_change_input(self, node, Py_ssize_t i, r, new_r, reason)
    cdef _setup_var(self, Variable v)
    cdef _setup_node(self, Apply node)
    cdef _add_client(self, Variable v, client)
    cdef _remove_client(self, Variable v, client, reason)
    cdef _prune_from(self, Variable v, reason)
    cdef _import_var(self, Variable v, reason)
    cdef list _new_nodes_upto(self, Apply apply_node)
    cdef _import_node(self, Apply node, bint check, reason)
    cdef tuple _orderings_key(self)
    cpdef change_input(self, node, Py_ssize_t i, new_r, reason=*)
    cpdef replace(self, r, new_r, reason=*, verbose=*)
    cpdef run_validators(self)
    cpdef list toposort(self)
