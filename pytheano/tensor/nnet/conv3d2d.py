"""Theano 1.0's ``theano.tensor.nnet.conv3d2d``: a 3-d convolution of movies built from 2-d
convolutions of their frames (``conv3d``), whose per-frame results are summed along a
diagonal of the (signal time, filter time) plane (``DiagonalSubtensor``, with its gradient
``IncDiagonalSubtensor``).

Theano also registered an in-place rewrite of both ops; pytheano does not have it yet (a
rewrite belongs in rewriting/): the ops copy, which costs memory, not correctness.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from pytheano._core.graph import Apply
from pytheano.graph.grad_types import disconnected_type
from pytheano.graph.op import Op
from pytheano.tensor.basic import as_tensor_variable, get_scalar_constant_value
from pytheano.tensor.creation import zeros, zeros_like
from pytheano.tensor.nnet.abstract_conv import nnet_conv2d
from pytheano.tensor.subtensor import set_subtensor

__all__ = ["get_diagonal_subtensor_view", "DiagonalSubtensor", "diagonal_subtensor",
           "IncDiagonalSubtensor", "inc_diagonal_subtensor", "conv3d"]


def get_diagonal_subtensor_view(x, i0, i1):
    """A view (not a copy) of ``x``: in the plane of axes ``i0`` (rows) and ``i1``
    (columns), the stripe ``view[r, c] = x[r + n1 - 1 - c, c]`` (``n1 = x.shape[i1]``), so
    that summing a column of the view sums an anti-diagonal of ``x``. The view has
    ``x.shape[i0] - n1 + 1`` rows; NotImplementedError (Theano's) when that is below 1."""
    i0, i1 = int(i0), int(i1)  # 0-d integer arrays do not index tuples
    n1 = x.shape[i1]
    if x.shape[i0] < n1:
        raise NotImplementedError("is this allowed?")
    index = [slice(None)] * x.ndim
    index[i0] = slice(n1 - 1, None)
    view = x[tuple(index)]
    if n1 == 1:
        return view
    strides = list(view.strides)
    strides[i1] -= strides[i0]
    # Distinct (row, column) pairs reach distinct elements: the view may be written through.
    return as_strided(view, shape=view.shape, strides=strides, writeable=True)


def _axes(node):
    # The two axes, when they are constants (conv3d passes ints); else the shape is unknown.
    return (int(get_scalar_constant_value(node.inputs[1])),
            int(get_scalar_constant_value(node.inputs[2])))


class DiagonalSubtensor(Op):
    """``get_diagonal_subtensor_view(x, i0, i1)`` as an op (a copy, or with inplace=True
    the view itself). ``x`` is n-d; only the matrix of axes i0 and i1 is restriped."""

    __props__ = ("inplace",)

    def __init__(self, inplace=False):
        self.inplace = inplace
        if inplace:
            self.view_map = {0: [0]}

    def __str__(self):
        return "%s{inplace}" % type(self).__name__ if self.inplace else type(self).__name__

    def make_node(self, x, i0, i1):
        x = as_tensor_variable(x)
        return Apply(self, [x, as_tensor_variable(i0), as_tensor_variable(i1)], [x.type()])

    def perform(self, node, inputs, output_storage):
        view = get_diagonal_subtensor_view(*inputs)
        output_storage[0][0] = view if self.inplace else view.copy()

    def infer_shape(self, fgraph, node, shapes):
        i0, i1 = _axes(node)
        shape = list(shapes[0])
        shape[i0] = shape[i0] - shape[i1] + 1
        return [tuple(shape)]

    def grad(self, inputs, output_grads):
        x, i0, i1 = inputs
        gx = inc_diagonal_subtensor(zeros_like(x), i0, i1, output_grads[0])
        return [gx, disconnected_type(), disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [False], [False]]


diagonal_subtensor = DiagonalSubtensor(False)


class IncDiagonalSubtensor(Op):
    """``x`` with ``amt`` added to its diagonal stripe (the gradient of DiagonalSubtensor);
    with inplace=True into ``x`` itself."""

    __props__ = ("inplace",)

    def __init__(self, inplace=False):
        self.inplace = inplace
        if inplace:
            self.destroy_map = {0: [0]}

    def __str__(self):
        return "%s{inplace}" % type(self).__name__ if self.inplace else type(self).__name__

    def make_node(self, x, i0, i1, amt):
        x = as_tensor_variable(x)
        return Apply(self, [x, as_tensor_variable(i0), as_tensor_variable(i1),
                            as_tensor_variable(amt)], [x.type()])

    def perform(self, node, inputs, output_storage):
        x, i0, i1, amt = inputs
        if not self.inplace:
            x = x.copy()
        view = get_diagonal_subtensor_view(x, i0, i1)
        view += amt
        output_storage[0][0] = x

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[0]]

    def grad(self, inputs, output_grads):
        x, i0, i1, amt = inputs
        gy = output_grads[0]
        return [gy, disconnected_type(), disconnected_type(), diagonal_subtensor(gy, i0, i1)]

    def connection_pattern(self, node):
        return [[True], [False], [False], [True]]


