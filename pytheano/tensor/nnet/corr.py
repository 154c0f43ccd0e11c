"""Correlation ops of ``theano.tensor.nnet.corr``: ``CorrMM`` and its two gradients.

Theano's CorrMM is the CPU cross-correlation (no filter flip) that its optimizer puts in
place of ``AbstractConv2d`` and which users also call directly. Here it runs the numpy
correlation kernels of ``abstract_conv`` (one implementation for every convolution op).
The direction-generic parts (make_node, perform, infer_shape, grad in any number of spatial
axes) are the ``_Correlate*`` classes; ``corr3d`` reuses them for ``Corr3dMM``.

Layout as in Theano: images ``(batch, channels, *spatial)``, filters ``(out_channels,
channels // num_groups, *spatial)``; unshared filters ``(out_channels, out_rows, out_cols,
channels // num_groups, rows, cols)``.
"""
import numpy as np

from pytheano._core.graph import Apply
from pytheano.graph.grad_types import DisconnectedType
from pytheano.graph.op import Op
from pytheano.scalar.type import upcast
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.nnet.abstract_conv import (
    _is_int, _like, border_mode_to_pad, correlate, correlate_grad_inputs,
    correlate_grad_weights, get_conv_output_shape)
from pytheano.tensor.type import TensorType

__all__ = ["BaseCorrMM", "CorrMM", "CorrMM_gradWeights", "CorrMM_gradInputs"]

_DIRECTIONS = ("forward", "backprop weights", "backprop inputs")
_AXIS_NAMES = ("height", "width", "depth")


def _as_common_dtype(a, b):
    dtype = upcast(a.dtype, b.dtype)
    return a.astype(dtype), b.astype(dtype)


class _CorrBase(Op):
    """What the correlation ops of every dimension share; subclasses set ``convdim`` and
    normalise ``border_mode`` in ``__init__``."""

    convdim = 2
    check_broadcast = False
    _direction = None
    # the classes of one family (forward, grad weights, grad inputs), set below each family
    _family = None

    def _check_common(self, subsample, filter_dilation, num_groups):
        names = {2: "two", 3: "three"}[self.convdim]
        if len(subsample) != self.convdim:
            raise ValueError("subsample must have %s elements" % names)
        if len(filter_dilation) != self.convdim:
            raise ValueError("filter_dilation must have %s elements" % names)
        if self._direction not in _DIRECTIONS:
            raise ValueError("_direction must be one of 'forward', 'backprop weights', "
                             "'backprop inputs'")
        if num_groups < 1:
            raise ValueError("Number of groups should be greater than 0")
        return tuple(subsample), tuple(filter_dilation)

    @property
    def direction(self):
        """0, 1 or 2 for forward, backprop weights, backprop inputs (Theano's enum)."""
        return _DIRECTIONS.index(self._direction)

    @property
    def _unshared(self):
        return getattr(self, "unshared", False)

    def _padding(self, kspatial):
        """((before, after), ...) for filters of spatial shape ``kspatial``."""
        dil = [(k - 1) * d + 1 for k, d in zip(kspatial, self.filter_dilation)]
        mode = self.border_mode
        if isinstance(mode, tuple):
            return tuple(m if isinstance(m, tuple) else (m, m) for m in mode)
        return border_mode_to_pad(mode, self.convdim, dil)

    def _kernel_ndim(self):
        return 6 if self._unshared else self.convdim + 2

    def _check_ndim(self, var, name, ndim):
        if var.type.ndim != ndim:
            raise TypeError("%s must be %dD tensor" % (name, ndim))

    def _spatial_inputs(self, shape, what):
        """The optional spatial shape input, as int64 scalars (Theano's graph layout)."""
        if shape is None:
            return []
        return [as_tensor_variable(shape[i]).astype("int64") for i in range(self.convdim)]

    def _check_groups(self, chans, nkern):
        g = self.num_groups
        if chans % g or nkern % g:
            raise ValueError("%s: with num_groups=%d the number of input channels (%d) and "
                             "of filters (%d) must both be divisible by it"
                             % (type(self).__name__, g, chans, nkern))

    def _args(self):
        return {name: getattr(self, name) for name in self.__props__}

    def _siblings(self):
        forward, grad_weights, grad_inputs = self._family
        args = self._args()
        return forward(**args), grad_weights(**args), grad_inputs(**args)


