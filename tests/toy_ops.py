"""Toy types and ops for the core tests (tests/_core, tests/graph, tests/link), which must not
depend on pytheano.tensor: a number type with a dtype, and a few elementwise ops on it."""
import math

import numpy as np

from pytheano._core.graph import Apply, Constant, Variable
from pytheano.graph.op import Op
from pytheano.graph.type import Type, generic

__all__ = ["NumberType", "float64", "float32", "int64", "const", "add", "sub", "mul", "exp",
           "Binary", "Unary", "Toy"]


class NumberType(Type):
    """A Python number held as a numpy scalar of ``dtype``."""

    def __init__(self, dtype):
        self.dtype = str(np.dtype(dtype))

    def filter(self, data, strict=False, allow_downcast=None):
        if strict and not (isinstance(data, np.generic) and str(data.dtype) == self.dtype):
            raise TypeError("%s expected a %s scalar, got %r" % (self, self.dtype, data))
        return np.dtype(self.dtype).type(data)

    def __eq__(self, other):
        return type(self) is type(other) and self.dtype == other.dtype

    def __hash__(self):
        return hash((type(self), self.dtype))

    def __str__(self):
        return "NumberType(%s)" % self.dtype

    __repr__ = __str__


float64, float32, int64 = NumberType("float64"), NumberType("float32"), NumberType("int64")


def const(value, type=float64):
    """A constant of ``type``."""
    return Constant(type, type.filter(value))


def _as_number(x):
    if isinstance(x, Variable):
        if not isinstance(x.type, NumberType):
            raise TypeError("toy ops take NumberType variables, got %s" % (x.type,))
        return x
    return const(x)


def _upcast(*types):
    return NumberType(np.result_type(*[t.dtype for t in types]))


class Binary(Op):
    """``fn(x, y)`` on numbers; ``fn`` named so that the op pickles."""

    __props__ = ("name",)
    functions = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b,
                 "mul": lambda a, b: a * b}

    def __init__(self, name):
        self.name = name

    def make_node(self, x, y):
        x, y = _as_number(x), _as_number(y)
        return Apply(self, [x, y], [_upcast(x.type, y.type)()])

    def perform(self, node, inputs, output_storage):
        out = node.outputs[0].type
        output_storage[0][0] = out.filter(self.functions[self.name](*inputs))

    def __str__(self):
        return self.name


class Unary(Op):
    """``fn(x)`` on numbers."""

    __props__ = ("name",)
    functions = {"exp": math.exp, "neg": lambda a: -a}

    def __init__(self, name):
        self.name = name

    def make_node(self, x):
        x = _as_number(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = node.outputs[0].type.filter(self.functions[self.name](inputs[0]))

    def __str__(self):
        return self.name


add, sub, mul = Binary("add"), Binary("sub"), Binary("mul")
exp, neg = Unary("exp"), Unary("neg")


class Toy(Op):
    """An op named ``name`` of any number of inputs, with one Generic output."""

    __props__ = ("name",)

    def __init__(self, name):
        self.name = name

    def make_node(self, *inputs):
        return Apply(self, list(inputs), [generic()])

    def __str__(self):
        return self.name
