"""DebugMode, under Theano's names (``theano.compile.DebugMode``, ``mode='DebugMode'`` or
``'DEBUG_MODE'``).

It takes Theano 1.0's arguments. Its self-checks (each node's C code against its perform,
in-place and view declarations against what the code really does, infer_shape against the
real shapes) come with the C backend; until then it compiles like a plain FAST_RUN Mode.
"""
from pytheano.compile.mode import Mode, register_mode

__all__ = ["DebugMode"]


class DebugMode(Mode):
    """A Mode that checks the graph while it runs (see the module docstring)."""

    def __init__(self, optimizer="fast_run", stability_patience=None, check_c_code=None,
                 check_py_code=None, check_isfinite=None, check_preallocated_output=None,
                 require_matching_strides=None, linker=None):
        super().__init__(linker=linker, optimizer=optimizer)
        self.stability_patience = stability_patience
        self.check_c_code = check_c_code
        self.check_py_code = check_py_code
        self.check_isfinite = check_isfinite
        self.check_preallocated_output = check_preallocated_output
        self.require_matching_strides = require_matching_strides

    def __str__(self):
        return "DebugMode(linker=%s, optimizer=%s)" % (self.provided_linker, self.optimizer)


register_mode("DebugMode", DebugMode)
register_mode("DEBUG_MODE", DebugMode)
