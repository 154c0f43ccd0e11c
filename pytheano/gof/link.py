"""Theano 1.0's ``theano.gof.link``: the linker classes and ``Container``, mapped onto
pytheano's linkers (``pytheano.link``). A linker bound to a graph by ``accept(fgraph)``
gives ``make_thunk()`` -> (fn, input containers, output containers) and
``make_function()``, as in Theano."""
from pytheano.graph.shared import Container
from pytheano.link.errors import raise_with_op
from pytheano.link.hooked import WrapLinker, WrapLinkerMany
from pytheano.link.linkers import Linker, PerformLinker

__all__ = ["Container", "Linker", "LocalLinker", "PerformLinker", "WrapLinker",
           "WrapLinkerMany", "raise_with_op"]

# Theano's LocalLinker: a linker made of one thunk per node, which every pytheano linker is
LocalLinker = Linker
