"""The BLAS ops (tensor/blas.py: Gemm, Gemv, Ger, Dot22, Dot22Scalar) run by calling BLAS.

The routines are those scipy exports for Cython (``scipy.linalg.cython_blas``), fetched
when this module loads, from its ``__pyx_capi__`` capsules: the build links against no BLAS library and needs
no scipy header or .pxd (scipy is a run-time dependency only, pyproject's build requirements
stay Cython and numpy), and the BLAS that runs is the one scipy ships (``np.show_config`` /
``scipy.show_config`` name it).

BLAS is column-major. A matrix goes to it as it is when one of its strides is the item size
and the other a leading dimension BLAS accepts (a C-ordered matrix is a transposed
F-ordered one: the product is then computed transposed, ``out.T = y.T x.T``); otherwise
(negative, zero or uneven strides) it is copied first, as Theano's C BLAS does. Vectors go
with their stride (BLAS takes negative increments); a zero or uneven stride is copied.

What the op's perform computes with numpy rather than BLAS (a zero ``alpha``: numpy keeps
the NaN of ``0 * inf``; a beta that is 0 only at run time: ``0 * z`` as written; empty
operands; shapes that do not agree: the op's error) runs the perform here too, as do inputs
that are not aligned native arrays of the node's dtype. A beta that is the constant 0 never
reads the accumulator (it may hold garbage: AllocEmpty), as in perform.

All routines (?gemm, ?gemv, ?ger) call the OpenBLAS that numpy's wheel bundles instead when
it is a newer OpenBLAS than scipy's (``GEMM_BLAS`` names the one chosen): numpy's ``np.dot``
runs that one, OpenBLAS 0.3.31's SkylakeX sgemm is 3-8% faster than 0.3.30's on the products
of an MLP step (benchmarks/README.md), and one library means one OpenBLAS thread pool in the
process. Its interface is ILP64 (64-bit integers, symbols ``scipy_?gemm_64_``...), looked up
with dlsym in the library numpy has already loaded.
"""
import glob
import os

import numpy as np
import scipy
from scipy.linalg.cython_blas import __pyx_capi__ as _BLAS_CAPI

cimport numpy as cnp
from cpython.pycapsule cimport PyCapsule_GetName, PyCapsule_GetPointer
from libc.limits cimport INT_MAX
from libc.stdint cimport int64_t
from libc.string cimport memset
from posix.dlfcn cimport RTLD_LOCAL, RTLD_NOW, dlopen, dlsym

from pytheano._core.buffers cimport reusable_output
from pytheano._core.vm cimport Thunk

cnp.import_array()

ctypedef void (*sgemm_t)(char *, char *, int *, int *, int *, float *, float *, int *, float *,
                         int *, float *, float *, int *) noexcept nogil
ctypedef void (*dgemm_t)(char *, char *, int *, int *, int *, double *, double *, int *,
                         double *, int *, double *, double *, int *) noexcept nogil
ctypedef void (*sgemm64_t)(char *, char *, int64_t *, int64_t *, int64_t *, float *, float *,
                           int64_t *, float *, int64_t *, float *, float *,
                           int64_t *) noexcept nogil
ctypedef void (*dgemm64_t)(char *, char *, int64_t *, int64_t *, int64_t *, double *, double *,
                           int64_t *, double *, int64_t *, double *, double *,
                           int64_t *) noexcept nogil
ctypedef const char *(*get_config_t)() noexcept nogil
ctypedef void (*sgemv64_t)(char *, int64_t *, int64_t *, float *, float *, int64_t *, float *,
                           int64_t *, float *, float *, int64_t *) noexcept nogil
ctypedef void (*dgemv64_t)(char *, int64_t *, int64_t *, double *, double *, int64_t *,
                           double *, int64_t *, double *, double *, int64_t *) noexcept nogil
ctypedef void (*sger64_t)(int64_t *, int64_t *, float *, float *, int64_t *, float *,
                          int64_t *, float *, int64_t *) noexcept nogil
ctypedef void (*dger64_t)(int64_t *, int64_t *, double *, double *, int64_t *, double *,
                          int64_t *, double *, int64_t *) noexcept nogil
ctypedef void (*sgemv_t)(char *, int *, int *, float *, float *, int *, float *, int *,
                         float *, float *, int *) noexcept nogil
