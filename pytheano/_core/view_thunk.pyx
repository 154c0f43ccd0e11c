"""The thunks of the shape and view nodes (DimShuffle, Reshape, Subtensor, IncSubtensor,
Shape, Shape_i, MakeVector, Join, ScalarFromTensor, TensorFromScalar, ARange, AllocEmpty,
Rebroadcast, SpecifyShape, ViewOp, DeepCopyOp) for the C backend.

These nodes do almost no arithmetic: each is a few numpy C-API calls, so they are compiled
once here rather than generated per graph, and the VM runs them with no Python call. A view
(DimShuffle, Subtensor, Reshape when numpy can) is a new array header over the input's
buffer, based on the input, never a copy; the other outputs (Shape, Shape_i, MakeVector,
ARange, AllocEmpty, IncSubtensor not in place) are written into the previous call's buffer
when nothing else holds it. IncSubtensor writes the region Subtensor would view with the
typed loops below (one dimension per call, numpy's results).

Whatever a thunk does not handle itself (an input that is not an ndarray as the node's type
says, a bad shape, an index out of range, a step of 0) goes through the op's perform, which
computes the value or raises the op's own error: the messages are written once, in Python.
The op gives its thunk class and arguments (``op.c_thunk(node)``; link/thunks.py).
"""
cimport numpy as cnp
from cpython.long cimport PyLong_AsSsize_t
from cpython.number cimport PyNumber_Index
from cpython.object cimport PyObject, PyTypeObject
from cpython.ref cimport Py_INCREF
from libc.stdint cimport int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.string cimport memcpy

from pytheano._core.buffers cimport reusable_output
from pytheano._core.vm cimport Thunk

cnp.import_array()

cdef extern from "Python.h":
    Py_ssize_t PySlice_AdjustIndices(Py_ssize_t length, Py_ssize_t *start, Py_ssize_t *stop,
                                     Py_ssize_t step)
    const Py_ssize_t PY_SSIZE_T_MAX
    const Py_ssize_t PY_SSIZE_T_MIN

cdef extern from "numpy/arrayobject.h":
    PyTypeObject PyArray_Type
    # Steals the reference to descr.
    object PyArray_NewFromDescr(PyTypeObject *subtype, cnp.PyArray_Descr *descr, int nd,
                                cnp.npy_intp *dims, cnp.npy_intp *strides, void *data,
                                int flags, PyObject *obj)