class _Correlate:
    """Forward correlation of images ``img`` with filters ``kern``."""

    _direction = "forward"

    def make_node(self, img, kern):
        img, kern = _as_common_dtype(as_tensor_variable(img), as_tensor_variable(kern))
        self._check_ndim(img, "img", self.convdim + 2)
        self._check_ndim(kern, "kern", self._kernel_ndim())
        bcast = (img.type.broadcastable[0], kern.type.broadcastable[0]) + (False,) * self.convdim
        return Apply(self, [img, kern], [TensorType(img.type.dtype, bcast)()])

    def perform(self, node, inputs, output_storage):
        img, kern = (np.asarray(v) for v in inputs)
        nd = self.convdim
        self._check_groups(img.shape[1], kern.shape[0])
        if img.shape[1] != kern.shape[-nd - 1] * self.num_groups:
            raise ValueError("%s: the image has %d channels but the filters of shape %s "
                             "expect %d" % (type(self).__name__, img.shape[1], kern.shape,
                                            kern.shape[-nd - 1] * self.num_groups))
        pad = self._padding(kern.shape[-nd:])
        kshp = kern.shape[:1] + kern.shape[-nd - 1:]
        out_spatial = get_conv_output_shape(img.shape, kshp, self.border_mode, self.subsample,
                                            self.filter_dilation)[2:]
        if min(out_spatial) <= 0:
            raise ValueError("%s: the filters of shape %s are larger than the padded image "
                             "of shape %s (border_mode %s, filter_dilation %s)"
                             % (type(self).__name__, kern.shape, img.shape, self.border_mode,
                                self.filter_dilation))
        if self._unshared and tuple(kern.shape[1:3]) != tuple(out_spatial):
            raise ValueError("%s: unshared filters of shape %s need one filter per output "
                             "position, and the output is %s"
                             % (type(self).__name__, kern.shape, tuple(out_spatial)))
        output_storage[0][0] = correlate(img, kern, pad, self.subsample,
                                         self.filter_dilation, self.num_groups,
                                         self._unshared, node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        imshp, kshp = input_shapes
        nd = self.convdim
        kshp = list(kshp[:1]) + list(kshp[-nd - 1:])
        return [get_conv_output_shape(imshp, kshp, self.border_mode, self.subsample,
                                      self.filter_dilation)]

    def grad(self, inputs, output_grads):
        bottom, weights = inputs
        top, = output_grads
        _, grad_weights, grad_inputs = self._siblings()
        nd = self.convdim
        d_bottom = grad_inputs(weights, top, bottom.shape[-nd:])
        d_weights = grad_weights(bottom, top, weights.shape[-nd:])
        return [_like(d_bottom, bottom), _like(d_weights, weights)]


class _CorrelateGradWeights:
    """The gradient of the forward correlation with respect to its filters: inputs are the
    images, the output's gradient and (optionally) the filters' spatial shape."""

    _direction = "backprop weights"

    def make_node(self, img, topgrad, shape=None):
        img, topgrad = _as_common_dtype(as_tensor_variable(img), as_tensor_variable(topgrad))
        self._check_ndim(img, "img", self.convdim + 2)
        self._check_ndim(topgrad, "topgrad", self.convdim + 2)
        if shape is None and (any(s != 1 for s in self.subsample)
                              or self.border_mode == "half"):
            raise ValueError("shape must be given if subsample != %s or border_mode == "
                             '"half"' % ((1,) * self.convdim,))
        spatial = (False,) * self.convdim
        if self._unshared:
            bcast = (topgrad.type.broadcastable[1],) + spatial + (img.type.broadcastable[1],)
        else:
            bcast = (topgrad.type.broadcastable[1], img.type.broadcastable[1])
        return Apply(self, [img, topgrad] + self._spatial_inputs(shape, "shape"),
                     [TensorType(img.type.dtype, bcast + spatial)()])

    def _kernel_spatial(self, imspatial, topspatial, given):
        """The filters' spatial shape: given, or the one the other shapes imply."""
        if given:
            return list(given)
        out = []
        for i, (im, top) in enumerate(zip(imspatial, topspatial)):
            mode = self.border_mode
            mode = mode[i] if isinstance(mode, tuple) else mode
            if mode == "full":
                dil = top - im + 1
            else:
                before, after = (0, 0) if mode == "valid" else (
                    mode if isinstance(mode, tuple) else (mode, mode))
                dil = im + before + after - top + 1
            out.append((dil - 1) // self.filter_dilation[i] + 1)
        return out

    def perform(self, node, inputs, output_storage):
        img, topgrad = (np.asarray(v) for v in inputs[:2])
        nd = self.convdim
        self._check_groups(img.shape[1], topgrad.shape[1])
        kspatial = self._kernel_spatial(img.shape[2:], topgrad.shape[2:],
                                        [int(s) for s in inputs[2:]])
        pad = self._padding(kspatial)
        kshp = (topgrad.shape[1], img.shape[1] // self.num_groups) + tuple(kspatial)
        expected = get_conv_output_shape(img.shape, kshp, pad, self.subsample,
                                         self.filter_dilation)
        if tuple(expected) != topgrad.shape:
            raise ValueError("%s: images of shape %s and filters of shape %s give an output "
                             "of shape %s, but topgrad has shape %s"
                             % (type(self).__name__, img.shape, kshp, tuple(expected),
                                topgrad.shape))
        output_storage[0][0] = correlate_grad_weights(
            img, topgrad, kspatial[-nd:], pad, self.subsample, self.filter_dilation,
            self.num_groups, self._unshared, node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        imshp, topshp = input_shapes[:2]
        nd = self.convdim
        chans = imshp[1] // self.num_groups
        kspatial = self._kernel_spatial(imshp[2:], topshp[2:], node.inputs[2:])
        if self._unshared:
            return [(topshp[1],) + tuple(topshp[2:]) + (chans,) + tuple(kspatial[-nd:])]
        return [(topshp[1], chans) + tuple(kspatial)]

    def connection_pattern(self, node):
        return [[True], [True]] + [[False]] * (len(node.inputs) - 2)

    def grad(self, inputs, output_grads):
        bottom, top = inputs[:2]
        weights, = output_grads
        conv, _, grad_inputs = self._siblings()
        d_bottom = grad_inputs(weights, top, bottom.shape[-self.convdim:])
        d_top = conv(bottom, weights)
        return ([_like(d_bottom, bottom), _like(d_top, top)]
                + [DisconnectedType()() for _ in inputs[2:]])


class _CorrelateGradInputs:
    """The gradient of the forward correlation with respect to its images: inputs are the
    filters, the output's gradient and (optionally) the images' spatial shape."""

    _direction = "backprop inputs"

    def make_node(self, kern, topgrad, shape=None):
        kern, topgrad = _as_common_dtype(as_tensor_variable(kern), as_tensor_variable(topgrad))
        self._check_ndim(kern, "kern", self._kernel_ndim())
        self._check_ndim(topgrad, "topgrad", self.convdim + 2)
        if shape is None and any(s != 1 for s in self.subsample):
            raise ValueError("shape must be given if subsample != %s"
                             % ((1,) * self.convdim,))
        chans = False if self.num_groups > 1 else kern.type.broadcastable[-self.convdim - 1]
        bcast = (topgrad.type.broadcastable[0], chans) + (False,) * self.convdim
        return Apply(self, [kern, topgrad] + self._spatial_inputs(shape, "shape"),
                     [TensorType(kern.type.dtype, bcast)()])

    def _image_spatial(self, kspatial, topspatial, given):
        if given:
            return list(given)
        pad = self._padding(kspatial)
        return [(top - 1) * s + (k - 1) * d + 1 - p[0] - p[1] for top, k, p, s, d in
                zip(topspatial, kspatial, pad, self.subsample, self.filter_dilation)]

    def perform(self, node, inputs, output_storage):
        kern, topgrad = (np.asarray(v) for v in inputs[:2])
        nd = self.convdim
        if kern.shape[0] != topgrad.shape[1]:
            raise ValueError("%s: topgrad has %d channels but there are %d filters"
                             % (type(self).__name__, topgrad.shape[1], kern.shape[0]))
        self._check_groups(kern.shape[0], kern.shape[0])
        kspatial = kern.shape[-nd:]
        imspatial = self._image_spatial(kspatial, topgrad.shape[2:],
                                        [int(s) for s in inputs[2:]])
        pad = self._padding(kspatial)
        imshp = (topgrad.shape[0], kern.shape[-nd - 1] * self.num_groups) + tuple(imspatial)
        expected = get_conv_output_shape(imshp, kern.shape[:1] + kern.shape[-nd - 1:], pad,
                                         self.subsample, self.filter_dilation)
        if tuple(expected) != topgrad.shape:
            raise ValueError("invalid input_shape for gradInputs: the given input_shape would "
                             "produce an output of shape {}, but the given topgrad has shape "
                             "{}".format(tuple(expected), topgrad.shape))
        output_storage[0][0] = correlate_grad_inputs(
            kern, topgrad, imspatial, pad, self.subsample, self.filter_dilation,
            self.num_groups, self._unshared, node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        kshp, topshp = input_shapes[:2]
        nd = self.convdim
        spatial = self._image_spatial(kshp[-nd:], topshp[2:], node.inputs[2:])
        return [(topshp[0], kshp[-nd - 1] * self.num_groups) + tuple(spatial)]

    def connection_pattern(self, node):
        return [[True], [True]] + [[False]] * (len(node.inputs) - 2)

    def grad(self, inputs, output_grads):
        weights, top = inputs[:2]
        bottom, = output_grads
        conv, grad_weights, _ = self._siblings()
        d_weights = grad_weights(bottom, top, weights.shape[-self.convdim:])
        d_top = conv(bottom, weights)
        return ([_like(d_weights, weights), _like(d_top, top)]
                + [DisconnectedType()() for _ in inputs[2:]])


def _normalize_border_2d(border_mode):
    """Theano's CorrMM normal form: 'valid'/'full'/'half' or ((top, bottom), (left, right))."""
    if _is_int(border_mode):
        if border_mode < 0:
            raise ValueError("invalid border_mode {}, which must be a non-negative integer"
                             .format(border_mode))
        return ((int(border_mode),) * 2,) * 2
    if isinstance(border_mode, tuple):
        if len(border_mode) != 2:
            raise ValueError("invalid border_mode {} which must be a tuple of length 2"
                             .format(border_mode))
        out = ()
        for mode in border_mode:
            if isinstance(mode, tuple) and len(mode) == 2 and min(mode) >= 0:
                out += ((int(mode[0]), int(mode[1])),)
            elif _is_int(mode) and mode >= 0:
                out += ((int(mode), int(mode)),)
            else:
                raise ValueError("invalid border mode {}. The tuple can only contain integers"
                                 " or tuples of length 2".format(border_mode))
        return out
    if border_mode not in ("valid", "full", "half"):
        raise ValueError('invalid border_mode {}, which must be either "valid", "full", '
                         '"half", an integer or a tuple of two integers or a pair of '
                         'integers'.format(border_mode))
    return border_mode


class BaseCorrMM(_CorrBase):
    """The props of the 2-D correlation ops: border_mode ('valid', 'full', 'half', an int, a
    pair of ints or of (before, after) pairs), subsample, filter_dilation, num_groups and
    unshared (one filter per output position)."""

    __props__ = ("border_mode", "subsample", "filter_dilation", "num_groups", "unshared")

    def __init__(self, border_mode="valid", subsample=(1, 1), filter_dilation=(1, 1),
                 num_groups=1, unshared=False, openmp=None):
        self.border_mode = _normalize_border_2d(border_mode)
        self.subsample, self.filter_dilation = self._check_common(subsample, filter_dilation,
                                                                  num_groups)
        self.num_groups = num_groups
        self.unshared = unshared
        self.openmp = openmp

    @property
    def pad(self):
        """Theano's padding code: -1 for 'half', -2 for 'full', else the pairs."""
        if self.border_mode == "half":
            return ((-1, -1),) * 2
        if self.border_mode == "full":
            return ((-2, -2),) * 2
        if isinstance(self.border_mode, tuple):
            return self.border_mode
        return ((0, 0),) * 2

    def __str__(self):
        # Theano 1.0 compat: no comma before unshared
        return "%s{%s, %s, %s, %s %s}" % (type(self).__name__, self.border_mode,
                                          self.subsample, self.filter_dilation,
                                          self.num_groups, self.unshared)


class CorrMM(_Correlate, BaseCorrMM):
    """CPU cross-correlation of images with filters (``make_node(img, kern)``); Theano's
    C implementation is a matrix multiply, this one numpy's (``abstract_conv.correlate``)."""


class CorrMM_gradWeights(_CorrelateGradWeights, BaseCorrMM):
    """The gradient of ``CorrMM`` with respect to its filters:
    ``make_node(img, topgrad, shape=None)``."""


class CorrMM_gradInputs(_CorrelateGradInputs, BaseCorrMM):
    """The gradient of ``CorrMM`` with respect to its images:
    ``make_node(kern, topgrad, shape=None)``."""


BaseCorrMM._family = (CorrMM, CorrMM_gradWeights, CorrMM_gradInputs)
