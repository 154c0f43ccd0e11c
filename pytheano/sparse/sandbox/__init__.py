"""Theano 1.0's ``theano.sparse.sandbox``: sparse sampling ops (sp2)."""
