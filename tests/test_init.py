"""pytheano/__init__.py: the top layer's Theano 1.0 names."""
import numpy as np

import pytheano


def test_star_import_of_tensor_gives_the_modules_theano_gave():
    # Theano's tensor package has no __all__: `from theano.tensor import *` brought theano,
    # np, compile (...) along, and Theano code (its own test_casting.py) uses them.
    ns = {}
    exec("from pytheano.tensor import *", ns)
    assert ns["theano"] is pytheano and ns["np"] is np and ns["compile"].In is pytheano.In
    assert ns["dvector"] is pytheano.tensor.dvector