inc_diagonal_subtensor = IncDiagonalSubtensor(False)


def _time_padding(mode, Tf):
    if mode == "valid":
        return 0
    if mode == "full":
        return Tf - 1
    if mode == "half":
        return Tf // 2
    if mode == "same":
        raise NotImplementedError()
    raise ValueError("invalid border mode", mode)


def _frame_size(mode, size, fsize):
    if mode == "valid":
        return size - fsize + 1
    if mode == "full":
        return size + fsize - 1
    if mode == "half":
        return size - (fsize % 2) + 1
    if mode == "same":
        raise NotImplementedError()
    raise ValueError("invalid border mode", mode)


def conv3d(signals, filters, signals_shape=None, filters_shape=None, border_mode="valid"):
    """Convolve movies ``signals`` (Ns, Ts, C, Hs, Ws) with spatio-temporal filters
    ``filters`` (Nf, Tf, C, Hf, Wf), flipping the filters (a true convolution); the result
    is (Ns, Ts', Nf, Hs', Ws').

    signals_shape / filters_shape: the shapes when known (tuples), else None.
    border_mode: 'valid', 'full' or 'half', or a triple (time, height, width) whose height
    and width modes are the same.
    """
    if isinstance(border_mode, str):
        border_mode = (border_mode,) * 3
    t_mode, h_mode, w_mode = border_mode
    if h_mode != w_mode:
        raise NotImplementedError("height and width bordermodes must match")
    signals = as_tensor_variable(signals)
    filters = as_tensor_variable(filters)
    Ns, Ts, C, Hs, Ws = signals.shape if signals_shape is None else signals_shape
    Nf, Tf, C, Hf, Wf = filters.shape if filters_shape is None else filters_shape

    # Every frame against every time slice of every filter: (Ns*Ts, Nf*Tf, Hout, Wout).
    frames_shape = (Ns * Ts, C, Hs, Ws)
    slices_shape = (Nf * Tf, C, Hf, Wf)
    per_frame = nnet_conv2d(
        signals.reshape(frames_shape), filters.reshape(slices_shape),
        input_shape=None if signals_shape is None else frames_shape,
        filter_shape=None if filters_shape is None else slices_shape,
        border_mode=h_mode)
    Hout, Wout = _frame_size(h_mode, Hs, Hf), _frame_size(w_mode, Ws, Wf)
    per_frame = per_frame.reshape((Ns, Ts, Nf, Tf, Hout, Wout))
    if isinstance(Tf, (int, np.integer)) and Tf == 1:
        # One filter slice: nothing to sum over time.
        return per_frame.reshape((Ns, Ts, Nf, Hout, Wout))
    # Output time t sums frame t + Tf - 1 - k against slice k: an anti-diagonal of the
    # (Ts, Tf) plane, zero-padded in time for 'full' and 'half'.
    Tpad = _time_padding(t_mode, Tf)
    if not (isinstance(Tpad, (int, np.integer)) and Tpad == 0):
        padded = zeros((Ns, Ts + 2 * Tpad, Nf, Tf, Hout, Wout), dtype=per_frame.dtype)
        per_frame = set_subtensor(padded[:, Tpad:Ts + Tpad], per_frame)
    return diagonal_subtensor(per_frame, 1, 3).sum(axis=3)
