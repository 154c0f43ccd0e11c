"""Linkers: turn a FunctionGraph into the VM that runs it.

A linker lays out one storage cell per variable, picks a thunk per node (link/thunks.py)
and the cells to free after each thunk (allow_gc), then builds a VM: the straight-line one,
or the lazy one when a node is lazy (ifelse). Theano's linker names are registered here:

    py          perform only (Theano's PerformLinker)
    vm          perform, and one numpy ufunc per elementwise node where one computes it
    cvm, c|py   compiled C (link/c) for the nodes that have it, as vm for the others;
                a graph whose every C-capable node is one exact numpy ufunc call (already
                compiled code, called by the VM with no Python frame) is not compiled
    c           compiled C for every node: a graph with a node without C is refused
                (NotImplementedError naming it); OpWiseCLinker (scan's inner functions,
                DebugMode) compiles every node that has C and runs perform for the others
    *_nogc      the same, keeping intermediate values between calls (allow_gc=False)
"""
import copy
import time
from functools import partial

from pytheano._core.graph import Constant
from pytheano._core.vm import VM, CallableThunk, LazyThunk, LazyVM
from pytheano.configparser import config
from pytheano.errors import UnknownNameError
from pytheano.graph.shared import Container
from pytheano.link.c.module import c_backend_available, start_module
from pytheano.link.errors import raise_with_op
from pytheano.link.thunks import c_code_of, guarded, has_c_code, make_thunk

__all__ = ["Linker", "PerformLinker", "VMLinker", "CVMLinker", "CLinker", "OpWiseCLinker",
           "finish_pending", "linker_registry", "register_linker", "get_linker"]


class Linker:
    """Builds the VM of a FunctionGraph. ``allow_gc``: None follows config.allow_gc.
    ``schedule``: ``schedule(fgraph)`` -> the nodes in the order to run them (Theano's
    argument, e.g. gof.sched.sort_schedule_fn); default the graph's toposort."""

    use_kernels = True
    use_c = False
    requires_c = False

    def __init__(self, allow_gc=None, name=None, schedule=None):
        self.allow_gc = allow_gc
        self.name = name
        self.schedule = schedule

    def make_all(self, fgraph, input_cells, profiling=False, guard=None, defer=False):
        """The VM computing ``fgraph``.

        input_cells: {graph input: cell} (the function's argument cells and the shared
        variables' containers). guard: ``guard(node, output values)`` called after every
        node. defer: the C compiler may still run when this returns (without profiling or
        guard): the C nodes' thunks are then placeholders that wait for it on the first
        call, or ``finish_pending(vm)`` does (theano.function's: two functions compiled
        one after the other build their modules at once). Returns (vm, storage_map, {node:
        seconds to make its thunk}).
        """
        order = fgraph.toposort() if self.schedule is None else list(self.schedule(fgraph))
        storage_map = dict(input_cells)
        for node in order:
            for v in node.inputs:
                if v not in storage_map:
                    # Graph inputs all have cells; what is left are constants.
                    storage_map[v] = [v.data if isinstance(v, Constant) else None]
            for v in node.outputs:
                storage_map[v] = [None]
        for v in fgraph.outputs:
            if v not in storage_map:
                storage_map[v] = [v.data if isinstance(v, Constant) else None]
        compute_map = {v: [v.owner is None] for v in storage_map}

        use_c = self.use_c and c_backend_available()
        if use_c and self.requires_c:
            _refuse_perform_nodes(order)
        module = _start_c(order, self.always_c) if self.use_c else None
        thunks, make_times = [], {}
        pending = None
        if module is not None and defer and not profiling and guard is None \
                and not module.ready:
            pending = _PendingC(module, thunks, storage_map, compute_map, self.use_kernels,
                                use_c)
        c_entries = module.entries() if module is not None and pending is None else {}
        for i, node in enumerate(order):
            t0 = time.perf_counter()
            if pending is not None and node in module.codes:
                thunk = pending.placeholder(i, node)
            else:
                thunk = make_thunk(node, storage_map, compute_map, self.use_kernels,
                                   c_entries.get(node), use_c)
            if guard is not None:
                thunk = guarded(thunk, guard, i)
            thunks.append(thunk)
            make_times[node] = time.perf_counter() - t0
        if pending is not None and any(isinstance(t, LazyThunk) for t in thunks):
            pending.finish()  # the lazy VM reads its thunks' kinds once

        allow_gc = config.allow_gc if self.allow_gc is None else self.allow_gc
        keep = set(fgraph.inputs) | set(fgraph.outputs)
        clear_after = _clear_after(order, storage_map, keep)
        on_error = partial(_on_error, fgraph)
        if any(isinstance(t, LazyThunk) for t in thunks):
            vm = LazyVM(thunks, order, clear_after, bool(allow_gc), storage_map=storage_map,
                        on_error=on_error, compute_map=compute_map, outputs=fgraph.outputs,
                        keep=keep)
        else:
            vm = VM(thunks, order, clear_after, bool(allow_gc), storage_map=storage_map,
                    on_error=on_error)
        vm.profiling = bool(profiling)
        return vm, storage_map, make_times

    # ------------------------------------------------------------------ Theano's linker API

    def accept(self, fgraph, no_recycling=None, profile=None):
        """This linker bound to ``fgraph`` (Theano's API): then ``make_thunk`` or
        ``make_function``."""
        bound = copy.copy(self)
        bound.fgraph = fgraph
        return bound

    def make_thunk(self, input_storage=None, output_storage=None, storage_map=None):
        """(fn, input containers, output containers) of the accepted graph: set each input
        container's ``data``, call ``fn()``, read the outputs' ``data``."""
        fgraph = self.fgraph
        cells = {v: [None] for v in fgraph.inputs}
        vm, storage, _ = self.make_all(fgraph, cells)
        inputs = [Container(v, cells[v]) for v in fgraph.inputs]
        outputs = [Container(v, storage[v]) for v in fgraph.outputs]
        return vm, inputs, outputs

    def make_function(self, unpack_single=True, **kwargs):
        """A function of the accepted graph's inputs returning its outputs (one value, or a
        list when there are several or ``unpack_single`` is False)."""
        fn, inputs, outputs = self.make_thunk()

        def execute(*args):
            if len(args) != len(inputs):
                raise TypeError("expected %d inputs, got %d" % (len(inputs), len(args)))
            for container, arg in zip(inputs, args):
                container.data = arg
            fn()
            values = [container.data for container in outputs]
            return values[0] if unpack_single and len(values) == 1 else values

        return execute

    def __repr__(self):
        return "<%s %s>" % (type(self).__name__, self.name)


