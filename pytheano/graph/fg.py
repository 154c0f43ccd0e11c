"""FunctionGraph (Cython, in ``pytheano._core.fgraph``) under its Python import path."""
from pytheano._core.fgraph import Clients, FunctionGraph  # noqa: F401
from pytheano.errors import InconsistencyError, MissingInputError  # noqa: F401  (theano.gof.fg)
