"""Theano 1.0's ``theano.scalar.basic_scipy``: the scalar ops backed by scipy.special (they
live in pytheano/scalar/math.py)."""
import importlib.util

from pytheano.scalar.math import *  # noqa: F401,F403

# Theano's flag; pytheano requires scipy, so it is always true where scipy.special imports.
imported_scipy_special = importlib.util.find_spec("scipy.special") is not None
