"""Theano 1.0's ``theano.sandbox.linalg.ops``: the names its users import (the ops now in
tensor.nlinalg / tensor.slinalg, its rewrites, now in rewriting/linalg.py) and
``spectral_radius_bound``. Theano's ``psd`` hints are not ported."""
import numbers

from pytheano.rewriting.linalg import (inv_as_solve, tag_solve_triangular,  # noqa: F401
                                       transinv_to_invtrans)
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.blas import dot
from pytheano.tensor.nlinalg import (Det, MatrixInverse, det, extract_diag,  # noqa: F401
                                     matrix_inverse, trace)
from pytheano.tensor.slinalg import Cholesky, Solve, cholesky, solve  # noqa: F401

# Theano checked scipy imported; pytheano's slinalg needs it.
imported_scipy = True


def spectral_radius_bound(X, log2_exponent):
    """An upper bound on the largest eigenvalue of the square symmetric matrix ``X``:
    ``trace(X ** (2 ** k)) ** (2 ** -k)`` with ``k = log2_exponent`` matrix squarings (a
    positive int; larger is slower and tighter, 5 usually suffices). V. Pan, 1990,
    "Estimating the Extremal Eigenvalues of a Symmetric Matrix"."""
    X = as_tensor_variable(X)
    if X.type.ndim != 2:
        raise TypeError("spectral_radius_bound requires a matrix argument", X)
    if not isinstance(log2_exponent, numbers.Integral) or isinstance(log2_exponent, bool):
        raise TypeError("spectral_radius_bound requires an integer exponent", log2_exponent)
    if log2_exponent <= 0:
        raise ValueError("spectral_radius_bound requires a strictly positive exponent",
                         log2_exponent)
    power = X
    for _ in range(log2_exponent):
        power = dot(power, power)
    return trace(power) ** (2.0 ** -log2_exponent)
