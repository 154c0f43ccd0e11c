"""ScalarOp, the base class of the operations on numbers that Elemwise maps over tensors.

A scalar op declares, in one class: ``nin``/``nout``, its output-type rule
(``output_types_preference`` or ``output_types``), its ``kernel`` (kernel.py: the numpy
implementation, the fast-path ufunc, the C template, the version) and its gradient
(``grad``/``L_op``, written with scalar ops on scalar variables).
"""
import numpy as np

from pytheano._core.graph import Apply
from pytheano.configparser import config
from pytheano.graph.op import Op
from pytheano.graph.type import Type
from pytheano.scalar.kernel import Kernel, user_impl_kernel
from pytheano.scalar.type import as_scalar, complex_types, discrete_types


class _UserImplKernel:
    """``op.kernel`` of a class that defines Theano's per-element ``impl`` and no kernel."""

    def __get__(self, op, cls=None):
        if op is None:
            return self
        cls = type(op)
        return user_impl_kernel(op, cls.grad is not Op.grad or cls.L_op is not ScalarOp.L_op)


class ScalarOp(Op):
    """An operation on numbers. ``Elemwise(scalar_op)`` applies it over tensors.

    Subclasses set ``nin`` and ``kernel`` (a Kernel; a property for ops whose kernel depends
    on their parameters, like Cast) and write ``grad``/``L_op``. Theano 1.0 code that defines
    ``impl(self, *scalars)`` instead still works: its kernel is numpy-only and applies
    ``impl`` element by element.

    Two scalar ops are equal when they have the same class and output-type rule (the name
    only prints), as in Theano.
    """

    nin = -1
    nout = 1
    name = None  # a subclass whose __init__ does not call ours still prints its class name
    __props__ = ("output_types_preference",)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        kernel = cls.__dict__.get("kernel")
        if "impl" in cls.__dict__ and kernel is None:
            cls.kernel = _UserImplKernel()
        elif isinstance(kernel, Kernel) and kernel.name is None:
            kernel.name = cls.__name__

    def __init__(self, output_types_preference=None, name=None):
        self.name = name
        if output_types_preference is not None and not callable(output_types_preference):
            raise TypeError("Expected a callable for the 'output_types_preference' argument "
                            "to %s. (got: %s)" % (type(self), output_types_preference))
        self.output_types_preference = output_types_preference

    @property
    def kernel(self):
        raise NotImplementedError("%s declares no kernel (and no impl)" % type(self).__name__)

    def make_node(self, *inputs):
        if self.nin >= 0 and len(inputs) != self.nin:
            raise TypeError("Wrong number of inputs for %s.make_node (got %i(%s), expected "
                            "%i)" % (self, len(inputs), str(inputs), self.nin))
        if not inputs and self.nin == -1:
            raise TypeError("%s needs at least one input" % self)
        inputs = [as_scalar(i) for i in inputs]
        outputs = [t() for t in self.output_types([i.type for i in inputs])]
        if len(outputs) != self.nout:
            raise TypeError("Not the right number of outputs produced for %s(%s). Expected "
                            "%s, got %s." % (self, ", ".join(str(i) for i in inputs),
                                             self.nout, len(outputs)))
        return Apply(self, inputs, outputs)

    def output_types(self, types):
        """The output ScalarTypes for these input ScalarTypes (TypeError if unsupported)."""
        if not types and self.nin == -1:
            raise TypeError("%s needs at least one input" % self)
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
        """The result on numpy values (Theano's name; the kernel's numpy implementation).
        Subclasses do not override it: they declare a ``kernel``."""
        return self.kernel.numpy(*inputs)

    def perform(self, node, inputs, output_storage):
        results = self.kernel.numpy(*inputs)
        if self.nout == 1:
            results = (results,)
        for cell, out, value in zip(output_storage, node.outputs, results):
            cell[0] = np.asarray(value, dtype=out.type.dtype)[()]

    def L_op(self, inputs, outputs, output_gradients):
        return self.grad(inputs, output_gradients)

    def make_new_inplace(self, output_types_preference=None, name=None):
        """This op with another output-type rule (the inplace rewrite gives transfer_type)."""
        return type(self)(output_types_preference, name)

    def __str__(self):
        if self.name:
            return self.name
        params = [p for p in self.__props__ if p not in ("output_types_preference", "name")]
        if params:
            return "%s{%s}" % (type(self).__name__,
                               ", ".join("%s=%s" % (p, getattr(self, p)) for p in params))
        return type(self).__name__


class UnaryScalarOp(ScalarOp):
    nin = 1


class BinaryScalarOp(ScalarOp):
    # Subclasses may set ``identity`` (the neutral element of an associative op),
    # ``commutative`` and ``associative``; the rewrites read them.
    nin = 2


def _is_discrete(x):
    return x.dtype.kind in "biu"


def _float_zeros(x):
    """Zeros like ``x`` for a gradient: floatX when ``x`` is discrete (gradients are floats)."""
    if x.type.dtype in discrete_types:
        return x.zeros_like(dtype=config.floatX)
    return x.zeros_like()


def _no_complex_grad(op, *variables):
    if any(v.type.dtype in complex_types for v in variables):
        raise NotImplementedError("The gradient of %s is not implemented for complex inputs."
                                  % op)