cdef extern from *:
    """
    #include <string.h>
    /* One dimension of IncSubtensor's write: n elements of d (stride ds, bytes) set to, or
       incremented by, those of s (stride ss; 0 where the value is broadcast). */
    typedef void (*pt_loop)(char *d, npy_intp ds, const char *s, npy_intp ss, npy_intp n);

    #define PT_COPY(NAME, N) \
    static void NAME(char *d, npy_intp ds, const char *s, npy_intp ss, npy_intp n) { \
        if (ds == N && ss == N) { memcpy(d, s, (size_t)n * N); return; } \
        for (npy_intp i = 0; i < n; i++, d += ds, s += ss) memcpy(d, s, N); }
    PT_COPY(pt_copy1, 1) PT_COPY(pt_copy2, 2) PT_COPY(pt_copy4, 4) PT_COPY(pt_copy8, 8)
    PT_COPY(pt_copy16, 16)

    /* Integers add in their unsigned type: they wrap around, as numpy's. */
    #define PT_ADD(NAME, T, U) \
    static void NAME(char *d, npy_intp ds, const char *s, npy_intp ss, npy_intp n) { \
        for (npy_intp i = 0; i < n; i++, d += ds, s += ss) \
            *(T *)d = (T)((U)*(T *)d + (U)*(const T *)s); }
    PT_ADD(pt_add_b, npy_byte, npy_ubyte) PT_ADD(pt_add_ub, npy_ubyte, npy_ubyte)
    PT_ADD(pt_add_h, npy_short, npy_ushort) PT_ADD(pt_add_uh, npy_ushort, npy_ushort)
    PT_ADD(pt_add_i, npy_int, npy_uint) PT_ADD(pt_add_ui, npy_uint, npy_uint)
    PT_ADD(pt_add_l, npy_long, npy_ulong) PT_ADD(pt_add_ul, npy_ulong, npy_ulong)
    PT_ADD(pt_add_q, npy_longlong, npy_ulonglong)
    PT_ADD(pt_add_uq, npy_ulonglong, npy_ulonglong)
    PT_ADD(pt_add_f, npy_float, npy_float) PT_ADD(pt_add_d, npy_double, npy_double)

    #define PT_ADD_COMPLEX(NAME, T) \
    static void NAME(char *d, npy_intp ds, const char *s, npy_intp ss, npy_intp n) { \
        for (npy_intp i = 0; i < n; i++, d += ds, s += ss) { \
            ((T *)d)[0] += ((const T *)s)[0]; ((T *)d)[1] += ((const T *)s)[1]; } }
    PT_ADD_COMPLEX(pt_add_cf, npy_float) PT_ADD_COMPLEX(pt_add_cd, npy_double)

    /* numpy's add of two bools is their or. */
    static void pt_add_bool(char *d, npy_intp ds, const char *s, npy_intp ss, npy_intp n) {
        for (npy_intp i = 0; i < n; i++, d += ds, s += ss)
            *(npy_bool *)d = (*(npy_bool *)d || *(const npy_bool *)s);
    }

    static pt_loop pt_inc_loop(int type_num) {
        switch (type_num) {
        case NPY_BOOL: return pt_add_bool;
        case NPY_BYTE: return pt_add_b;  case NPY_UBYTE: return pt_add_ub;
        case NPY_SHORT: return pt_add_h; case NPY_USHORT: return pt_add_uh;
        case NPY_INT: return pt_add_i;   case NPY_UINT: return pt_add_ui;
        case NPY_LONG: return pt_add_l;  case NPY_ULONG: return pt_add_ul;
        case NPY_LONGLONG: return pt_add_q; case NPY_ULONGLONG: return pt_add_uq;
        case NPY_FLOAT: return pt_add_f; case NPY_DOUBLE: return pt_add_d;
        case NPY_CFLOAT: return pt_add_cf; case NPY_CDOUBLE: return pt_add_cd;
        default: return NULL;  /* float16, ...: numpy's add */
        }
    }

    /* A plain copy of the numeric types (never objects: their references count). */
    static pt_loop pt_set_loop(int type_num, int itemsize) {
        if (!(PyTypeNum_ISBOOL(type_num) || PyTypeNum_ISINTEGER(type_num)
              || PyTypeNum_ISFLOAT(type_num) || PyTypeNum_ISCOMPLEX(type_num)))
            return NULL;
        switch (itemsize) {
        case 1: return pt_copy1; case 2: return pt_copy2; case 4: return pt_copy4;
        case 8: return pt_copy8; case 16: return pt_copy16;
        default: return NULL;
        }
    }

    /* f over every element of an nd-dimensional region (dims; byte strides ds of the
       destination, ss of the source), the last dimension in one call. */
    static void pt_nd_loop(pt_loop f, int nd, const npy_intp *dims, char *d,
                           const npy_intp *ds, const char *s, const npy_intp *ss) {
        npy_intp idx[64];
        int k, last = nd - 1;
        if (nd == 0) { f(d, 0, s, 0, 1); return; }
        for (k = 0; k < nd; k++) {
            if (dims[k] == 0) return;
            idx[k] = 0;
        }
        for (;;) {
            f(d, ds[last], s, ss[last], dims[last]);
            for (k = last - 1; k >= 0; k--) {
                d += ds[k]; s += ss[k];
                if (++idx[k] < dims[k]) break;
                d -= ds[k] * dims[k]; s -= ss[k] * dims[k]; idx[k] = 0;
            }
            if (k < 0) return;
        }
    }
    """
    pt_loop pt_inc_loop(int type_num)
    pt_loop pt_set_loop(int type_num, int itemsize)
    void pt_nd_loop(pt_loop f, int nd, const cnp.npy_intp *dims, char *d,
                    const cnp.npy_intp *ds, const char *s, const cnp.npy_intp *ss)

from numpy import add as _np_add

DEF MAX_DIMS = 64  # numpy's NPY_MAXDIMS (32 before numpy 2): larger ranks fall back

# ARange's bounds and step below this (2**62) in magnitude: its length cannot overflow.
cdef int64_t SAFE_INT = 4611686018427387904

cdef enum:
    SRC_NONE = -1   # a slice bound left out
    SRC_CONST = -2  # a constant in the op's pattern


# --------------------------------------------------------------------------- helpers

cdef inline bint is_array(object x, int ndim) noexcept:
    return cnp.PyArray_CheckExact(x) and cnp.PyArray_NDIM(<cnp.ndarray>x) == ndim


cdef object view_of(cnp.ndarray base, int nd, cnp.npy_intp *dims, cnp.npy_intp *strides,
                    char *data):
    """A new array of ``base``'s dtype over ``base``'s memory at ``data`` (writeable when
    ``base`` is), whose base is ``base``."""
    cdef cnp.PyArray_Descr *descr = cnp.PyArray_DESCR(base)
    Py_INCREF(<object>descr)
    cdef cnp.ndarray out = PyArray_NewFromDescr(
        &PyArray_Type, descr, nd, dims, strides, data,
        cnp.PyArray_FLAGS(base) & cnp.NPY_ARRAY_WRITEABLE, NULL)
    cnp.set_array_base(out, base)
    return out


