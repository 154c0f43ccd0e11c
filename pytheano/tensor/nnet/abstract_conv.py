"""2-D convolution for convnets (Theano's ``theano.tensor.nnet.abstract_conv``).

``conv2d`` builds an ``AbstractConv2d`` node; its gradient is a pair of ops,
``AbstractConv2d_gradWeights`` and ``AbstractConv2d_gradInputs``, whose own gradients are
built from the three ops again, so second derivatives work. ``perform`` is numpy: the
padded input is viewed as windows (``sliding_window_view``, strided by subsample and
dilation) and contracted with the filters by ``tensordot`` (one BLAS call, im2col style).

Layout as in Theano: input ``(batch, channels, rows, cols)``, filters
``(out_channels, in_channels // num_groups, rows, cols)``.
"""
import itertools
import numbers
import warnings
from math import gcd

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from pytheano._core.graph import Apply, Constant
from pytheano.configparser import config
from pytheano.graph.op import Op
from pytheano.tensor.basic import (NotScalarConstantError, as_tensor_variable,
                                   get_scalar_constant_value)
from pytheano.graph.grad_types import DisconnectedType
from pytheano.tensor.basic import patternbroadcast
from pytheano.tensor.math import cast, eq, ge, gt
from pytheano.tensor.creation import arange, zeros
from pytheano.tensor.join import concatenate
from pytheano.tensor.raise_op import Assert

__all__ = ["conv2d", "conv3d", "AbstractConv2d", "AbstractConv2d_gradWeights",
           "AbstractConv2d_gradInputs", "AbstractConv3d", "AbstractConv3d_gradWeights",
           "AbstractConv3d_gradInputs", "get_conv_output_shape", "get_conv_shape_1axis",
           "get_conv_gradweights_shape", "get_conv_gradweights_shape_1axis",
           "get_conv_gradinputs_shape", "get_conv_gradinputs_shape_1axis",
           "check_conv_gradinputs_shape", "assert_conv_shape", "assert_shape",
           "border_mode_to_pad", "conv2d_grad_wrt_inputs", "conv2d_grad_wrt_weights",
           "conv3d_grad_wrt_inputs", "conv3d_grad_wrt_weights", "separable_conv2d",
           "separable_conv3d", "causal_conv1d", "bilinear_kernel_1D", "bilinear_kernel_2D",
           "bilinear_upsampling", "frac_bilinear_upsampling"]



# Theano 1.0 compat: Theano's perform needed scipy.signal; pytheano's is numpy's, always there
imported_scipy_signal = True


# ---------------------------------------------------------------------- shape rules


def get_conv_shape_1axis(image_shape, kernel_shape, border_mode, subsample, dilation=1):
    """Output length along one axis (ints or symbolic); None where an input is None."""
    if None in (image_shape, kernel_shape, border_mode, subsample, dilation):
        return None
    dil_kernel = (kernel_shape - 1) * dilation + 1
    if border_mode == "half":
        pad_l = pad_r = dil_kernel // 2
    elif border_mode == "full":
        pad_l = pad_r = dil_kernel - 1
    elif border_mode == "valid":
        pad_l = pad_r = 0
    else:
        pad_l, pad_r = border_mode if isinstance(border_mode, tuple) else (border_mode,) * 2
        if pad_l < 0 or pad_r < 0:
            raise ValueError("border_mode must be >= 0")
    out = image_shape - dil_kernel
    if pad_l != 0:
        out = out + pad_l
    if pad_r != 0:
        out = out + pad_r
    if subsample != 1:
        out = out // subsample
    return out + 1


def get_conv_output_shape(image_shape, kernel_shape, border_mode, subsample,
                          filter_dilation=None):
    """``(batch, out_channels, rows, cols)`` of a convolution (ints, symbolic, or None)."""
    convdim = len(image_shape) - 2
    if filter_dilation is None:
        filter_dilation = (1,) * convdim
    modes = border_mode if isinstance(border_mode, tuple) else (border_mode,) * convdim
    spatial = tuple(get_conv_shape_1axis(image_shape[2 + i], kernel_shape[-convdim + i],
                                         modes[i], subsample[i], filter_dilation[i])
                    for i in range(convdim))
    return (image_shape[0], kernel_shape[0]) + spatial


def _pads_1axis(border_mode):
    """(before, after) of an explicit border mode on one axis (an int or a pair)."""
    before, after = border_mode if isinstance(border_mode, tuple) else (border_mode,) * 2
    if before < 0 or after < 0:
        raise ValueError("border_mode must be >= 0")
    return before, after


def _per_axis(border_mode, i):
    return border_mode[i] if isinstance(border_mode, tuple) else border_mode


