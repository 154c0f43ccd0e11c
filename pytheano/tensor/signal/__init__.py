"""Signal processing ops (Theano's ``theano.tensor.signal``): pooling (``pool``), 2-d
convolution of signals (``conv``)."""
from pytheano.tensor.signal import conv, pool  # noqa: F401

__all__ = ["conv", "pool"]
