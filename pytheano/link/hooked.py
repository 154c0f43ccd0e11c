"""Linkers that hand each node's thunk to user code (Theano's debugging linkers).

``WrapLinker`` links one graph with several linkers, each over its own storage, and calls a
``wrapper(i, node, *thunks)`` per node instead of the thunks: the wrapper runs them (or not),
compares or records them. The outputs are the first linker's. ``CallbackLinker`` is the
``vm``/``cvm`` linker calling ``callback(node, thunk, storage_map, compute_map)`` after each
node and ``callback_input(var, value)`` for each graph input before a call (Theano's
``VM_Linker(callback=...)``).

Both return the VM of pytheano's call path, so they work under ``Mode(linker=...)``.
"""
import copy

from pytheano._core.vm import VM, CallableThunk, LazyThunk
from pytheano.configparser import config
from pytheano.link.linkers import CVMLinker, Linker

__all__ = ["WrapLinker", "WrapLinkerMany", "CallbackLinker"]


class WrapLinker(Linker):
    """Run ``linkers`` side by side over one graph: ``wrapper(i, node, *thunks)`` is called
    for the i-th node with that node's thunk from each linker (in ``linkers``' order). The
    other linkers get copies of the inputs, so in-place nodes do not interfere."""

    def __init__(self, linkers, wrapper, allow_gc=None, name=None):
        # the nodes run in the wrapped linkers' order (each may have its own schedule)
        super().__init__(allow_gc=allow_gc, name=name)
        self.linkers = list(linkers)
        self.wrapper = wrapper

    def __copy__(self):
        # FunctionMaker and accept() copy the mode's linker; the wrapped ones are copied too
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)
        other.linkers = [copy.copy(lnk) for lnk in self.linkers]
        return other

    def make_all(self, fgraph, input_cells, profiling=False, guard=None):
        if not self.linkers:
            raise ValueError("WrapLinker needs at least one linker to wrap")
        first, storage_map, make_times = self.linkers[0].make_all(fgraph, input_cells,
                                                                  profiling, guard)
        others = []
        for linker in self.linkers[1:]:
            cells = {v: [None] for v in fgraph.inputs}
            vm, _, _ = linker.make_all(fgraph, cells)
            if list(vm.nodes) != list(first.nodes):
                raise Exception("All linkers to WrapLinker should execute operations in "
                                "the same order.")
            others.append((vm, cells))
        groups = list(zip(first.thunks, *(vm.thunks for vm, _ in others)))
        for group, node in zip(groups, first.nodes):
            if any(isinstance(t, LazyThunk) for t in group):
                raise NotImplementedError(
                    "WrapLinker cannot wrap the lazy node %s (ifelse, scan with lazy "
                    "inner nodes): its thunk decides itself what runs next. Use "
                    "CallbackLinker (Theano's VM_Linker(callback=...)) to watch such "
                    "graphs." % (node,))
        copies = [(input_cells[v], cells[v]) for _, cells in others for v in fgraph.inputs]
        wrapper = self.wrapper
        thunks = []
        for i, (group, node) in enumerate(zip(groups, first.nodes)):
            thunks.append(_wrapped_thunk(i, node, group, wrapper, copies if i == 0 else ()))
        allow_gc = config.allow_gc if self.allow_gc is None else self.allow_gc
        vm = VM(thunks, list(first.nodes), list(first.clear_after), bool(allow_gc),
                storage_map=storage_map, on_error=first.on_error)
        vm.profiling = bool(profiling)
        return vm, storage_map, make_times


def _wrapped_thunk(index, node, group, wrapper, copies):
    """A thunk of the outer VM: (for the first node) copy the inputs into the other linkers'
    cells, then hand the node's thunks to the wrapper."""

    def run():
        for source, target in copies:
            target[0] = copy.copy(source[0])
        wrapper(index, node, *group)

    return CallableThunk(node, group[0].input_cells, group[0].output_cells, run)


def WrapLinkerMany(linkers, wrappers):
    """A WrapLinker whose wrapper calls each of ``wrappers`` in turn."""
    def wrapper(*args):
        for w in wrappers:
            w(*args)
    return WrapLinker(linkers, wrapper)


class CallbackLinker(CVMLinker):
    """The ``cvm`` linker (``c_thunks=False``: the ``vm`` one) calling
    ``callback(node, thunk, storage_map, compute_map)`` after each node has run, and
    ``callback_input(var, value)`` for every graph input (constants and shared variables
    too) before the first node of a call."""

    def __init__(self, callback=None, callback_input=None, c_thunks=True, allow_gc=None,
                 name=None, schedule=None):
        super().__init__(allow_gc=allow_gc, name=name, schedule=schedule)
        self.callback = callback
        self.callback_input = callback_input
        self.use_c = bool(c_thunks)
        self.use_kernels = True

    def make_all(self, fgraph, input_cells, profiling=False, guard=None):
        hook = _CallbackGuard(self.callback, self.callback_input, guard)
        vm, storage_map, make_times = super().make_all(fgraph, input_cells, profiling, hook)
        hook.storage_map = storage_map
        return vm, storage_map, make_times


class _CallbackGuard:
    """The thunk guard of CallbackLinker, around the mode's own guard if there is one."""

    def __init__(self, callback, callback_input, inner):
        self.callback = callback
        self.callback_input = callback_input
        self.inner = inner
        self.storage_map = None
        self.next_index = 0

    def before(self, index, node, thunk):
        if self.callback_input is not None and index <= self.next_index:
            # a new call starts (thunk indices only grow within one call of the plain VM)
            for var, cell in self.storage_map.items():
                if var.owner is None:
                    self.callback_input(var, cell[0])
        self.next_index = index
        if hasattr(self.inner, "before"):
            self.inner.before(index, node, thunk)

    def after(self, index, node, thunk):
        if self.inner is not None:
            if hasattr(self.inner, "after"):
                self.inner.after(index, node, thunk)
            else:
                self.inner(node, [cell[0] for cell in thunk.output_cells])
        if self.callback is not None:
            # Theano's compute_map: which variables hold their value now (inputs, and the
            # outputs of the nodes that have run and not been freed)
            compute_map = {v: [v.owner is None or cell[0] is not None]
                           for v, cell in self.storage_map.items()}
            self.callback(node=node, thunk=thunk, storage_map=self.storage_map,
                          compute_map=compute_map)
