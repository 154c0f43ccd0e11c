"""Build the VM for a FunctionGraph: one storage cell per variable, one thunk per node, and
the list of cells to free after each thunk (allow_gc)."""
from pytheano._core.graph import Constant
from pytheano._core.vm import VM, CallableThunk, PerformThunk, UfuncThunk
from pytheano.link.errors import raise_with_op


def make_vm(fgraph, input_cells, allow_gc=True, profiling=False, guard=None):
    """The VM computing ``fgraph``.

    input_cells: {input variable: cell} for the graph inputs (the function's argument cells
    and the shared variables' containers). guard: ``guard(node, output_values)`` called after
    every node (NanGuardMode). Returns (vm, storage_map).
    """
    order = fgraph.toposort()
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

    compute_map = {v: [not (v.owner is not None)] for v in storage_map}
    thunks = []
    for i, node in enumerate(order):
        thunk = _make_thunk(node, storage_map, compute_map)
        if guard is not None:
            thunk = _guarded(thunk, guard, i)
        thunks.append(thunk)

    # allow_gc: free an intermediate right after its last reader.
    keep = set(fgraph.inputs) | set(fgraph.outputs)
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

    vm = VM(thunks, order, clear_after, bool(allow_gc), storage_map=storage_map,
            on_error=_on_error)
    vm.profiling = bool(profiling)
    return vm, storage_map


def _make_thunk(node, storage_map, compute_map):
    op = node.op
    input_cells = [storage_map[v] for v in node.inputs]
    output_cells = [storage_map[v] for v in node.outputs]
    op.prepare_node(node, storage_map, compute_map, "py")
    ufunc_kernel = getattr(op, "ufunc_kernel", None)
    kernel = ufunc_kernel(node) if ufunc_kernel is not None else None
    if kernel is not None:
        # One numpy ufunc computes the node: the VM calls it with no Python frame.
        return UfuncThunk(node, input_cells, output_cells, kernel.ufunc, kernel.dtype,
                          kernel.shape_check, kernel.input_broadcastable)
    make_thunk = getattr(op, "make_py_thunk", None)
    if make_thunk is not None:
        # Ops with their own execution (lazy ifelse, scan) hand back a callable.
        fn = make_thunk(node, storage_map, compute_map)
        return CallableThunk(node, input_cells, output_cells, fn)
    params = op.get_params(node)
    return PerformThunk(node, input_cells, output_cells, op.perform, params,
                        params is not None)


def _on_error(vm, i):
    raise_with_op(vm.nodes[i], vm.thunks[i], vm.storage_map)


def _guarded(thunk, guard, index):
    """``thunk``, then ``guard(node, output values)``; a guard with ``before``/``after``
    methods (MonitorMode) gets ``(index, node, thunk)`` around the thunk instead."""
    node = thunk.node
    cells = thunk.output_cells
    before = getattr(guard, "before", None)
    after = getattr(guard, "after", None)

    def run():
        if before is not None:
            before(index, node, thunk)
        thunk()
        if after is not None:
            after(index, node, thunk)
        else:
            guard(node, [cell[0] for cell in cells])

    return CallableThunk(node, thunk.input_cells, cells, run)
