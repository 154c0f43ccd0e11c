"""The scalar type and the dtype rules: dtype families, numpy promotion (``upcast``), the
autocasting of Python literals, ``ScalarType`` and the output-type rules scalar ops choose
from (``upcast_out``, ``transfer_type``, ...). The ops themselves are in basic.py.
"""
import functools
from functools import reduce

import numpy as np

from pytheano._core.graph import Apply, Variable
from pytheano.configparser import config
from pytheano.graph.type import Type

bool_types = ("bool",)
int_types = ("int8", "int16", "int32", "int64")
uint_types = ("uint8", "uint16", "uint32", "uint64")
float_types = ("float16", "float32", "float64")
complex_types = ("complex64", "complex128")
integer_types = int_types + uint_types
discrete_types = bool_types + integer_types
continuous_types = float_types + complex_types
all_types = discrete_types + continuous_types


def upcast(dtype, *dtypes):
    """The dtype that can hold values of all the given dtypes (numpy's promotion rules).

    Theano combined 0-d arrays to get this; numpy promotes 0-d arrays without value-based
    casting, so this is ``np.promote_types`` folded over the dtypes. With
    ``cast_policy='numpy+floatX'`` and floatX float32, float64 only comes from an explicit
    float64 input.
    """
    dts = tuple(d if type(d) is str else str(d) for d in (dtype,) + dtypes)
    return _upcast(dts, config.cast_policy == "numpy+floatX" and config.floatX == "float32")


@functools.lru_cache(maxsize=4096)
def _upcast(dts, keep_float32):
    # Graph building calls upcast for every node: the promotion of a dtype tuple is cached.
    dts = [str(np.dtype(d)) for d in dts]
    out = str(reduce(np.promote_types, dts))
    if keep_float32 and out == "float64" and "float64" not in dts:
        out = "float32"
    return out


class NumpyAutocaster:
    """Pick the smallest dtype of ``dtypes`` that holds a Python number exactly (Theano rule).

    ``autocast_float`` keeps float literals in floatX when floatX is float32: Theano's users
    rely on ``x * 0.1`` staying float32. Unlike Theano, a literal that float32 cannot hold at
    all (1e300 -> inf) stays float64 instead of silently becoming inf.
    """

    def __init__(self, dtypes):
        self.dtypes = tuple(dtypes)

    def __call__(self, x):
        if config.cast_policy == "numpy":
            return np.asarray(x)
        if config.cast_policy == "numpy+floatX":
            # numpy's dtype (int64 for a Python int), but a Python float takes floatX
            if isinstance(x, float):
                return np.asarray(x, dtype=config.floatX)
            if isinstance(x, int) and np.iinfo("int64").min <= x <= np.iinfo("int64").max:
                return np.asarray(x)
        if isinstance(x, int):
            for dtype in self.dtypes:
                info = np.iinfo(dtype)
                if info.min <= x <= info.max:
                    return np.asarray(x, dtype=dtype)
            return np.asarray(x, dtype="uint64")
        try_dtypes = self.dtypes
        if self.dtypes == float_types:
            if config.floatX in ("float32", "float16"):
                try_dtypes = (config.floatX,)
            else:
                try_dtypes = ("float32", "float64")
        x_ = None
        for dtype in try_dtypes:
            x_ = np.asarray(x, dtype=dtype)
            # Compare in float64: numpy 2 would compare the Python float at float32.
            if np.float64(x) == x_.astype("float64"):
                break
        if not np.isfinite(x_) and np.isfinite(x):
            x_ = np.asarray(x, dtype="float64")
        return x_


autocast_int = NumpyAutocaster(int_types)
autocast_float = NumpyAutocaster(float_types)


class autocast_float_as:
    """``with autocast_float_as('float32'):``: float literals take these dtypes inside the
    block (Theano 1.0's; it asserted config.cast_policy == 'custom', pytheano says so)."""

    def __init__(self, *dtypes):
        self.dtypes = dtypes
        self._check()

    @staticmethod
    def _check():
        if config.cast_policy != "custom":
            raise AssertionError("autocast_float_as needs config.cast_policy == 'custom', "
                                 "not %r" % (config.cast_policy,))

    def __enter__(self):
        self._check()
        self.old_dtypes = autocast_float.dtypes
        autocast_float.dtypes = self.dtypes

    def __exit__(self, *args):
        autocast_float.dtypes = self.old_dtypes


