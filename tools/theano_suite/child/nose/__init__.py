"""A small stand-in for nose 1.3 (the parts Theano 1.0.5's tests import).

Real nose does not import on Python 3.10+, and one shim for both runs keeps them comparable.
"""
from unittest import SkipTest  # noqa: F401  (nose.SkipTest)

from nose.tools import with_setup  # noqa: F401