def get_conv_gradweights_shape_1axis(image_shape, top_shape, border_mode, subsample,
                                     dilation):
    """The filters' length along one axis that maps ``image_shape`` onto ``top_shape``;
    None where it cannot be known (an input None, subsample > 1, or 'half')."""
    if None in (image_shape, top_shape, border_mode, subsample, dilation):
        return None
    if subsample != 1 or border_mode == "half":
        return None
    if border_mode == "full":
        dil_kernel = top_shape - image_shape
    elif border_mode == "valid":
        dil_kernel = image_shape - top_shape
    else:
        before, after = _pads_1axis(border_mode)
        dil_kernel = image_shape + before + after - top_shape
    # Theano divided with '/' (a float); the length is a whole number of dilation steps
    return (dil_kernel // dilation if dilation > 1 else dil_kernel) + 1


def get_conv_gradweights_shape(image_shape, top_shape, border_mode, subsample,
                               filter_dilation=None, num_groups=1, unshared=False):
    """The filters' shape of the convolution mapping ``image_shape`` onto ``top_shape``
    (None where unknown, see ``get_conv_gradweights_shape_1axis``)."""
    nd = len(subsample)
    filter_dilation = filter_dilation or (1,) * nd
    channels, nkern = image_shape[1], top_shape[1]
    if num_groups > 1:
        channels = channels // num_groups
    spatial = tuple(get_conv_gradweights_shape_1axis(
        image_shape[2 + i], top_shape[2 + i], _per_axis(border_mode, i), subsample[i],
        filter_dilation[i]) for i in range(nd))
    if unshared:
        return (nkern,) + tuple(top_shape[2:]) + (channels,) + spatial
    return (nkern, channels) + spatial


def get_conv_gradinputs_shape_1axis(kernel_shape, top_shape, border_mode, subsample,
                                    dilation):
    """The image's length along one axis that the convolution maps onto ``top_shape``;
    None where it cannot be known (an input None, or subsample > 1)."""
    if None in (kernel_shape, top_shape, border_mode, subsample, dilation):
        return None
    if subsample != 1:
        return None
    dil_kernel = (kernel_shape - 1) * dilation + 1
    if border_mode == "half":
        before = after = dil_kernel // 2
    elif border_mode == "full":
        before = after = dil_kernel - 1
    elif border_mode == "valid":
        before = after = 0
    else:
        before, after = _pads_1axis(border_mode)
    return top_shape + dil_kernel - 1 - before - after


def get_conv_gradinputs_shape(kernel_shape, top_shape, border_mode, subsample,
                              filter_dilation=None, num_groups=1):
    """The images' shape the convolution with ``kernel_shape`` maps onto ``top_shape``
    (None where unknown, see ``get_conv_gradinputs_shape_1axis``)."""
    nd = len(top_shape) - 2
    filter_dilation = filter_dilation or (1,) * nd
    channels = kernel_shape[-nd - 1] * num_groups if num_groups > 1 else kernel_shape[-nd - 1]
    kspatial = kernel_shape[-nd:]
    spatial = tuple(get_conv_gradinputs_shape_1axis(
        kspatial[i], top_shape[2 + i], _per_axis(border_mode, i), subsample[i],
        filter_dilation[i]) for i in range(len(subsample)))
    return (top_shape[0], channels) + spatial


def check_conv_gradinputs_shape(image_shape, kernel_shape, output_shape, border_mode,
                                subsample, filter_dilation=None):
    """False if a convolution of ``image_shape`` by ``kernel_shape`` cannot give
    ``output_shape``; True otherwise (also where a dimension is None or symbolic)."""
    image_shape, kernel_shape = tuple(image_shape), tuple(kernel_shape)
    output_shape = tuple(output_shape)
    if not len(image_shape) == len(kernel_shape) == len(output_shape):
        return False
    if len(image_shape) - 2 != len(subsample):
        return False
    if filter_dilation is not None and len(image_shape) - 2 != len(filter_dilation):
        return False
    computed = get_conv_output_shape(image_shape, kernel_shape, border_mode, subsample,
                                     filter_dilation)

    def agree(given, expected):
        if given is None or expected is None:
            return True
        try:
            return int(get_scalar_constant_value(given)) == int(
                get_scalar_constant_value(expected))
        except NotScalarConstantError:
            return True

    return all(agree(g, c) for g, c in zip(output_shape, computed))


def assert_conv_shape(shape):
    """``shape`` with each dimension checked: the first two >= 0, the spatial ones > 0.
    A constant that fails raises ValueError now; a symbolic one gets an ``Assert``."""
    out = []
    for i, n in enumerate(shape):
        sign = "<" if i < 2 else "<="
        try:
            value = get_scalar_constant_value(n)
        except NotScalarConstantError:
            check = ge(n, 0) if i < 2 else gt(n, 0)
            out.append(Assert("The convolution would produce an invalid shape (dim[%d] %s 0)."
                              % (i, sign))(n, check))
            continue
        if (value < 0) if i < 2 else (value <= 0):
            raise ValueError("The convolution would produce an invalid shape (dim[%d]: %d %s "
                             "0)." % (i, value, sign))
        out.append(n)
    return tuple(out)


def assert_shape(x, expected_shape, msg="Unexpected shape."):
    """``x``, with an ``Assert`` that its shape is ``expected_shape`` (None entries are not
    checked) when ``config.conv.assert_shape`` is on; AssertionError at run time."""
    if expected_shape is None or not config.conv.assert_shape:
        return x
    tests = [eq(x.shape[i], expected) for i, expected in enumerate(expected_shape)
             if expected is not None]
    return Assert(msg)(x, *tests) if tests else x


def border_mode_to_pad(mode, convdim, kshp):
    """``((before, after), ...)`` zero padding per spatial axis for a normalised border mode
    and the (dilated) kernel's spatial shape."""
    if isinstance(mode, tuple):
        return tuple(m if isinstance(m, tuple) else (m, m) for m in mode)
    if mode == "full":
        return tuple((k - 1, k - 1) for k in kshp)
    if mode == "half":
        return tuple((k // 2, k // 2) for k in kshp)
    return ((0, 0),) * convdim


def _is_int(v):
    return isinstance(v, (numbers.Integral, np.integer)) and not isinstance(v, bool)


def _normalize_border_mode(border_mode, convdim):
    """Theano's normal form: 'valid'/'full'/'half', or a tuple of ints / (before, after)."""
    if _is_int(border_mode):
        if border_mode < 0:
            raise ValueError("invalid border_mode {}, which must be a non-negative integer"
                             .format(border_mode))
        border_mode = (int(border_mode),) * convdim
    elif isinstance(border_mode, (tuple, list)):
        border_mode = tuple(border_mode)
        if len(border_mode) != convdim:
            raise ValueError("invalid border_mode {}, which must be a tuple of length {}"
                             .format(border_mode, convdim))
        normal = ()
        for m in border_mode:
            if _is_int(m) and m >= 0:
                normal += (int(m),)
            elif (isinstance(m, (tuple, list)) and len(m) == 2 and all(_is_int(b) for b in m)
                  and min(m) >= 0):
                normal += (int(m[0]) if m[0] == m[1] else (int(m[0]), int(m[1])),)
            else:
                raise ValueError("invalid border mode {}. The tuple can only contain "
                                 "integers  or pairs of integers".format(border_mode))
        border_mode = normal
    elif border_mode not in ("valid", "full", "half"):
        raise ValueError('invalid border_mode {}, which must be either "valid", "full", '
                         '"half", an integer or a tuple of length {}'
                         .format(border_mode, convdim))
    if isinstance(border_mode, tuple) and all(m in (0, (0, 0)) for m in border_mode):
        border_mode = "valid"
    return border_mode


def _normalize_shape(shp, length, what):
    """imshp/kshp as a tuple of Python ints and None (Theano accepts int constants too)."""
    if shp is not None and not isinstance(shp, (tuple, list)):
        # a symbolic shape (x.shape, an lvector, a constant vector) cannot be a static one
        raise ValueError("%s should be None or a tuple of %d constant int values, got %r"
                         % (what, length, shp))
    if not shp:
        return (None,) * length
    shp = tuple(shp)
    if len(shp) != length:
        raise ValueError("%s should be None or a tuple of %d constant int values, got %r"
                         % (what, length, shp))
    out = []
    for s in shp:
        if isinstance(s, Constant):
            s = s.data
        if s is not None and not (_is_int(s) or (isinstance(s, np.ndarray) and s.ndim == 0
                                                 and s.dtype.kind in "iu")):
            raise ValueError("%s should be None or a tuple of constant int values, got %r"
                             % (what, shp))
        out.append(None if s is None else int(s))
    return tuple(out)


def _int_tuple(value, length, what):
    value = tuple(value)
    if len(value) != length or not all(_is_int(v) and v >= 1 for v in value):
        raise ValueError("%s must have %d elements, each a positive int; got %r"
                         % (what, length, value))
    return tuple(int(v) for v in value)


# ---------------------------------------------------------------------- numpy kernels


def _pad_spatial(x, pad):
    if all(p == (0, 0) for p in pad):
        return x
    return np.pad(x, ((0, 0), (0, 0)) + tuple(pad))


def _dilated(kspatial, dilation):
    return tuple((k - 1) * d + 1 for k, d in zip(kspatial, dilation))


def _windows(img, dil_kshp, subsample, dilation, out_spatial):
    """``(batch, channels, *out_spatial, *kernel_spatial)`` view of img's windows."""
    nd = len(dil_kshp)
    win = sliding_window_view(img, dil_kshp, axis=tuple(range(2, 2 + nd)))
    index = ((slice(None),) * 2
             + tuple(slice(0, o * s, s) for o, s in zip(out_spatial, subsample))
             + tuple(slice(None, None, d) for d in dilation))
    return win[index]


def _group_slices(n_groups, size):
    step = size // n_groups
    return [slice(g * step, (g + 1) * step) for g in range(n_groups)]


def _out_spatial(in_spatial, kspatial, pad, subsample, dilation):
    return tuple((i + p[0] + p[1] - k) // s + 1 for i, k, p, s in
                 zip(in_spatial, _dilated(kspatial, dilation), pad, subsample))


# The three kernels below are the numpy correlation every convolution op of tensor.nnet
# runs (AbstractConv2d and its gradients here, CorrMM / Corr3dMM in corr.py / corr3d.py):
# cross-correlation of any number of spatial axes (a convolution flips the filters first),
# ``pad`` as ((before, after), ...) per spatial axis, grouped; ``unshared`` filters
# (batch-free locally connected ones, 2-D only) are (out_channels, *out_spatial,
# in_channels, *kernel_spatial).


def _tap_index(tap, dilation, subsample, out_spatial):
    """The strided slice of a padded image that kernel tap ``tap`` reads for every output
    position."""
    return (slice(None),) * 2 + tuple(slice(t * d, t * d + s * o, s) for t, d, s, o in
                                      zip(tap, dilation, subsample, out_spatial))


def _columns(img, kspatial, subsample, dilation, out_spatial):
    """im2col, tap-major: ``(channels, *kernel_spatial, batch, *out_spatial)``, C-ordered,
    filled one kernel tap at a time (each a strided slice of the padded image). A reshape
    gives the (channels x taps, batch x positions) matrix of one BLAS product; tensordot of
    sliding_window_view's 6-d windows copied them with far slower strides."""
    cols = np.empty((img.shape[1],) + tuple(kspatial) + (img.shape[0],) + tuple(out_spatial),
                    dtype=img.dtype)
    for tap in itertools.product(*(range(k) for k in kspatial)):
        cols[(slice(None),) + tap] = img[_tap_index(tap, dilation, subsample,
                                                    out_spatial)].swapaxes(0, 1)
    return cols


def _matrix_sizes(cols, nd):
    """(channels x taps, batch x positions): ``_columns``' shape as a matrix."""
    return (int(np.prod(cols.shape[:1 + nd], dtype=np.int64)),
            int(np.prod(cols.shape[1 + nd:], dtype=np.int64)))


def correlate(img, kern, pad, subsample, dilation, num_groups=1, unshared=False,
              dtype=None):
    """Cross-correlate images ``(batch, channels, *spatial)`` with ``kern``."""
    nd = img.ndim - 2
    kspatial = kern.shape[-nd:]
    out_spatial = _out_spatial(img.shape[2:], kspatial, pad, subsample, dilation)
    padded = _pad_spatial(img, pad)
    if unshared:
        win = _windows(padded, _dilated(kspatial, dilation), subsample, dilation,
                       out_spatial)
    out = np.empty((img.shape[0], kern.shape[0]) + out_spatial,
                   dtype=dtype or np.result_type(img, kern))
    for ci, ko in zip(_group_slices(num_groups, img.shape[1]),
                      _group_slices(num_groups, kern.shape[0])):
        if unshared:
            out[:, ko] = np.einsum("bchwij,khwcij->bkhw", win[:, ci], kern[ko])
        else:
            # (k_out, c x taps) x (c x taps, b x out) -> (k_out, b, *out): one BLAS call
            cols = _columns(padded[:, ci], kspatial, subsample, dilation, out_spatial)
            k = kern[ko]
            inner, positions = _matrix_sizes(cols, nd)
            res = np.dot(k.reshape(len(k), inner), cols.reshape(inner, positions))
            out[:, ko] = res.reshape((len(k), img.shape[0]) + out_spatial).swapaxes(0, 1)
    return out


def correlate_grad_weights(img, topgrad, kspatial, pad, subsample, dilation, num_groups=1,
                           unshared=False, dtype=None):
    """The gradient of ``correlate`` with respect to its filters (unflipped)."""
    nd = img.ndim - 2
    kspatial = tuple(int(k) for k in kspatial)
    padded = _pad_spatial(img, pad)
    out_spatial = topgrad.shape[2:]
    chans = img.shape[1] // num_groups
    if unshared:
        win = _windows(padded, _dilated(kspatial, dilation), subsample, dilation,
                       out_spatial)
        shape = (topgrad.shape[1],) + topgrad.shape[2:] + (chans,) + kspatial
    else:
        shape = (topgrad.shape[1], chans) + kspatial
    out = np.empty(shape, dtype=dtype or np.result_type(img, topgrad))
    for ci, ko in zip(_group_slices(num_groups, img.shape[1]),
                      _group_slices(num_groups, topgrad.shape[1])):
        if unshared:
            out[ko] = np.einsum("bkhw,bchwij->khwcij", topgrad[:, ko], win[:, ci])
        else:
            # (k_out, b x out) x (b x out, c x taps) -> (k_out, c, *k)
            cols = _columns(padded[:, ci], kspatial, subsample, dilation, out_spatial)
            top = topgrad[:, ko].swapaxes(0, 1)
            inner, positions = _matrix_sizes(cols, nd)
            res = np.dot(top.reshape(len(top), positions), cols.reshape(inner, positions).T)
            out[ko] = res.reshape((top.shape[0], chans) + kspatial)
    return out


def correlate_grad_inputs(kern, topgrad, imspatial, pad, subsample, dilation, num_groups=1,
                          unshared=False, dtype=None):
    """The gradient of ``correlate`` with respect to its images of spatial shape
    ``imspatial``."""
    nd = topgrad.ndim - 2
    kspatial = kern.shape[-nd:]
    chans = kern.shape[-nd - 1] * num_groups
    imspatial = tuple(int(s) for s in imspatial)
    # Channels first, so that each tap adds contiguous (batch, *out) blocks; batch first at
    # the end.
    padded = np.zeros((chans, topgrad.shape[0])
                      + tuple(s + p[0] + p[1] for s, p in zip(imspatial, pad)),
                      dtype=np.result_type(kern, topgrad))
    out_spatial = topgrad.shape[2:]
    for ci, ko in zip(_group_slices(num_groups, chans),
                      _group_slices(num_groups, kern.shape[0])):
        if unshared:
            # (b, c, *out, *k) -> (c, *k, b, *out)
            cols = np.moveaxis(np.einsum("bkhw,khwcij->bchwij", topgrad[:, ko], kern[ko]),
                               (0, 2, 3), (3, 4, 5))
        else:
            # (k_out, c, *k) x (b, k_out, *out) -> (c, *k, b, *out)
            cols = np.tensordot(kern[ko], topgrad[:, ko], axes=([0], [1]))
        target = padded[ci]
        # add each kernel tap's contribution at its (strided, dilated) place: a loop over
        # taps, not pixels
        for tap in itertools.product(*(range(k) for k in kspatial)):
            target[_tap_index(tap, dilation, subsample, out_spatial)] += \
                cols[(slice(None),) + tap]
    index = (slice(None),) * 2 + tuple(slice(p[0], p[0] + s) for p, s in zip(pad, imspatial))
    return np.ascontiguousarray(padded[index].swapaxes(0, 1), dtype=dtype or padded.dtype)


class BaseAbstractConv(Op):
    """The props and checks the convolution ops share, in ``_dims`` (2 or 3) spatial axes."""

    __props__ = ("convdim", "border_mode", "subsample", "filter_flip", "imshp", "kshp",
                 "filter_dilation", "num_groups", "unshared")
    _dims = 2

    def __init__(self, imshp=None, kshp=None, border_mode="valid", subsample=None,
                 filter_flip=True, filter_dilation=None, num_groups=1, unshared=False):
        nd = self.convdim = self._dims
        self.border_mode = _normalize_border_mode(border_mode, nd)
        self.subsample = _int_tuple((1,) * nd if subsample is None else subsample, nd,
                                    "subsample")
        self.filter_flip = bool(filter_flip)
        self.imshp = _normalize_shape(imshp, nd + 2, "imshp")
        self.kshp = _normalize_shape(kshp, nd + 2, "kshp")
        self.filter_dilation = _int_tuple((1,) * nd if filter_dilation is None
                                          else filter_dilation, nd, "filter_dilation")
        if not _is_int(num_groups) or num_groups < 1:
            raise ValueError("num_groups must have value greater than zero")
        self.num_groups = int(num_groups)
        if unshared:
            raise NotImplementedError("pytheano does not implement unshared (locally "
                                      "connected) convolution; use unshared=False.")
        self.unshared = False
        self._check_static_shapes()

    def _check_static_shapes(self):
        """Where imshp and kshp give the sizes, check them now rather than at run time."""
        im, k = self.imshp, self.kshp
        if im[1] is not None and k[1] is not None and im[1] != k[1] * self.num_groups:
            raise ValueError("conv2d: the input has %d channels (input_shape %r) but the "
                             "filters expect %d (filter_shape %r, num_groups=%d)"
                             % (im[1], im, k[1] * self.num_groups, k, self.num_groups))
        if k[0] is not None and k[0] % self.num_groups:
            raise ValueError("conv2d: the number of filters (%d) must be divisible by "
                             "num_groups (%d)" % (k[0], self.num_groups))
        if im[1] is not None and im[1] % self.num_groups:
            raise ValueError("conv2d: the number of input channels (%d) must be divisible "
                             "by num_groups (%d)" % (im[1], self.num_groups))
        out = get_conv_output_shape(im, k, self.border_mode, self.subsample,
                                    self.filter_dilation)
        for i, o in enumerate(out[2:]):
            if o is not None and o <= 0:
                raise ValueError("The convolution would produce an invalid shape (dim[%d]: "
                                 "%d <= 0): input_shape %r, filter_shape %r, border_mode %r,"
                                 " subsample %r, filter_dilation %r"
                                 % (i + 2, o, im, k, self.border_mode, self.subsample,
                                    self.filter_dilation))

    def do_constant_folding(self, fgraph, node):
        return False

    def _pad(self, kshp):
        dil = tuple((kshp[i] - 1) * self.filter_dilation[i] + 1 for i in range(self.convdim))
        return dil, border_mode_to_pad(self.border_mode, self.convdim, dil)

    def _flipped(self, kern):
        """The filters turned around every spatial axis (a convolution, not a correlation)."""
        return kern[(slice(None),) * 2 + (slice(None, None, -1),) * self.convdim]

    def _shape_input(self, shape, what):
        shape = as_tensor_variable(shape)
        if shape.type.ndim != 1 or shape.type.dtype[:3] not in ("int", "uin"):
            raise TypeError("shape must be a vector of %d ints (the %s spatial shape), got %s"
                            % (self.convdim, what, shape.type))
        return shape

    def _check_given(self, actual, given, what):
        for a, g in zip(actual, given):
            if g is not None and a != g:
                raise ValueError("%s shape mismatch: shape of %s %s does not match the "
                                 "given %s %s." % (type(self).__name__, what, actual,
                                                   "imshp" if what == "image" else "kshp",
                                                   given))

    def _check_channels(self, img_c, kern_shape):
        g = self.num_groups
        if img_c % g or kern_shape[0] % g:
            raise ValueError("%s: with num_groups=%d the image channels (%d) and the number"
                             " of filters (%d) must both be divisible by %d"
                             % (type(self).__name__, g, img_c, kern_shape[0], g))
        if img_c != kern_shape[1] * g:
            raise ValueError("%s: the image has %d channels but the filters of shape %s "
                             "expect %d (filters are (out_channels, in_channels, rows, "
                             "cols))" % (type(self).__name__, img_c, kern_shape,
                                         kern_shape[1] * g))

    def _ops(self):
        args = dict(imshp=self.imshp, kshp=self.kshp, border_mode=self.border_mode,
                    subsample=self.subsample, filter_flip=self.filter_flip,
                    filter_dilation=self.filter_dilation, num_groups=self.num_groups)
        return tuple(cls(**args) for cls in _FAMILIES[self.convdim])


def _like(var, like):
    """``var`` with ``like``'s broadcastable pattern and dtype (gradients keep the input's
    type)."""
    if var.type.dtype != like.type.dtype:
        var = cast(var, like.type.dtype)
    return patternbroadcast(var, like.broadcastable)


def _check_ndim(var, name, convdim):
    if var.type.ndim != convdim + 2:
        raise TypeError("%s must be %dD tensor (got %s); a %d-D convolution takes input "
                        "(batch, channels, *spatial) and filters (out_channels, in_channels,"
                        " *spatial)" % (name, convdim + 2, var.type, convdim))


class AbstractConv(BaseAbstractConv):
    """Convolution (or cross-correlation when ``filter_flip=False``) of a batch of images
    with a bank of filters; AbstractConv2d and AbstractConv3d fix the number of axes."""

    def make_node(self, img, kern):
        img = as_tensor_variable(img)
        kern = as_tensor_variable(kern)
        _check_ndim(img, "img", self.convdim)
        _check_ndim(kern, "kern", self.convdim)
        img = assert_shape(img, self.imshp, "AbstractConv shape mismatch: shape of image "
                           "does not match given imshp.")
        kern = assert_shape(kern, self.kshp, "AbstractConv shape mismatch: shape of filters "
                            "does not match given kshp.")
        bcast = (img.broadcastable[0], kern.broadcastable[0]) + (False,) * self.convdim
        return Apply(self, [img, kern], [img.type.clone(broadcastable=bcast)()])

    def perform(self, node, inputs, output_storage):
        img, kern = (np.asarray(v) for v in inputs)
        self._check_given(img.shape, self.imshp, "image")
        self._check_given(kern.shape, self.kshp, "filters")
        self._check_channels(img.shape[1], kern.shape)
        dil, pad = self._pad(kern.shape[2:])
        out_shape = get_conv_output_shape(img.shape, kern.shape, self.border_mode,
                                          self.subsample, self.filter_dilation)
        if min(out_shape[2:]) <= 0:
            raise ValueError("%s: the convolution would produce an invalid shape %s (image "
                             "%s, filters %s, border_mode %r, subsample %r, filter_dilation "
                             "%r): the filters are larger than the padded image"
                             % (type(self).__name__, out_shape, img.shape, kern.shape,
                                self.border_mode, self.subsample, self.filter_dilation))
        if self.filter_flip:
            kern = self._flipped(kern)
        output_storage[0][0] = correlate(img, kern, pad, self.subsample, self.filter_dilation,
                                         self.num_groups, dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        imshp = [s if g is None else g for s, g in zip(input_shapes[0], self.imshp)]
        kshp = [s if g is None else g for s, g in zip(input_shapes[1], self.kshp)]
        return [get_conv_output_shape(imshp, kshp, self.border_mode, self.subsample,
                                      self.filter_dilation)]

    def grad(self, inputs, output_grads):
        bottom, weights = inputs
        top, = output_grads
        _, grad_weights, grad_inputs = self._ops()
        d_bottom = grad_inputs(weights, top, bottom.shape[-self.convdim:])
        d_weights = grad_weights(bottom, top, weights.shape[-self.convdim:])
        return [_like(d_bottom, bottom), _like(d_weights, weights)]

    def R_op(self, inputs, eval_points):
        result = None
        if eval_points[0] is not None:
            result = self(eval_points[0], inputs[1])
        if eval_points[1] is not None:
            term = self(inputs[0], eval_points[1])
            result = term if result is None else result + term
        return [result]


class AbstractConv_gradWeights(BaseAbstractConv):
    """The gradient of ``AbstractConv`` with respect to its filters: inputs are the image,
    the output's gradient and the filters' spatial shape."""

    def make_node(self, img, topgrad, shape, add_assert_shape=True):
        img = as_tensor_variable(img)
        topgrad = as_tensor_variable(topgrad)
        _check_ndim(img, "img", self.convdim)
        _check_ndim(topgrad, "topgrad", self.convdim)
        if add_assert_shape:
            img = assert_shape(img, self.imshp, "AbstractConv_gradWeights shape mismatch: "
                               "shape of image does not match given imshp.")
        shape = self._shape_input(shape, "filters'")
        bcast = (topgrad.broadcastable[1], img.broadcastable[1]) + (False,) * self.convdim
        return Apply(self, [img, topgrad, shape], [img.type.clone(broadcastable=bcast)()])

    def perform(self, node, inputs, output_storage):
        img, topgrad, shape = (np.asarray(v) for v in inputs)
        kshp = tuple(int(s) for s in shape)
        self._check_given(img.shape, self.imshp, "image")
        g = self.num_groups
        if img.shape[1] % g or topgrad.shape[1] % g:
            raise ValueError("%s: with num_groups=%d the image channels (%d) and topgrad "
                             "channels (%d) must be divisible by it"
                             % (type(self).__name__, g, img.shape[1], topgrad.shape[1]))
        dil, pad = self._pad(kshp)
        kern_shape = (topgrad.shape[1], img.shape[1] // g) + kshp
        expected = get_conv_output_shape(img.shape, kern_shape, self.border_mode,
                                         self.subsample, self.filter_dilation)
        if tuple(expected) != topgrad.shape:
            raise ValueError("%s: the image of shape %s and filters of shape %s give an "
                             "output of shape %s, but topgrad has shape %s"
                             % (type(self).__name__, img.shape, kern_shape, tuple(expected),
                                topgrad.shape))
        out = correlate_grad_weights(img, topgrad, kshp, pad, self.subsample,
                                     self.filter_dilation, g,
                                     dtype=node.outputs[0].type.dtype)
        if self.filter_flip:
            out = self._flipped(out)
        output_storage[0][0] = np.ascontiguousarray(out)

    def infer_shape(self, fgraph, node, input_shapes):
        imshp, topshp = input_shapes[0], input_shapes[1]
        fallback = [topshp[1], imshp[1] // self.num_groups] + [
            node.inputs[2][i] for i in range(self.convdim)]
        return [[f if k is None else k for f, k in zip(fallback, self.kshp)]]

    def connection_pattern(self, node):
        return [[True], [True], [False]]

    def grad(self, inputs, output_grads):
        bottom, top = inputs[:2]
        weights, = output_grads
        conv, _, grad_inputs = self._ops()
        d_bottom = grad_inputs(weights, top, bottom.shape[-self.convdim:])
        d_top = conv(bottom, weights)
        return [_like(d_bottom, bottom), _like(d_top, top), DisconnectedType()()]


class AbstractConv_gradInputs(BaseAbstractConv):
    """The gradient of ``AbstractConv`` with respect to its input image: inputs are the
    filters, the output's gradient and the image's spatial shape."""

    def make_node(self, kern, topgrad, shape, add_assert_shape=True):
        kern = as_tensor_variable(kern)
        topgrad = as_tensor_variable(topgrad)
        _check_ndim(kern, "kern", self.convdim)
        _check_ndim(topgrad, "topgrad", self.convdim)
        if add_assert_shape:
            kern = assert_shape(kern, self.kshp, "AbstractConv_gradInputs shape mismatch: "
                                "shape of filters does not match given kshp.")
        shape = self._shape_input(shape, "image's")
        chan = kern.broadcastable[1] if self.num_groups == 1 else False
        bcast = (topgrad.broadcastable[0], chan) + (False,) * self.convdim
        return Apply(self, [kern, topgrad, shape], [kern.type.clone(broadcastable=bcast)()])

    def perform(self, node, inputs, output_storage):
        kern, topgrad, shape = (np.asarray(v) for v in inputs)
        self._check_given(kern.shape, self.kshp, "filters")
        g = self.num_groups
        if kern.shape[0] % g or kern.shape[0] != topgrad.shape[1]:
            raise ValueError("%s: topgrad has %d channels but there are %d filters "
                             "(num_groups=%d)"
                             % (type(self).__name__, topgrad.shape[1], kern.shape[0], g))
        imshp = [topgrad.shape[0], kern.shape[1] * g] + [int(s) for s in shape]
        imshp = tuple(s if given is None else given for s, given in zip(imshp, self.imshp))
        expected = get_conv_output_shape(imshp, kern.shape, self.border_mode,
                                         self.subsample, self.filter_dilation)
        if tuple(expected) != topgrad.shape:
            raise ValueError("invalid input_shape for gradInputs: the given input_shape would "
                             "produce an output of shape {}, but the given topgrad has shape "
                             "{}".format(tuple(expected), topgrad.shape))
        dil, pad = self._pad(kern.shape[2:])
        if self.filter_flip:
            kern = self._flipped(kern)
        output_storage[0][0] = correlate_grad_inputs(
            kern, topgrad, imshp[2:], pad, self.subsample, self.filter_dilation, g,
            dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        kshp, topshp = input_shapes[0], input_shapes[1]
        fallback = [topshp[0], kshp[1] * self.num_groups if self.num_groups > 1 else kshp[1]]
        fallback += [node.inputs[2][i] for i in range(self.convdim)]
        return [[f if i is None else i for f, i in zip(fallback, self.imshp)]]

    def connection_pattern(self, node):
        return [[True], [True], [False]]

    def grad(self, inputs, output_grads):
        weights, top = inputs[:2]
        bottom, = output_grads
        conv, grad_weights, _ = self._ops()
        d_weights = grad_weights(bottom, top, weights.shape[-self.convdim:])
        d_top = conv(bottom, weights)
        return [_like(d_weights, weights), _like(d_top, top), DisconnectedType()()]


class AbstractConv2d(AbstractConv):
    """2-D convolution of images ``(batch, channels, rows, cols)`` with filters
    ``(out_channels, in_channels, rows, cols)``."""

    _dims = 2


class AbstractConv2d_gradWeights(AbstractConv_gradWeights):
    """The gradient of ``AbstractConv2d`` with respect to its filters."""

    _dims = 2


class AbstractConv2d_gradInputs(AbstractConv_gradInputs):
    """The gradient of ``AbstractConv2d`` with respect to its images."""

    _dims = 2


class AbstractConv3d(AbstractConv):
    """3-D convolution of images ``(batch, channels, rows, cols, depth)`` with filters
    ``(out_channels, in_channels, rows, cols, depth)``."""

    _dims = 3


class AbstractConv3d_gradWeights(AbstractConv_gradWeights):
    """The gradient of ``AbstractConv3d`` with respect to its filters."""

    _dims = 3


class AbstractConv3d_gradInputs(AbstractConv_gradInputs):
    """The gradient of ``AbstractConv3d`` with respect to its images."""

    _dims = 3


_FAMILIES = {2: (AbstractConv2d, AbstractConv2d_gradWeights, AbstractConv2d_gradInputs),
             3: (AbstractConv3d, AbstractConv3d_gradWeights, AbstractConv3d_gradInputs)}


def conv2d(input, filters, input_shape=None, filter_shape=None, border_mode="valid",
           subsample=(1, 1), filter_flip=True, filter_dilation=(1, 1), num_groups=1,
           unshared=False):
    """Convolve a batch of images ``(batch, channels, rows, cols)`` with filters
    ``(out_channels, in_channels, rows, cols)``.

    border_mode: 'valid', 'full', 'half', an int, or a pair (of ints or (before, after)
    pairs) of zero paddings; subsample: the strides; filter_flip: True for a true
    convolution, False for cross-correlation; filter_dilation: the filters' dilation.
    ``input_shape`` / ``filter_shape`` (None where unknown) are checked at build time
    where they suffice, and against the real shapes at run time.
    """
    op = AbstractConv2d(imshp=input_shape, kshp=filter_shape, border_mode=border_mode,
                        subsample=subsample, filter_flip=filter_flip,
                        filter_dilation=filter_dilation, num_groups=num_groups,
                        unshared=unshared)
    return op(as_tensor_variable(input), as_tensor_variable(filters))


def nnet_conv2d(input, filters, input_shape=None, filter_shape=None, border_mode="valid",
                subsample=(1, 1), filter_flip=True, image_shape=None, filter_dilation=(1, 1),
                num_groups=1, unshared=False, **kwargs):
    """``theano.tensor.nnet.conv2d``: ``conv2d`` with the deprecated ``image_shape``
    alias (in Theano 1.0's argument order) and old keyword arguments accepted."""
    if "imshp_logical" in kwargs or "kshp_logical" in kwargs:
        raise ValueError("Keyword arguments 'imshp_logical' and 'kshp_logical' for conv2d "
                         "are not supported anymore (and have not been a reliable way to "
                         "perform upsampling).")
    if kwargs:
        warnings.warn(str(kwargs.keys()) + " are now deprecated in "
                      "`tensor.nnet.abstract_conv.conv2d` interface and will be ignored.",
                      stacklevel=2)
    if image_shape is not None:
        warnings.warn("The `image_shape` keyword argument to `tensor.nnet.conv2d` is "
                      "deprecated, it has been renamed to `input_shape`.", stacklevel=2)
        if input_shape is None:
            input_shape = image_shape
        else:
            raise ValueError("input_shape and image_shape should not be provided at the "
                             "same time.")
    return conv2d(input, filters, input_shape, filter_shape, border_mode, subsample,
                  filter_flip, filter_dilation, num_groups, unshared)


def _spatial(shape, what, convdim=2):
    """The spatial entries of a (2 + convdim)-long shape (ints or symbolic scalars) as the
    int vector the gradient ops take, and the shape with the symbolic entries as None (for
    checks)."""
    shape = list(shape)
    if len(shape) != convdim + 2:
        raise ValueError("%s must have %d entries, got %r" % (what, convdim + 2, shape))
    static = [s if s is None or _is_int(s) else
              (int(s.data) if hasattr(s, "data") else None) for s in shape]
    return as_tensor_variable(shape[2:]), static


def conv2d_grad_wrt_inputs(output_grad, filters, input_shape, filter_shape=None,
                           border_mode="valid", subsample=(1, 1), filter_flip=True,
                           filter_dilation=(1, 1), num_groups=1, unshared=False):
    """The gradient of ``conv2d`` with respect to its input, for the output's gradient
    ``output_grad``: an image of ``input_shape`` (its last two entries may be symbolic)."""
    spatial, static = _spatial(input_shape, "input_shape")
    op = AbstractConv2d_gradInputs(imshp=static, kshp=filter_shape, border_mode=border_mode,
                                   subsample=subsample, filter_flip=filter_flip,
                                   filter_dilation=filter_dilation, num_groups=num_groups,
                                   unshared=unshared)
    return op(as_tensor_variable(filters), as_tensor_variable(output_grad), spatial)


def conv2d_grad_wrt_weights(input, output_grad, filter_shape, input_shape=None,
                            border_mode="valid", subsample=(1, 1), filter_flip=True,
                            filter_dilation=(1, 1), num_groups=1, unshared=False):
    """The gradient of ``conv2d`` with respect to its filters, for the output's gradient
    ``output_grad``: filters of ``filter_shape`` (its last two entries may be symbolic)."""
    spatial, static = _spatial(filter_shape, "filter_shape")
    op = AbstractConv2d_gradWeights(imshp=input_shape, kshp=static, border_mode=border_mode,
                                    subsample=subsample, filter_flip=filter_flip,
                                    filter_dilation=filter_dilation, num_groups=num_groups,
                                    unshared=unshared)
    return op(as_tensor_variable(input), as_tensor_variable(output_grad), spatial)


def conv2d_transpose(input, filters, output_shape, filter_shape=None, border_mode="valid",
                     input_dilation=(1, 1), filter_flip=True, filter_dilation=(1, 1),
                     num_groups=1, unshared=False):
    """The transposed convolution ("deconvolution") of ``input`` by ``filters``: the
    gradient of ``conv2d`` with respect to an input of ``output_shape``; ``input_dilation``
    is that convolution's subsample."""
    return conv2d_grad_wrt_inputs(input, filters, output_shape, filter_shape, border_mode,
                                  input_dilation, filter_flip, filter_dilation, num_groups,
                                  unshared)


def separable_conv2d(input, depthwise_filters, pointwise_filters, num_channels,
                     input_shape=None, depthwise_filter_shape=None,
                     pointwise_filter_shape=None, border_mode="valid", subsample=(1, 1),
                     filter_flip=True, filter_dilation=(1, 1)):
    """A depthwise convolution (``depthwise_filters``, one group per input channel of the
    ``num_channels``) followed by a 1x1 pointwise one (``pointwise_filters``)."""
    depthwise = conv2d(input, depthwise_filters, input_shape, depthwise_filter_shape,
                       border_mode, subsample, filter_flip, filter_dilation,
                       num_groups=num_channels)
    mid_shape = None
    if input_shape is not None and depthwise_filter_shape is not None:
        mid_shape = get_conv_output_shape(input_shape, depthwise_filter_shape, border_mode,
                                          subsample, filter_dilation)
    return conv2d(depthwise, pointwise_filters, mid_shape, pointwise_filter_shape, "valid",
                  (1, 1), filter_flip, (1, 1), num_groups=1)


# ---------------------------------------------------------------------- 3-D convolution


def conv3d(input, filters, input_shape=None, filter_shape=None, border_mode="valid",
           subsample=(1, 1, 1), filter_flip=True, filter_dilation=(1, 1, 1), num_groups=1):
    """Convolve a batch of volumes ``(batch, channels, rows, cols, depth)`` with filters
    ``(out_channels, in_channels, rows, cols, depth)``; the arguments are conv2d's, per
    axis."""
    op = AbstractConv3d(imshp=input_shape, kshp=filter_shape, border_mode=border_mode,
                        subsample=subsample, filter_flip=filter_flip,
                        filter_dilation=filter_dilation, num_groups=num_groups)
    return op(as_tensor_variable(input), as_tensor_variable(filters))


def conv3d_grad_wrt_inputs(output_grad, filters, input_shape, filter_shape=None,
                           border_mode="valid", subsample=(1, 1, 1), filter_flip=True,
                           filter_dilation=(1, 1, 1), num_groups=1):
    """The gradient of ``conv3d`` with respect to its input (see conv2d_grad_wrt_inputs)."""
    spatial, static = _spatial(input_shape, "input_shape", 3)
    op = AbstractConv3d_gradInputs(imshp=static, kshp=filter_shape, border_mode=border_mode,
                                   subsample=subsample, filter_flip=filter_flip,
                                   filter_dilation=filter_dilation, num_groups=num_groups)
    return op(as_tensor_variable(filters), as_tensor_variable(output_grad), spatial)


def conv3d_grad_wrt_weights(input, output_grad, filter_shape, input_shape=None,
                            border_mode="valid", subsample=(1, 1, 1), filter_flip=True,
                            filter_dilation=(1, 1, 1), num_groups=1):
    """The gradient of ``conv3d`` with respect to its filters (see
    conv2d_grad_wrt_weights)."""
    spatial, static = _spatial(filter_shape, "filter_shape", 3)
    op = AbstractConv3d_gradWeights(imshp=input_shape, kshp=static, border_mode=border_mode,
                                    subsample=subsample, filter_flip=filter_flip,
                                    filter_dilation=filter_dilation, num_groups=num_groups)
    return op(as_tensor_variable(input), as_tensor_variable(output_grad), spatial)


def separable_conv3d(input, depthwise_filters, pointwise_filters, num_channels,
                     input_shape=None, depthwise_filter_shape=None,
                     pointwise_filter_shape=None, border_mode="valid", subsample=(1, 1, 1),
                     filter_flip=True, filter_dilation=(1, 1, 1)):
    """``separable_conv2d`` over volumes: a depthwise conv3d (one group per input channel)
    then a 1x1x1 pointwise one."""
    depthwise = conv3d(input, depthwise_filters, input_shape, depthwise_filter_shape,
                       border_mode, subsample, filter_flip, filter_dilation,
                       num_groups=num_channels)
    mid_shape = None
    if input_shape is not None and depthwise_filter_shape is not None:
        mid_shape = get_conv_output_shape(input_shape, depthwise_filter_shape, border_mode,
                                          subsample, filter_dilation)
    return conv3d(depthwise, pointwise_filters, mid_shape, pointwise_filter_shape, "valid",
                  (1, 1, 1), filter_flip, (1, 1, 1), num_groups=1)


# ---------------------------------------------------------------------- built on conv2d


def causal_conv1d(input, filters, filter_shape, input_shape=None, subsample=1,
                  filter_flip=True, filter_dilation=1, num_groups=1, unshared=False):
    """1-D convolution of sequences ``(batch, channels, time)`` with filters
    ``(out_channels, in_channels, width)`` in which output t sees only inputs <= t: the
    sequence is zero-padded on the left by the dilated filter's length minus one."""
    input = as_tensor_variable(input)
    filters = as_tensor_variable(filters)
    if input.ndim != 3:
        raise ValueError("Input should be 3D for causal convolution.")
    if filters.ndim != 3:
        raise ValueError("Filters should be 3D for causal convolution")
    if len(filter_shape) != 3 or (input_shape is not None and len(input_shape) != 3):
        raise ValueError("causal_conv1d: filter_shape (and input_shape) must have 3 entries")
    filter_shape = tuple(filter_shape) + (1,)
    if input_shape is not None:
        input_shape = tuple(input_shape) + (1,)
    left_pad = filter_dilation * (filter_shape[2] - 1)
    op = AbstractConv2d(imshp=input_shape, kshp=filter_shape,
                        border_mode=((left_pad, 0), 0), subsample=(subsample, 1),
                        filter_flip=filter_flip, filter_dilation=(filter_dilation, 1),
                        num_groups=num_groups, unshared=unshared)
    return op(input.dimshuffle(0, 1, 2, "x"), filters.dimshuffle(0, 1, 2, "x"))[:, :, :, 0]


def bilinear_kernel_1D(ratio, normalize=True):
    """The triangle ``1, 2, ..., ratio, ..., 2, 1`` (divided by ``ratio`` when
    ``normalize``) that upsamples by ``ratio`` with linear interpolation."""
    half = arange(1, ratio + 1, dtype=config.floatX)
    kern = concatenate([half, half[-2::-1]])
    if normalize:
        kern = kern / cast(ratio, config.floatX)
    return kern


def bilinear_kernel_2D(ratio, normalize=True):
    """The outer product of the 1-D kernels of the rows' and the columns' ratios (``ratio``
    an int, or a (rows, cols) pair)."""
    ratio_v, ratio_h = ratio if isinstance(ratio, tuple) else (ratio, ratio)
    return (bilinear_kernel_1D(ratio_v, normalize).dimshuffle(0, "x")
            * bilinear_kernel_1D(ratio_h, normalize).dimshuffle("x", 0))


def _edge_padded(input):
    """Every (row, col) plane of ``input`` as a batch of one-channel images, its border
    rows and columns repeated once (so interpolation at the edges uses the edge value)."""
    row, col = input.shape[2:]
    planes = input.reshape((-1, 1, row, col))
    planes = concatenate((planes[:, :, :1, :], planes, planes[:, :, -1:, :]), axis=2)
    return concatenate((planes[:, :, :, :1], planes, planes[:, :, :, -1:]), axis=3)


def frac_bilinear_upsampling(input, frac_ratio):
    """Bilinear upsampling of ``(batch, channels, rows, cols)`` by a fractional ratio:
    ``frac_ratio`` is (p, q) for both axes or ((p, q), (p', q')) per axis; each axis grows
    by p / q (upsampled by p, subsampled by q)."""
    if not isinstance(frac_ratio, tuple):
        raise ValueError("frac_ratio must be a tuple")
    pairs = frac_ratio if isinstance(frac_ratio[0], tuple) else (frac_ratio, frac_ratio)
    pairs = [(p // gcd(p, q), q // gcd(p, q)) for p, q in pairs]
    ratio = (pairs[0][0], pairs[1][0])
    subsample = (pairs[0][1], pairs[1][1])
    row, col = input.shape[2:]
    padded = _edge_padded(input)
    # the kernel, zero-padded to cover the whole dilated image: the "image" of a valid
    # convolution whose "filters" are the planes (as Theano computes it)
    double_pad = (2 * as_tensor_variable([row, col]) - 1) * np.array(ratio) + 1
    pad = double_pad // 2
    kern = bilinear_kernel_2D(ratio)[np.newaxis, np.newaxis, :, :].astype(config.floatX)
    kern = concatenate((zeros((1, 1, pad[0], kern.shape[3]), dtype=config.floatX), kern,
                        zeros((1, 1, double_pad[0] - pad[0], kern.shape[3]),
                              dtype=config.floatX)), axis=2)
    kern = concatenate((zeros((1, 1, kern.shape[2], pad[1]), dtype=config.floatX), kern,
                        zeros((1, 1, kern.shape[2], double_pad[1] - pad[1]),
                              dtype=config.floatX)), axis=3)
    up = conv2d(kern, padded, border_mode="valid", filter_dilation=ratio, subsample=subsample)
    return up.reshape((input.shape[0], input.shape[1], up.shape[2], up.shape[3]))


def bilinear_upsampling(input, ratio=None, frac_ratio=None, batch_size=None,
                        num_input_channels=None, use_1D_kernel=True):
    """Upsample ``(batch, channels, rows, cols)`` by an integer ``ratio`` (or a fractional
    ``frac_ratio``, see frac_bilinear_upsampling) with bilinear interpolation: a transposed
    convolution by the bilinear kernel (two 1-D passes when ``use_1D_kernel``). The output is
    ``(batch, channels, rows * ratio, cols * ratio)``."""
    if ratio and frac_ratio:
        raise ValueError("can't use ratio and frac_ratio together")
    if not (ratio or frac_ratio):
        raise ValueError("No ratio (or frac_ratio) provided")
    if frac_ratio:
        if use_1D_kernel:
            raise ValueError("For fractional ratios 1D kernel method not implemented. You may "
                             "want to pass use_1D_kernel as False")
        return frac_bilinear_upsampling(input, frac_ratio=frac_ratio)
    try:
        planes = batch_size * num_input_channels
    except TypeError:
        planes = None
    row, col = input.shape[2:]
    padded = _edge_padded(input)
    pad = 2 * ratio - (ratio - 1) // 2 - 1
    if use_1D_kernel:
        kern = bilinear_kernel_1D(ratio, normalize=True)
        rows_done = conv2d_grad_wrt_inputs(
            padded, kern[np.newaxis, np.newaxis, :, np.newaxis],
            input_shape=(planes, 1, row * ratio, col + 2), filter_shape=(1, 1, None, 1),
            border_mode=(pad, 0), subsample=(ratio, 1))
        out = conv2d_grad_wrt_inputs(
            rows_done, kern[np.newaxis, np.newaxis, np.newaxis, :],
            input_shape=(planes, 1, row * ratio, col * ratio), filter_shape=(1, 1, 1, None),
            border_mode=(0, pad), subsample=(1, ratio))
    else:
        kern = bilinear_kernel_2D(ratio, normalize=True)
        out = conv2d_grad_wrt_inputs(
            padded, kern[np.newaxis, np.newaxis, :, :],
            input_shape=(planes, 1, row * ratio, col * ratio),
            filter_shape=(1, 1, None, None), border_mode=(pad, pad),
            subsample=(ratio, ratio))
    return out.reshape((input.shape[0], input.shape[1], row * ratio, col * ratio))