ctypedef void (*dgemv_t)(char *, int *, int *, double *, double *, int *, double *, int *,
                         double *, double *, int *) noexcept nogil
ctypedef void (*sger_t)(int *, int *, float *, float *, int *, float *, int *, float *,
                        int *) noexcept nogil
ctypedef void (*dger_t)(int *, int *, double *, double *, int *, double *, int *, double *,
                        int *) noexcept nogil


cdef void *_routine(str name) except NULL:
    capsule = _BLAS_CAPI[name]
    return PyCapsule_GetPointer(capsule, PyCapsule_GetName(capsule))


cdef sgemm_t _sgemm = <sgemm_t>_routine("sgemm")
cdef dgemm_t _dgemm = <dgemm_t>_routine("dgemm")
cdef sgemm64_t _sgemm64 = NULL  # numpy's OpenBLAS, when chosen (the module docstring)
cdef dgemm64_t _dgemm64 = NULL
cdef sgemv64_t _sgemv64 = NULL
cdef dgemv64_t _dgemv64 = NULL
cdef sger64_t _sger64 = NULL
cdef dger64_t _dger64 = NULL


def _bundled_openblas(package, pattern):
    """The OpenBLAS library a wheel bundles (``<package>.libs/<pattern>``), or None."""
    found = sorted(glob.glob(os.path.join(os.path.dirname(package.__file__) + ".libs",
                                          pattern)))
    return found[0] if found else None


cdef object _openblas_version(str path, bytes get_config):
    """(OpenBLAS version as a tuple of ints, library handle) of the library at ``path``,
    or (None, NULL-as-0) when it is not an OpenBLAS that says its version."""
    cdef void *handle = dlopen(path.encode(), RTLD_NOW | RTLD_LOCAL) if path else NULL
    if handle == NULL:
        return None, 0
    cdef get_config_t config = <get_config_t>dlsym(handle, get_config)
    if config == NULL:
        return None, 0
    words = (<bytes>config()).split()  # b"OpenBLAS 0.3.31.188.0 DYNAMIC_ARCH ..."
    try:
        return tuple(int(p) for p in words[1].split(b".")), <size_t>handle
    except (IndexError, ValueError):
        return None, 0


cdef str _choose_gemm():
    """Point the ILP64 routines at numpy's OpenBLAS when it is newer than scipy's; say which
    library the BLAS ops call."""
    global _sgemm64, _dgemm64, _sgemv64, _dgemv64, _sger64, _dger64
    try:
        numpy_version, handle = _openblas_version(
            _bundled_openblas(np, "libscipy_openblas64_*.so"), b"scipy_openblas_get_config64_")
        scipy_version, _ = _openblas_version(
            _bundled_openblas(scipy, "libscipy_openblas-*.so"), b"scipy_openblas_get_config")
    except OSError:
        return "scipy's BLAS"
    if numpy_version is None or scipy_version is None or numpy_version <= scipy_version:
        return "scipy's BLAS"
    cdef void *lib = <void *><size_t>handle
    cdef void *sgemm = dlsym(lib, b"scipy_sgemm_64_")
    cdef void *dgemm = dlsym(lib, b"scipy_dgemm_64_")
    cdef void *sgemv = dlsym(lib, b"scipy_sgemv_64_")
    cdef void *dgemv = dlsym(lib, b"scipy_dgemv_64_")
    cdef void *sger = dlsym(lib, b"scipy_sger_64_")
    cdef void *dger = dlsym(lib, b"scipy_dger_64_")
    # Every routine from one library (one OpenBLAS thread pool in the process), or none.
    if (sgemm == NULL or dgemm == NULL or sgemv == NULL or dgemv == NULL or sger == NULL
            or dger == NULL):
        return "scipy's BLAS"
    _sgemm64, _dgemm64 = <sgemm64_t>sgemm, <dgemm64_t>dgemm
    _sgemv64, _dgemv64 = <sgemv64_t>sgemv, <dgemv64_t>dgemv
    _sger64, _dger64 = <sger64_t>sger, <dger64_t>dger
    return "numpy's OpenBLAS %s" % ".".join(map(str, numpy_version))


