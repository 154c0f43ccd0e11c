"""Theano 1.0's scipy BLAS op (theano.tensor.blas_scipy): ``ScipyGer``, the Ger that the
fast_run rewrites make (``use_scipy_ger``, pytheano/rewriting/blas.py). Ger's own perform
already calls scipy's ?ger/?geru (and the C backend's BlasThunk its sger/dger): this is that
op under Theano's name."""
import numpy as np

from pytheano.tensor.blas import Ger, _blas, have_fblas

__all__ = ["ScipyGer", "scipy_ger_no_inplace", "scipy_ger_inplace"]


class ScipyGer(Ger):
    """Ger under Theano's scipy name (printed ``ScipyGer{destructive}``)."""


scipy_ger_no_inplace = ScipyGer(False)
scipy_ger_inplace = ScipyGer(True)

# Theano 1.0 compat: the routines by dtype.
_blas_ger_fns = {np.dtype(dt): _blas("ger", dt) for dt in
                 ("float32", "float64", "complex64", "complex128")} if have_fblas else {}