cdef bint element_as_int64(cnp.ndarray a, char *p, int64_t *value) noexcept:
    """The integer at ``p`` in ``a``'s dtype as an int64 (False: not an integer array, or a
    uint64 above 2**63)."""
    cdef int size = cnp.PyArray_ITEMSIZE(a)
    cdef uint64_t u
    if not (cnp.PyArray_ISINTEGER(a) and cnp.PyArray_ISNOTSWAPPED(a)):
        return False
    if cnp.PyArray_ISSIGNED(a):
        if size == 8:
            value[0] = (<int64_t *>p)[0]
        elif size == 4:
            value[0] = (<int32_t *>p)[0]
        elif size == 2:
            value[0] = (<int16_t *>p)[0]
        elif size == 1:
            value[0] = (<int8_t *>p)[0]
        else:
            return False
        return True
    if size == 8:
        u = (<uint64_t *>p)[0]
        if u > <uint64_t>0x7fffffffffffffff:
            return False
        value[0] = <int64_t>u
    elif size == 4:
        value[0] = (<uint32_t *>p)[0]
    elif size == 2:
        value[0] = (<uint16_t *>p)[0]
    elif size == 1:
        value[0] = (<uint8_t *>p)[0]
    else:
        return False
    return True


cdef bint shape_vector(object shp, int n, cnp.npy_intp *dims) noexcept:
    """The ``n`` entries of the integer vector ``shp`` (a shape input) into ``dims`` (False:
    not a 1-d integer array of length ``n``, or an entry out of int64's range)."""
    cdef cnp.ndarray s
    cdef int64_t v
    cdef int k
    if not is_array(shp, 1):
        return False
    s = <cnp.ndarray>shp
    if cnp.PyArray_DIM(s, 0) != n:
        return False
    for k in range(n):
        if not element_as_int64(s, <char *>cnp.PyArray_GETPTR1(s, k), &v):
            return False
        dims[k] = v
    return True


cdef bint scalar_as_int64(object v, int64_t *value) noexcept:
    """An integer scalar (a 0-d integer array, a numpy integer, a Python int) as an int64;
    False for anything else or a value out of range."""
    if is_array(v, 0):
        return element_as_int64(<cnp.ndarray>v, <char *>cnp.PyArray_DATA(<cnp.ndarray>v),
                                value)
    if isinstance(v, float) or isinstance(v, bool):
        return False
    try:
        value[0] = PyLong_AsSsize_t(PyNumber_Index(v))
    except (TypeError, OverflowError):
        return False
    return True


cdef cnp.ndarray int_output(list cell, int nd, cnp.npy_intp *shape, int type_num):
    """The cell's array from the last call when it can be written again, else a new one."""
    cdef object old = cell[0]
    if reusable_output(old, type_num, nd, <int64_t *>shape, False):
        return <cnp.ndarray>old
    return cnp.PyArray_EMPTY(nd, shape, type_num, 0)


# --------------------------------------------------------------------------- the base

cdef class NumpyCThunk(Thunk):
    """A node computed through the numpy C API (see the module docstring); ``fallback``:
    the op's perform, run for what the thunk does not handle itself."""

    def __init__(self, node, list input_cells, list output_cells, fallback):
        Thunk.__init__(self, node, input_cells, output_cells)
        self.fallback = fallback
        self.c_calls = 0

    cdef int run_fallback(self) except -1:
        cdef list inputs = [(<list>cell)[0] for cell in self.input_cells]
        self.fallback(self.node, inputs, self.output_cells)
        return 0

    cdef int done(self, object out) except -1:
        (<list>self.output_cells[0])[0] = out
        self.c_calls += 1
        return 0


# --------------------------------------------------------------------------- views

cdef class DimShuffleThunk(NumpyCThunk):
    """DimShuffle: the input's axes permuted, length-1 axes inserted ('x', -1 in ``order``)
    and dropped (``drop``); a view, or its copy when ``inplace`` is False."""

    def __init__(self, node, list input_cells, list output_cells, fallback, order, drop,
                 bint inplace):
        NumpyCThunk.__init__(self, node, input_cells, output_cells, fallback)
        self.order = [int(j) for j in order]
        self.drop = [int(j) for j in drop]
        self.in_ndim = node.inputs[0].type.ndim
        self.inplace = inplace
        if len(self.order) > MAX_DIMS:
            raise ValueError("DimShuffleThunk: %d dimensions" % len(self.order))

    cdef int run(self) except -1:
        cdef object x = (<list>self.input_cells[0])[0]
        cdef cnp.npy_intp dims[MAX_DIMS]
        cdef cnp.npy_intp strides[MAX_DIMS]
        cdef int p, j, nd = len(self.order)
        cdef cnp.ndarray a
        if not is_array(x, self.in_ndim):
            return self.run_fallback()
        a = <cnp.ndarray>x
        for j in self.drop:
            if cnp.PyArray_DIM(a, j) != 1:
                return self.run_fallback()
        for p in range(nd - 1, -1, -1):
            j = self.order[p]
            if j >= 0:
                dims[p] = cnp.PyArray_DIM(a, j)
                strides[p] = cnp.PyArray_STRIDE(a, j)
            else:
                # A new length-1 axis: the stride a C-ordered reshape would give it.
                dims[p] = 1
                strides[p] = (strides[p + 1] * dims[p + 1] if p + 1 < nd
                              else cnp.PyArray_ITEMSIZE(a))
        out = view_of(a, nd, dims, strides, <char *>cnp.PyArray_DATA(a))
        if not self.inplace:
            out = cnp.PyArray_NewCopy(<cnp.ndarray>out, cnp.NPY_KEEPORDER)
        return self.done(out)


