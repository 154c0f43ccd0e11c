"""``theano.scalar.sharedvar``: shared variables of a scalar (not tensor) type.

Not registered as a constructor of ``theano.shared`` (as in Theano, tensors come first):
reached by ``theano.scalar.sharedvar.shared(value)``.
"""
import numpy as np

from pytheano.graph.shared import SharedVariable
from pytheano.scalar.basic import _scalar_py_operators, get_scalar_type

__all__ = ["ScalarSharedVariable", "shared"]


class ScalarSharedVariable(_scalar_py_operators, SharedVariable):
    pass


def shared(value, name=None, strict=False, allow_downcast=None):
    """A shared scalar holding ``value`` (a Python or numpy number)."""
    if not isinstance(value, (np.number, float, int, complex)):
        raise TypeError("theano.scalar.sharedvar.shared expects a number, got %r" % (value,))
    dtype = str(np.asarray(value).dtype)
    scalar_type = get_scalar_type(dtype)
    return ScalarSharedVariable(type=scalar_type, value=np.asarray(value, dtype=dtype)[()],
                                name=name, strict=strict, allow_downcast=allow_downcast)
