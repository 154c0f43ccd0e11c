"""pytheano.tensor: typed symbolic tensors and the ops on them (``import pytheano.tensor as T``).

Each submodule owns a family of ops and lists its public names in ``__all__``; this package
re-exports them all, so ``T.sum``, ``T.dot``, ``T.matrix`` work as in Theano.
"""
from pytheano.tensor import basic, blas, creation, elemwise, extra_ops, join, math, reduction
from pytheano.tensor import inplace, opt, shape, sharedvar, sort, subtensor, type_other, var  # noqa: F401,E501
from pytheano import scalar as scal  # noqa: F401  (Theano 1.0: theano.tensor.scal)
from pytheano.tensor.basic import *  # noqa: F401,F403
from pytheano.tensor.blas import *  # noqa: F401,F403
from pytheano.tensor.creation import *  # noqa: F401,F403
from pytheano.tensor.elemwise import DimShuffle, Elemwise  # noqa: F401
from pytheano.tensor.extra_ops import *  # noqa: F401,F403
from pytheano.tensor.join import *  # noqa: F401,F403
from pytheano.tensor.math import *  # noqa: F401,F403
from pytheano.tensor.reduction import *  # noqa: F401,F403
from pytheano.tensor.shape import *  # noqa: F401,F403
from pytheano.tensor.sort import *  # noqa: F401,F403
from pytheano.tensor.subtensor import *  # noqa: F401,F403
from pytheano.tensor.type import TensorType  # noqa: F401
from pytheano.tensor.type import TensorType as Tensor  # noqa: F401  (Theano 1.0's old name)
# Theano 1.0 compat: `_shared`, not `shared`, so it is not mistaken for theano.shared.
from pytheano.tensor.sharedvar import tensor_constructor as _shared  # noqa: F401
from pytheano.tensor.var import TensorConstant, TensorVariable, _tensor_py_operators  # noqa: F401
# Theano 1.0's raw isnan/isinf Elemwise, which is also applied to integers (isnan(x) is not)
from pytheano.tensor.math import _isinf as isinf_, _isnan as isnan_  # noqa: F401
from pytheano.tensor import nnet  # noqa: E402,F401
from pytheano.tensor import raw_random, shared_randomstreams  # noqa: E402,F401
from pytheano.tensor import nlinalg  # noqa: E402,F401
from pytheano.tensor import xlogx  # noqa: E402,F401
from pytheano.tensor import io, utils  # noqa: E402,F401
from pytheano.tensor.io import load  # noqa: E402,F401
from pytheano.tensor.nlinalg import AllocDiag, ExtractDiag, diagonal  # noqa: E402,F401
from pytheano.tensor.nlinalg import tensor_diag as diag  # noqa: E402,F401

# Theano 1.0 import paths: names Theano's tensor.basic and tensor.elemwise held, which live in
# modules above those here (the lower modules cannot import them).
import sys as _sys  # noqa: E402
import builtins as _builtins  # noqa: E402
import types as _types  # noqa: E402

# (T.join, T.shape and T.var are functions: take the modules of those names.)
_join, _shape, _var = (_sys.modules["pytheano.tensor." + _m] for _m in ("join", "shape", "var"))

for _module, _names in ((basic, {"MaxAndArgmax": reduction, "Argmax": reduction,
                                 "Mean": reduction, "max_and_argmax": reduction,
                                 "makeKeepDims": reduction,
                                 "check_and_normalize_axes": reduction,
                                 "ARange": creation, "Eye": creation, "Join": _join,
                                 "Split": _join, "Reshape": _shape,
                                 "Dot": blas, "dot": blas, "_dot": blas,
                                 "TensorVariable": _var,
                                 "TensorConstant": _var,
                                 **{name: extra_ops for name in (
                                     "Choose", "choose", "PermuteRowElements",
                                     "permute_row_elements", "inverse_permutation",
                                     "power", "cov")}}),
                        (elemwise, {name: reduction for name in (
                            "CAReduce", "CAReduceDtype", "Sum", "Prod", "All", "Any",
                            "ProdWithoutZeros")})):
    for _name, _home in _names.items():
        setattr(_module, _name, getattr(_home, _name))

# Theano 1.0 compat: Theano's tensor namespace was mostly tensor.basic's, so code imports any
# of these names from theano.tensor.basic (DimShuffle, Elemwise, alloc, ...), and its
# _convert_to_<dtype> casts.
# (Not names of builtins, such as all, sum, max: basic's own code uses those.)
for _name, _value in list(globals().items()):
    if not _name.startswith("_") and not hasattr(basic, _name) and \
            not hasattr(_builtins, _name) and not isinstance(_value, _types.ModuleType):
        setattr(basic, _name, _value)
for _dtype, _cast_op in math._casts.items():
    setattr(basic, "_convert_to_" + _dtype, _cast_op)
