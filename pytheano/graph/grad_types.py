"""Placeholder types of gradients: ``DisconnectedType`` (the cost does not depend on the
variable) and ``NullType`` (the gradient is undefined or not implemented).

Ops return them from ``grad``/``L_op`` (``grad_undefined``, ``grad_not_implemented``), so they
sit in the graph layer, below every op family; ``pytheano.gradient`` interprets them.
"""
from pytheano.graph.type import SingletonType

class NullType(SingletonType):
    """The type of a gradient that has no value: mathematically undefined, or not
    implemented. ``why_null`` says which, and is the message grad raises."""

    def __init__(self, why_null="(no explanation given)"):
        self.why_null = why_null

    def filter(self, data, strict=False, allow_downcast=None):
        raise ValueError("No values may be assigned to a NullType")

    def filter_variable(self, other, allow_convert=True):
        raise ValueError("No values may be assigned to a NullType")

    def may_share_memory(self, a, b):
        return False

    def values_eq(self, a, b, force_same_dtype=True):
        raise ValueError("NullType has no values to compare")


null_type = NullType()

_DISCONNECTED_MSG = ("If you're assigning to a DisconnectedType you're doing something wrong. "
                     "It should only be used as a symbolic placeholder.")


class DisconnectedType(SingletonType):
    """The type of the gradient of a cost with respect to a variable it does not depend on:
    a symbolic 0 that also records *why* it is 0."""

    def filter(self, data, strict=False, allow_downcast=None):
        raise AssertionError(_DISCONNECTED_MSG)

    def filter_variable(self, other, allow_convert=True):
        raise AssertionError(_DISCONNECTED_MSG)

    def may_share_memory(self, a, b):
        return False

    def values_eq(self, a, b, force_same_dtype=True):
        raise AssertionError(_DISCONNECTED_MSG)


disconnected_type = DisconnectedType()


def grad_not_implemented(op, x_pos, x, comment=""):
    """A NullType gradient for input ``x_pos`` (``x``) of ``op``: not implemented yet.
    grad raises NullTypeGradError (with this text) if the cost's gradient needs it."""
    return NullType("This variable is Null because the grad method for input %s (%s) of the "
                    "%s op is not implemented. %s" % (x_pos, x, op, comment))()


def grad_undefined(op, x_pos, x, comment=""):
    """A NullType gradient for input ``x_pos`` (``x``) of ``op``: mathematically undefined
    (e.g. an integer index)."""
    return NullType("This variable is Null because the grad method for input %s (%s) of the "
                    "%s op is mathematically undefined. %s" % (x_pos, x, op, comment))()