cdef class ReshapeThunk(NumpyCThunk):
    """Reshape{ndim}: numpy's reshape in C order (a view when the strides allow one, else a
    copy, as numpy.reshape)."""

    def __init__(self, node, list input_cells, list output_cells, fallback, int ndim):
        NumpyCThunk.__init__(self, node, input_cells, output_cells, fallback)
        self.ndim = ndim
        if ndim > MAX_DIMS:
            raise ValueError("ReshapeThunk: %d dimensions" % ndim)

    cdef int run(self) except -1:
        cdef object x = (<list>self.input_cells[0])[0]
        cdef object shp = (<list>self.input_cells[1])[0]
        cdef cnp.npy_intp dims[MAX_DIMS]
        cdef cnp.PyArray_Dims newshape
        if not (cnp.PyArray_CheckExact(x) and shape_vector(shp, self.ndim, dims)):
            return self.run_fallback()
        newshape.ptr = dims
        newshape.len = self.ndim
        try:
            out = cnp.PyArray_Newshape(<cnp.ndarray>x, &newshape, cnp.NPY_CORDER)
        except ValueError:
            return self.run_fallback()  # perform raises Theano's message
        return self.done(out)


cdef class SubtensorThunk(NumpyCThunk):
    """Subtensor: basic indexing (integers and slices) as a view.

    kinds: per indexed dimension, 0 for an integer, 1 for a slice; sources: per indexed
    dimension three entries (the integer in the first, or start, stop, step), each the
    node input holding it, SRC_NONE (-1, left out) or SRC_CONST (-2: ``consts`` at the same
    place); bcast: the output type's broadcastable pattern (perform refuses a broadcastable
    dimension that came out empty)."""

    def __init__(self, node, list input_cells, list output_cells, fallback, kinds, sources,
                 consts):
        NumpyCThunk.__init__(self, node, input_cells, output_cells, fallback)
        self.kinds = [int(k) for k in kinds]
        self.sources = [int(k) for k in sources]
        self.consts = [int(k) for k in consts]
        self.in_ndim = node.inputs[0].type.ndim
        self.bcast = [bool(b) for b in node.outputs[0].type.broadcastable]
        if len(self.kinds) > self.in_ndim or self.in_ndim > MAX_DIMS or \
                len(self.sources) != 3 * len(self.kinds) or \
                len(self.consts) != len(self.sources) or \
                any(k >= len(input_cells) for k in self.sources):
            raise ValueError("SubtensorThunk: a bad index pattern")

    cdef bint value(self, int k, Py_ssize_t default, Py_ssize_t *out):
        """Entry ``k`` of the sources: False when it is not an integer that fits."""
        cdef int src = self.sources[k]
        cdef int64_t v
        if src == SRC_NONE:
            out[0] = default
            return True
        if src == SRC_CONST:
            out[0] = self.consts[k]
            return True
        if not scalar_as_int64((<list>self.input_cells[src])[0], &v):
            return False
        out[0] = <Py_ssize_t>v
        return True

    cdef int region(self, cnp.ndarray a, cnp.npy_intp *dims, cnp.npy_intp *strides,
                    char **data) except -2:
        """The indexed region of ``a`` (of the node's input rank): its dimensions, strides
        and first element; returns its rank, or -1 where perform must run (an index that
        is not an integer, out of range, a step of 0)."""
        cdef char *p = <char *>cnp.PyArray_DATA(a)
        cdef int e, od = 0, nidx = len(self.kinds)
        cdef Py_ssize_t n, i, start, stop, step
        for e in range(nidx):
            n = cnp.PyArray_DIM(a, e)
            if self.kinds[e] == 0:
                if not self.value(3 * e, 0, &i):
                    return -1
                if i < 0:
                    i += n
                if i < 0 or i >= n:
                    return -1  # perform's IndexError
                p += i * cnp.PyArray_STRIDE(a, e)
                continue
            if not self.value(3 * e + 2, 1, &step) or step == 0 or step == PY_SSIZE_T_MIN:
                return -1
            if not (self.value(3 * e, PY_SSIZE_T_MAX if step < 0 else 0, &start)
                    and self.value(3 * e + 1, PY_SSIZE_T_MIN if step < 0 else PY_SSIZE_T_MAX,
                                   &stop)):
                return -1
            dims[od] = PySlice_AdjustIndices(n, &start, &stop, step)
            strides[od] = cnp.PyArray_STRIDE(a, e) * step
            if dims[od] > 0:
                p += start * cnp.PyArray_STRIDE(a, e)
            od += 1
        for e in range(nidx, self.in_ndim):
            dims[od] = cnp.PyArray_DIM(a, e)
            strides[od] = cnp.PyArray_STRIDE(a, e)
            od += 1
        data[0] = p
        return od

    cdef int run(self) except -1:
        cdef object x = (<list>self.input_cells[0])[0]
        cdef cnp.npy_intp dims[MAX_DIMS]
        cdef cnp.npy_intp strides[MAX_DIMS]
        cdef char *data
        cdef int d, od
        if not is_array(x, self.in_ndim):
            return self.run_fallback()
        od = self.region(<cnp.ndarray>x, dims, strides, &data)
        if od < 0:
            return self.run_fallback()
        for d in range(od):
            if self.bcast[d] and dims[d] != 1:
                return self.run_fallback()
        return self.done(view_of(<cnp.ndarray>x, od, dims, strides, data))


