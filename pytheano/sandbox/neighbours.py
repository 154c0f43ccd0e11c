"""Theano 1.0's old home of the neighbourhood ops (``theano.sandbox.neighbours``); they live
in ``tensor.nnet.neighbours``."""
from pytheano.tensor.nnet.neighbours import Images2Neibs, images2neibs, neibs2images

__all__ = ["images2neibs", "neibs2images", "Images2Neibs"]
