"""The tensor shared variable: ``theano.shared(ndarray or number)`` gives a
TensorSharedVariable, which has every tensor method (``w.T``, ``w.sum()``, ``w[0]``)."""
import numpy as np

from pytheano.graph.shared import SharedVariable, shared_constructor
from pytheano.tensor.type import TensorType
from pytheano.tensor.var import _tensor_py_operators

__all__ = ["TensorSharedVariable", "ScalarSharedVariable", "tensor_constructor"]


class TensorSharedVariable(_tensor_py_operators, SharedVariable):
    """A shared variable holding a numpy array."""


class ScalarSharedVariable(_tensor_py_operators, SharedVariable):
    pass


@shared_constructor
def tensor_constructor(value, name=None, strict=False, allow_downcast=None, borrow=False,
                       shape=None, target="cpu", broadcastable=None):
    if target != "cpu":
        raise TypeError("target %r is not a CPU target" % (target,))
    if isinstance(value, (bool, np.bool_)):
        value = np.asarray(value)
    if not isinstance(value, np.ndarray):
        if isinstance(value, (int, float, complex, np.number)):
            # Python numbers: int64 / float64 / complex128, as Theano's scalar_constructor;
            # a numpy scalar keeps its dtype (shared(np.int8(7)) is a bscalar).
            python_int = isinstance(value, int)
            value = np.asarray(value)
            if python_int and value.dtype.kind == "i":
                value = value.astype("int64")
        else:
            raise TypeError("tensor_constructor expects an ndarray or a number, got %r"
                            % (type(value),))
    if broadcastable is None:
        broadcastable = (False,) * value.ndim
    ttype = TensorType(value.dtype, broadcastable)
    if not borrow:
        value = np.array(value, copy=True)
    return TensorSharedVariable(type=ttype, value=value, name=name, strict=strict,
                                allow_downcast=allow_downcast)