cdef class IncSubtensorThunk(SubtensorThunk):
    """IncSubtensor: ``x`` (in place, or its C-ordered copy) with the region that Subtensor
    would view set to, or incremented by, ``y`` broadcast to it.

    The pattern is Subtensor's (its sources count from input 2). Same-dtype values are
    written by the loops above (integers wrap around as numpy's do; bool + bool is or);
    other dtypes by numpy's own conversion (PyArray_CopyInto, as ``x[i] = y``) or ``add``
    ufunc (as perform), and so is a value overlapping the region it is written to. A value
    that does not broadcast to the region, and a read-only ``x`` in place, go through
    perform for its error."""

    def __init__(self, node, list input_cells, list output_cells, fallback, kinds, sources,
                 consts, bint inplace, bint set_instead_of_inc):
        SubtensorThunk.__init__(self, node, input_cells, output_cells, fallback, kinds,
                                sources, consts)
        self.inplace = inplace
        self.set_instead_of_inc = set_instead_of_inc
        self.type_num = _type_num(node.inputs[0].type.dtype)
        self.y_type_num = _type_num(node.inputs[1].type.dtype)
        self.loop = NULL
        if self.type_num == self.y_type_num:
            self.loop = pt_set_loop(self.type_num, _itemsize(node.inputs[0].type.dtype)) \
                if set_instead_of_inc else pt_inc_loop(self.type_num)

    cdef int run(self) except -1:
        cdef object x = (<list>self.input_cells[0])[0]
        cdef object y = (<list>self.input_cells[1])[0]
        cdef cnp.npy_intp dims[MAX_DIMS]
        cdef cnp.npy_intp strides[MAX_DIMS]
        cdef cnp.npy_intp ystrides[MAX_DIMS]
        cdef cnp.ndarray a, b, out
        cdef object old
        cdef char *data
        cdef int d, od, yd
        cdef cnp.npy_intp n
        if not (is_array(x, self.in_ndim) and cnp.PyArray_CheckExact(y)
                and cnp.PyArray_EquivTypenums(cnp.PyArray_TYPE(<cnp.ndarray>x),
                                              self.type_num)):
            return self.run_fallback()
        a = <cnp.ndarray>x
        b = <cnp.ndarray>y
        od = self.region(a, dims, strides, &data)
        yd = cnp.PyArray_NDIM(b)
        if od < 0 or yd > od or (self.inplace and not cnp.PyArray_ISWRITEABLE(a)):
            return self.run_fallback()
        # y broadcast to the region (its dimensions line up from the right).
        for d in range(od):
            ystrides[d] = 0
        for d in range(yd):
            n = cnp.PyArray_DIM(b, d)
            if n != 1:
                if n != dims[od - yd + d]:
                    return self.run_fallback()  # perform's ValueError
                ystrides[od - yd + d] = cnp.PyArray_STRIDE(b, d)
        if self.inplace:
            out = a
        else:
            old = (<list>self.output_cells[0])[0]
            if old is not x and reusable_output(old, cnp.PyArray_TYPE(a), self.in_ndim,
                                                <int64_t *>cnp.PyArray_DIMS(a), False):
                out = <cnp.ndarray>old
                cnp.PyArray_CopyInto(out, a)
            else:
                out = cnp.PyArray_NewCopy(a, cnp.NPY_CORDER)
            old = None
            self.region(out, dims, strides, &data)
        if (self.loop != NULL and cnp.PyArray_EquivTypenums(cnp.PyArray_TYPE(b),
                                                            self.y_type_num)
                and cnp.PyArray_ISALIGNED(out) and cnp.PyArray_ISNOTSWAPPED(out)
                and cnp.PyArray_ISALIGNED(b) and cnp.PyArray_ISNOTSWAPPED(b)
                and not (self.inplace and overlaps(out, od, dims, strides, data, b))):
            pt_nd_loop(self.loop, od, dims, data, strides,
                       <const char *>cnp.PyArray_DATA(b), ystrides)
        else:
            view = view_of(out, od, dims, strides, data)
            if self.set_instead_of_inc:
                cnp.PyArray_CopyInto(<cnp.ndarray>view, b)
            else:
                _np_add(view, b, out=view, casting="unsafe")
        return self.done(out)


