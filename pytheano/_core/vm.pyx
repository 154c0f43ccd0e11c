"""The executor: runs a compiled function's thunks, in schedule order, over storage cells.

``VM`` runs every thunk in order. ``LazyVM`` runs only what the outputs need, starting from
the outputs: a lazy thunk (``ifelse``) may ask for more inputs before it finishes, so the
branch not taken is never computed.

A storage cell is a one-element list, ``[value]``: the Python convention of Theano's
``perform(node, inputs, output_storage)`` (``output_storage[0][0] = result``), shared by the
VM, the function call path and shared-variable containers. Every thunk reads its inputs' cells
and fills its outputs' cells. With ``allow_gc`` the VM empties an intermediate cell as soon as
its last reader has run, so peak memory stays that of the live values.
"""
import time

import numpy as np

cimport cython
cimport numpy as cnp
from libc.float cimport DBL_MAX, DBL_MIN, FLT_MAX, FLT_MIN
from libc.math cimport fabs

cnp.import_array()

# The ufuncs UfuncThunk computes itself on two 0-d float operands (see _binary_0d).
cdef dict _OPS_0D = {np.add: 1, np.subtract: 2, np.multiply: 3, np.true_divide: 4}


@cython.cdivision(True)
cdef object _binary_0d(int op, int type_num, object x, object y):
    """``ufunc(x, y)`` for two 0-d arrays of ``type_num`` (float64 or float32), as a 0-d
    array, without numpy's ufunc dispatch (most of a small function's call); None when the
    result is not a normal finite number (inf, nan, 0, subnormal): numpy's call then
    computes it, with its floating-point warnings or errors (np.errstate) as ever. Every
    other result is the same IEEE operation numpy does, and raises no flag numpy reports.
    float32 is computed in double and rounded once to float: for + - * / that gives the
    correctly rounded float32 result (double has more than 2 * 24 + 2 bits), as numpy's."""
    cdef double a, b, r
    cdef float fr
    cdef cnp.ndarray out
    if type_num == cnp.NPY_DOUBLE:
        a = (<double *>cnp.PyArray_DATA(<cnp.ndarray>x))[0]
        b = (<double *>cnp.PyArray_DATA(<cnp.ndarray>y))[0]
    else:
        a = (<float *>cnp.PyArray_DATA(<cnp.ndarray>x))[0]
        b = (<float *>cnp.PyArray_DATA(<cnp.ndarray>y))[0]
    if op == 1:
        r = a + b
    elif op == 2:
        r = a - b
    elif op == 3:
        r = a * b
    else:
        if b == 0:
            return None
        r = a / b
    if type_num == cnp.NPY_DOUBLE:
        if not (DBL_MIN < fabs(r) <= DBL_MAX):
            return None
        out = cnp.PyArray_SimpleNew(0, NULL, cnp.NPY_DOUBLE)
        (<double *>cnp.PyArray_DATA(out))[0] = r
        return out
    fr = <float>r
    if not (FLT_MIN < fabs(fr) <= FLT_MAX):
        return None
    out = cnp.PyArray_SimpleNew(0, NULL, cnp.NPY_FLOAT)
    (<float *>cnp.PyArray_DATA(out))[0] = fr
    return out


cdef inline bint _plain_0d(object x, int type_num) noexcept:
    """``x`` is an aligned, native-order 0-d ndarray (not a subclass) of ``type_num``."""
    return (cnp.PyArray_CheckExact(x) and cnp.PyArray_NDIM(<cnp.ndarray>x) == 0
            and cnp.PyArray_TYPE(<cnp.ndarray>x) == type_num
            and cnp.PyArray_ISALIGNED(<cnp.ndarray>x)
            and cnp.PyArray_ISNOTSWAPPED(<cnp.ndarray>x))


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
                 check_shapes=None, list input_broadcastable=None, Py_ssize_t destroyed=-1):
        Thunk.__init__(self, node, input_cells, output_cells)
        self.ufunc = ufunc
        self.destroyed = destroyed
        self.dtype = np.dtype(dtype)
        self.type_num = self.dtype.num
        self.check_shapes = check_shapes
        self.out_cell = output_cells[0]
        # Two 0-d float operands of the output's dtype: computed here (_binary_0d).
        self.op_0d = 0
        if (len(input_cells) == 2 and destroyed < 0
                and self.type_num in (cnp.NPY_DOUBLE, cnp.NPY_FLOAT)):
            try:
                self.op_0d = _OPS_0D.get(ufunc, 0)
            except TypeError:  # an unhashable callable
                self.op_0d = 0
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
            x = (<list>cells[0])[0]
            if self.destroyed == 0 and cnp.PyArray_Check(x):
                r = self.ufunc(x, out=x, casting="unsafe")
            else:
                r = self.ufunc(x)
        else:
            if n == 2:
                x = (<list>cells[0])[0]
                y = (<list>cells[1])[0]
                if (self.op_0d and _plain_0d(x, self.type_num)
                        and _plain_0d(y, self.type_num)):
                    r = _binary_0d(self.op_0d, self.type_num, x, y)
                    if r is not None:
                        self.out_cell[0] = r
                        return 0
                args = (x, y)
            else:
                args = tuple([(<list>cell)[0] for cell in cells])
            if self.check_shapes is not None and not self.shapes_agree(args):
                self.check_shapes(self.node, args)
            if self.destroyed >= 0 and cnp.PyArray_Check(args[self.destroyed]):
                # In place: computed in the inputs' upcast type, cast into the destroyed
                # buffer (Theano's add_inplace(int64, float64) truncates).
                r = self.ufunc(*args, out=args[self.destroyed], casting="unsafe")
            else:
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


