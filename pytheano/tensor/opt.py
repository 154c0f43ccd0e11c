"""Theano 1.0's path ``theano.tensor.opt``: the ops Theano defined beside its tensor rewrites.
The rewrites themselves are in pytheano/rewriting/."""
from pytheano.tensor.raise_op import Assert, assert_op  # noqa: F401
from pytheano.tensor.shape import MakeVector, Shape_i, make_vector, shape_i  # noqa: F401
