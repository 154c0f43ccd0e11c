# C-level interface of the in-place bookkeeping that DestroyHandler builds on.
from pytheano._core.fgraph cimport Feature


cdef class DestroyTracker(Feature):
    cdef public dict destroyers  # {node whose op has a destroy_map: None}, in import order
    cdef public dict view_i      # view output -> the variable it views
    cdef public dict view_o      # variable -> set of the outputs that view it
    cdef public object _state    # the handler's derived state; None = stale
    # What changed since the handler last indexed the destroyers (recorded only while the
    # graph has destroyers): variables whose readers or views changed, destroyers imported,
    # destroyers pruned.
    cdef public set touched
    cdef public set fresh
    cdef public set gone
    # For the cycle check: the handler's topological order of the graph plus its orderings
    # ({node: position}; None: none yet), and while there is one, the nodes imported or whose
    # inputs changed since the last check.
    cdef public set edited
    cdef public dict order
    cdef public set taken        # the positions in order (no two nodes share one)

    cdef _changed(self)