cdef bint overlaps(cnp.ndarray base, int nd, cnp.npy_intp *dims, cnp.npy_intp *strides,
                   char *data, cnp.ndarray b) noexcept:
    """Whether ``b``'s memory may overlap the region at ``data`` (their address ranges
    meet; an empty one meets nothing)."""
    cdef char *lo = data
    cdef char *hi = data
    cdef char *blo = <char *>cnp.PyArray_DATA(b)
    cdef char *bhi = blo
    cdef int d
    for d in range(nd):
        if dims[d] == 0:
            return False
        if strides[d] < 0:
            lo += (dims[d] - 1) * strides[d]
        else:
            hi += (dims[d] - 1) * strides[d]
    for d in range(cnp.PyArray_NDIM(b)):
        if cnp.PyArray_DIM(b, d) == 0:
            return False
        if cnp.PyArray_STRIDE(b, d) < 0:
            blo += (cnp.PyArray_DIM(b, d) - 1) * cnp.PyArray_STRIDE(b, d)
        else:
            bhi += (cnp.PyArray_DIM(b, d) - 1) * cnp.PyArray_STRIDE(b, d)
    return blo < hi + cnp.PyArray_ITEMSIZE(base) and lo < bhi + cnp.PyArray_ITEMSIZE(b)


cdef class ViewOpThunk(NumpyCThunk):
    """ViewOp: the input itself."""

    cdef int run(self) except -1:
        return self.done((<list>self.input_cells[0])[0])


cdef class RebroadcastThunk(NumpyCThunk):
    """Rebroadcast: the input itself, once the dimensions made broadcastable (``ones``) are
    checked to have length 1."""

    def __init__(self, node, list input_cells, list output_cells, fallback, ones):
        NumpyCThunk.__init__(self, node, input_cells, output_cells, fallback)
        self.ones = [int(d) for d in ones]
        self.in_ndim = node.inputs[0].type.ndim

    cdef int run(self) except -1:
        cdef object x = (<list>self.input_cells[0])[0]
        cdef int d
        if not is_array(x, self.in_ndim):
            return self.run_fallback()
        for d in self.ones:
            if cnp.PyArray_DIM(<cnp.ndarray>x, d) != 1:
                return self.run_fallback()  # perform's ValueError
        return self.done(x)


cdef class SpecifyShapeThunk(NumpyCThunk):
    """SpecifyShape: the input itself, once its shape is checked against the integer vector
    (a mismatch goes through perform for its AssertionError)."""

    cdef int run(self) except -1:
        cdef object x = (<list>self.input_cells[0])[0]
        cdef object shp = (<list>self.input_cells[1])[0]
        cdef cnp.npy_intp dims[MAX_DIMS]
        cdef int d, nd
        if not cnp.PyArray_CheckExact(x):
            return self.run_fallback()
        nd = cnp.PyArray_NDIM(<cnp.ndarray>x)
        if nd > MAX_DIMS or not shape_vector(shp, nd, dims):
            return self.run_fallback()
        for d in range(nd):
            if dims[d] != cnp.PyArray_DIM(<cnp.ndarray>x, d):
                return self.run_fallback()
        return self.done(x)


cdef class DeepCopyThunk(NumpyCThunk):
    """DeepCopyOp on an array: ``x.copy()`` (C order), into the previous call's array when
    nothing else holds it."""

    cdef int run(self) except -1:
        cdef object x = (<list>self.input_cells[0])[0]
        cdef cnp.ndarray a, old
        if not cnp.PyArray_CheckExact(x):
            return self.run_fallback()  # copy.deepcopy
        a = <cnp.ndarray>x
        if cnp.PyArray_ISNOTSWAPPED(a) and reusable_output(
                (<list>self.output_cells[0])[0], cnp.PyArray_TYPE(a), cnp.PyArray_NDIM(a),
                <int64_t *>cnp.PyArray_DIMS(a), False):
            old = (<list>self.output_cells[0])[0]
            if old is not a:
                cnp.PyArray_CopyInto(old, a)
                return self.done(old)
        return self.done(cnp.PyArray_NewCopy(a, cnp.NPY_CORDER))


# --------------------------------------------------------------------------- shapes

cdef class ShapeThunk(NumpyCThunk):
    """Shape: the input's shape as an int64 vector."""

    cdef int run(self) except -1:
        cdef object x = (<list>self.input_cells[0])[0]
        cdef cnp.npy_intp n
        cdef int d
        if not cnp.PyArray_CheckExact(x):
            return self.run_fallback()
        n = cnp.PyArray_NDIM(<cnp.ndarray>x)
        out = int_output(<list>self.output_cells[0], 1, &n, cnp.NPY_INT64)
        for d in range(n):
            (<int64_t *>cnp.PyArray_GETPTR1(out, d))[0] = cnp.PyArray_DIM(<cnp.ndarray>x, d)
        return self.done(out)


cdef class ShapeIThunk(NumpyCThunk):
    """Shape_i{i}: the length of dimension ``i`` as a 0-d int64 array."""

    def __init__(self, node, list input_cells, list output_cells, fallback, int i):
        NumpyCThunk.__init__(self, node, input_cells, output_cells, fallback)
        self.i = i

    cdef int run(self) except -1:
        cdef object x = (<list>self.input_cells[0])[0]
        if not (cnp.PyArray_CheckExact(x) and 0 <= self.i < cnp.PyArray_NDIM(<cnp.ndarray>x)):
            return self.run_fallback()
        out = int_output(<list>self.output_cells[0], 0, NULL, cnp.NPY_INT64)
        (<int64_t *>cnp.PyArray_DATA(out))[0] = cnp.PyArray_DIM(<cnp.ndarray>x, self.i)
        return self.done(out)


