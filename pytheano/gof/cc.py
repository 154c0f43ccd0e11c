"""Theano 1.0's ``theano.gof.cc`` linker names: ``CLinker``, ``OpWiseCLinker`` and
``DualLinker``. pytheano's C backend is one generated module per function
(``pytheano.link.c``); CLinker refuses a graph with a node that has no C, OpWiseCLinker
runs such a node's perform."""
from pytheano.compile.debugmode import _close
from pytheano.link.hooked import WrapLinker
from pytheano.link.linkers import CLinker, Linker, OpWiseCLinker, PerformLinker

__all__ = ["CLinker", "OpWiseCLinker", "DualLinker"]


def _default_checker(x, y):
    """Theano's check of two output cells; values are compared as DebugMode does (equal
    shapes and dtypes, floats within the dtype's tolerance, NaN equal to NaN) where Theano
    used ``!=`` (ambiguous on arrays)."""
    if not _close(x[0], y[0]):
        raise Exception("Output mismatch.", {"performlinker": x[0], "clinker": y[0]})


class DualLinker(Linker):
    """Runs the graph with the PerformLinker and with the C linker side by side and checks,
    node by node, that both give the same outputs: ``checker(perform cell, C cell)`` raises
    on a mismatch. The outputs returned are perform's."""

    def __init__(self, checker=_default_checker, schedule=None):
        super().__init__(schedule=schedule)
        self.checker = checker

    def make_all(self, fgraph, input_cells, profiling=False, guard=None):
        checker = self.checker

        def run_both(i, node, perform_thunk, c_thunk):
            perform_thunk()
            c_thunk()
            for cell1, cell2 in zip(perform_thunk.output_cells, c_thunk.output_cells):
                checker(cell1, cell2)

        linker = WrapLinker([PerformLinker(allow_gc=False, schedule=self.schedule),
                             OpWiseCLinker(allow_gc=False, schedule=self.schedule)],
                            run_both, allow_gc=self.allow_gc)
        return linker.make_all(fgraph, input_cells, profiling, guard)
