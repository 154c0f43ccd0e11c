"""Scan's stepping loop: one run of the compiled inner graph per step, without a Python
call per step.

Each step points the inner function's input cells at views of the sequences and state
buffers, runs its VM (``VM.run_all``, a C call), and copies the step's outputs into the
preallocated buffers. The buffers may be circular (shorter than the steps): a position is
taken modulo the buffer's length. The op (pytheano/scan/op.py) allocates and orders them.

The row views are made in C (numpy's indexing costs a tenth of a microsecond per view), a
short circular buffer's once per call, and a step's output of the row's dtype and layout is
copied into its row with memmove: a trivial step then costs well under a microsecond.
"""
import time

import numpy as np

cimport numpy as cnp
from cpython.ref cimport Py_INCREF
from libc.string cimport memmove

from pytheano._core.function cimport FunctionCore, InputSlot
from pytheano._core.vm cimport VM

cnp.import_array()

cdef extern from "numpy/arrayobject.h":
    # Steals a reference to descr (numpy's pxd does not declare it).
    object PyArray_NewFromDescr(void *subtype, void *descr, int nd, cnp.npy_intp *dims,
                                cnp.npy_intp *strides, void *data, int flags, void *obj)

# A circular buffer up to this many rows has its row views made once per call.
cdef Py_ssize_t CACHED_ROWS = 64


cdef object _row(object array, Py_ssize_t i):
    """``array[i, ...]``: a view, a 0-d array (not a numpy scalar) for a vector."""
    cdef cnp.ndarray a, view
    cdef cnp.dtype descr
    if not cnp.PyArray_CheckExact(array):
        return array[i, ...]
    a = <cnp.ndarray>array
    if cnp.PyArray_NDIM(a) == 0 or not 0 <= i < cnp.PyArray_DIM(a, 0):
        return array[i, ...]  # numpy's error
    descr = <cnp.dtype>cnp.PyArray_DESCR(a)
    Py_INCREF(descr)
    view = PyArray_NewFromDescr(
        <void *>cnp.ndarray, <void *>descr, cnp.PyArray_NDIM(a) - 1, cnp.PyArray_DIMS(a) + 1,
        cnp.PyArray_STRIDES(a) + 1, cnp.PyArray_BYTES(a) + i * cnp.PyArray_STRIDE(a, 0),
        cnp.PyArray_FLAGS(a) & cnp.NPY_ARRAY_WRITEABLE, NULL)
    cnp.set_array_base(view, a)
    cnp.PyArray_UpdateFlags(view, cnp.NPY_ARRAY_UPDATE_ALL)
    return view


cdef int _put(object buffer, Py_ssize_t i, object value) except -1:
    """``buffer[i, ...] = value``; a memmove when ``value`` is a C-contiguous array of the
    row's dtype and shape and the buffer is C-contiguous."""
    cdef cnp.ndarray b, v
    cdef int d
    if cnp.PyArray_CheckExact(buffer) and cnp.PyArray_Check(value):
        b = <cnp.ndarray>buffer
        v = <cnp.ndarray>value
        if (cnp.PyArray_NDIM(v) == cnp.PyArray_NDIM(b) - 1
                and 0 <= i < cnp.PyArray_DIM(b, 0)
                and cnp.PyArray_IS_C_CONTIGUOUS(b) and cnp.PyArray_IS_C_CONTIGUOUS(v)
                and cnp.PyArray_ISWRITEABLE(b)
                and cnp.PyArray_TYPE(b) == cnp.PyArray_TYPE(v)
                and cnp.PyArray_ITEMSIZE(b) == cnp.PyArray_ITEMSIZE(v)
                and cnp.PyArray_ISNOTSWAPPED(b) and cnp.PyArray_ISNOTSWAPPED(v)):
            for d in range(cnp.PyArray_NDIM(v)):
                if cnp.PyArray_DIM(v, d) != cnp.PyArray_DIM(b, d + 1):
                    break
            else:
                # memmove: the value may be the very row (a state that returns its input).
                memmove(cnp.PyArray_BYTES(b) + i * cnp.PyArray_STRIDE(b, 0),
                        cnp.PyArray_DATA(v), cnp.PyArray_NBYTES(v))
                return 0
    buffer[i, ...] = value
    return 0


