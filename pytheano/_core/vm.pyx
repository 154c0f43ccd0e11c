"""The executor: runs a compiled function's thunks, in schedule order, over storage cells.

A storage cell is a one-element list, ``[value]``: the Python convention of Theano's
``perform(node, inputs, output_storage)`` (``output_storage[0][0] = result``), shared by the
VM, the function call path and shared-variable containers. Every thunk reads its inputs' cells
and fills its outputs' cells. With ``allow_gc`` the VM empties an intermediate cell as soon as
its last reader has run, so peak memory stays that of the live values.
"""
import time

import numpy as np

cimport numpy as cnp

cnp.import_array()


cdef class Thunk:
    """One step of a compiled function: compute ``node`` from its input cells into its outputs."""

    def __init__(self, node, list input_cells, list output_cells):
        self.node = node
        self.input_cells = input_cells
        self.output_cells = output_cells

    cdef int run(self) except -1:
        raise NotImplementedError()

    def __call__(self):
        self.run()

    @property
    def inputs(self):
        return self.input_cells

    @property
    def outputs(self):
        return self.output_cells


cdef class PerformThunk(Thunk):
    """Calls the op's numpy ``perform(node, inputs, output_storage[, params])``."""

    def __init__(self, node, list input_cells, list output_cells, perform, params=None,
                 bint has_params=False):
        Thunk.__init__(self, node, input_cells, output_cells)
        self.perform = perform
        self.params = params
        self.has_params = has_params

    cdef int run(self) except -1:
        cdef list inputs = [(<list>cell)[0] for cell in self.input_cells]
        if self.has_params:
            self.perform(self.node, inputs, self.output_cells, self.params)
        else:
            self.perform(self.node, inputs, self.output_cells)
        return 0


cdef class CallableThunk(Thunk):
    """Wraps a no-argument callable, as returned by a custom ``Op.make_thunk``."""

    def __init__(self, node, list input_cells, list output_cells, fn):
        Thunk.__init__(self, node, input_cells, output_cells)
        self.fn = fn

    cdef int run(self) except -1:
        self.fn()
        return 0


cdef class UfuncThunk(Thunk):
    """An elementwise node whose scalar op is a numpy ufunc with one output.

    Calls the ufunc straight from the VM: no Python ``perform`` frame, no per-call attribute
    lookups. With several inputs and an output with dimensions, Elemwise's broadcasting rule
    (a dimension the type does not mark broadcastable must agree across inputs, even when it
    is 1) is checked here in C; on a mismatch ``check_shapes(node, inputs)``, Elemwise's own
    check, runs to raise its error.
    """

    def __init__(self, node, list input_cells, list output_cells, ufunc, dtype,
                 check_shapes=None, list input_broadcastable=None):
        Thunk.__init__(self, node, input_cells, output_cells)
        self.ufunc = ufunc
        self.dtype = np.dtype(dtype)
        self.type_num = self.dtype.num
        self.check_shapes = check_shapes
        self.out_cell = output_cells[0]
        # For each output dimension, the inputs whose size there must agree.
        self.must_agree = []
        if check_shapes is not None and input_broadcastable is not None:
            ndim = len(input_broadcastable[0]) if input_broadcastable else 0
            for d in range(ndim):
                idx = [k for k, b in enumerate(input_broadcastable) if not b[d]]
                if len(idx) > 1:
                    self.must_agree.append((d, idx))

    cdef int shapes_agree(self, tuple args) except -1:
        cdef Py_ssize_t d, size
        for x in args:
            if not cnp.PyArray_Check(x):
                return 0
        for d, idx in self.must_agree:
            size = cnp.PyArray_DIM(<cnp.ndarray>args[(<list>idx)[0]], d)
            for k in (<list>idx)[1:]:
                if cnp.PyArray_DIM(<cnp.ndarray>args[k], d) != size:
                    return 0
        return 1

    cdef int run(self) except -1:
        cdef list cells = self.input_cells
        cdef Py_ssize_t n = len(cells)
        cdef object r
        if n == 1:
            r = self.ufunc((<list>cells[0])[0])
        else:
            if n == 2:
                args = ((<list>cells[0])[0], (<list>cells[1])[0])
            else:
                args = tuple([(<list>cell)[0] for cell in cells])
            if self.check_shapes is not None and not self.shapes_agree(args):
                self.check_shapes(self.node, args)
            r = self.ufunc(*args)
        if not (cnp.PyArray_CheckExact(r)
                and cnp.PyArray_TYPE(<cnp.ndarray>r) == self.type_num):
            r = np.asarray(r, dtype=self.dtype)
        self.out_cell[0] = r
        return 0


cdef class VM:
    """Runs ``thunks`` in order; frees cells listed in ``clear_after[i]`` after thunk ``i``.

    ``on_error(vm, i)`` is called (inside the ``except`` block) when thunk ``i`` raises; it is
    expected to re-raise the exception with the node, the input shapes and the user's source
    line attached.
    """

    def __init__(self, list thunks, list nodes, list clear_after, bint allow_gc,
                 storage_map=None, on_error=None):
        if len(thunks) != len(nodes) or len(clear_after) != len(thunks):
            raise ValueError("VM: thunks, nodes and clear_after must have the same length")
        self.thunks = thunks
        self.nodes = nodes
        self.clear_after = clear_after
        self.allow_gc = allow_gc
        self.storage_map = storage_map
        self.on_error = on_error
        self.profiling = False
        self.n_thunks = len(thunks)
        self.thunk_times = [0.0] * self.n_thunks
        self.thunk_calls = [0] * self.n_thunks

    cdef int run_all(self) except -1:
        cdef Py_ssize_t i = 0
        cdef Thunk thunk
        cdef list cell
        try:
            if self.profiling:
                for i in range(self.n_thunks):
                    thunk = <Thunk>self.thunks[i]
                    t0 = time.perf_counter()
                    thunk.run()
                    self.thunk_times[i] += time.perf_counter() - t0
                    self.thunk_calls[i] += 1
                    if self.allow_gc:
                        for cell in <list>self.clear_after[i]:
                            cell[0] = None
            elif self.allow_gc:
                for i in range(self.n_thunks):
                    (<Thunk>self.thunks[i]).run()
                    for cell in <list>self.clear_after[i]:
                        cell[0] = None
            else:
                for i in range(self.n_thunks):
                    (<Thunk>self.thunks[i]).run()
        except BaseException:
            if self.on_error is None:
                raise
            self.on_error(self, i)
            raise
        return 0

    def __call__(self):
        self.run_all()

    def reset_profile(self):
        self.thunk_times = [0.0] * self.n_thunks
        self.thunk_calls = [0] * self.n_thunks
