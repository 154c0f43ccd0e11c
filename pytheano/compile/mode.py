"""Modes: which rewrites run (a query over the rewrite database) and which linker builds the
function.

``Mode(linker, optimizer)``: the linker is a name from pytheano.link.linkers ('cvm', 'py',
...) or a Linker; the optimizer a name from ``predefined_optimizers`` ('fast_run', 'o4',
'fast_compile', None, ...) or a Query. ``mode.including/excluding/requiring(*tags)`` return
new modes with the query changed. Theano's predefined modes are registered by name
(``register_mode``): FAST_RUN, FAST_COMPILE, Mode, DebugMode / DEBUG_MODE, NanGuardMode.
"""
from pytheano import hooks
from pytheano.configparser import config
from pytheano.errors import UnknownNameError
from pytheano.graph.rewriting import Query, rewrite_db
from pytheano import rewriting as _rules  # noqa: F401  (registers the rules)
from pytheano.link.linkers import get_linker, linker_registry
from pytheano.compile.optdb import optdb  # noqa: F401  (Theano's theano.compile.mode.optdb)

__all__ = ["Mode", "FAST_RUN", "FAST_COMPILE", "predefined_modes", "predefined_optimizers",
           "predefined_linkers", "register_mode", "get_mode", "get_default_mode",
           "register_optimizer"]

# Theano 1.0's optimizer names, as queries over the rewrite database.
OPT_NONE = Query()
OPT_MERGE = Query(include=("merge",))
OPT_FAST_RUN = Query(include=("fast_run",))
OPT_FAST_RUN_STABLE = OPT_FAST_RUN.requiring("stable")
OPT_FAST_COMPILE = Query(include=("fast_compile",))
OPT_STABILIZE = Query(include=("fast_run",), position_cutoff="stabilize")
OPT_O2 = OPT_FAST_COMPILE.including("fusion")
OPT_O3 = OPT_FAST_RUN.excluding("inplace")
OPT_UNSAFE = OPT_O3.including("unsafe")

predefined_optimizers = {
    None: OPT_NONE, "None": OPT_NONE, "merge": OPT_MERGE, "o4": OPT_FAST_RUN, "o3": OPT_O3,
    "o2": OPT_O2, "o1": OPT_FAST_COMPILE, "unsafe": OPT_UNSAFE,
    "fast_compile": OPT_FAST_COMPILE, "fast_run": OPT_FAST_RUN,
    "fast_run_stable": OPT_FAST_RUN_STABLE, "stabilize": OPT_STABILIZE,
}


def register_optimizer(name, query):
    """Make ``query`` available as ``Mode(optimizer=name)``."""
    predefined_optimizers[name] = query


def _query(optimizer):
    if isinstance(optimizer, Query):
        return optimizer
    try:
        return predefined_optimizers[optimizer]
    except (KeyError, TypeError):
        names = sorted(str(k) for k in predefined_optimizers if k is not None)
        raise UnknownNameError("Unknown optimizer %r; the optimizers are %s"
                               % (optimizer, names)) from None


class Mode:
    """A rewriter query and a linker. ``Mode(optimizer=None)`` runs no rewrite.

    ``linker``/``optimizer`` default to config.linker / config.optimizer. ``provided_linker``
    and ``provided_optimizer`` keep what was given (names print as given).
    """

    def __init__(self, linker=None, optimizer="default"):
        if linker is None:
            linker = config.linker
        if optimizer == "default":
            optimizer = config.optimizer
        self.provided_linker = linker
        self.provided_optimizer = optimizer
        self.linker = get_linker(linker)
        self.optimizer = _query(optimizer)
        self.call_time = 0.0
        self.fn_time = 0.0
        self.optimizer_time = 0.0
        self.linker_time = 0.0

    def _with_query(self, query):
        return self.clone(optimizer=query)

    def including(self, *tags):
        """This mode with the rewriters tagged ``tags`` added."""
        return self._with_query(self.optimizer.including(*tags))

    def excluding(self, *tags):
        """This mode without the rewriters tagged (or named) ``tags``."""
        return self._with_query(self.optimizer.excluding(*tags))

    def requiring(self, *tags):
        """This mode keeping only the rewriters that have every tag of ``tags``."""
        return self._with_query(self.optimizer.requiring(*tags))

    @property
    def _optimizer(self):
        """Theano's attribute for the mode's query (its tests assign a new one to it)."""
        return self.optimizer

    @_optimizer.setter
    def _optimizer(self, query):
        self.provided_optimizer = query
        self.optimizer = _query(query)

    @property
    def rewriter(self):
        """The RewritePlan of this mode's query (what FunctionMaker runs)."""
        return rewrite_db.query(self.optimizer)

    def clone(self, link_kwargs=None, optimizer="", **kwargs):
        """A copy, with another optimizer if given. Subclasses keep their own settings."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        if optimizer != "":
            new.provided_optimizer = optimizer
            new.optimizer = _query(optimizer)
        if link_kwargs and "allow_gc" in link_kwargs:
            new.linker = type(self.linker)(allow_gc=link_kwargs["allow_gc"],
                                           name=self.linker.name)
        return new

    def __str__(self):
        linker = self.provided_linker
        return "%s(linker = %s, optimizer = %s)" % (type(self).__name__, linker,
                                                     self.optimizer)

    __repr__ = __str__


FAST_COMPILE = Mode("vm", "fast_compile")
FAST_RUN = Mode("cvm", "fast_run")

# name -> a Mode, or a callable making one (for modes that read config when made)
predefined_modes = {"FAST_COMPILE": FAST_COMPILE, "FAST_RUN": FAST_RUN}
predefined_linkers = linker_registry  # Theano's name


def register_mode(name, mode):
    """Make ``mode`` (a Mode, or a no-argument callable returning one) available as
    ``theano.function(..., mode=name)`` and config.mode."""
    if name in predefined_modes:
        raise ValueError("Mode name %r is already registered" % (name,))
    predefined_modes[name] = mode


def get_mode(orig_string):
    """The Mode for a ``mode=`` argument: None (config.mode, with config.optimizer_including
    / _excluding / _requiring applied), a name, or a Mode."""
    string = config.mode if orig_string is None else orig_string
    if not isinstance(string, str):
        if not isinstance(string, Mode):
            # Theano 1.0 failed later, with AttributeError: 'int' object has no attribute ...
            raise TypeError("mode must be None, the name of a mode or a Mode instance; got %r"
                            % (string,))
        return string
    if string == "Mode":
        mode = Mode()
    elif string in predefined_modes:
        mode = predefined_modes[string]
        if not isinstance(mode, Mode):
            mode = mode()
    elif string == "ProfileMode":
        raise ValueError("No predefined mode exist for string: ProfileMode\nProfileMode was "
                         "removed in Theano 1.0: pass profile=True to theano.function (or set "
                         "config.profile=True) to profile a function.")
    else:
        raise ValueError("No predefined mode exist for string: %s\nUnknown mode %r; use one "
                         "of %s or a Mode instance"
                         % (string, string, sorted(["Mode"] + list(predefined_modes))))
    if orig_string is None:
        # Theano 1.0: the optimizer_* flags change the default mode only.
        if config.optimizer_including:
            mode = mode.including(*config.optimizer_including.split(":"))
        if config.optimizer_excluding:
            mode = mode.excluding(*config.optimizer_excluding.split(":"))
        if config.optimizer_requiring:
            mode = mode.requiring(*config.optimizer_requiring.split(":"))
    return mode


def get_default_mode():
    return get_mode(None)


hooks.get_mode.install(get_mode)