GEMM_BLAS = _choose_gemm()
cdef sgemv_t _sgemv = <sgemv_t>_routine("sgemv")
cdef dgemv_t _dgemv = <dgemv_t>_routine("dgemv")
cdef sger_t _sger = <sger_t>_routine("sger")
cdef dger_t _dger = <dger_t>_routine("dger")

cdef enum:
    GEMM = 0         # inputs z, a, x, y, b: b * z + a * dot(x, y)
    GEMV = 1         # inputs y, a, A, x, b: b * y + a * dot(A, x)
    GER = 2          # inputs A, a, x, y: A + a * outer(x, y)
    DOT22 = 3        # inputs x, y: dot(x, y)
    DOT22SCALAR = 4  # inputs x, y, a: a * dot(x, y)

ROUTINES = ("gemm", "gemv", "ger", "dot22", "dot22scalar")
# The rank of each input, per routine.
cdef tuple _RANKS = ((2, 0, 2, 2, 0), (1, 0, 2, 1, 0), (2, 0, 1, 1), (2, 2), (2, 2, 0))


cdef inline bint _column_major(Py_ssize_t d0, Py_ssize_t d1, Py_ssize_t s0, Py_ssize_t s1,
                               Py_ssize_t itemsize, int *ld) noexcept:
    """Whether BLAS reads the (d0, d1) matrix of byte strides (s0, s1) as column-major,
    and its leading dimension (a dimension of length 1 may have any stride)."""
    cdef Py_ssize_t lead
    if d0 > 1 and s0 != itemsize:
        return False
    if d1 > 1:
        if s1 <= 0 or s1 % itemsize:
            return False
        lead = s1 // itemsize
        if lead < d0 or lead > INT_MAX:
            return False
        ld[0] = <int>lead
    else:
        ld[0] = <int>(d0 if d0 > 1 else 1)
    return True


cdef inline bint _operand(cnp.ndarray a, bint transposed, char *trans, int *ld) noexcept:
    """op(stored) = ``a`` (``a.T`` when ``transposed``) for BLAS: ``trans`` 'N' when ``a``
    is column-major, 'T' when its transpose is; False when neither is."""
    cdef Py_ssize_t d0 = a.shape[0], d1 = a.shape[1], s0 = a.strides[0], s1 = a.strides[1]
    cdef Py_ssize_t itemsize = cnp.PyArray_ITEMSIZE(a)
    if transposed:
        d0, d1, s0, s1 = d1, d0, s1, s0
    if _column_major(d0, d1, s0, s1, itemsize, ld):
        trans[0] = b'N'
        return True
    if _column_major(d1, d0, s1, s0, itemsize, ld):
        trans[0] = b'T'
        return True
    return False


cdef inline bint _matrix_ok(cnp.ndarray a) noexcept:
    cdef char trans
    cdef int ld
    return _operand(a, False, &trans, &ld)


