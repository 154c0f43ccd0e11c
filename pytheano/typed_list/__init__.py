"""Theano 1.0's ``theano.typed_list``: symbolic Python lists whose elements all have one Type
(tensors, sparse matrices, or typed lists again), and the list operations on them."""
from pytheano.typed_list.type import TypedListType  # noqa: F401
from pytheano.typed_list.basic import (  # noqa: F401
    Append, Count, Extend, GetItem, Index, Insert, Length, MakeList, Remove, Reverse,
    TypedListConstant, TypedListVariable, append, count, extend, getitem, index_, insert,
    length, make_list, remove, reverse)
from pytheano.typed_list import opt  # noqa: F401  (registers the inplace rewrite)
