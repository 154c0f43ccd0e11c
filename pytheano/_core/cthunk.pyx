"""Thunks calling compiled C (pytheano/link/c) through function pointers.

``ElemwiseCThunk`` runs an elementwise node's entry point: it reads its input arrays from
their cells, computes the broadcast output shape (Theano's rule: a dimension an input's type
does not mark broadcastable must agree across inputs, even when it is 1; on a mismatch the
op's own check raises its error), takes each output's buffer (the destroyed input for an
in-place output; the previous call's array when nothing else holds it and its shape is
right; else a new one), merges the dimensions that are contiguous for every operand, and
calls the C. Inputs the C cannot read as they are (not an array of the node's dtype,
misaligned, byte-swapped) go through the op's perform instead: the result is the same.
"""
import numpy as np

cimport numpy as cnp
from cpython.mem cimport PyMem_Free
from libc.stdint cimport int64_t, uintptr_t

from pytheano._core.buffers cimport alloc_or_raise, reusable_output
from pytheano._core.vm cimport Thunk

cnp.import_array()

cdef enum:
    MAXDIMS = 64  # numpy's NPY_MAXDIMS
# Above this many elements the C runs without the GIL.
cdef Py_ssize_t NOGIL_SIZE = 1 << 16


cdef inline void _extent(cnp.ndarray a, char **lo, char **hi) noexcept:
    """The bytes [lo, hi) array ``a`` spans."""
    cdef int d
    cdef char *start = <char *>cnp.PyArray_DATA(a)
    cdef char *end = start
    for d in range(cnp.PyArray_NDIM(a)):
        if cnp.PyArray_DIM(a, d) == 0:
            lo[0] = start
            hi[0] = start
            return
        if cnp.PyArray_STRIDE(a, d) < 0:
            start += cnp.PyArray_STRIDE(a, d) * (cnp.PyArray_DIM(a, d) - 1)
        else:
            end += cnp.PyArray_STRIDE(a, d) * (cnp.PyArray_DIM(a, d) - 1)
    lo[0] = start
    hi[0] = end + cnp.PyArray_ITEMSIZE(a)


cdef inline bint _same_layout(cnp.ndarray a, cnp.ndarray b) noexcept:
    cdef int d
    if cnp.PyArray_DATA(a) != cnp.PyArray_DATA(b) or cnp.PyArray_NDIM(a) != cnp.PyArray_NDIM(b):
        return False
    for d in range(cnp.PyArray_NDIM(a)):
        if (cnp.PyArray_DIM(a, d) != cnp.PyArray_DIM(b, d)
                or cnp.PyArray_STRIDE(a, d) != cnp.PyArray_STRIDE(b, d)):
            return False
    return True