class PerformLinker(Linker):
    """Every node through its op's numpy ``perform`` (linker 'py')."""

    use_kernels = False


class VMLinker(Linker):
    """perform, with one numpy ufunc per node where one computes it exactly ('vm')."""


class CVMLinker(VMLinker):
    """Compiled C for the nodes that have it, as VMLinker for the others ('cvm', 'c|py').

    The C compiler costs a tenth of a second or more per new module: a graph is compiled
    when some node gains from C (one that numpy computes in several calls or through a
    Python perform: fused Composites, in-place updates, integer division...); all its
    C-capable nodes then go into the module. ``always_c`` (linker 'c'): every graph with C.
    """

    use_c = True
    always_c = False


class OpWiseCLinker(CVMLinker):
    """Compiled C for every node that has it, perform for the others (Theano's
    OpWiseCLinker; the inner function of scan, DebugMode and DualLinker)."""

    always_c = True


class CLinker(OpWiseCLinker):
    """Compiled C for every node ('c'): a graph with a node that has none is refused,
    naming the node. Theano raised the same NotImplementedError with the op's name only."""

    requires_c = True


def _computed_nodes(order):
    """The nodes of ``order`` not computed from constants only. Those are what constant
    folding would compute: they run perform under every linker (numpy gives the same value
    there as in a rewritten graph; libm and numpy's own SIMD math differ in the last bits)."""
    constant = set()  # variables computed from constants only
    for node in order:
        if all(isinstance(v, Constant) or v in constant for v in node.inputs):
            constant.update(node.outputs)
        else:
            yield node


def _refuse_perform_nodes(order):
    """NotImplementedError naming the first computed node the C backend cannot run
    (linker 'c')."""
    for node in _computed_nodes(order):
        if not has_c_code(node):
            raise NotImplementedError(
                "%s cannot produce C code, so linker 'c' refuses this graph (node: %s). "
                "Use linker 'cvm' (the default) or 'c|py', which run such a node's perform."
                % (node.op, node))


