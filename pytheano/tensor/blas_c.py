"""Theano 1.0's C BLAS ops (theano.tensor.blas_c): ``CGemv`` and ``CGer``.

In Theano these are Gemv and Ger with C code calling the BLAS of ``blas.ldflags``. Here they
are the same ops under Theano's names: their perform calls scipy's BLAS, and with the C
backend they run in the BlasThunk (scipy's BLAS routines called from Cython, no link
flags: ``blas.ldflags`` stays unused) that Gemv and Ger run in; the rewrites that
make them (``use_c_gemv``, ``use_c_ger``, pytheano/rewriting/blas.py) run only when
config.blas.ldflags is set, as in Theano.
"""
from pytheano.tensor.blas import Gemv, Ger, ldflags

__all__ = ["BaseBLAS", "CGer", "CGemv", "cger_inplace", "cger_no_inplace", "cgemv_inplace",
           "cgemv_no_inplace", "check_force_gemv_init"]


class BaseBLAS:
    """Theano 1.0 compat: the mixin of the C BLAS ops (their link flags)."""

    def c_libraries(self):
        return ldflags()

    def c_compile_args(self):
        return ldflags(libs=False, flags=True)

    def c_lib_dirs(self):
        return ldflags(libs=False, libs_dir=True)

    def c_header_dirs(self):
        return ldflags(libs=False, include_dir=True)


class CGer(BaseBLAS, Ger):
    """Ger under Theano's C name (printed ``CGer{destructive}``)."""


class CGemv(BaseBLAS, Gemv):
    """Gemv under Theano's C name (printed ``CGemv{inplace}``)."""


cger_inplace = CGer(True)
cger_no_inplace = CGer(False)
cgemv_inplace = CGemv(inplace=True)
cgemv_no_inplace = CGemv(inplace=False)


def check_force_gemv_init():
    """Theano 1.0 compat: whether gemv must zero y before a beta == 0 call. Gemv's perform
    always ignores y then, so never."""
    return False