cdef Py_ssize_t step_loop(FunctionCore fn, Py_ssize_t n_steps, list seqs, list buffers,
                          list lags, list taps, list out_taps, list nit_buffers, list nit_sizes,
                          list nit_dtypes, list nit_reversed, list shared, list non_seqs,
                          bint as_while) except -1:
    cdef list cells = [(<InputSlot>s).cell for s in fn.param_slots]
    cdef list out_cells = fn.output_cells
    cdef VM vm = fn.vm
    cdef Py_ssize_t n_seqs = len(seqs), n_states = len(buffers), n_nit = len(nit_buffers)
    cdef Py_ssize_t n_shared = len(shared), n_cells = len(cells)
    cdef Py_ssize_t t, i, j, k, c, size, lag, steps = 0
    cdef Py_ssize_t n_state_outs = sum(len(o) for o in out_taps)
    cdef list state_taps, views
    cdef object buf, value
    # Each state's row views, made once when its buffer is short (None: made per step).
    cdef list rows = [], sizes = []
    for buf in buffers:
        size = buf.shape[0]
        sizes.append(size)
        rows.append([_row(buf, k) for k in range(size)] if size <= CACHED_ROWS else None)
    # A profiled function (Scan Op profiling) has its VM time counted.
    cdef bint timed = fn.profile is not None
    cdef double vm_time = 0.0
    # The non-sequences are the same at every step: set once.
    c = n_cells - len(non_seqs)
    for value in non_seqs:
        (<list>cells[c])[0] = value
        c += 1
    try:
        for t in range(n_steps):
            c = 0
            for k in range(n_seqs):
                (<list>cells[c])[0] = _row(seqs[k], t)
                c += 1
            for j in range(n_states):
                buf = buffers[j]
                size = <Py_ssize_t>sizes[j]
                lag = <Py_ssize_t>lags[j]
                state_taps = <list>taps[j]
                views = <list>rows[j]
                for k in range(len(state_taps)):
                    i = (t + lag + <Py_ssize_t>state_taps[k]) % size
                    (<list>cells[c])[0] = views[i] if views is not None else _row(buf, i)
                    c += 1
            for k in range(n_shared):
                (<list>cells[c])[0] = shared[k]
                c += 1
            if timed:
                t0 = time.perf_counter()
                vm.run_all()
                vm_time += time.perf_counter() - t0
            else:
                vm.run_all()
            c = 0
            for j in range(n_states):
                buf = buffers[j]
                size = <Py_ssize_t>sizes[j]
                lag = <Py_ssize_t>lags[j]
                state_taps = <list>out_taps[j]
                for k in range(len(state_taps)):
                    _put(buf, (t + lag + <Py_ssize_t>state_taps[k]) % size,
                         (<list>out_cells[c])[0])
                    c += 1
            for j in range(n_nit):
                value = (<list>out_cells[n_state_outs + j])[0]
                if nit_buffers[j] is None:
                    value = np.asarray(value)
                    nit_buffers[j] = np.empty((nit_sizes[j],) + value.shape,
                                              dtype=nit_dtypes[j])
                buf = nit_buffers[j]
                size = buf.shape[0]
                # A reversed buffer holds the last step first (the op returns it as a
                # reversed view): its rows read backwards are then a contiguous array.
                _put(buf, size - 1 - t if nit_reversed[j] else t % size, value)
            for k in range(n_shared):
                value = (<list>out_cells[n_state_outs + n_nit + k])[0]
                # The next step reads it while the VM may write its storage again.
                shared[k] = value.copy() if isinstance(value, np.ndarray) else value
            steps = t + 1
            if as_while and (<list>out_cells[len(out_cells) - 1])[0]:
                break
    finally:
        if timed:
            fn.profile.vm_call_time += vm_time
        # Drop the references to the step's values: the op owns them.
        for c in range(n_cells):
            (<list>cells[c])[0] = None
        if fn.clear_outputs:
            for c in range(len(out_cells)):
                (<list>out_cells[c])[0] = None
    return steps


def run_steps(fn, Py_ssize_t n_steps, list seqs, list buffers, list lags, list taps,
              list out_taps, list nit_buffers, list nit_sizes, list nit_dtypes, list nit_reversed,
              list shared, list non_seqs, bint as_while):
    """Run ``n_steps`` steps of the compiled inner function ``fn`` (inputs: one per
    sequence, one per state tap, the shared values, the non-sequences; outputs: one per
    state output tap, one per nit_sot, the new shared values, then the stop condition of a
    while loop). Step t reads state j's rows ``t + lags[j] + taps[j][k]`` and writes its
    rows ``t + lags[j] + out_taps[j][k]``, modulo the buffer's length (the op passes lag
    -min(taps); out_taps [0] for a mit_sot/sit_sot, the output taps of a mit_mot).
    ``buffers`` are filled in place, ``nit_buffers`` (Nones) allocated on the first step,
    ``shared`` holds the last values. A nit_sot whose ``nit_reversed`` flag is set
    writes step t into row ``nit_sizes - 1 - t`` (its size must be ``n_steps``, and the loop
    not a while loop). Returns the number of steps run."""
    if not isinstance(fn, FunctionCore):
        raise TypeError("run_steps needs a compiled function, got %r" % (fn,))
    if (<FunctionCore>fn).update_targets:
        raise ValueError("scan's inner function must not have updates")
    if len(out_taps) != len(buffers) or len(taps) != len(buffers) or len(lags) != len(buffers):
        raise ValueError("run_steps: one lag, one list of taps and of out_taps per buffer")
    if len(nit_reversed) != len(nit_buffers) or any(
            r and (as_while or nit_sizes[j] != n_steps) for j, r in enumerate(nit_reversed)):
        raise ValueError("run_steps: a reversed nit_sot needs n_steps rows and a for loop")
    return step_loop(<FunctionCore>fn, n_steps, seqs, buffers, lags, taps, out_taps, nit_buffers,
                     nit_sizes, nit_dtypes, nit_reversed, shared, non_seqs, as_while)