cdef class ElemwiseCThunk(Thunk):
    """An elementwise node run by its C entry point (see the module docstring).

    address: the entry point (link/c/elemwise.py gives its signature). in_dtypes/out_dtypes:
    the node's dtypes; input_broadcastable: the inputs' patterns; destroys: per output, the
    input it is written into or -1; messages: the ZeroDivisionError message of each zero
    check; fallback: the op's perform; library: the loaded module (kept alive).
    """

    def __init__(self, node, list input_cells, list output_cells, uintptr_t address,
                 list in_dtypes, list out_dtypes, list input_broadcastable, list destroys,
                 list messages, fallback, check_shapes=None, library=None):
        Thunk.__init__(self, node, input_cells, output_cells)
        cdef Py_ssize_t k, d
        self.fn = <elemwise_fn>address
        self.nin = len(input_cells)
        self.nout = len(output_cells)
        self.ndim = len(input_broadcastable[0]) if input_broadcastable else 0
        if self.ndim > MAXDIMS:
            raise ValueError("ElemwiseCThunk: at most %d dimensions" % MAXDIMS)
        self.in_types = <int *>alloc_or_raise(sizeof(int) * self.nin)
        self.out_types = <int *>alloc_or_raise(sizeof(int) * self.nout)
        self.in_bcast = <char *>alloc_or_raise(self.nin * self.ndim)
        self.destroys = <Py_ssize_t *>alloc_or_raise(sizeof(Py_ssize_t) * self.nout)
        self.data = <char **>alloc_or_raise(sizeof(char *) * (self.nin + self.nout))
        self.strides = <int64_t *>alloc_or_raise(sizeof(int64_t) * (self.nin + self.nout) * MAXDIMS)
        self.shape = <int64_t *>alloc_or_raise(sizeof(int64_t) * MAXDIMS * 2)
        for k in range(self.nin):
            self.in_types[k] = np.dtype(in_dtypes[k]).num
            for d in range(self.ndim):
                self.in_bcast[k * self.ndim + d] = bool(input_broadcastable[k][d])
        for k in range(self.nout):
            self.out_types[k] = np.dtype(out_dtypes[k]).num
            self.destroys[k] = destroys[k]
        self.messages = messages
        self.fallback = fallback
        self.check_shapes = check_shapes
        self.library = library
        self.c_calls = 0

    def __dealloc__(self):
        PyMem_Free(self.in_types)
        PyMem_Free(self.out_types)
        PyMem_Free(self.in_bcast)
        PyMem_Free(self.destroys)
        PyMem_Free(self.data)
        PyMem_Free(self.strides)
        PyMem_Free(self.shape)

    cdef int run_fallback(self, list inputs) except -1:
        self.fallback(self.node, inputs, self.output_cells)
        return 0

    cdef int run(self) except -1:
        cdef Py_ssize_t nin = self.nin, nout = self.nout, nops = nin + nout
        cdef int ndim = self.ndim
        cdef Py_ssize_t k, j, d, n, i, size
        cdef int64_t *full_shape = self.shape + MAXDIMS
        cdef int64_t *st = self.strides
        cdef int64_t *shape = self.shape
        cdef cnp.ndarray a, b
        cdef char *lo
        cdef char *hi
        cdef char *lo2
        cdef char *hi2
        cdef bint merge
        cdef int err
        cdef list inputs = [(<list>cell)[0] for cell in self.input_cells]
        cdef list outputs
        cdef object x, old

        # The inputs, as the C reads them.
        for k in range(nin):
            x = inputs[k]
            if not (cnp.PyArray_Check(x)
                    and cnp.PyArray_EquivTypenums(cnp.PyArray_TYPE(<cnp.ndarray>x),
                                                  self.in_types[k])
                    and cnp.PyArray_NDIM(<cnp.ndarray>x) == ndim
                    and cnp.PyArray_ISALIGNED(<cnp.ndarray>x)
                    and cnp.PyArray_ISNOTSWAPPED(<cnp.ndarray>x)):
                return self.run_fallback(inputs)

        # The output shape, by Theano's broadcasting rule.
        size = 1
        for d in range(ndim):
            n = -1
            for k in range(nin):
                if self.in_bcast[k * ndim + d]:
                    continue
                i = cnp.PyArray_DIM(<cnp.ndarray>inputs[k], d)
                if n == -1:
                    n = i
                elif i != n:
                    if self.check_shapes is not None:
                        self.check_shapes(self.node, inputs)
                    return self.run_fallback(inputs)
            if n == -1:
                n = 1
            for k in range(nin):  # a broadcastable dimension has length 1
                if self.in_bcast[k * ndim + d] and cnp.PyArray_DIM(<cnp.ndarray>inputs[k], d) != 1:
                    return self.run_fallback(inputs)
            full_shape[d] = n
            size *= n

        # The outputs' buffers.
        outputs = [None] * nout
        for j in range(nout):
            k = self.destroys[j]
            if k >= 0:
                a = <cnp.ndarray>inputs[k]
                if not cnp.PyArray_ISWRITEABLE(a):
                    return self.run_fallback(inputs)
                _extent(a, &lo, &hi)
                for i in range(nin):
                    # An input overlapping the destroyed buffer in another layout would be
                    # read after being overwritten: the C reads a copy of it.
                    if i == k:
                        continue
                    b = <cnp.ndarray>inputs[i]
                    _extent(b, &lo2, &hi2)
                    if lo2 < hi and lo < hi2 and not _same_layout(a, b):
                        inputs[i] = np.array(b)
                outputs[j] = a
                continue
            old = (<list>self.output_cells[j])[0]
            if reusable_output(old, self.out_types[j], ndim, full_shape, False):
                outputs[j] = old
                continue
            old = None
            outputs[j] = cnp.PyArray_EMPTY(ndim, <cnp.npy_intp *>full_shape,
                                           self.out_types[j], 0)

        if size > 0:
            # Byte strides per operand (0 along broadcast dimensions), then merge the
            # dimensions that are contiguous for every operand and drop those of length 1
            # (at least one is left: the C's loops assume nd >= 1).
            for k in range(nops):
                a = <cnp.ndarray>(inputs[k] if k < nin else outputs[k - nin])
                self.data[k] = <char *>cnp.PyArray_DATA(a)
            n = 0
            for d in range(ndim):
                if full_shape[d] == 1:
                    continue
                merge = n > 0
                if merge:
                    for k in range(nops):
                        a = <cnp.ndarray>(inputs[k] if k < nin else outputs[k - nin])
                        i = cnp.PyArray_STRIDE(a, d) if cnp.PyArray_DIM(a, d) != 1 else 0
                        if st[k * MAXDIMS + n - 1] != i * full_shape[d]:
                            merge = False
                            break
                for k in range(nops):
                    a = <cnp.ndarray>(inputs[k] if k < nin else outputs[k - nin])
                    i = cnp.PyArray_STRIDE(a, d) if cnp.PyArray_DIM(a, d) != 1 else 0
                    st[k * MAXDIMS + (n - 1 if merge else n)] = i
                if merge:
                    shape[n - 1] *= full_shape[d]
                else:
                    shape[n] = full_shape[d]
                    n += 1
            if n == 0:
                # One element (a 0-d call): one unit-stride dimension, as the C expects.
                shape[0] = 1
                for k in range(nops):
                    a = <cnp.ndarray>(inputs[k] if k < nin else outputs[k - nin])
                    st[k * MAXDIMS] = cnp.PyArray_ITEMSIZE(a)
                n = 1
            # Pack to strides[k * n + d], the layout the C reads.
            if n != MAXDIMS:
                for k in range(nops):
                    for d in range(n):
                        st[k * n + d] = st[k * MAXDIMS + d]
            if size >= NOGIL_SIZE:
                with nogil:
                    err = self.fn(n, shape, self.data, st)
            else:
                err = self.fn(n, shape, self.data, st)
            if err:
                for j in range(len(self.messages)):
                    if err & (1 << j):
                        raise ZeroDivisionError(self.messages[j])
        self.c_calls += 1
        for j in range(nout):
            (<list>self.output_cells[j])[0] = outputs[j]
        return 0