cdef class MakeVectorThunk(NumpyCThunk):
    """MakeVector: the 0-d inputs (of the output's dtype, as make_node casts them) as one
    vector."""

    def __init__(self, node, list input_cells, list output_cells, fallback):
        NumpyCThunk.__init__(self, node, input_cells, output_cells, fallback)
        self.type_num = _type_num(node.outputs[0].type.dtype)

    cdef int run(self) except -1:
        cdef cnp.npy_intp n = len(self.input_cells), k
        cdef object x
        cdef cnp.ndarray out
        cdef int size
        for k in range(n):
            x = (<list>self.input_cells[k])[0]
            if not (is_array(x, 0) and cnp.PyArray_TYPE(<cnp.ndarray>x) == self.type_num
                    and cnp.PyArray_ISNOTSWAPPED(<cnp.ndarray>x)):
                return self.run_fallback()
        out = int_output(<list>self.output_cells[0], 1, &n, self.type_num)
        size = cnp.PyArray_ITEMSIZE(out)
        for k in range(n):
            x = (<list>self.input_cells[k])[0]
            memcpy(cnp.PyArray_GETPTR1(out, k), cnp.PyArray_DATA(<cnp.ndarray>x), size)
        return self.done(out)


cdef class ARangeThunk(NumpyCThunk):
    """ARange with integer bounds (the rest, float bounds, through perform): numpy.arange's
    values, in an integer or float output of at most 64 bits whose values all fit it
    exactly (others, which numpy wraps around or refuses, through perform too)."""

    def __init__(self, node, list input_cells, list output_cells, fallback):
        NumpyCThunk.__init__(self, node, input_cells, output_cells, fallback)
        import numpy
        dtype = numpy.dtype(node.outputs[0].type.dtype)
        self.type_num = dtype.num
        self.itemsize = dtype.itemsize
        self.floating = dtype.kind == "f"
        if dtype.kind in "iu" and dtype.itemsize <= 8:
            info = numpy.iinfo(dtype)
            self.low, self.high = max(int(info.min), -SAFE_INT), min(int(info.max), SAFE_INT)
        elif dtype.kind == "f" and dtype.itemsize in (4, 8):
            # Integers up to 2**24 (float32) / 2**53 (float64) are exact in the dtype.
            self.low = -(1 << (24 if dtype.itemsize == 4 else 53))
            self.high = -self.low
        else:
            self.low, self.high = 1, 0  # no value fits: perform

    cdef int run(self) except -1:
        cdef int64_t start, stop, step, v, last
        cdef cnp.npy_intp n, k
        cdef cnp.ndarray out
        cdef char *p
        if not (scalar_as_int64((<list>self.input_cells[0])[0], &start)
                and scalar_as_int64((<list>self.input_cells[1])[0], &stop)
                and scalar_as_int64((<list>self.input_cells[2])[0], &step)
                and step != 0 and self.low <= self.high):
            return self.run_fallback()
        # Bounds far from int64's ends: no overflow computing the length.
        if not (-SAFE_INT < start < SAFE_INT and -SAFE_INT < stop < SAFE_INT
                and -SAFE_INT < step < SAFE_INT):
            return self.run_fallback()
        if step > 0:
            n = (stop - start + step - 1) // step if stop > start else 0
        else:
            n = (start - stop - step - 1) // (-step) if start > stop else 0
        if n > 0:
            last = start + (n - 1) * step
            if not (self.low <= start <= self.high and self.low <= last <= self.high):
                return self.run_fallback()
        out = int_output(<list>self.output_cells[0], 1, &n, self.type_num)
        p = <char *>cnp.PyArray_DATA(out)
        v = start
        if self.floating and self.itemsize == 8:
            for k in range(n):
                (<double *>p)[k] = <double>v
                v += step
        elif self.floating:
            for k in range(n):
                (<float *>p)[k] = <float>v
                v += step
        elif self.itemsize == 8:
            for k in range(n):
                (<int64_t *>p)[k] = v
                v += step
        elif self.itemsize == 4:
            for k in range(n):
                (<uint32_t *>p)[k] = <uint32_t>v
                v += step
        elif self.itemsize == 2:
            for k in range(n):
                (<uint16_t *>p)[k] = <uint16_t>v
                v += step
        else:
            for k in range(n):
                (<uint8_t *>p)[k] = <uint8_t>v
                v += step
        return self.done(out)


