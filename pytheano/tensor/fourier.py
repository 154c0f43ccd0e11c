"""The complex FFT along one axis (Theano's ``theano.tensor.fourier``): Fourier (``fft``),
numpy.fft.fft as an op with a complex128 output. Theano points users to
``theano.tensor.fft`` for real-input FFTs with gradients; this op has no gradient."""
import numpy as np

from pytheano._core.graph import Apply, Constant
from pytheano.graph.grad_types import grad_not_implemented, grad_undefined
from pytheano.graph.op import Op
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.math import eq, switch
from pytheano.tensor.type import TensorType

__all__ = ["Fourier", "fft"]


class Fourier(Op):
    """``numpy.fft.fft(a, n, axis)``: the length-``n`` FFT (the input cropped or zero-padded;
    default its length) along ``axis`` (default the last)."""

    __props__ = ()

    def make_node(self, a, n, axis):
        a = as_tensor_variable(a)
        name = type(self).__name__
        if a.ndim < 1:
            raise TypeError("%s: input must be an array, not a scalar" % name)
        if axis is None:
            axis = as_tensor_variable(a.ndim - 1)
        else:
            axis = as_tensor_variable(axis)
            if axis.dtype not in scal.integer_types:
                raise TypeError("%s: index of the transformed axis must be of type integer"
                                % name)
            if axis.ndim != 0 or (isinstance(axis, Constant)
                                  and not 0 <= axis.data <= a.ndim - 1):
                raise TypeError("%s: index of the transformed axis must be a scalar not "
                                "smaller than 0 and smaller than dimension of array" % name)
        if n is None:
            n = as_tensor_variable(a.shape[axis])
        else:
            n = as_tensor_variable(n)
            if n.dtype not in scal.integer_types:
                raise TypeError("%s: length of the transformed axis must be of type integer"
                                % name)
            if n.ndim != 0 or (isinstance(n, Constant) and n.data < 1):
                raise TypeError("%s: length of the transformed axis must be a strictly "
                                "positive scalar" % name)
        return Apply(self, [a, n, axis], [TensorType("complex128", a.type.broadcastable)()])

    def perform(self, node, inputs, output_storage):
        a, n, axis = inputs
        output_storage[0][0] = np.fft.fft(a, n=int(n), axis=int(axis)).astype(np.complex128)

    def infer_shape(self, fgraph, node, input_shapes):
        shape_a = input_shapes[0]
        n, axis = node.inputs[1], node.inputs[2]
        if isinstance(axis, Constant):
            k = int(axis.data)
            return [tuple(shape_a[:k]) + (n,) + tuple(shape_a[k + 1:])]
        return [tuple(switch(eq(axis, i), n, s) for i, s in enumerate(shape_a))]

    def grad(self, inputs, output_grads):
        a, n, axis = inputs
        # No complex gradients in pytheano (Theano's own test of this one is disabled).
        return [grad_not_implemented(self, 0, a, "complex gradients are not supported; "
                                     "use theano.tensor.fft.rfft"),
                grad_undefined(self, 1, n), grad_undefined(self, 2, axis)]


fft = Fourier()
