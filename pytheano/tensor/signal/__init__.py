"""Signal processing ops (Theano's ``theano.tensor.signal``): pooling (``pool``)."""
from pytheano.tensor.signal import pool  # noqa: F401

__all__ = ["pool"]