def convert(x, dtype=None):
    """A Python number or array-like as a numpy array, with Theano's autocasting of literals:
    Python ints (and bools, as in Theano) get the smallest int dtype that holds them, Python
    floats float32 when exact (floatX when floatX is float32), numpy values keep their dtype.
    """
    if dtype is not None:
        return np.asarray(x, dtype=dtype)
    if isinstance(x, int) and not isinstance(x, np.integer):
        if not -(2 ** 63) <= x < 2 ** 64:
            raise OverflowError("%d does not fit in a 64-bit integer" % x)
        return autocast_int(int(x))
    if type(x) is float:
        return autocast_float(x)
    if isinstance(x, np.ndarray):
        return x
    x_ = np.asarray(x)
    if x_.size == 0 and not hasattr(x, "dtype"):
        x_ = np.asarray(x, dtype=config.floatX)
    if x_.dtype == object:
        raise TypeError("Cannot convert %r to a tensor: it is not a number or an array of "
                        "numbers." % (x,))
    return x_



# --------------------------------------------------------------------------- the type

class ComplexError(NotImplementedError):
    """Complex numbers were given to an operation that does not support them."""


class IntegerDivisionError(Exception):
    """``x / y`` on two integers while ``config.int_division`` is 'raise'."""


class ScalarType(Type):
    """A single number of a given dtype (the element type of tensors)."""

    # ScalarVariable and ScalarConstant carry the arithmetic operators, so they live with the
    # ops (basic.py), which sets these.
    Variable = None
    Constant = None

    def __init__(self, dtype):
        if dtype == "floatX":
            dtype = config.floatX
        self.dtype = str(np.dtype(dtype)) if dtype != "bool" else "bool"
        if self.dtype not in all_types:
            raise TypeError("Unsupported dtype for ScalarType: %s" % dtype)

    def filter(self, data, strict=False, allow_downcast=None):
        py_type = self.dtype_specs()[0]
        if strict and not isinstance(data, py_type):
            raise TypeError("%s expected a %s, got %r of type %s" %
                            (self, py_type, data, type(data)))
        try:
            with np.errstate(invalid="ignore", over="ignore"):
                converted = py_type(data)
        except Exception as e:
            raise TypeError("Could not convert %s (value=%s) to %s" %
                            (type(data), data, self.dtype), e) from None
        if (allow_downcast or (allow_downcast is None and type(data) is float
                               and self.dtype == config.floatX)
                or data == converted or (data != data and converted != converted)):
            return converted
        raise TypeError("Value cannot accurately be converted to dtype (%s) and "
                        "allow_downcast is not True" % self.dtype)

    def dtype_specs(self):
        return (np.dtype(self.dtype).type,)

    def __eq__(self, other):
        return type(self) is type(other) and self.dtype == other.dtype

    def __hash__(self):
        return hash(("ScalarType", self.dtype))

    def __str__(self):
        return str(self.dtype)

    def __repr__(self):
        return "Scalar(%s)" % self.dtype

    def values_eq_approx(self, a, b, tolerance=1e-4):
        return abs(a - b) <= (abs(a) + abs(b)) * tolerance

    def upcast(self, *others):
        return upcast(*[x.dtype for x in [self] + list(others)])

    def make_variable(self, name=None):
        return self.Variable(self, None, None, name)

    def make_constant(self, value, name=None):
        return self.Constant(self, value, name=name)


Scalar = ScalarType  # Theano's name



_scalar_types = {}


def get_scalar_type(dtype):
    """The (cached) ScalarType of ``dtype``."""
    if dtype not in _scalar_types:
        _scalar_types[dtype] = ScalarType(dtype)
    return _scalar_types[dtype]


# The dtype names (bool, int8, ..., complex128) are the ScalarTypes here, as in Theano: inside
# this module, ``builtins.bool`` is the Python bool.
for _dt in all_types:
    globals()[_dt] = get_scalar_type(_dt)
int8, int16, int32, int64 = (get_scalar_type(d) for d in int_types)  # noqa: F811
uint8, uint16, uint32, uint64 = (get_scalar_type(d) for d in uint_types)  # noqa: F811
float16, float32, float64 = (get_scalar_type(d) for d in float_types)  # noqa: F811
complex64, complex128 = (get_scalar_type(d) for d in complex_types)  # noqa: F811


# --------------------------------------------------------------------------- conversions

# Variables of other types that as_scalar converts (a 0-d tensor), registered by the layer
# that defines the type (tensor/basic.py): the scalar layer never imports tensor.
_scalar_converters = []


def register_scalar_converter(type_class, converter):
    """``as_scalar(v)`` of a variable whose type is a ``type_class`` is ``converter(v)``
    (it raises TypeError for variables it cannot convert)."""
    _scalar_converters.append((type_class, converter))