cdef inline bint _vector(cnp.ndarray v, char **data, int *inc) noexcept:
    """BLAS's view of vector ``v``: the lowest address and the increment (negative when
    the stride is); False for a zero or uneven stride."""
    cdef Py_ssize_t n = v.shape[0], s = v.strides[0], itemsize = cnp.PyArray_ITEMSIZE(v)
    data[0] = <char *>cnp.PyArray_DATA(v)
    if n <= 1:
        inc[0] = 1
        return True
    if s == 0 or s % itemsize or s // itemsize > INT_MAX or -(s // itemsize) > INT_MAX:
        return False
    inc[0] = <int>(s // itemsize)
    if s < 0:
        data[0] += s * (n - 1)
    return True


cdef inline double _scalar(cnp.ndarray a, int type_num) noexcept:
    if type_num == cnp.NPY_FLOAT32:
        return (<float *>cnp.PyArray_DATA(a))[0]
    return (<double *>cnp.PyArray_DATA(a))[0]


cdef int _gemm(int type_num, cnp.ndarray out, cnp.ndarray x, cnp.ndarray y, double alpha,
               double beta) except -1:
    """out = alpha * dot(x, y) + beta * out. ``x``, ``y`` are BLAS-readable (blas_matrix);
    ``out`` is column-major or its transpose is (the product is then computed as
    out.T = y.T x.T)."""
    cdef char ta, tb, tout
    cdef int lda, ldb, ldc, m, n, k
    cdef char *a
    cdef char *b
    cdef char *c = <char *>cnp.PyArray_DATA(out)
    cdef float salpha = <float>alpha, sbeta = <float>beta
    _operand(out, False, &tout, &ldc)
    if tout == b'N':
        m, n, k = <int>x.shape[0], <int>y.shape[1], <int>x.shape[1]
        _operand(x, False, &ta, &lda)
        _operand(y, False, &tb, &ldb)
        a, b = <char *>cnp.PyArray_DATA(x), <char *>cnp.PyArray_DATA(y)
    else:
        _operand(out, True, &tout, &ldc)
        m, n, k = <int>y.shape[1], <int>x.shape[0], <int>x.shape[1]
        _operand(y, True, &ta, &lda)
        _operand(x, True, &tb, &ldb)
        a, b = <char *>cnp.PyArray_DATA(y), <char *>cnp.PyArray_DATA(x)
    cdef int64_t m64 = m, n64 = n, k64 = k, lda64 = lda, ldb64 = ldb, ldc64 = ldc
    with nogil:
        if type_num == cnp.NPY_FLOAT32:
            if _sgemm64 != NULL:
                _sgemm64(&ta, &tb, &m64, &n64, &k64, &salpha, <float *>a, &lda64,
                         <float *>b, &ldb64, &sbeta, <float *>c, &ldc64)
            else:
                _sgemm(&ta, &tb, &m, &n, &k, &salpha, <float *>a, &lda, <float *>b, &ldb,
                       &sbeta, <float *>c, &ldc)
        elif _dgemm64 != NULL:
            _dgemm64(&ta, &tb, &m64, &n64, &k64, &alpha, <double *>a, &lda64, <double *>b,
                     &ldb64, &beta, <double *>c, &ldc64)
        else:
            _dgemm(&ta, &tb, &m, &n, &k, &alpha, <double *>a, &lda, <double *>b, &ldb, &beta,
                   <double *>c, &ldc)
    return 0


cdef inline bint _fits_int(cnp.ndarray a) noexcept:
    cdef int d
    for d in range(cnp.PyArray_NDIM(a)):
        if a.shape[d] > INT_MAX:
            return False
    return True


cdef class BlasThunk(Thunk):
    """A BLAS op's node, computed by scipy's BLAS routines (see the module docstring).

    routine: one of ROUTINES; dtype: 'float32' or 'float64'; destroys: the op writes into
    input 0; ignores_accumulator: beta is the constant 0; fallback: the op's perform.
    """

    def __init__(self, node, list input_cells, list output_cells, str routine, str dtype,
                 bint destroys, bint ignores_accumulator, fallback):
        Thunk.__init__(self, node, input_cells, output_cells)
        if routine not in ROUTINES:
            raise ValueError("BlasThunk: unknown routine %r (one of %s)" % (routine, ROUTINES))
        if dtype not in ("float32", "float64"):
            raise ValueError("BlasThunk: float32 or float64 only, not %r" % dtype)
        self.routine = ROUTINES.index(routine)
        self.type_num = np.dtype(dtype).num
        self.destroys = destroys
        self.ignores_accumulator = ignores_accumulator
        self.fallback = fallback
        self.blas_calls = 0
        self.operand_copies = 0

    cdef cnp.ndarray blas_matrix(self, cnp.ndarray a):
        """``a``, or a C-ordered copy (counted) when BLAS cannot read it as it is."""
        if _matrix_ok(a):
            return a
        self.operand_copies += 1
        return cnp.PyArray_NewCopy(a, cnp.NPY_CORDER)

    cdef cnp.ndarray blas_vector(self, cnp.ndarray v):
        cdef char *data
        cdef int inc
        if _vector(v, &data, &inc):
            return v
        self.operand_copies += 1
        return cnp.PyArray_NewCopy(v, cnp.NPY_CORDER)

    cdef int run_fallback(self, list inputs) except -1:
        self.fallback(self.node, inputs, self.output_cells)
        return 0

    cdef cnp.ndarray output_buffer(self, Py_ssize_t m, Py_ssize_t n, int ndim, bint fortran):
        """A new (m, n) or (m,) array, or the previous call's when nothing else holds it."""
        cdef int64_t shape[2]
        shape[0] = m
        shape[1] = n
        old = (<list>self.output_cells[0])[0]
        if reusable_output(old, self.type_num, ndim, shape, fortran):
            return <cnp.ndarray>old
        old = None
        return cnp.PyArray_EMPTY(ndim, <cnp.npy_intp *>shape, self.type_num,
                                 1 if fortran else 0)

    cdef int run(self) except -1:
        cdef list inputs = [(<list>cell)[0] for cell in self.input_cells]
        cdef tuple ranks = <tuple>_RANKS[self.routine]
        cdef Py_ssize_t k
        cdef cnp.ndarray out, mat, u, v
        cdef double alpha = 1, beta = 0
        cdef int type_num = self.type_num
        cdef bint fortran
        cdef int m, n, ld, incu, incv
        cdef int64_t m64, n64, ld64, incu64, incv64
        cdef char trans
        cdef char *pu
        cdef char *pv
        cdef char *pout
        cdef float salpha, sbeta
        cdef Py_ssize_t i, s

        for k in range(len(inputs)):
            x = inputs[k]
            if not (cnp.PyArray_Check(x)
                    and cnp.PyArray_EquivTypenums(cnp.PyArray_TYPE(<cnp.ndarray>x), type_num)
                    and cnp.PyArray_NDIM(<cnp.ndarray>x) == <int>ranks[k]
                    and cnp.PyArray_ISALIGNED(<cnp.ndarray>x)
                    and cnp.PyArray_ISNOTSWAPPED(<cnp.ndarray>x)
                    and _fits_int(<cnp.ndarray>x)):
                return self.run_fallback(inputs)

        if self.routine == GEMM or self.routine == DOT22 or self.routine == DOT22SCALAR:
            if self.routine == GEMM:
                z, a, x, y, b = inputs
                alpha = _scalar(a, type_num)
                beta = _scalar(b, type_num)
            else:
                x, y = inputs[0], inputs[1]
                if self.routine == DOT22SCALAR:
                    alpha = _scalar(inputs[2], type_num)
            u, v = <cnp.ndarray>x, <cnp.ndarray>y
            if (u.shape[1] != v.shape[0] or u.shape[0] == 0 or v.shape[1] == 0
                    or u.shape[1] == 0 or alpha == 0):
                return self.run_fallback(inputs)
            if self.routine == GEMM:
                if (z.shape[0] != u.shape[0] or z.shape[1] != v.shape[1]
                        or (beta == 0 and not self.ignores_accumulator)):
                    return self.run_fallback(inputs)
                if self.destroys:
                    out = <cnp.ndarray>z
                    if not (cnp.PyArray_ISWRITEABLE(out) and _matrix_ok(out)):
                        return self.run_fallback(inputs)
                else:
                    # z's layout, as perform gives (an F-ordered z stays F-ordered).
                    fortran = cnp.PyArray_IS_F_CONTIGUOUS(<cnp.ndarray>z)
                    out = self.output_buffer(u.shape[0], v.shape[1], 2, fortran)
                    if not self.ignores_accumulator:
                        cnp.PyArray_CopyInto(out, <cnp.ndarray>z)
            else:
                out = self.output_buffer(u.shape[0], v.shape[1], 2, False)
            _gemm(type_num, out, self.blas_matrix(u), self.blas_matrix(v), alpha, beta)

        elif self.routine == GEMV:
            y, a, A, x, b = inputs
            alpha = _scalar(a, type_num)
            beta = _scalar(b, type_num)
            mat, v = <cnp.ndarray>A, <cnp.ndarray>x
            if (mat.shape[0] != (<cnp.ndarray>y).shape[0] or mat.shape[1] != v.shape[0]
                    or mat.shape[0] == 0 or mat.shape[1] == 0 or alpha == 0
                    or (beta == 0 and not self.ignores_accumulator)):
                return self.run_fallback(inputs)
            if self.destroys:
                out = <cnp.ndarray>y
                if not (cnp.PyArray_ISWRITEABLE(out) and _vector(out, &pout, &incu)):
                    return self.run_fallback(inputs)
            else:
                out = self.output_buffer(mat.shape[0], 1, 1, False)
                if beta != 0:
                    cnp.PyArray_CopyInto(out, <cnp.ndarray>y)
            _vector(out, &pout, &incu)
            if beta == 0:
                # y is not read; perform zeroes it (some BLAS would scale its garbage).
                s = out.strides[0]
                if s == cnp.PyArray_ITEMSIZE(out):
                    memset(cnp.PyArray_DATA(out), 0, cnp.PyArray_NBYTES(out))
                else:
                    for i in range(out.shape[0]):
                        memset(<char *>cnp.PyArray_DATA(out) + i * s, 0,
                               cnp.PyArray_ITEMSIZE(out))
            mat = self.blas_matrix(mat)
            v = self.blas_vector(v)
            _vector(v, &pv, &incv)
            _operand(mat, False, &trans, &ld)
            if trans == b'N':
                m, n = <int>mat.shape[0], <int>mat.shape[1]
            else:
                m, n = <int>mat.shape[1], <int>mat.shape[0]
            pu = <char *>cnp.PyArray_DATA(mat)
            salpha, sbeta = <float>alpha, <float>beta
            m64, n64, ld64, incu64, incv64 = m, n, ld, incu, incv
            with nogil:
                if type_num == cnp.NPY_FLOAT32:
                    if _sgemv64 != NULL:
                        _sgemv64(&trans, &m64, &n64, &salpha, <float *>pu, &ld64,
                                 <float *>pv, &incv64, &sbeta, <float *>pout, &incu64)
                    else:
                        _sgemv(&trans, &m, &n, &salpha, <float *>pu, &ld, <float *>pv,
                               &incv, &sbeta, <float *>pout, &incu)
                elif _dgemv64 != NULL:
                    _dgemv64(&trans, &m64, &n64, &alpha, <double *>pu, &ld64, <double *>pv,
                             &incv64, &beta, <double *>pout, &incu64)
                else:
                    _dgemv(&trans, &m, &n, &alpha, <double *>pu, &ld, <double *>pv, &incv,
                           &beta, <double *>pout, &incu)

        else:  # GER
            A, a, x, y = inputs
            alpha = _scalar(a, type_num)
            mat, u, v = <cnp.ndarray>A, <cnp.ndarray>x, <cnp.ndarray>y
            if (mat.shape[0] != u.shape[0] or mat.shape[1] != v.shape[0]
                    or mat.shape[0] == 0 or mat.shape[1] == 0 or alpha == 0):
                return self.run_fallback(inputs)
            if self.destroys:
                out = mat
                if not (cnp.PyArray_ISWRITEABLE(out) and _matrix_ok(out)):
                    return self.run_fallback(inputs)
            else:
                # perform's layout: C-ordered for a C-ordered A, else F-ordered.
                fortran = not cnp.PyArray_IS_C_CONTIGUOUS(mat)
                out = self.output_buffer(mat.shape[0], mat.shape[1], 2, fortran)
                cnp.PyArray_CopyInto(out, mat)
            u = self.blas_vector(u)
            v = self.blas_vector(v)
            _operand(out, False, &trans, &ld)
            pout = <char *>cnp.PyArray_DATA(out)
            if trans == b'N':
                m, n = <int>out.shape[0], <int>out.shape[1]
                _vector(u, &pu, &incu)
                _vector(v, &pv, &incv)
            else:  # out.T = out.T + alpha * outer(y, x)
                m, n = <int>out.shape[1], <int>out.shape[0]
                _vector(v, &pu, &incu)
                _vector(u, &pv, &incv)
            salpha = <float>alpha
            m64, n64, ld64, incu64, incv64 = m, n, ld, incu, incv
            with nogil:
                if type_num == cnp.NPY_FLOAT32:
                    if _sger64 != NULL:
                        _sger64(&m64, &n64, &salpha, <float *>pu, &incu64, <float *>pv,
                                &incv64, <float *>pout, &ld64)
                    else:
                        _sger(&m, &n, &salpha, <float *>pu, &incu, <float *>pv, &incv,
                              <float *>pout, &ld)
                elif _dger64 != NULL:
                    _dger64(&m64, &n64, &alpha, <double *>pu, &incu64, <double *>pv, &incv64,
                            <double *>pout, &ld64)
                else:
                    _dger(&m, &n, &alpha, <double *>pu, &incu, <double *>pv, &incv,
                          <double *>pout, &ld)

        self.blas_calls += 1
        (<list>self.output_cells[0])[0] = out
        return 0
