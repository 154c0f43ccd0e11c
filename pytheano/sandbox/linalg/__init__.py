"""Theano 1.0's ``theano.sandbox.linalg``: the linear-algebra ops of tensor.nlinalg and
tensor.slinalg under their old path, ``spectral_radius_bound``, and (importing it) the
rewrites of pytheano/rewriting/linalg.py."""
from pytheano.sandbox.linalg.ops import spectral_radius_bound  # noqa: F401
from pytheano.tensor.nlinalg import (alloc_diag, det, diag, eig, eigh,  # noqa: F401
                                     extract_diag, matrix_inverse, trace)
from pytheano.tensor.slinalg import cholesky, eigvalsh, solve  # noqa: F401
