"""Theano 1.0's ``theano.gof.vm``: ``VM_Linker``, the linker of the 'vm'/'cvm' modes.

pytheano's VM is always the compiled (Cython) loop, lazy where the graph has lazy nodes,
so ``use_cloop`` and ``lazy`` choose nothing here; ``c_thunks`` picks the C backend for
the nodes that have C (the 'cvm' linker) or not (the 'vm' one); ``callback`` and
``callback_input`` are the debugging hooks of ``pytheano.link.hooked.CallbackLinker``.
"""
from pytheano._core.vm import VM, LazyVM
from pytheano.configparser import config
from pytheano.link.hooked import CallbackLinker
from pytheano.link.linkers import CVMLinker, VMLinker

__all__ = ["VM_Linker", "VM", "LazyVM", "Loop", "LoopGC", "Stack"]

# Theano's VM classes: the straight-line loop (with or without freeing intermediates) and
# the lazy stack machine
Loop = LoopGC = VM
Stack = LazyVM


def VM_Linker(allow_gc=None, use_cloop=False, callback=None, callback_input=None, lazy=None,
              schedule=None, c_thunks=None, allow_partial_eval=None):
    """The linker Theano's ``VM_Linker(...)`` describes (see the module docstring)."""
    if allow_partial_eval:
        raise NotImplementedError("VM_Linker(allow_partial_eval=True): calling a function "
                                  "with output_subset is not supported by pytheano yet")
    if c_thunks is None:
        c_thunks = bool(config.cxx)
    if callback is not None or callback_input is not None:
        return CallbackLinker(callback, callback_input, c_thunks=c_thunks, allow_gc=allow_gc,
                              schedule=schedule)
    return (CVMLinker if c_thunks else VMLinker)(allow_gc=allow_gc, schedule=schedule)
