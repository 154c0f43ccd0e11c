"""Scalar types and the scalar ops that Elemwise maps over tensors.

Each ScalarOp carries, in one class: its output-dtype rule (``output_types_preference``), its
numpy implementation (``nfunc``: a ufunc-like callable applied to whole arrays by Elemwise,
and ``impl`` for one element), its gradient, and (with the C backend) its C expression, which
the CPU loop generator and the CUDA kernel generator share.
"""
import builtins
from functools import reduce

import numpy as np

from pytheano._core.graph import Apply, Constant, Variable
from pytheano.configparser import config
from pytheano.graph.op import Op
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
    dts = [str(np.dtype(d)) for d in (dtype,) + dtypes]
    out = str(reduce(np.promote_types, dts))
    if (config.cast_policy == "numpy+floatX" and config.floatX == "float32"
            and out == "float64" and "float64" not in dts):
        out = "float32"
    return out


class NumpyAutocaster:
    """Pick the smallest dtype of ``dtypes`` that holds a Python number exactly (Theano rule).

    ``autocast_float`` keeps float literals in floatX when floatX is float32: Theano's users
    rely on ``x * 0.1`` staying float32.
    """

    def __init__(self, dtypes):
        self.dtypes = tuple(dtypes)

    def __call__(self, x):
        if config.cast_policy == "numpy":
            return np.asarray(x)
        if config.cast_policy == "numpy+floatX" and isinstance(x, float):
            return np.asarray(x, dtype=config.floatX)
        try_dtypes = self.dtypes
        if self.dtypes == ("float16", "float32", "float64"):
            if config.floatX == "float32":
                try_dtypes = ("float32",)
            elif config.floatX == "float16":
                try_dtypes = ("float16",)
            else:
                try_dtypes = ("float32", "float64")
        x_ = None
        for dtype in try_dtypes:
            x_ = np.asarray(x, dtype=dtype)
            if np.all(x == x_):
                break
        return x_


autocast_int = NumpyAutocaster(int_types)
autocast_float = NumpyAutocaster(float_types)


def convert(x, dtype=None):
    """A Python number or array-like as a numpy array, with Theano's autocasting of literals."""
    if dtype is not None:
        return np.asarray(x, dtype=dtype)
    if isinstance(x, bool) or isinstance(x, np.bool_):
        return np.asarray(x, dtype="bool")
    if isinstance(x, int):
        if not -(2 ** 63) <= x < 2 ** 63:
            return np.asarray(x, dtype="uint64")
        return autocast_int(x)
    if isinstance(x, float):
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

class ScalarType(Type):
    """A single number of a given dtype (the element type of tensors)."""

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
            converted = py_type(data)
        except Exception as e:
            raise TypeError("Could not convert %s (value=%s) to %s" %
                            (type(data), data, self.dtype), e) from None
        if (allow_downcast or (allow_downcast is None and type(data) is float
                               and self.dtype == config.floatX)
                or data == converted):
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
        return ScalarVariable(self, None, None, name)

    def make_constant(self, value, name=None):
        return ScalarConstant(self, value, name=name)


class ScalarVariable(Variable):
    pass


class ScalarConstant(Constant):
    pass


ScalarType.Variable = ScalarVariable
ScalarType.Constant = ScalarConstant

_scalar_types = {}


def get_scalar_type(dtype):
    """The (cached) ScalarType of ``dtype``."""
    if dtype not in _scalar_types:
        _scalar_types[dtype] = ScalarType(dtype)
    return _scalar_types[dtype]


for _dt in all_types:
    globals()[_dt] = get_scalar_type(_dt)
int8, int16, int32, int64 = (get_scalar_type(d) for d in int_types)  # noqa: F811
float32, float64 = get_scalar_type("float32"), get_scalar_type("float64")  # noqa: F811


def as_scalar(x, name=None):
    """``x`` as a ScalarVariable (tensor variables of rank 0 go through ScalarFromTensor)."""
    if isinstance(x, Apply):
        x = x.default_output()
    if isinstance(x, Variable):
        if isinstance(x.type, ScalarType):
            return x
        if getattr(x.type, "ndim", None) == 0:
            from pytheano.tensor.basic import scalar_from_tensor

            return scalar_from_tensor(x)
        raise TypeError("Cannot convert %s to a scalar: it has %s dimensions"
                        % (x, getattr(x.type, "ndim", "?")))
    return constant(x)


def constant(x, name=None, dtype=None):
    x = convert(x, dtype=dtype)
    if x.ndim != 0:
        raise TypeError("scalar.constant expects a single number, got shape %s" % (x.shape,))
    return ScalarConstant(get_scalar_type(str(x.dtype)), x.item() if False else x[()],
                          name=name)


# --------------------------------------------------------------------------- output rules

def upcast_out(*types):
    return (get_scalar_type(upcast(*[t.dtype for t in types])),)


def upcast_out_nobool(*types):
    dt = upcast(*[t.dtype for t in types])
    if dt == "bool":
        raise TypeError("bool output not supported")
    return (get_scalar_type(dt),)


def upcast_out_min8(*types):
    dt = upcast(*[t.dtype for t in types])
    if dt == "bool":
        dt = "int8"
    return (get_scalar_type(dt),)


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
        raise TypeError("only float types are supported, got %s" % type.dtype)
    return (type,)


def upcast_out_no_complex(*types):
    if any(t.dtype in complex_types for t in types):
        raise TypeError("complex type are not supported")
    return upcast_out(*types)


def same_out_nocomplex(type):
    if type.dtype in complex_types:
        raise TypeError("complex argument not supported")
    return (type,)


def int_out(*types):
    return (int64,)


def float_out(*types):
    return (float64,)


def bool_out(*types):
    return (get_scalar_type("bool"),)


