"""FunctionGraph (Cython, in ``pytheano._core.fgraph``) under its Python import path."""
from pytheano._core.fgraph import Clients, FunctionGraph  # noqa: F401
