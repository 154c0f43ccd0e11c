"""Modes: which rewrites run and which linker builds the function.

The rewrite database (issue: rewrites) and the C linker (issue: C backend) plug in here; until
they land every mode runs the ops' numpy ``perform`` through the Cython VM.
"""
from pytheano.configparser import config

# Theano's predefined modes and the optimizer each implies.
_MODE_OPTIMIZERS = {
    "FAST_RUN": "o4", "FAST_COMPILE": "fast_compile", "DEBUG_MODE": "fast_run",
    "DebugMode": "fast_run", "NanGuardMode": "fast_run", "Mode": None,
    "ProfileMode": "fast_run",
}
_OPTIMIZERS = ("None", "None", "o1", "o2", "o3", "o4", "merge", "fast_run", "fast_compile",
               "unsafe", "stabilize")
_LINKERS = ("cvm", "vm", "py", "c|py", "c|py_nogc", "c", "vm_nogc", "cvm_nogc")


class Mode:
    """A (linker, optimizer) pair. ``Mode(optimizer=None)`` disables rewrites."""

    def __init__(self, linker=None, optimizer="default"):
        if linker is None:
            linker = config.linker
        if optimizer == "default":
            optimizer = config.optimizer
        if isinstance(linker, str) and linker not in _LINKERS:
            raise ValueError("Unknown linker %r; valid linkers are %s" % (linker, _LINKERS))
        if optimizer is None:
            optimizer = "None"
        if isinstance(optimizer, str) and optimizer not in _OPTIMIZERS:
            raise ValueError("Unknown optimizer %r; valid optimizers are %s"
                             % (optimizer, _OPTIMIZERS[1:]))
        self.linker = linker
        self.optimizer = optimizer
        self.provided_optimizer = optimizer
        self.provided_linker = linker
        self.call_time = 0.0
        self.fn_time = 0.0

    def including(self, *tags):
        return self

    def excluding(self, *tags):
        return self

    def requiring(self, *tags):
        return self

    def clone(self, link_kwargs=None, optimizer="", **kwargs):
        return Mode(self.linker, self.optimizer if optimizer == "" else optimizer)

    def __str__(self):
        return "%s(linker = %s, optimizer = %s)" % (type(self).__name__, self.provided_linker,
                                                     self.provided_optimizer)

    __repr__ = __str__


FAST_COMPILE = Mode("py", "fast_compile")
FAST_RUN = Mode("cvm", "o4")
predefined_modes = {"FAST_COMPILE": FAST_COMPILE, "FAST_RUN": FAST_RUN}


def get_mode(orig_string):
    """The Mode for a ``mode=`` argument: None (config.mode), a name, or a Mode."""
    string = config.mode if orig_string is None else orig_string
    if not isinstance(string, str):
        if not hasattr(string, "linker"):
            # Theano 1.0 failed later, with AttributeError: 'int' object has no attribute ...
            raise TypeError("mode must be None, the name of a mode or a Mode instance; got %r"
                            % (string,))
        return string
    if string == "Mode":
        return Mode()
    if string in predefined_modes:
        return predefined_modes[string]
    if string == "NanGuardMode":
        from pytheano.compile.nanguardmode import NanGuardMode

        return NanGuardMode()
    if string in ("DebugMode", "DEBUG_MODE", "ProfileMode"):
        return Mode(optimizer=_MODE_OPTIMIZERS[string])
    raise ValueError("No predefined mode exist for string: %s\n"
                     "Unknown mode %r; use one of %s or a Mode instance"
                     % (string, string, sorted(_MODE_OPTIMIZERS)))


def get_default_mode():
    return get_mode(None)
