"""Scalar types and ops (the element-level operations behind Elemwise).

type.py: ScalarType and the dtype rules; kernel.py: the kernel spec every scalar op declares
(numpy implementation, fast ufunc, C template); op.py: the ScalarOp base; basic.py and
math.py: the ops.
"""
from pytheano.scalar.basic import *  # noqa: F401,F403
from pytheano.scalar.basic import ScalarOp, ScalarType, as_scalar, constant, upcast  # noqa: F401
from pytheano.scalar.kernel import Kernel  # noqa: F401
from pytheano.scalar.math import *  # noqa: F401,F403
