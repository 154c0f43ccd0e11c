"""Real-input fast Fourier transforms (Theano's ``theano.tensor.fft``): RFFTOp (``rfft``)
and IRFFTOp (``irfft``) over all axes but the first (the batch). A complex result is stored
as a real tensor with a last axis of 2 (real part, imaginary part)."""
import numpy as np

from pytheano._core.graph import Apply
from pytheano.graph.grad_types import disconnected_type
from pytheano.graph.op import Op
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.math import sqrt
from pytheano.tensor.subtensor import set_subtensor
from pytheano.tensor.type import TensorType

__all__ = ["RFFTOp", "rfft_op", "IRFFTOp", "irfft_op", "rfft", "irfft"]


def _length_input(op, s):
    s = as_tensor_variable(s)
    if s.dtype not in scal.integer_types:
        raise TypeError("%s: length of the transformed axis must be of type integer"
                        % type(op).__name__)
    return s


def _scale_inner(x, s, factor):
    """``x`` with its entries 1 .. ceil(s[-1] / 2) - 1 along the frequency axis (the second
    to last) times ``factor``: the frequencies rfft stores once but that stand for two."""
    idx = (slice(None),) * (x.ndim - 2) + (slice(1, (s[-1] // 2) + (s[-1] % 2)), slice(None))
    return set_subtensor(x[idx], x[idx] * factor)


class RFFTOp(Op):
    """The unnormalised n-d FFT of each batch entry of a real tensor ``(m, ..., n)``, of
    sizes ``s``: ``(m, ..., n // 2 + 1, 2)``."""

    __props__ = ()

    def make_node(self, a, s=None):
        a = as_tensor_variable(a)
        if a.ndim < 2:
            raise TypeError("%s: input must have dimension > 2, with first dimension batches"
                            % type(self).__name__)
        s = as_tensor_variable(a.shape[1:]) if s is None else _length_input(self, s)
        return Apply(self, [a, s], [TensorType(a.dtype, (False,) * (a.ndim + 1))()])

    def perform(self, node, inputs, output_storage):
        a, s = inputs
        spectrum = np.fft.rfftn(a, s=tuple(int(v) for v in s),
                                axes=tuple(range(1, a.ndim)))
        output_storage[0][0] = np.stack([spectrum.real, spectrum.imag], axis=-1).astype(
            node.outputs[0].type.dtype)

    def connection_pattern(self, node):
        return [[True], [False]]

    def grad(self, inputs, output_grads):
        s = inputs[1]
        return [irfft_op(_scale_inner(output_grads[0], s, 0.5), s), disconnected_type()]


rfft_op = RFFTOp()


class IRFFTOp(Op):
    """The unnormalised inverse of RFFTOp: ``(m, ..., n // 2 + 1, 2)`` to a real
    ``(m, ..., n)`` of sizes ``s`` (default: an even n)."""

    __props__ = ()

    def make_node(self, a, s=None):
        a = as_tensor_variable(a)
        if a.ndim < 3:
            raise TypeError("%s: input must have dimension >= 3,  with first dimension "
                            "batches and last real/imag parts" % type(self).__name__)
        if s is None:
            s = a.shape[1:-1]
            s = set_subtensor(s[-1], (s[-1] - 1) * 2)
        else:
            s = _length_input(self, s)
        return Apply(self, [a, s], [TensorType(a.dtype, (False,) * (a.ndim - 1))()])

    def perform(self, node, inputs, output_storage):
        a, s = inputs
        shape = tuple(int(v) for v in s)
        out = np.fft.irfftn(a[..., 0] + 1j * a[..., 1], s=shape,
                            axes=tuple(range(1, a.ndim - 1)))
        # numpy divides by the size; this op is unnormalised (irfft does the scaling).
        output_storage[0][0] = (out * np.prod(shape)).astype(node.outputs[0].type.dtype)

    def connection_pattern(self, node):
        return [[True], [False]]

    def grad(self, inputs, output_grads):
        s = inputs[1]
        return [_scale_inner(rfft_op(output_grads[0], s), s, 2), disconnected_type()]


irfft_op = IRFFTOp()


def _check_norm(norm):
    if norm not in (None, "ortho", "no_norm"):
        raise ValueError("Invalid value %s for norm, must be None, 'ortho' or 'no norm'"
                         % norm)


def rfft(inp, norm=None):
    """The FFT of each batch entry of a real ``(m, ..., n)``: ``(m, ..., n // 2 + 1, 2)``,
    real and imaginary parts last. norm: None (unscaled, as numpy), 'ortho' (divided by
    sqrt of the size) or 'no_norm' (unscaled)."""
    _check_norm(norm)
    inp = as_tensor_variable(inp)
    s = inp.shape[1:]
    out = rfft_op(inp, s)
    if norm == "ortho":
        out = out / sqrt(s.prod().astype(inp.dtype))
    return out


def irfft(inp, norm=None, is_odd=False):
    """The inverse of rfft: ``(m, ..., n // 2 + 1, 2)`` to a real ``(m, ..., n)``, n even
    unless ``is_odd``. norm: None (divided by the size, as numpy), 'ortho' (by its sqrt) or
    'no_norm'."""
    if is_odd not in (True, False):
        raise ValueError("Invalid value %s for id_odd, must be True or False" % is_odd)
    _check_norm(norm)
    inp = as_tensor_variable(inp)
    s = inp.shape[1:-1]
    s = set_subtensor(s[-1], (s[-1] - 1) * 2 + int(is_odd))
    out = irfft_op(inp, s)
    if norm is None:
        out = out / s.prod().astype(inp.dtype)
    elif norm == "ortho":
        out = out / sqrt(s.prod().astype(inp.dtype))
    return out