_float_of = {"bool": "float32", "int8": "float32", "int16": "float32", "uint8": "float32",
             "uint16": "float32", "int32": "float64", "int64": "float64",
             "uint32": "float64", "uint64": "float64"}


def upgrade_to_float(*types):
    """Integer inputs map to the float that holds them (int8/16 -> float32, int32/64 ->
    float64), then upcast: the rule of true division, exp, log, ..."""
    return (get_scalar_type(upcast(*[_float_of.get(t.dtype, t.dtype) for t in types])),)


def upgrade_to_float_no_complex(*types):
    for t in types:
        if t.dtype in complex_types:
            raise TypeError("complex argument not supported")
    return upgrade_to_float(*types)


def transfer_type(*transfer):
    """Output i has the type of input ``transfer[i]`` (or of that dtype if a string)."""

    def rule(*types):
        return tuple(types[i] if isinstance(i, int) else get_scalar_type(i) for i in transfer)

    rule.__name__ = "transfer_type%s" % (transfer,)
    return rule


class specific_out:
    def __init__(self, *spec):
        self.spec = spec

    def __call__(self, *types):
        return self.spec

    def __eq__(self, other):
        return type(self) is type(other) and self.spec == other.spec

    def __hash__(self):
        return hash((type(self), self.spec))


# --------------------------------------------------------------------------- ops

class ScalarOp(Op):
    """An operation on numbers. ``Elemwise(scalar_op)`` applies it over tensors.

    Subclasses set ``nin`` and ``nfunc`` (a numpy function applied to whole arrays, with
    broadcasting) and define ``impl`` when ``nfunc`` does not fit, and ``grad``.
    """

    nin = -1
    nout = 1
    nfunc = None          # numpy function over arrays, e.g. np.add
    nfunc_variadic = None  # for nin == -1: reduce-style function, e.g. np.add for add(a, b, c)
    __props__ = ("output_types_preference", "name")

    def __init__(self, output_types_preference=None, name=None):
        self.name = name
        if output_types_preference is not None and not callable(output_types_preference):
            raise TypeError("Expected a callable for the 'output_types_preference' argument "
                            "to %s. (got: %s)" % (type(self), output_types_preference))
        self.output_types_preference = output_types_preference

    def make_node(self, *inputs):
        if self.nin >= 0 and len(inputs) != self.nin:
            raise TypeError("Wrong number of inputs for %s.make_node (got %i(%s), expected "
                            "%i)" % (self, len(inputs), str(inputs), self.nin))
        inputs = [as_scalar(i) for i in inputs]
        outputs = [t() for t in self.output_types([i.type for i in inputs])]
        if len(outputs) != self.nout:
            raise TypeError("Not the right number of outputs produced for %s(%s). Expected "
                            "%s, got %s." % (self, ", ".join(str(i) for i in inputs),
                                             self.nout, len(outputs)))
        return Apply(self, inputs, outputs)

    def output_types(self, types):
        if self.output_types_preference is None:
            raise NotImplementedError(
                "%s does not implement output_types and has no output_types_preference"
                % type(self).__name__)
        variables = self.output_types_preference(*types)
        if not isinstance(variables, (list, tuple)) or any(
                not isinstance(x, Type) for x in variables):
            raise TypeError("output_types_preference should return a list or a tuple of "
                            "types", self.output_types_preference, variables)
        if len(variables) != self.nout:
            raise TypeError("Not the right number of outputs types produced for %s(%s) by "
                            "%s. Expected %s, got %s." % (self, ", ".join(str(t) for t in types),
                                                         self.output_types_preference,
                                                         self.nout, len(variables)))
        return variables

    def impl(self, *inputs):
        """The result on numpy scalars (or arrays: ``nfunc`` broadcasts)."""
        if self.nfunc is None:
            raise NotImplementedError("%s has neither nfunc nor impl" % type(self).__name__)
        if self.nin == -1 and len(inputs) > 2:
            return reduce(self.nfunc, inputs)
        return self.nfunc(*inputs)

    def perform(self, node, inputs, output_storage):
        results = self.impl(*inputs)
        if self.nout == 1:
            results = (results,)
        for cell, out, value in zip(output_storage, node.outputs, results):
            cell[0] = np.asarray(value, dtype=out.type.dtype)[()]

    def __str__(self):
        if self.name:
            return self.name
        return type(self).__name__.lower()

    def c_code_cache_version(self):
        return (1,)


class UnaryScalarOp(ScalarOp):
    nin = 1


class BinaryScalarOp(ScalarOp):
    nin = 2


class LogicalComparison(BinaryScalarOp):
    def output_types(self, types):
        return (get_scalar_type("bool"),)


class FixedLogicalComparison(UnaryScalarOp):
    def output_types(self, types):
        return (get_scalar_type("bool"),)


class Add(ScalarOp):
    """a + b + ...; commutative and associative."""

    nin = -1
    commutative = True
    associative = True
    nfunc = np.add


class Mul(ScalarOp):
    nin = -1
    commutative = True
    associative = True
    nfunc = np.multiply


class Sub(BinaryScalarOp):
    nfunc = np.subtract


class TrueDiv(BinaryScalarOp):
    nfunc = np.true_divide


class Neg(UnaryScalarOp):
    nfunc = np.negative


class Exp(UnaryScalarOp):
    nfunc = np.exp


class Log(UnaryScalarOp):
    nfunc = np.log


add = Add(upcast_out, name="add")
mul = Mul(upcast_out, name="mul")
sub = Sub(upcast_out_nobool, name="sub")
true_div = TrueDiv(upgrade_to_float, name="true_div")
neg = Neg(same_out_nobool, name="neg")
exp = Exp(upgrade_to_float, name="exp")
log = Log(upgrade_to_float, name="log")
