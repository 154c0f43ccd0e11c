"""Thunk selection: how the VM runs each node of a schedule.

The linker asks each node's op what it can do, through the Op protocol, and picks in order:
an op that runs itself (Theano's ``make_thunk`` override; lazy ops such as ifelse return a
lazy thunk), then one numpy ufunc for the whole node (``op.ufunc_kernel(node)``, called by
the VM with no Python frame), then the op's ``perform``. The C backend's compiled entry
points (link/c) come before the ufunc path: the linker compiles every node's C
(``op.c_code_node(node)``) in one module first and passes each node its entry point. Ops
never build VM thunks themselves. With the C backend, an op naming a BLAS routine
(``op.c_blas_call(node)``: tensor/blas.py) runs in a BlasThunk, which calls OpenBLAS,
and a shape or view op giving a precompiled thunk (``op.c_thunk(node)`` -> (thunk class,
extra arguments): _core/view_thunk.pyx) runs in it.
"""
from pytheano._core.blas_thunk import BlasThunk
from pytheano._core.vm import CallableThunk, LazyThunk, PerformThunk, UfuncThunk
from pytheano.graph.op import Op, node_params


def c_code_of(node):
    """The node's C (an ``ElemwiseC`` or ``ArrayC``, link/c), or None: the op has none,
    or runs itself."""
    c_code_node = getattr(node.op, "c_code_node", None)
    if c_code_node is None or _own_make_thunk(node.op) is not None:
        return None
    return c_code_node(node)


def has_c_code(node):
    """Whether the C backend runs ``node`` without its perform: generated C, a BLAS call or
    a precompiled thunk (linker 'c' refuses nodes without)."""
    if c_code_of(node) is not None:
        return True
    op = node.op
    if _own_make_thunk(op) is not None:
        return False
    if c_thunk_spec(node) is not None:
        return True
    blas = getattr(op, "c_blas_call", None)
    return blas is not None and blas(node) is not None


def c_thunk_spec(node):
    """(thunk class, extra arguments) of the node's precompiled thunk, or None. A subclass
    that overrides perform but not c_thunk computes something else: it runs its perform."""
    c_thunk = getattr(node.op, "c_thunk", None)
    if c_thunk is None:
        return None
    mro = type(node.op).__mro__
    defines = [next((k for k, cls in enumerate(mro) if name in cls.__dict__), len(mro))
               for name in ("c_thunk", "perform")]
    if defines[1] < defines[0]:
        return None
    return c_thunk(node)


def make_thunk(node, storage_map, compute_map, use_kernels=True, c_entry=None, use_c=False):
    """The thunk computing ``node`` from its input cells into its output cells.
    ``c_entry``: (the node's C, entry point address) when the node's C is compiled;
    ``use_c``: the C backend is on (BLAS ops then call BLAS from a BlasThunk)."""
    op = node.op
    input_cells = [storage_map[v] for v in node.inputs]
    output_cells = [storage_map[v] for v in node.outputs]
    op.prepare_node(node, storage_map, compute_map, "py")
    if c_entry is not None:
        code, address = c_entry
        return code.make_thunk(node, input_cells, output_cells, address, op.perform)
    own = _own_make_thunk(op)
    spec = c_thunk_spec(node) if use_c and own is None else None
    if spec is not None:
        thunk_class, args = spec
        return thunk_class(node, input_cells, output_cells, op.perform, *args)
    blas = getattr(op, "c_blas_call", None) if use_c and own is None else None
    call = blas(node) if blas is not None else None
    if call is not None:
        routine, ignores_accumulator = call
        return BlasThunk(node, input_cells, output_cells, routine,
                         node.outputs[0].type.dtype, bool(getattr(op, "destroy_map", None)),
                         ignores_accumulator, op.perform)
    if own is not None:
        fn = own(node, storage_map, compute_map, [])
        if getattr(fn, "lazy", False):
            return LazyThunk(node, input_cells, output_cells, fn)
        return CallableThunk(node, input_cells, output_cells, fn)
    if use_kernels:
        ufunc_kernel = getattr(op, "ufunc_kernel", None)
        kernel = ufunc_kernel(node) if ufunc_kernel is not None else None
        if kernel is not None:
            return UfuncThunk(node, input_cells, output_cells, kernel.ufunc, kernel.dtype,
                              kernel.shape_check, kernel.input_broadcastable,
                              kernel.destroyed_input)
    params = node_params(node)
    return PerformThunk(node, input_cells, output_cells, op.perform, params,
                        params is not None)


def _own_make_thunk(op):
    """``op.make_thunk`` when the op's class overrides Op's (it then runs itself)."""
    method = getattr(type(op), "make_thunk", None)
    if method is None or method is Op.make_thunk:
        return None
    return op.make_thunk


def guarded(thunk, guard, index):
    """``thunk``, then ``guard(node, output values)`` (NanGuardMode). A guard with
    ``before``/``after`` methods (MonitorMode) gets ``(index, node, thunk)`` around the
    thunk instead."""
    node = thunk.node
    cells = thunk.output_cells
    before = getattr(guard, "before", None)
    after = getattr(guard, "after", None)

    if isinstance(thunk, LazyThunk):
        def run_lazy():
            if before is not None:
                before(index, node, thunk)
            requires = thunk.fn()
            if not requires:
                if after is not None:
                    after(index, node, thunk)
                else:
                    guard(node, [cell[0] for cell in cells])
            return requires

        return LazyThunk(node, thunk.input_cells, cells, run_lazy)

    def run():
        if before is not None:
            before(index, node, thunk)
        thunk()
        if after is not None:
            after(index, node, thunk)
        else:
            guard(node, [cell[0] for cell in cells])

    return CallableThunk(node, thunk.input_cells, cells, run)
