"""The thunk of a node whose C reads whole arrays (reductions, softmax, ...; pytheano/link/c/
array.py writes that C).

``ArrayCThunk`` reads its input arrays from their cells, computes each output's shape from
the inputs (each output dimension is one input's dimension, or the value of a 0-d integer
input, as Alloc's shape: the kernel's ``out_shapes``; or the C writes it, called once with
the outputs' data pointers NULL: a pooling's windows), takes each output's buffer (for an
in-place output the input it overwrites; else the previous call's array when nothing else
holds it and its shape is right; else a new C-contiguous one), and calls the C entry point
with the operands' data pointers, shapes and element strides. Inputs the C cannot read as
they are (not an array of the node's dtype, misaligned, byte-swapped; read-only where the
output overwrites it) go through the op's perform, and so does a call the C refuses (it
returns non-zero: bad shapes, a label out of range, an empty max): perform then raises the
op's own error, or computes the value.
"""
import numpy as np

cimport numpy as cnp
from cpython.mem cimport PyMem_Free
from libc.stdint cimport int64_t, uintptr_t

from pytheano._core.buffers cimport alloc_or_raise, reusable_output
from pytheano._core.vm cimport Thunk

cnp.import_array()

# Above this many input elements the C runs without the GIL.
cdef Py_ssize_t NOGIL_SIZE = 1 << 16