def _start_c(order, always):
    """The _CModule of the nodes with C, all in one module (its compiler maybe still
    running); None when there is no compiler, or (unless ``always``) when no node gains
    from C."""
    nodes, codes = [], []
    for node in _computed_nodes(order):
        code = c_code_of(node)
        if code is not None:
            nodes.append(node)
            codes.append(code)
    if not nodes or not (always or any(not code.numpy_fast for code in codes)):
        return None
    module = start_module(codes)
    return None if module is None else _CModule(nodes, codes, module)


class _CModule:
    """The C nodes of one graph and their Module. ``codes``: {node: its C}, in the module's
    kernel order."""

    def __init__(self, nodes, codes, module):
        self.codes = dict(zip(nodes, codes))
        self.module = module

    @property
    def ready(self):
        return self.module.ready

    def entries(self):
        """{node: (its C, entry point address)}; waits for the compiler."""
        addresses = self.module.addresses()
        return {node: (code, address)
                for (node, code), address in zip(self.codes.items(), addresses)}


class _PendingC:
    """The C nodes of a VM whose module is still compiling: their placeholder thunks call
    ``finish``, which waits for the compiler and puts each node's real thunk in its place
    in the VM's thunk list (the VM reads that list at every step), then run the real one."""

    def __init__(self, module, thunks, storage_map, compute_map, use_kernels, use_c):
        self.module = module
        self.thunks = thunks
        self.storage_map = storage_map
        self.compute_map = compute_map
        self.use_kernels = use_kernels
        self.use_c = use_c
        self.slots = []  # (index in thunks, node)

    def placeholder(self, i, node):
        self.slots.append((i, node))

        def run():
            self.finish()
            self.thunks[i]()

        run.pending = self
        return CallableThunk(node, [self.storage_map[v] for v in node.inputs],
                             [self.storage_map[v] for v in node.outputs], run)

    def finish(self):
        """Link the C nodes (once). CompileError, as it is, when the compiler failed."""
        if not self.slots:
            return
        try:
            entries = self.module.entries()
        except Exception as e:
            e.__pytheano_op_info__ = True  # the compiler's message, not a node's failure
            raise
        for i, node in self.slots:
            self.thunks[i] = make_thunk(node, self.storage_map, self.compute_map,
                                        self.use_kernels, entries[node], self.use_c)
        self.slots = []


def finish_pending(vm):
    """Wait for the compiler of ``vm``'s C nodes, if it still runs, and link them."""
    for thunk in list(vm.thunks):
        pending = getattr(getattr(thunk, "fn", None), "pending", None)
        if pending is not None:
            pending.finish()
    return vm


def _clear_after(order, storage_map, keep):
    """For each thunk, the cells of the intermediates it is the last reader of."""
    last_use = {}
    for i, node in enumerate(order):
        for v in node.inputs:
            last_use[v] = i
        for v in node.outputs:
            last_use.setdefault(v, i)  # never read: free at once
    clear_after = [[] for _ in order]
    for v, i in last_use.items():
        if v in keep or isinstance(v, Constant) or v.owner is None:
            continue
        clear_after[i].append(storage_map[v])
    return clear_after


def _on_error(fgraph, vm, i):
    raise_with_op(vm.nodes[i], vm.thunks[i], vm.storage_map, fgraph=fgraph)


linker_registry = {}


def register_linker(name, linker):
    """Make ``linker`` available as ``Mode(linker=name)``."""
    if linker.name is None:
        linker.name = name
    linker_registry[name] = linker
    return linker


for _name, _cls in (("py", PerformLinker), ("vm", VMLinker), ("cvm", CVMLinker),
                    ("c|py", CVMLinker)):
    register_linker(_name, _cls(name=_name))
    if _name in ("vm", "cvm", "c|py"):  # Theano 1.0's _nogc names
        register_linker(_name + "_nogc", _cls(allow_gc=False, name=_name + "_nogc"))


register_linker("c", CLinker(name="c"))


def get_linker(name_or_linker):
    """The Linker for a name ('cvm', 'py', ...) or a Linker instance."""
    if isinstance(name_or_linker, Linker):
        return name_or_linker
    try:
        return linker_registry[name_or_linker]
    except (KeyError, TypeError):
        raise UnknownNameError("Unknown linker %r; the linkers are %s"
                                 % (name_or_linker, sorted(linker_registry))) from None
