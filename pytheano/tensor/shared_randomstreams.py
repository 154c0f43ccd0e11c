"""Theano 1.0's import path ``theano.tensor.shared_randomstreams``: see pytheano.tensor.random."""
from pytheano.tensor.random import (RandomStateSharedVariable, RandomStreams,  # noqa: F401
                                    randomstate_constructor)

__all__ = ["RandomStateSharedVariable", "RandomStreams", "randomstate_constructor"]
