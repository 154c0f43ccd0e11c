"""Theano 1.0's path ``theano.tensor.type_other``: the slice and None types used by
indexing, defined with the indexing ops in pytheano.tensor.subtensor."""
from pytheano.tensor.subtensor import (  # noqa: F401
    MakeSlice, NoneConst, NoneTypeT, SliceConstant, SliceType, make_slice, none_type_t,
    slicetype)