cdef class AllocEmptyThunk(NumpyCThunk):
    """AllocEmpty: an uninitialised array of the shape given by the 0-d integer inputs (the
    previous call's buffer when nothing else holds it: its values are garbage either way)."""

    def __init__(self, node, list input_cells, list output_cells, fallback):
        NumpyCThunk.__init__(self, node, input_cells, output_cells, fallback)
        self.type_num = _type_num(node.outputs[0].type.dtype)
        if len(input_cells) > MAX_DIMS:
            raise ValueError("AllocEmptyThunk: %d dimensions" % len(input_cells))

    cdef int run(self) except -1:
        cdef cnp.npy_intp dims[MAX_DIMS]
        cdef int64_t v
        cdef int d, nd = len(self.input_cells)
        for d in range(nd):
            if not scalar_as_int64((<list>self.input_cells[d])[0], &v) or v < 0:
                return self.run_fallback()
            dims[d] = v
        return self.done(int_output(<list>self.output_cells[0], nd, dims, self.type_num))


cdef class JoinThunk(NumpyCThunk):
    """Join: the tensors copied one after the other along the axis (the 0-d integer input
    0, negative counting from the end) into the previous call's output when nothing else
    holds it, else a new C-ordered array; numpy converts each to the output's dtype, as
    concatenate's casting="unsafe" does. Join{view=k}: tensor k itself when every other one
    is empty along the axis. Ranks, axes or shapes that do not agree go through perform for
    its error."""

    def __init__(self, node, list input_cells, list output_cells, fallback, int view):
        NumpyCThunk.__init__(self, node, input_cells, output_cells, fallback)
        self.type_num = _type_num(node.outputs[0].type.dtype)
        self.ndim = node.outputs[0].type.ndim
        self.view = view
        if self.ndim > MAX_DIMS:
            raise ValueError("JoinThunk: %d dimensions" % self.ndim)

    cdef int run(self) except -1:
        cdef cnp.npy_intp dims[MAX_DIMS]
        cdef cnp.npy_intp part[MAX_DIMS]
        cdef int64_t axis
        cdef int d, nd = self.ndim
        cdef Py_ssize_t k, n = len(self.input_cells) - 1
        cdef object x
        cdef cnp.ndarray a, out
        cdef bint others_empty = True
        cdef char *data
        if not scalar_as_int64((<list>self.input_cells[0])[0], &axis) \
                or not -nd <= axis < nd:
            return self.run_fallback()
        if axis < 0:
            axis += nd
        for k in range(n):
            x = (<list>self.input_cells[k + 1])[0]
            if not is_array(x, nd):
                return self.run_fallback()
            if k != self.view and cnp.PyArray_DIM(<cnp.ndarray>x, axis) != 0:
                others_empty = False
        if self.view >= 0 and others_empty:
            # Before the shapes are compared, as perform.
            return self.done((<list>self.input_cells[self.view + 1])[0])
        for k in range(n):
            a = <cnp.ndarray>(<list>self.input_cells[k + 1])[0]
            if k == 0:
                for d in range(nd):
                    dims[d] = cnp.PyArray_DIM(a, d)
            else:
                for d in range(nd):
                    if d != axis and cnp.PyArray_DIM(a, d) != dims[d]:
                        return self.run_fallback()  # numpy's ValueError
                dims[axis] += cnp.PyArray_DIM(a, axis)
        out = int_output(<list>self.output_cells[0], nd, dims, self.type_num)
        data = <char *>cnp.PyArray_DATA(out)
        for k in range(n):
            a = <cnp.ndarray>(<list>self.input_cells[k + 1])[0]
            for d in range(nd):
                part[d] = cnp.PyArray_DIM(a, d)
            if part[axis]:
                cnp.PyArray_CopyInto(<cnp.ndarray>view_of(out, nd, part,
                                                          cnp.PyArray_STRIDES(out), data), a)
                data += part[axis] * cnp.PyArray_STRIDE(out, <int>axis)
        return self.done(out)


# --------------------------------------------------------------------------- scalar <-> 0-d

cdef class ScalarFromTensorThunk(NumpyCThunk):
    """ScalarFromTensor: the numpy scalar held by a 0-d array."""

    cdef int run(self) except -1:
        cdef object x = (<list>self.input_cells[0])[0]
        if not is_array(x, 0):
            return self.run_fallback()
        return self.done(cnp.PyArray_ToScalar(cnp.PyArray_DATA(<cnp.ndarray>x),
                                              <cnp.ndarray>x))


cdef class TensorFromScalarThunk(NumpyCThunk):
    """TensorFromScalar: a numpy scalar of the output's dtype as a 0-d array."""

    def __init__(self, node, list input_cells, list output_cells, fallback):
        NumpyCThunk.__init__(self, node, input_cells, output_cells, fallback)
        self.type_num = _type_num(node.outputs[0].type.dtype)

    cdef int run(self) except -1:
        cdef object s = (<list>self.input_cells[0])[0]
        cdef cnp.ndarray out
        if not (isinstance(s, cnp.generic)
                and cnp.PyArray_DescrFromScalar(s).type_num == self.type_num):
            return self.run_fallback()
        out = int_output(<list>self.output_cells[0], 0, NULL, self.type_num)
        cnp.PyArray_ScalarAsCtype(s, cnp.PyArray_DATA(out))
        return self.done(out)


cdef int _type_num(dtype) except -1:
    import numpy
    return numpy.dtype(dtype).num


cdef int _itemsize(dtype) except -1:
    import numpy
    return numpy.dtype(dtype).itemsize
