"""Scan's stepping loop: one call of the compiled inner graph per step, without the
argument checks of a Python call.

Each step points the inner function's input cells at views of the sequences and state
buffers, runs its VM (``VM.run_all``, a C call), and copies the step's outputs into the
preallocated buffers. The buffers may be circular (shorter than the steps): a position is
taken modulo the buffer's length. The op (pytheano/scan/op.py) allocates and orders them.
"""
import numpy as np

from pytheano._core.function cimport FunctionCore, InputSlot
from pytheano._core.vm cimport VM


cdef inline object _row(object array, Py_ssize_t i):
    # a[i, ...]: a view, a 0-d array (not a numpy scalar) for a vector
    return array[i, ...]


cdef Py_ssize_t step_loop(FunctionCore fn, Py_ssize_t n_steps, list seqs, list buffers,
                          list lags, list taps, list nit_buffers, list nit_sizes,
                          list nit_dtypes, list shared, list non_seqs,
                          bint as_while) except -1:
    cdef list cells = [(<InputSlot>s).cell for s in fn.param_slots]
    cdef list out_cells = fn.output_cells
    cdef VM vm = fn.vm
    cdef Py_ssize_t n_seqs = len(seqs), n_states = len(buffers), n_nit = len(nit_buffers)
    cdef Py_ssize_t n_shared = len(shared), n_cells = len(cells)
    cdef Py_ssize_t t, j, k, c, size, lag, steps = 0
    cdef list state_taps
    cdef object buf, value
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
                size = buf.shape[0]
                lag = <Py_ssize_t>lags[j]
                state_taps = <list>taps[j]
                for k in range(len(state_taps)):
                    (<list>cells[c])[0] = _row(buf, (t + lag + <Py_ssize_t>state_taps[k]) % size)
                    c += 1
            for k in range(n_shared):
                (<list>cells[c])[0] = shared[k]
                c += 1
            vm.run_all()
            for j in range(n_states):
                buf = buffers[j]
                buf[(t + <Py_ssize_t>lags[j]) % buf.shape[0], ...] = (<list>out_cells[j])[0]
            for j in range(n_nit):
                value = (<list>out_cells[n_states + j])[0]
                if nit_buffers[j] is None:
                    value = np.asarray(value)
                    nit_buffers[j] = np.empty((nit_sizes[j],) + value.shape,
                                              dtype=nit_dtypes[j])
                buf = nit_buffers[j]
                buf[t % buf.shape[0], ...] = value
            for k in range(n_shared):
                value = (<list>out_cells[n_states + n_nit + k])[0]
                # The next step reads it while the VM may write its storage again.
                shared[k] = value.copy() if isinstance(value, np.ndarray) else value
            steps = t + 1
            if as_while and (<list>out_cells[len(out_cells) - 1])[0]:
                break
    finally:
        # Drop the references to the step's values: the op owns them.
        for c in range(n_cells):
            (<list>cells[c])[0] = None
        if fn.clear_outputs:
            for c in range(len(out_cells)):
                (<list>out_cells[c])[0] = None
    return steps


def run_steps(fn, Py_ssize_t n_steps, list seqs, list buffers, list lags, list taps,
              list nit_buffers, list nit_sizes, list nit_dtypes, list shared, list non_seqs,
              bint as_while):
    """Run ``n_steps`` steps of the compiled inner function ``fn`` (inputs: one per
    sequence, one per state tap, the shared values, the non-sequences; outputs: one per
    state, one per nit_sot, the new shared values, then the stop condition of a while
    loop). ``buffers`` are filled in place, ``nit_buffers`` (Nones) allocated on the first
    step, ``shared`` holds the last values. Returns the number of steps run."""
    if not isinstance(fn, FunctionCore):
        raise TypeError("run_steps needs a compiled function, got %r" % (fn,))
    if (<FunctionCore>fn).update_targets:
        raise ValueError("scan's inner function must not have updates")
    return step_loop(<FunctionCore>fn, n_steps, seqs, buffers, lags, taps, nit_buffers,
                     nit_sizes, nit_dtypes, shared, non_seqs, as_while)
