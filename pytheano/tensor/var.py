"""TensorVariable and TensorConstant: the operators and methods users call on tensors.

Each method forwards to the function that builds the op, in the module that owns it. This
module sits above the op modules of the tensor package: it installs these classes as
``TensorType.Variable`` / ``TensorType.Constant``, so op modules build variables through their
type, and op code written below a module can still reach its ops through these methods
(``x.sum()``, ``x.zeros_like()``).
"""
import numpy as np

from pytheano import hooks
from pytheano._core.graph import Constant, Variable
from pytheano.tensor import math as tmath
from pytheano.tensor import reduction
from pytheano.tensor import shape as tshape
from pytheano.tensor.type import TensorType
from pytheano.configparser import config
from pytheano.scalar.type import ComplexError
from pytheano.tensor.basic import AsTensorError  # noqa: F401  (Theano path tensor.var)
from pytheano.tensor.basic import get_scalar_constant_value
from pytheano.tensor.blas import dot
from pytheano.tensor.creation import fill, ones_like, zeros_like
from pytheano.tensor.elemwise import DimShuffle
from pytheano.tensor.extra_ops import (choose, compress, cumprod, cumsum, nonzero, nonzero_values,
                                      repeat, searchsorted)
from pytheano.tensor.nlinalg import diagonal, trace
from pytheano.tensor.sort import argsort, sort
from pytheano.tensor.subtensor import getitem, take


def _binary(name, reflected=False):
    def method(self, other):
        fn = getattr(tmath, name)
        try:
            return fn(other, self) if reflected else fn(self, other)
        except ComplexError:
            raise  # x % y, x // y on complex: Theano's error, not a conversion to defer
        except (NotImplementedError, AsTensorError):
            # `other` is not ours to convert: let it try (e.g. a sparse or GPU variable).
            return NotImplemented

    method.__name__ = "__%s%s__" % ("r" if reflected else "", name)
    return method