cdef class LazyThunk(Thunk):
    """A thunk that may need only some of its inputs: ``fn()`` returns None (or an empty
    list) when it has filled its outputs, else the indices of the inputs it still needs; the
    VM computes those and calls it again. It reads which inputs are computed from the
    compute cells (Theano's lazy-thunk protocol, as IfElse uses it)."""

    def __init__(self, node, list input_cells, list output_cells, fn):
        Thunk.__init__(self, node, input_cells, output_cells)
        self.fn = fn

    cdef object run_lazy(self):
        return self.fn()

    cdef int run(self) except -1:
        # Run eagerly (all inputs computed): a lazy thunk must then finish in one call.
        requires = self.fn()
        if requires:
            raise RuntimeError("The lazy thunk of %s still needs inputs %s although all were "
                               "computed" % (self.node, list(requires)))
        return 0


cdef class LazyVM(VM):
    """Runs only the nodes the graph outputs need, depth first from the outputs.

    A node runs once its inputs are computed; a lazy node runs first and says which inputs
    it needs (ifelse: the condition, then one branch). With ``allow_gc`` a value is freed
    once every node reading it has run, and the values whose readers did not all run (the
    branch not taken) at the end of the call.

    schedule: the nodes in a valid order (thunks, nodes as for VM); compute_map: {variable:
    compute cell}; the graph's inputs and constants are computed before the call.
    """

    def __init__(self, list thunks, list nodes, list clear_after, bint allow_gc,
                 storage_map=None, on_error=None, compute_map=None, outputs=None,
                 keep=None):
        VM.__init__(self, thunks, nodes, clear_after, allow_gc, storage_map, on_error)
        position = {node: i for i, node in enumerate(nodes)}
        self.lazy = [isinstance(t, LazyThunk) for t in thunks]
        self.input_computed = [[compute_map[v] for v in node.inputs] for node in nodes]
        self.input_owner = [[position.get(v.owner, -1) for v in node.inputs] for node in nodes]
        self.output_computed = [[compute_map[v] for v in node.outputs] for node in nodes]
        self.reset_cells = [compute_map[v] for node in nodes for v in node.outputs]
        self.roots = []
        for v in outputs or ():
            if v.owner is not None and v.owner in position:
                self.roots.append(position[v.owner])
        keep = set(keep or ())
        index = {}
        self.var_cells = []
        self.var_clients = []
        self.input_slots = []
        for node in nodes:
            slots = []
            for v in node.inputs:
                if v.owner is None or v in keep:
                    continue
                k = index.get(v)
                if k is None:
                    k = index[v] = len(self.var_cells)
                    self.var_cells.append(storage_map[v])
                    self.var_clients.append(0)
                if k not in slots:
                    slots.append(k)
                    self.var_clients[k] += 1
            self.input_slots.append(slots)

    cdef int run_all(self) except -1:
        cdef Py_ssize_t n = self.n_thunks
        cdef Py_ssize_t i = 0, j, k, top
        cdef list cell, stack, requires
        cdef bytearray done = bytearray(n)
        cdef list remaining = list(self.var_clients)
        cdef bint pushed
        for cell in self.reset_cells:
            cell[0] = False
        stack = list(reversed(self.roots))
        try:
            while stack:
                i = <Py_ssize_t>stack[len(stack) - 1]
                if done[i]:
                    stack.pop()
                    continue
                if not self.lazy[i]:
                    pushed = False
                    for k in range(len(<list>self.input_computed[i])):
                        if not (<list>(<list>self.input_computed[i])[k])[0]:
                            j = <Py_ssize_t>(<list>self.input_owner[i])[k]
                            if not done[j]:
                                stack.append(j)
                                pushed = True
                    if pushed:
                        continue
                    self._run_one(i)
                else:
                    if self.profiling:
                        t0 = time.perf_counter()
                    requires = (<LazyThunk?>self.thunks[i]).run_lazy() or None
                    if self.profiling:
                        self.thunk_times[i] += time.perf_counter() - t0
                    if requires:
                        pushed = False
                        for k in requires:
                            if not (<list>(<list>self.input_computed[i])[k])[0]:
                                j = <Py_ssize_t>(<list>self.input_owner[i])[k]
                                if j >= 0 and not done[j]:
                                    stack.append(j)
                                    pushed = True
                        if not pushed:
                            raise RuntimeError(
                                "The lazy thunk of %s asks again for inputs %s, which are "
                                "computed" % (self.nodes[i], requires))
                        continue
                    self.thunk_calls[i] += 1
                for cell in <list>self.output_computed[i]:
                    cell[0] = True
                done[i] = 1
                stack.pop()
                if self.allow_gc:
                    for k in <list>self.input_slots[i]:
                        remaining[k] -= 1
                        if remaining[k] == 0:
                            (<list>self.var_cells[k])[0] = None
        except BaseException:
            if self.on_error is None:
                raise
            self.on_error(self, i)
            raise
        if self.allow_gc:
            for cell in self.var_cells:
                cell[0] = None
        return 0

    cdef int _run_one(self, Py_ssize_t i) except -1:
        if self.profiling:
            t0 = time.perf_counter()
            (<Thunk>self.thunks[i]).run()
            self.thunk_times[i] += time.perf_counter() - t0
        else:
            (<Thunk>self.thunks[i]).run()
        self.thunk_calls[i] += 1
        return 0
