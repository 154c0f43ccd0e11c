"""Theano 1.0's path ``theano.compile.sharedvalue``: shared variables live in
pytheano.graph.shared (the tensor one in pytheano.tensor.sharedvar)."""
from pytheano.graph.shared import (  # noqa: F401
    Container, SharedVariable, generic_constructor, shared, shared_constructor,
    shared_constructors)
from pytheano.tensor.sharedvar import ScalarSharedVariable, TensorSharedVariable  # noqa: F401
from pytheano.tensor.sharedvar import tensor_constructor  # noqa: F401
from pytheano.graph.type import generic  # noqa: F401  (Theano 1.0: theano.compile.sharedvalue's)
