"""DebugMode, under Theano's names (``theano.compile.DebugMode``, ``mode='DebugMode'`` or
``'DEBUG_MODE'``).

It takes Theano 1.0's arguments. It compiles with the 'c' linker (every node that has C runs
its C) and checks each C node against its perform: before the node runs, its input values
are copied; after, perform computes the node again from the copies, and an output that
differs (beyond the dtype's tolerance) raises ``BadThunkOutput`` naming the node, the
shapes, strides and both values. Still to come: the in-place and view declarations against
what the code really does, and infer_shape against the real shapes.
"""
from io import StringIO

import numpy as np

from pytheano._core.blas_thunk import BlasThunk
from pytheano._core.cthunk import ElemwiseCThunk
from pytheano._core.cthunk_array import ArrayCThunk
from pytheano.compile.mode import Mode, register_mode
from pytheano.link.linkers import OpWiseCLinker

__all__ = ["DebugMode", "DebugModeError", "BadThunkOutput"]


class DebugModeError(Exception):
    """A check of DebugMode failed."""


class BadThunkOutput(DebugModeError):
    """Calling the same Op twice (its C and its perform) gives inconsistent outputs."""

    def __init__(self, r, thunk1, val1, thunk2, val2, inputs_val=()):
        super().__init__()
        self.r = r
        self.thunk1 = thunk1
        self.val1 = val1
        self.thunk2 = thunk2
        self.val2 = val2
        self.inputs_val = inputs_val

    def offending_op(self):
        """The Op class whose C and perform disagree."""
        return type(self.r.owner.op)

    def __str__(self):
        out = StringIO()
        print("BadThunkOutput", file=out)
        print("  Apply   :", self.r.owner, file=out)
        print("  op      :", self.offending_op(), file=out)
        print("  Outputs Type:", self.r.type, file=out)
        print("  Outputs Shape:", getattr(self.val1, "shape", None), file=out)
        print("  Outputs Strides:", getattr(self.val1, "strides", None), file=out)
        print("  Inputs Type :", [i.type for i in self.r.owner.inputs], file=out)
        print("  Inputs Shape:", [getattr(v, "shape", None) for v in self.inputs_val],
              file=out)
        print("  Inputs Strides:", [getattr(v, "strides", None) for v in self.inputs_val],
              file=out)
        print("  Inputs values: %s" % [v if getattr(v, "size", 0) <= 10 else "not shown"
                                       for v in self.inputs_val], file=out)
        print("  Bad Variable:", self.r, file=out)
        print("  thunk1  :", self.thunk1, file=out)
        print("  thunk2  :", self.thunk2, file=out)
        print("  val1    :", self.val1, file=out)
        print("  val2    :", self.val2, file=out)
        return out.getvalue()


def _close(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind in "fc":
        rtol = 1e-4 if a.dtype.itemsize <= 4 else 1e-8
        return bool(np.allclose(a, b, rtol=rtol, atol=rtol * 1e-3, equal_nan=True))
    return bool(np.array_equal(a, b))


class _CheckCAgainstPerform:
    """The thunk guard of DebugMode (see the module docstring)."""

    def __init__(self):
        self.saved = None

    def before(self, index, node, thunk):
        self.saved = None
        if isinstance(thunk, (ElemwiseCThunk, ArrayCThunk, BlasThunk)):
            self.saved = [np.array(cell[0], copy=True) if isinstance(cell[0], np.ndarray)
                          else cell[0] for cell in thunk.input_cells]

    def after(self, index, node, thunk):
        if self.saved is None:
            return
        inputs, self.saved = self.saved, None
        cells = [[None] for _ in node.outputs]
        with np.errstate(all="ignore"):
            node.op.perform(node, [np.array(x) if isinstance(x, np.ndarray) else x
                                   for x in inputs], cells)
        for var, c_cell, py_cell in zip(node.outputs, thunk.output_cells, cells):
            if not _close(c_cell[0], py_cell[0]):
                raise BadThunkOutput(var, "c_code", c_cell[0], "perform", py_cell[0],
                                     inputs)


class DebugMode(Mode):
    """A Mode that checks the graph while it runs (see the module docstring)."""

    def __init__(self, optimizer="fast_run", stability_patience=None, check_c_code=None,
                 check_py_code=None, check_isfinite=None, check_preallocated_output=None,
                 require_matching_strides=None, linker=None):
        super().__init__(linker="c" if linker is None else linker, optimizer=optimizer)
        if self.linker.requires_c:
            # DebugMode checks the C of the nodes that have it and runs the others' perform.
            self.linker = OpWiseCLinker(allow_gc=self.linker.allow_gc, name=self.linker.name)
        self.stability_patience = stability_patience
        self.check_c_code = check_c_code
        self.check_py_code = check_py_code
        self.check_isfinite = check_isfinite
        self.check_preallocated_output = check_preallocated_output
        self.require_matching_strides = require_matching_strides
        if check_c_code is not False:
            self.thunk_guard = _CheckCAgainstPerform()

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("thunk_guard", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        if self.check_c_code is not False:
            self.thunk_guard = _CheckCAgainstPerform()

    def __str__(self):
        return "DebugMode(linker=%s, optimizer=%s)" % (self.provided_linker, self.optimizer)


register_mode("DebugMode", DebugMode)
register_mode("DEBUG_MODE", DebugMode)
