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

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from pytheano._core.graph import Apply, Constant
from pytheano.graph.op import Op
from pytheano.tensor.basic import as_tensor_variable
from pytheano.graph.grad_types import DisconnectedType
from pytheano.tensor.basic import patternbroadcast
from pytheano.tensor.math import cast

__all__ = ["conv2d", "AbstractConv2d", "AbstractConv2d_gradWeights",
           "AbstractConv2d_gradInputs", "get_conv_output_shape", "get_conv_shape_1axis",
           "border_mode_to_pad", "conv2d_grad_wrt_inputs", "conv2d_grad_wrt_weights",
           "separable_conv2d"]




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


def correlate(img, kern, pad, subsample, dilation, num_groups=1, unshared=False,
              dtype=None):
    """Cross-correlate images ``(batch, channels, *spatial)`` with ``kern``."""
    nd = img.ndim - 2
    kspatial = kern.shape[-nd:]
    out_spatial = _out_spatial(img.shape[2:], kspatial, pad, subsample, dilation)
    win = _windows(_pad_spatial(img, pad), _dilated(kspatial, dilation), subsample,
                   dilation, out_spatial)
    out = np.empty((img.shape[0], kern.shape[0]) + out_spatial,
                   dtype=dtype or np.result_type(img, kern))
    w_axes = [1] + list(range(2 + nd, 2 + 2 * nd))
    for ci, ko in zip(_group_slices(num_groups, img.shape[1]),
                      _group_slices(num_groups, kern.shape[0])):
        if unshared:
            out[:, ko] = np.einsum("bchwij,khwcij->bkhw", win[:, ci], kern[ko])
        else:
            # (b, c, *out, *k) x (k_out, c, *k) -> (b, *out, k_out): one BLAS call
            res = np.tensordot(win[:, ci], kern[ko], axes=(w_axes, [1] + list(range(2, 2 + nd))))
            out[:, ko] = np.moveaxis(res, -1, 1)
    return out


def correlate_grad_weights(img, topgrad, kspatial, pad, subsample, dilation, num_groups=1,
                           unshared=False, dtype=None):
    """The gradient of ``correlate`` with respect to its filters (unflipped)."""
    nd = img.ndim - 2
    kspatial = tuple(int(k) for k in kspatial)
    win = _windows(_pad_spatial(img, pad), _dilated(kspatial, dilation), subsample,
                   dilation, topgrad.shape[2:])
    chans = img.shape[1] // num_groups
    if unshared:
        shape = (topgrad.shape[1],) + topgrad.shape[2:] + (chans,) + kspatial
    else:
        shape = (topgrad.shape[1], chans) + kspatial
    out = np.empty(shape, dtype=dtype or np.result_type(img, topgrad))
    spatial = list(range(2, 2 + nd))
    for ci, ko in zip(_group_slices(num_groups, img.shape[1]),
                      _group_slices(num_groups, topgrad.shape[1])):
        if unshared:
            out[ko] = np.einsum("bkhw,bchwij->khwcij", topgrad[:, ko], win[:, ci])
        else:
            # (b, k_out, *out) x (b, c, *out, *k) -> (k_out, c, *k)
            out[ko] = np.tensordot(topgrad[:, ko], win[:, ci], axes=([0] + spatial,
                                                                     [0] + spatial))
    return out


def correlate_grad_inputs(kern, topgrad, imspatial, pad, subsample, dilation, num_groups=1,
                          unshared=False, dtype=None):
    """The gradient of ``correlate`` with respect to its images of spatial shape
    ``imspatial``."""
    nd = topgrad.ndim - 2
    kspatial = kern.shape[-nd:]
    chans = kern.shape[-nd - 1] * num_groups
    imspatial = tuple(int(s) for s in imspatial)
    padded = np.zeros((topgrad.shape[0], chans)
                      + tuple(s + p[0] + p[1] for s, p in zip(imspatial, pad)),
                      dtype=np.result_type(kern, topgrad))
    out_spatial = topgrad.shape[2:]
    for ci, ko in zip(_group_slices(num_groups, chans),
                      _group_slices(num_groups, kern.shape[0])):
        if unshared:
            cols = np.einsum("bkhw,khwcij->bchwij", topgrad[:, ko], kern[ko])
        else:
            # (b, k_out, *out) x (k_out, c, *k) -> (b, *out, c, *k) -> (b, c, *out, *k)
            cols = np.moveaxis(np.tensordot(topgrad[:, ko], kern[ko], axes=([1], [0])),
                               1 + nd, 1)
        target = padded[:, ci]
        # add each kernel tap's contribution at its (strided, dilated) place: a loop over
        # taps, not pixels
        for tap in itertools.product(*(range(k) for k in kspatial)):
            index = (slice(None),) * 2 + tuple(
                slice(t * d, t * d + s * o, s)
                for t, d, s, o in zip(tap, dilation, subsample, out_spatial))
            target[index] += cols[(Ellipsis,) + tap]
    index = (slice(None),) * 2 + tuple(slice(p[0], p[0] + s) for p, s in zip(pad, imspatial))
    return np.asarray(padded[index], dtype=dtype or padded.dtype)


