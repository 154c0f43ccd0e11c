"""Scalar types and ops (the element-level operations behind Elemwise)."""
from pytheano.scalar.basic import *  # noqa: F401,F403
from pytheano.scalar.basic import ScalarOp, ScalarType, as_scalar, constant, upcast  # noqa: F401
from pytheano.scalar.math import *  # noqa: F401,F403
