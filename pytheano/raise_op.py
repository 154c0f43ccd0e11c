"""Theano's path for the Assert op (pytheano.tensor.raise_op)."""
from pytheano.tensor.raise_op import Assert, assert_op  # noqa: F401
