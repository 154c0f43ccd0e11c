"""Theano 1.0's ``theano.misc`` helpers that user code imports."""
