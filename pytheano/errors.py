"""Exceptions raised while building, editing and checking graphs."""
import numpy as np

# numpy's own exceptions, for numpy 1.23 and 1.24 too: numpy 1.25 moved them to
# numpy.exceptions and numpy 2.0 removed the top-level names.
AxisError = getattr(np, "exceptions", np).AxisError
ComplexWarning = getattr(np, "exceptions", np).ComplexWarning


class MethodNotDefined(Exception):
    """An Op or Type method required for this use is not implemented (e.g. no C code)."""


class MissingInputError(Exception):
    """The graph needs a variable that is neither an input nor a constant nor shared."""

    def __init__(self, *args, variable=None):
        if variable is not None and variable.creation_site is not None and args:
            # One readable message, ending with where the user created the variable.
            filename, lineno, func = variable.creation_site
            args = ("%s\nThe missing variable %s was created at %s:%d, in %s."
                    % (args[0], variable, filename, lineno, func),) + args[1:]
        super().__init__(*args)
        self.variable = variable


class InconsistencyError(Exception):
    """A replacement left the graph in a state a feature (e.g. the destroy handler) refuses."""


class CachedConstantError(Exception):
    """Theano 1.0's error for a cached constant put in a FunctionGraph. pytheano caches no
    constants (each is its own object), so nothing raises it; the name stays importable."""


class AlreadyThere(Exception):
    """Raised by a feature's on_attach when an equivalent feature is already attached."""


class TestValueError(ValueError, AttributeError):
    """A test value is missing or wrong while ``config.compute_test_value`` is on (an
    AttributeError too: Theano 1.0 raised that, and code catches it)."""


class UnknownNameError(KeyError, ValueError):
    """Not the name of a registered mode, optimizer or linker. A KeyError as in Theano, and a
    ValueError too; the message lists the valid names."""

    def __str__(self):
        return str(self.args[0])