def as_scalar(x, name=None):
    """``x`` as a ScalarVariable (0-d tensor variables through the registered converter,
    ScalarFromTensor)."""
    if isinstance(x, Apply):
        if len(x.outputs) != 1:
            raise ValueError("It is ambiguous which output of a multi-output Op has to be "
                             "fetched.", x)
        x = x.outputs[0]
    if isinstance(x, Variable):
        if isinstance(x.type, ScalarType):
            return x
        if getattr(x.type, "ndim", None) == 0:
            for type_class, converter in _scalar_converters:
                if isinstance(x.type, type_class):
                    return converter(x)
        raise TypeError("Cannot convert %s to a scalar: it has %s dimensions"
                        % (x, getattr(x.type, "ndim", "?")))
    try:
        return constant(x)
    except (TypeError, ValueError):
        raise TypeError("Cannot convert %r to Scalar" % (x,), type(x)) from None


def constant(x, name=None, dtype=None):
    x = convert(x, dtype=dtype)
    if x.ndim != 0:
        raise TypeError("scalar.constant expects a single number, got shape %s" % (x.shape,))
    return ScalarType.Constant(get_scalar_type(str(x.dtype)), x[()], name=name)


def _typed_constant(value, dtype):
    """A ScalarConstant of exactly ``dtype`` ('floatX' allowed)."""
    dtype = config.floatX if dtype == "floatX" else dtype
    return ScalarType.Constant(get_scalar_type(dtype), np.asarray(value, dtype=dtype)[()])


# --------------------------------------------------------------------------- output rules

def upcast_out(*types):
    return (get_scalar_type(upcast(*[t.dtype for t in types])),)


def upcast_out_nobool(*types):
    out = upcast_out(*types)
    if out[0].dtype == "bool":
        raise TypeError("bool output not supported")
    return out


def upcast_out_min8(*types):
    out = upcast_out(*types)
    if out[0].dtype == "bool":
        return (int8,)
    return out


def upcast_out_no_complex(*types):
    if any(t.dtype in complex_types for t in types):
        raise TypeError("complex type are not supported")
    return upcast_out(*types)


def same_out(type):
    return (type,)


def same_out_nobool(type):
    if type.dtype == "bool":
        raise TypeError("bool input not supported")
    return (type,)


def same_out_min8(type):
    if type.dtype == "bool":
        return (int8,)
    return (type,)


def same_out_float_only(type):
    if type.dtype not in float_types:
        raise TypeError("only float type are supported")
    return (type,)


def same_out_nocomplex(type):
    if type.dtype in complex_types:
        raise TypeError("complex argument not supported")
    return (type,)


def int_out(*types):
    return (int64,)


def float_out(*types):
    return (float64,)


def int_out_nocomplex(*types):
    if any(t.dtype in complex_types for t in types):
        raise TypeError("complex argument not supported")
    return (int64,)


def float_out_nocomplex(*types):
    if any(t.dtype in complex_types for t in types):
        raise TypeError("complex argument not supported")
    return (float64,)


def bool_out(*types):
    return (get_scalar_type("bool"),)


_float_of = {"bool": "float32", "int8": "float32", "int16": "float32", "uint8": "float32",
             "uint16": "float32", "int32": "float64", "int64": "float64",
             "uint32": "float64", "uint64": "float64"}


def upgrade_to_float(*types):
    """Integer inputs map to the float that holds them (int8/16 -> float32, int32/64 ->
    float64), then upcast: the rule of exp, log, sqrt, ..."""
    return (get_scalar_type(upcast(*[_float_of.get(t.dtype, t.dtype) for t in types])),)


def upgrade_to_float64(*types):
    return (float64,)


def upgrade_to_float_no_complex(*types):
    if any(t.dtype in complex_types for t in types):
        raise TypeError("complex argument not supported")
    return upgrade_to_float(*types)


def real_out(type):
    """complex64 -> float32, complex128 -> float64, other types unchanged."""
    if type.dtype == "complex64":
        return (float32,)
    if type.dtype == "complex128":
        return (float64,)
    return (type,)


class transfer_type:
    """Output i has the type of input ``transfer[i]`` (an int), the given dtype (a str), or
    the upcast of all inputs (None). Used by inplace ops: the output is the input's memory."""

    def __init__(self, *transfer):
        if not all(isinstance(x, (int, str)) or x is None for x in transfer):
            raise TypeError("transfer_type takes input indices, dtype names or None, got %r"
                            % (transfer,))
        self.transfer = transfer

    def __call__(self, *types):
        upcast_type = upcast_out(*types)[0]
        return tuple(upcast_type if i is None else
                     get_scalar_type(i) if isinstance(i, str) else types[i]
                     for i in self.transfer)

    def __eq__(self, other):
        return type(self) is type(other) and self.transfer == other.transfer

    def __hash__(self):
        return hash((type(self), self.transfer))

    def __str__(self):
        return "transfer_type{%s}" % (self.transfer,)


class specific_out:
    """The outputs always have the given types."""

    def __init__(self, *spec):
        self.spec = spec

    def __call__(self, *types):
        return self.spec

    def __eq__(self, other):
        return type(self) is type(other) and self.spec == other.spec

    def __hash__(self):
        return hash((type(self), self.spec))
