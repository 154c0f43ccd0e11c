"""NanGuardMode: a Mode that checks every node's outputs for NaN, inf and huge values.

``theano.function(..., mode=NanGuardMode(nan_is_error=True, inf_is_error=True,
big_is_error=True))`` raises AssertionError at the first node producing such a value, with
the node's graph printed, instead of letting the value spread to the outputs.
"""
import numpy as np

from pytheano.compile.mode import Mode, register_mode
from pytheano.configparser import config
from pytheano.graph.printing import debugprint

# Theano's threshold for "big".
BIG_VALUE = 1e10


class NanGuardMode(Mode):
    """A Mode whose function raises when a node outputs NaN (``nan_is_error``), +-inf
    (``inf_is_error``) or a magnitude above 1e10 (``big_is_error``). The defaults come from
    config.NanGuardMode.*."""

    def __init__(self, nan_is_error=None, inf_is_error=None, big_is_error=None,
                 optimizer="default", linker=None):
        super().__init__(linker=linker, optimizer=optimizer)
        self.nan_is_error = config.NanGuardMode.nan_is_error if nan_is_error is None \
            else nan_is_error
        self.inf_is_error = config.NanGuardMode.inf_is_error if inf_is_error is None \
            else inf_is_error
        self.big_is_error = config.NanGuardMode.big_is_error if big_is_error is None \
            else big_is_error

    def thunk_guard(self, node, values):
        """Raise AssertionError when one of ``node``'s output ``values`` is refused."""
        for out, value in zip(node.outputs, values):
            if not isinstance(value, np.ndarray) or value.dtype.kind not in "fc" \
                    or value.size == 0:
                continue
            problems = []
            if self.nan_is_error and np.isnan(value).any():
                problems.append("NaN detected")
            if self.inf_is_error and np.isinf(value).any():
                problems.append("Inf detected")
            if self.big_is_error:
                finite = value[np.isfinite(value)]
                if finite.size and np.abs(finite).max() > BIG_VALUE:
                    problems.append("Big value detected")
            if problems:
                raise AssertionError(
                    "%s\nNanGuardMode found an error in the output of a node in this "
                    "variable:\n%s" % ("\n".join(problems),
                                       debugprint(out, file="str", print_type=True)))

    def __str__(self):
        return "NanGuardMode(nan_is_error=%s, inf_is_error=%s, big_is_error=%s)" % (
            self.nan_is_error, self.inf_is_error, self.big_is_error)


register_mode("NanGuardMode", NanGuardMode)
