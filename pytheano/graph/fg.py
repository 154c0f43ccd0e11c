"""FunctionGraph (Cython, in ``pytheano._core.fgraph``) under its Python import path."""
from pytheano._core.fgraph import Clients, FunctionGraph  # noqa: F401
from pytheano.errors import MissingInputError  # noqa: F401  (Theano 1.0: theano.gof.fg's)