class _tensor_py_operators:
    """The numpy-like surface shared by tensor variables, constants and shared variables."""

    __array_priority__ = 1000  # numpy defers to us: ndarray + var builds a graph

    # -------------------------------------------------------------- arithmetic
    __add__ = _binary("add")
    __radd__ = _binary("add", True)
    __sub__ = _binary("sub")
    __rsub__ = _binary("sub", True)
    __mul__ = _binary("mul")
    __rmul__ = _binary("mul", True)
    __truediv__ = _binary("true_div")
    __rtruediv__ = _binary("true_div", True)
    __floordiv__ = _binary("floor_div")
    __rfloordiv__ = _binary("floor_div", True)
    __mod__ = _binary("mod")
    __rmod__ = _binary("mod", True)
    __pow__ = _binary("pow")
    __rpow__ = _binary("pow", True)
    __and__ = _binary("and_")
    __rand__ = _binary("and_", True)
    __or__ = _binary("or_")
    __ror__ = _binary("or_", True)
    __xor__ = _binary("xor")
    __rxor__ = _binary("xor", True)
    __lt__ = _binary("lt")
    __le__ = _binary("le")
    __gt__ = _binary("gt")
    __ge__ = _binary("ge")

    def __divmod__(self, other):
        return tmath.floor_div(self, other), tmath.mod(self, other)

    def __neg__(self):
        return tmath.neg(self)

    def __abs__(self):
        return tmath.abs_(self)

    def __invert__(self):
        return tmath.invert(self)

    def __round__(self, ndigits=None):
        if ndigits is not None:
            raise NotImplementedError("round(x, ndigits) is not supported; use T.round(x)")
        return tmath.round(self)

    def __dot__(self, other):
        return dot(self, other)

    def __rdot__(self, other):
        return dot(other, self)

    def __matmul__(self, other):
        return dot(self, other)

    def __rmatmul__(self, other):
        return dot(other, self)

    # Python needs a real bool and an int length; a symbolic value has neither.
    def __bool__(self):
        raise TypeError("Variables do not support boolean operations. Use T.and_/T.or_ "
                        "(or & and |) for element-wise logic, and ifelse/switch to branch.")

    def __len__(self):
        raise TypeError("theano Variables can't work with len(); use x.shape[0] for a "
                        "symbolic length.")

    def __iter__(self):
        try:
            n = tshape.get_vector_length(self)
        except TypeError:
            # Theano 1.0 compat: a vector of unknown length raises get_vector_length's
            # ValueError ("length not known"), only other tensors this TypeError.
            raise TypeError("TensorType does not support iteration. Maybe you are using "
                            "builtins.sum instead of theano.tensor.sum? (Maybe .max?)") from None
        for i in range(n):
            yield self[i]

    # -------------------------------------------------------------- attributes
    @property
    def ndim(self):
        return self.type.ndim

    @property
    def dtype(self):
        return self.type.dtype

    @property
    def broadcastable(self):
        return self.type.broadcastable

    @property
    def shape(self):
        return tshape.shape(self)

    @property
    def size(self):
        if self.ndim == 1:
            return self.shape[0]
        return reduction.prod(self.shape)

    @property
    def T(self):
        return tshape.transpose(self)

    @property
    def real(self):
        return tmath.real(self)

    @property
    def imag(self):
        return tmath.imag(self)

    # -------------------------------------------------------------- indexing
    def __getitem__(self, args):
        return getitem(self, args)

    def __setitem__(self, key, value):
        raise TypeError("Theano variables are immutable: use T.set_subtensor(x[key], value) "
                        "(or T.inc_subtensor) to build the modified variable.")

    def take(self, indices, axis=None, mode="raise"):
        return take(self, indices, axis, mode)

    # -------------------------------------------------------------- methods
    def astype(self, dtype):
        return tmath.cast(self, dtype)

    def dimshuffle(self, *pattern):
        if len(pattern) == 1 and isinstance(pattern[0], (list, tuple)):
            pattern = pattern[0]
        return DimShuffle(self.broadcastable, pattern)(self)

    def reshape(self, shape, ndim=None):
        return tshape.reshape(self, shape, ndim=ndim)

    def flatten(self, ndim=1, outdim=None):
        return tshape.flatten(self, ndim if outdim is None else outdim)

    def ravel(self):
        return tshape.flatten(self)

    def transpose(self, *axes):
        if len(axes) == 0:
            return tshape.transpose(self)
        if len(axes) == 1 and isinstance(axes[0], (list, tuple)):
            axes = axes[0]
        return tshape.transpose(self, axes)

    def swapaxes(self, axis1, axis2):
        return tshape.swapaxes(self, axis1, axis2)

    def squeeze(self):
        return tshape.squeeze(self)

    def fill(self, value):
        return fill(self, value)

    def sort(self, axis=-1, kind="quicksort", order=None):
        return sort(self, axis, kind, order)

    def argsort(self, axis=-1, kind="quicksort", order=None):
        return argsort(self, axis, kind, order)

    def dot(self, other):
        return dot(self, other)

    def sum(self, axis=None, dtype=None, keepdims=False, acc_dtype=None):
        return reduction.sum(self, axis=axis, dtype=dtype, keepdims=keepdims, acc_dtype=acc_dtype)

    def prod(self, axis=None, dtype=None, keepdims=False, acc_dtype=None):
        return reduction.prod(self, axis=axis, dtype=dtype, keepdims=keepdims,
                           acc_dtype=acc_dtype)

    def mean(self, axis=None, dtype=None, keepdims=False, acc_dtype=None):
        return reduction.mean(self, axis=axis, dtype=dtype, keepdims=keepdims,
                           acc_dtype=acc_dtype)

    def var(self, axis=None, ddof=0, keepdims=False, corrected=False):
        return reduction.var(self, axis=axis, ddof=ddof, keepdims=keepdims, corrected=corrected)

    def std(self, axis=None, ddof=0, keepdims=False, corrected=False):
        return reduction.std(self, axis=axis, ddof=ddof, keepdims=keepdims, corrected=corrected)

    def max(self, axis=None, keepdims=False):
        return reduction.max(self, axis, keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        return reduction.min(self, axis, keepdims=keepdims)

    def argmax(self, axis=None, keepdims=False):
        return reduction.argmax(self, axis, keepdims=keepdims)

    def argmin(self, axis=None, keepdims=False):
        return reduction.argmin(self, axis, keepdims=keepdims)

    def all(self, axis=None, keepdims=False):
        return reduction.all(self, axis, keepdims=keepdims)

    def any(self, axis=None, keepdims=False):
        return reduction.any(self, axis, keepdims=keepdims)

    def norm(self, L, axis=None, keepdims=False):
        if L == 0:
            raise NotImplementedError()
        if np.isinf(L):
            raise NotImplementedError()
        return tmath.pow(reduction.sum(tmath.pow(tmath.abs_(self), L), axis=axis,
                                      keepdims=keepdims), 1.0 / L)

    def trace(self):
        """The sum of the diagonal (Theano's ``x.trace()``; where a variable was created is
        ``x.creation_site``)."""
        return trace(self)

    def diagonal(self, offset=0, axis1=0, axis2=1):
        return diagonal(self, offset, axis1, axis2)

    def clip(self, a_min, a_max):
        return tmath.clip(self, a_min, a_max)

    def round(self, mode=None):
        return tmath.round(self, mode)

    def conj(self):
        return tmath.conj(self)

    conjugate = conj

    def nonzero(self, return_matrix=False):
        return nonzero(self, return_matrix)

    def cumsum(self, axis=None):
        return cumsum(self, axis)

    def cumprod(self, axis=None):
        return cumprod(self, axis)

    def repeat(self, repeats, axis=None):
        return repeat(self, repeats, axis)

    def searchsorted(self, v, side="left", sorter=None):
        return searchsorted(self, v, side, sorter)

    def compress(self, a, axis=None):
        # numpy's x.compress(condition): the entries of x where condition holds. Theano 1.0
        # passed self as the condition (compress(self, a)), the reverse of numpy.
        return compress(a, self, axis=axis)

    def choose(self, choices, out=None, mode="raise"):
        return choose(self, choices, out=out, mode=mode)

    def nonzero_values(self):
        return nonzero_values(self)

    def ptp(self, axis=None):
        return reduction.ptp(self, axis)

    def get_scalar_constant_value(self):
        return get_scalar_constant_value(self)

    def copy(self, name=None):
        out = tmath.tensor_copy(self)
        out.name = name
        return out

    def zeros_like(self, dtype=None):
        return zeros_like(self, dtype=dtype)

    def ones_like(self, dtype=None):
        return ones_like(self, dtype=dtype)

    def transfer(self, target):
        """Move to a device: 'cpu' is this variable itself; GPU targets need pytheano.cuda."""
        if target == "cpu":
            return self
        return hooks.transfer(self, target)

    def __repr__(self):
        return str(self)



def _unary_method(name, fn):
    def method(self):
        return fn(self)

    method.__name__ = name
    return method


# numpy's ufuncs on an object (``np.exp(x)``, as PyMC3 users write) call the method of the
# ufunc's name (numpy 2: math.trunc/floor/ceil, so __trunc__ ...): Theano 1.0 has these
for _name in ("arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "ceil", "cos",
              "cosh", "deg2rad", "exp", "exp2", "expm1", "floor", "log", "log10", "log1p",
              "log2", "rad2deg", "sin", "sinh", "sqrt", "tan", "tanh", "trunc"):
    setattr(_tensor_py_operators, _name, _unary_method(_name, getattr(tmath, _name)))
for _name in ("trunc", "floor", "ceil"):
    setattr(_tensor_py_operators, "__%s__" % _name,
            _unary_method("__%s__" % _name, getattr(tmath, _name)))
del _name

class TensorVariable(_tensor_py_operators, Variable):
    """A symbolic tensor: a graph input, or the output of an Apply."""

    def __init__(self, type, owner=None, index=None, name=None):
        Variable.__init__(self, type, owner, index, name)
        if type.dtype == "float64":
            _float64_created()


def _float64_created():
    """config.warn_float64: what to do when a float64 variable is created (e.g. to find
    where float64 creeps into a float32 model)."""
    action = config.warn_float64
    if action == "ignore":
        return
    msg = ("You are creating a TensorVariable with float64 dtype. You requested an action via "
           "the Theano flag warn_float64={ignore,warn,raise,pdb}.")
    if action == "warn":
        import warnings

        warnings.warn(msg, stacklevel=4)
    elif action == "raise":
        raise Exception(msg)
    elif action == "pdb":
        import pdb

        pdb.set_trace()


class TensorConstant(_tensor_py_operators, Constant):
    """A tensor with a fixed value."""

    def __str__(self):
        if self.name is not None:
            return self.name
        data = self.data
        # Theano 1.0 compat: an array of one repeated value prints as "(2, 3) of 0.0".
        if (isinstance(data, np.ndarray) and data.ndim > 0 and data.size
                and bool(np.all(data == data.flat[0]))):
            name = "%s of %s" % (data.shape, data.flat[0])
        else:
            name = str(data)
        if len(name) > 20:
            name = name[:10] + ".." + name[-10:]
        return "TensorConstant{%s}" % name

    def signature(self):
        return TensorConstantSignature((self.type, self.data))

    def equals(self, other):
        return isinstance(other, TensorConstant) and self.signature() == other.signature()

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other


class TensorConstantSignature(tuple):
    """(type, data) of a constant; equal when both type and values match (NaNs included)."""

    def __eq__(self, other):
        if type(self) is not type(other):
            return False
        (t0, d0), (t1, d1) = self, other
        if t0 != t1 or d0.shape != d1.shape:
            return False
        return bool(np.all((d0 == d1) | (np.isnan(d0) & np.isnan(d1)
                                         if d0.dtype.kind in "fc" else False)))

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        t, d = self
        return hash((type(self), t, d.shape, d.tobytes()))


# Variables of a TensorType are built from these classes (the type module is below this one).
TensorType.Variable = TensorVariable
TensorType.Constant = TensorConstant
