"""Scalar types and ops (the element-level operations behind Elemwise).

type.py: ScalarType and the dtype rules; kernel.py: the kernel spec every scalar op declares
(numpy implementation, fast ufunc, C template); op.py: the ScalarOp base; basic.py and
math.py: the ops.
"""
from pytheano.scalar.basic import *  # noqa: F401,F403
from pytheano.scalar.basic import ScalarOp, ScalarType, as_scalar, constant, upcast  # noqa: F401
from pytheano.scalar.kernel import Kernel  # noqa: F401
from pytheano.scalar.math import *  # noqa: F401,F403

# Theano 1.0 compat: Theano's scalar.basic held the transcendental functions too (log2, cos,
# tanh, ...): code imports them from there. They live in scalar/math.py, above basic.
from pytheano.scalar import basic as _basic, math as _math  # noqa: E402

for _name in dir(_math):
    if not _name.startswith("_") and not hasattr(_basic, _name):
        setattr(_basic, _name, getattr(_math, _name))

# Theano 1.0 compat: Composite is theano.scalar.basic.Composite (it lives in composite.py,
# above basic, as it composes the ops).
from pytheano.scalar.composite import Composite  # noqa: E402,F401
from pytheano.scalar import basic_scipy  # noqa: E402,F401  (Theano's scalar.basic_scipy)

_basic.Composite = Composite