cdef class ArrayCThunk(Thunk):
    """A node run by its whole-array C entry point (see the module docstring).

    address: the entry point (link/c/array.py gives its signature). in_dtypes/out_dtypes/
    in_ndims: the node's; out_shapes: per output, its dimensions as (input, dimension)
    pairs (dimension -1: the value of that 0-d integer input; input -1: the C writes it
    when called with NULL output pointers); fallback: the op's perform;
    library: the loaded module (kept alive); inplace: {output: the input it overwrites and
    is, of its shape and dtype}.
    """

    def __init__(self, node, list input_cells, list output_cells, uintptr_t address,
                 list in_dtypes, list out_dtypes, list in_ndims, list out_shapes, fallback,
                 library=None, inplace=None):
        Thunk.__init__(self, node, input_cells, output_cells)
        cdef Py_ssize_t k, d, total = 0, nsrc = 0
        self.fn = <array_fn>address
        self.nin = len(input_cells)
        self.nout = len(output_cells)
        nops = self.nin + self.nout
        self.types = <int *>alloc_or_raise(sizeof(int) * nops)
        self.ndims = <int *>alloc_or_raise(sizeof(int) * nops)
        self.offsets = <int *>alloc_or_raise(sizeof(int) * nops)
        self.data = <char **>alloc_or_raise(sizeof(char *) * nops)
        self.inplace = <int *>alloc_or_raise(sizeof(int) * self.nout)
        for k in range(self.nout):
            self.inplace[k] = -1
        for k, src in (inplace or {}).items():
            if not (0 <= k < self.nout and 0 <= src < self.nin
                    and in_ndims[src] == len(out_shapes[k])
                    and np.dtype(in_dtypes[src]) == np.dtype(out_dtypes[k])):
                raise ValueError("ArrayCThunk: output %r cannot overwrite input %r"
                                 % (k, src))
            self.inplace[k] = src
        for k in range(nops):
            if k < self.nin:
                self.types[k] = np.dtype(in_dtypes[k]).num
                self.ndims[k] = in_ndims[k]
            else:
                self.types[k] = np.dtype(out_dtypes[k - self.nin]).num
                self.ndims[k] = len(out_shapes[k - self.nin])
            self.offsets[k] = total
            total += self.ndims[k]
        self.shapes = <int64_t *>alloc_or_raise(sizeof(int64_t) * total)
        self.strides = <int64_t *>alloc_or_raise(sizeof(int64_t) * total)
        self.out_src = <int *>alloc_or_raise(sizeof(int) * 2 * (total - self.offsets[self.nin]
                                                        if self.nout else 0))
        for k in range(self.nout):
            for d in range(len(out_shapes[k])):
                src = out_shapes[k][d]
                if src[0] == -1:
                    self.query_shapes = True
                elif not 0 <= src[0] < self.nin or not (
                        0 <= src[1] < in_ndims[src[0]]
                        or (src[1] == -1 and in_ndims[src[0]] == 0
                            and np.dtype(in_dtypes[src[0]]).kind in "iu")):
                    raise ValueError("ArrayCThunk: output %d dimension %d comes from no input "
                                     "dimension (%r)" % (k, d, src))
                self.out_src[2 * nsrc] = src[0]
                self.out_src[2 * nsrc + 1] = src[1]
                nsrc += 1
        self.fallback = fallback
        self.library = library
        self.c_calls = 0

    def __dealloc__(self):
        PyMem_Free(self.types)
        PyMem_Free(self.ndims)
        PyMem_Free(self.offsets)
        PyMem_Free(self.out_src)
        PyMem_Free(self.data)
        PyMem_Free(self.inplace)
        PyMem_Free(self.shapes)
        PyMem_Free(self.strides)

    cdef int run_fallback(self, list inputs) except -1:
        self.fallback(self.node, inputs, self.output_cells)
        return 0

    cdef int run(self) except -1:
        cdef Py_ssize_t nin = self.nin, nout = self.nout
        cdef Py_ssize_t k, j, d, o, src = 0, work = 0
        cdef int nd, err
        cdef cnp.ndarray a
        cdef list inputs = [(<list>cell)[0] for cell in self.input_cells]
        cdef list outputs
        cdef object x, old
        cdef int64_t *shape
        cdef int64_t *stride
        cdef object length

        # The inputs, as the C reads them.
        for k in range(nin):
            x = inputs[k]
            if not (cnp.PyArray_Check(x)
                    and cnp.PyArray_EquivTypenums(cnp.PyArray_TYPE(<cnp.ndarray>x),
                                                  self.types[k])
                    and cnp.PyArray_NDIM(<cnp.ndarray>x) == self.ndims[k]
                    and cnp.PyArray_ISALIGNED(<cnp.ndarray>x)
                    and cnp.PyArray_ISNOTSWAPPED(<cnp.ndarray>x)):
                return self.run_fallback(inputs)
            a = <cnp.ndarray>x
            self.data[k] = <char *>cnp.PyArray_DATA(a)
            shape = self.shapes + self.offsets[k]
            stride = self.strides + self.offsets[k]
            for d in range(self.ndims[k]):
                shape[d] = cnp.PyArray_DIM(a, d)
                # Aligned: every stride is a multiple of the item size.
                stride[d] = cnp.PyArray_STRIDE(a, d) // cnp.PyArray_ITEMSIZE(a)
            work += cnp.PyArray_SIZE(a)

        # The outputs: their shapes from the inputs' (or from the C), their buffers.
        if self.query_shapes:
            for j in range(nout):
                self.data[nin + j] = NULL
            if self.fn(self.data, self.shapes, self.strides):
                return self.run_fallback(inputs)
        outputs = [None] * nout
        for j in range(nout):
            o = nin + j
            nd = self.ndims[o]
            shape = self.shapes + self.offsets[o]
            for d in range(nd):
                k = self.out_src[2 * src]
                if k < 0:
                    if shape[d] < 0:  # written by the C
                        return self.run_fallback(inputs)
                elif self.out_src[2 * src + 1] < 0:
                    # A length given as a value (Alloc): perform refuses a negative one.
                    length = int(inputs[k])
                    if length < 0:
                        return self.run_fallback(inputs)
                    shape[d] = length
                else:
                    shape[d] = self.shapes[self.offsets[k] + self.out_src[2 * src + 1]]
                src += 1
            old = (<list>self.output_cells[j])[0]
            if self.inplace[j] >= 0:
                a = <cnp.ndarray>inputs[self.inplace[j]]
                if not cnp.PyArray_ISWRITEABLE(a):
                    return self.run_fallback(inputs)
            elif reusable_output(old, self.types[o], nd, shape, False):
                a = <cnp.ndarray>old
            else:
                a = cnp.PyArray_EMPTY(nd, <cnp.npy_intp *>shape, self.types[o], 0)
            old = None
            outputs[j] = a
            self.data[o] = <char *>cnp.PyArray_DATA(a)
            stride = self.strides + self.offsets[o]
            for d in range(nd):
                stride[d] = cnp.PyArray_STRIDE(a, d) // cnp.PyArray_ITEMSIZE(a)

        if work >= NOGIL_SIZE:
            with nogil:
                err = self.fn(self.data, self.shapes, self.strides)
        else:
            err = self.fn(self.data, self.shapes, self.strides)
        if err:
            return self.run_fallback(inputs)
        self.c_calls += 1
        for j in range(nout):
            (<list>self.output_cells[j])[0] = outputs[j]
        return 0
