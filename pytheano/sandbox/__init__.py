"""Theano 1.0's ``theano.sandbox`` import paths (``theano.sandbox.rng_mrg``,
``theano.sandbox.multinomial``, ``theano.sandbox.neighbours``, ``theano.sandbox.linalg``)."""
