"""Compiling graphs into callables: function, shared variables, modes, profiling."""
from pytheano.compile.debugmode import DebugMode
from pytheano.configparser import config  # noqa: F401  (Theano 1.0: theano.compile.config)
from pytheano.compile.function import function
from pytheano.compile.function_module import Function, FunctionMaker, UnusedInputError
from pytheano.compile.io import In, Out, SymbolicInput, SymbolicOutput
from pytheano.compile.mode import (FAST_COMPILE, FAST_RUN, Mode, get_default_mode, get_mode,
                                   predefined_linkers, predefined_modes, predefined_optimizers,
                                   register_mode)
from pytheano.compile.nanguardmode import NanGuardMode
from pytheano.compile.monitormode import MonitorMode
from pytheano.compile.ops import DeepCopyOp, ViewOp, as_op, deep_copy_op, view_op
from pytheano.compile.profiling import ProfileStats
from pytheano.graph.shared import SharedVariable, shared, shared_constructor
# Theano 1.0 compat: theano.compile.pfunc is the function (the module stays importable by path).
from pytheano.compile.pfunc import pfunc  # noqa: E402
from pytheano.compile.builders import OpFromGraph  # noqa: E402
# Theano 1.0 compat: theano.compile.optdb, the rewrite database as Theano's tests query it.
from pytheano.compile.optdb import optdb  # noqa: E402,F401