class _Conv2dBase(Op):
    """The props and checks the three convolution ops share (Theano's BaseAbstractConv)."""

    __props__ = ("convdim", "border_mode", "subsample", "filter_flip", "imshp", "kshp",
                 "filter_dilation", "num_groups", "unshared")

    def __init__(self, imshp=None, kshp=None, border_mode="valid", subsample=(1, 1),
                 filter_flip=True, filter_dilation=(1, 1), num_groups=1, unshared=False):
        self.convdim = 2
        self.border_mode = _normalize_border_mode(border_mode, 2)
        self.subsample = _int_tuple(subsample, 2, "subsample")
        self.filter_flip = bool(filter_flip)
        self.imshp = _normalize_shape(imshp, 4, "imshp")
        self.kshp = _normalize_shape(kshp, 4, "kshp")
        self.filter_dilation = _int_tuple(filter_dilation, 2, "filter_dilation")
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
        dil = tuple((kshp[i] - 1) * self.filter_dilation[i] + 1 for i in range(2))
        return dil, border_mode_to_pad(self.border_mode, 2, dil)

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
        return (AbstractConv2d(**args), AbstractConv2d_gradWeights(**args),
                AbstractConv2d_gradInputs(**args))


def _like(var, like):
    """``var`` with ``like``'s broadcastable pattern and dtype (gradients keep the input's
    type)."""
    if var.type.dtype != like.type.dtype:
        var = cast(var, like.type.dtype)
    return patternbroadcast(var, like.broadcastable)


def _check_4d(var, name):
    if var.type.ndim != 4:
        raise TypeError("%s must be 4D tensor (got %s); conv2d takes input (batch, channels,"
                        " rows, cols) and filters (out_channels, in_channels, rows, cols)"
                        % (name, var.type))


class AbstractConv2d(_Conv2dBase):
    """2-D convolution (or cross-correlation when ``filter_flip=False``) of a batch of
    images with a bank of filters."""

    def make_node(self, img, kern):
        img = as_tensor_variable(img)
        kern = as_tensor_variable(kern)
        _check_4d(img, "img")
        _check_4d(kern, "kern")
        bcast = (img.broadcastable[0], kern.broadcastable[0], False, False)
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
            raise ValueError("AbstractConv2d: the convolution would produce an invalid "
                             "shape %s (image %s, filters %s, border_mode %r, subsample %r,"
                             " filter_dilation %r): the filters are larger than the padded"
                             " image" % (out_shape, img.shape, kern.shape, self.border_mode,
                                         self.subsample, self.filter_dilation))
        if self.filter_flip:
            kern = kern[:, :, ::-1, ::-1]
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
        d_bottom = grad_inputs(weights, top, bottom.shape[-2:])
        d_weights = grad_weights(bottom, top, weights.shape[-2:])
        return [_like(d_bottom, bottom), _like(d_weights, weights)]

    def R_op(self, inputs, eval_points):
        result = None
        if eval_points[0] is not None:
            result = self(eval_points[0], inputs[1])
        if eval_points[1] is not None:
            term = self(inputs[0], eval_points[1])
            result = term if result is None else result + term
        return [result]


class AbstractConv2d_gradWeights(_Conv2dBase):
    """The gradient of ``AbstractConv2d`` with respect to its filters: inputs are the image,
    the output's gradient and the filters' spatial shape."""

    def make_node(self, img, topgrad, shape):
        img = as_tensor_variable(img)
        topgrad = as_tensor_variable(topgrad)
        _check_4d(img, "img")
        _check_4d(topgrad, "topgrad")
        shape = as_tensor_variable(shape)
        if shape.type.ndim != 1 or shape.type.dtype[:3] not in ("int", "uin"):
            raise TypeError("shape must be a vector of 2 ints (the filters' rows and cols), "
                            "got %s" % (shape.type,))
        bcast = (topgrad.broadcastable[1], img.broadcastable[1], False, False)
        return Apply(self, [img, topgrad, shape], [img.type.clone(broadcastable=bcast)()])

    def perform(self, node, inputs, output_storage):
        img, topgrad, shape = (np.asarray(v) for v in inputs)
        kshp = tuple(int(s) for s in shape)
        self._check_given(img.shape, self.imshp, "image")
        g = self.num_groups
        if img.shape[1] % g or topgrad.shape[1] % g:
            raise ValueError("AbstractConv2d_gradWeights: with num_groups=%d the image "
                             "channels (%d) and topgrad channels (%d) must be divisible by "
                             "it" % (g, img.shape[1], topgrad.shape[1]))
        dil, pad = self._pad(kshp)
        kern_shape = (topgrad.shape[1], img.shape[1] // g) + kshp
        expected = get_conv_output_shape(img.shape, kern_shape, self.border_mode,
                                         self.subsample, self.filter_dilation)
        if tuple(expected) != topgrad.shape:
            raise ValueError("AbstractConv2d_gradWeights: the image of shape %s and filters "
                             "of shape %s give an output of shape %s, but topgrad has shape "
                             "%s" % (img.shape, kern_shape, tuple(expected), topgrad.shape))
        out = correlate_grad_weights(img, topgrad, kshp, pad, self.subsample,
                                     self.filter_dilation, g,
                                     dtype=node.outputs[0].type.dtype)
        if self.filter_flip:
            out = out[:, :, ::-1, ::-1]
        output_storage[0][0] = np.ascontiguousarray(out)

    def infer_shape(self, fgraph, node, input_shapes):
        imshp, topshp = input_shapes[0], input_shapes[1]
        fallback = [topshp[1], imshp[1] // self.num_groups,
                    node.inputs[2][0], node.inputs[2][1]]
        return [[f if k is None else k for f, k in zip(fallback, self.kshp)]]

    def connection_pattern(self, node):
        return [[True], [True], [False]]

    def grad(self, inputs, output_grads):
        bottom, top = inputs[:2]
        weights, = output_grads
        conv, _, grad_inputs = self._ops()
        d_bottom = grad_inputs(weights, top, bottom.shape[-2:])
        d_top = conv(bottom, weights)
        return [_like(d_bottom, bottom), _like(d_top, top), DisconnectedType()()]


class AbstractConv2d_gradInputs(_Conv2dBase):
    """The gradient of ``AbstractConv2d`` with respect to its input image: inputs are the
    filters, the output's gradient and the image's spatial shape."""

    def make_node(self, kern, topgrad, shape):
        kern = as_tensor_variable(kern)
        topgrad = as_tensor_variable(topgrad)
        _check_4d(kern, "kern")
        _check_4d(topgrad, "topgrad")
        shape = as_tensor_variable(shape)
        if shape.type.ndim != 1 or shape.type.dtype[:3] not in ("int", "uin"):
            raise TypeError("shape must be a vector of 2 ints (the image's rows and cols), "
                            "got %s" % (shape.type,))
        chan = kern.broadcastable[1] if self.num_groups == 1 else False
        bcast = (topgrad.broadcastable[0], chan, False, False)
        return Apply(self, [kern, topgrad, shape], [kern.type.clone(broadcastable=bcast)()])

    def perform(self, node, inputs, output_storage):
        kern, topgrad, shape = (np.asarray(v) for v in inputs)
        self._check_given(kern.shape, self.kshp, "filters")
        g = self.num_groups
        if kern.shape[0] % g or kern.shape[0] != topgrad.shape[1]:
            raise ValueError("AbstractConv2d_gradInputs: topgrad has %d channels but there "
                             "are %d filters (num_groups=%d)"
                             % (topgrad.shape[1], kern.shape[0], g))
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
            kern = kern[:, :, ::-1, ::-1]
        output_storage[0][0] = correlate_grad_inputs(
            kern, topgrad, imshp[2:], pad, self.subsample, self.filter_dilation, g,
            dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        kshp, topshp = input_shapes[0], input_shapes[1]
        fallback = [topshp[0], kshp[1] * self.num_groups if self.num_groups > 1 else kshp[1],
                    node.inputs[2][0], node.inputs[2][1]]
        return [[f if i is None else i for f, i in zip(fallback, self.imshp)]]

    def connection_pattern(self, node):
        return [[True], [True], [False]]

    def grad(self, inputs, output_grads):
        weights, top = inputs[:2]
        bottom, = output_grads
        conv, grad_weights, _ = self._ops()
        d_weights = grad_weights(bottom, top, weights.shape[-2:])
        d_top = conv(bottom, weights)
        return [_like(d_weights, weights), _like(d_top, top), DisconnectedType()()]


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


def _spatial(shape, what):
    """The last two entries of a 4-long shape (ints or symbolic scalars) as the int vector
    the gradient ops take, and the shape with the symbolic entries as None (for checks)."""
    shape = list(shape)
    if len(shape) != 4:
        raise ValueError("%s must have 4 entries, got %r" % (what, shape))
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
