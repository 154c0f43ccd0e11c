"""The old convolution interface (Theano's ``theano.tensor.nnet.conv``): ConvOp and
``conv2d`` with ``image_shape`` / ``filter_shape``, border modes 'valid' and 'full' and
``subsample``. ConvOp is AbstractConv2d (a true convolution: the filters are flipped) with
ConvOp's constructor; its C tuning options (unrolling, OpenMP) are accepted and ignored."""
import importlib.util
import warnings

from pytheano.tensor.basic import NotScalarConstantError, as_tensor_variable, \
    get_scalar_constant_value
from pytheano.tensor.nnet.abstract_conv import AbstractConv2d, get_conv_shape_1axis

__all__ = ["ConvOp", "conv2d"]

# Theano 1.0's flag (its tests compare against scipy.signal when present; pytheano's ops
# do not need it).
imported_scipy_signal = importlib.util.find_spec("scipy.signal") is not None


def _constant_shape(shape, what):
    """``shape`` as a list of Python ints (None where unknown); symbolic entries must be
    constants."""
    if shape is None:
        return None
    out = []
    for s in shape:
        if s is None:
            out.append(None)
            continue
        try:
            out.append(int(get_scalar_constant_value(as_tensor_variable(s))))
        except NotScalarConstantError:
            raise NotScalarConstantError("The convolution need that the shape information "
                                         "are constant values. We got %s for the %s "
                                         "parameter" % (s, what)) from None
    return out


class ConvOp(AbstractConv2d):
    """The convolution of a batch of images ``(bsize, stack, rows, cols)`` with ``nkern``
    filters ``(nkern, stack, rows, cols)``: Theano's constructor (``imshp`` is
    ``(stack, rows, cols)`` or ``(rows, cols)``, ``kshp`` ``(rows, cols)``, strides ``dx``,
    ``dy``, ``output_mode`` 'valid' or 'full') on AbstractConv2d's implementation."""

    def __init__(self, imshp=None, kshp=None, nkern=None, bsize=None, dx=1, dy=1,
                 output_mode="valid", **tuning):
        if output_mode not in ("valid", "full"):
            raise NotImplementedError("Mode %s not implemented" % output_mode)
        imshp = tuple(imshp) if imshp is not None else (None, None, None)
        if len(imshp) == 2:
            imshp = (1,) + imshp
        kshp = tuple(kshp) if kshp is not None else (None, None)
        super().__init__(imshp=(bsize,) + imshp, kshp=(nkern, imshp[0]) + kshp,
                         border_mode=output_mode, subsample=(dx, dy))

    def __str__(self):
        return "ConvOp{%s}" % ",".join(str(p) for p in (
            ("imshp", self.imshp[1:]), ("kshp", self.kshp[2:]), ("nkern", self.kshp[0]),
            ("bsize", self.imshp[0]), ("dx", self.subsample[0]), ("dy", self.subsample[1]),
            ("out_mode", self.border_mode)))

    def make_node(self, inputs, kerns):
        inputs, kerns = as_tensor_variable(inputs), as_tensor_variable(kerns)
        for name, v in (("input", inputs), ("kernel", kerns)):
            if v.ndim != 4:
                raise TypeError('ConvOp (make_node) requires %s be a 4D tensor; received "%s"'
                                " (%d dims)" % (name, v, v.ndim))
        if inputs.dtype != kerns.dtype:
            raise NotImplementedError("The image and the kernel must have the same type."
                                      "inputs(%s), kerns(%s)" % (inputs.dtype, kerns.dtype))
        return super().make_node(inputs, kerns)

    @staticmethod
    def getOutputShape(inshp, kshp, stride=(1, 1), mode="valid"):  # noqa: N802 (Theano's)
        """Deprecated in Theano: the output ``(rows, cols)`` for an image of ``inshp`` and
        filters of ``kshp`` (None propagates)."""
        warnings.warn("The method `getOutputShape` is deprecated use`get_conv_output_shape` "
                      "instead.", stacklevel=2)
        return tuple(get_conv_shape_1axis(i, k, mode, d) for i, k, d in zip(inshp, kshp, stride))


def _conv4d(input, filters, image_shape, filter_shape, border_mode, subsample):
    """A ConvOp node for 4-d shapes given as lists (or None)."""
    if image_shape and filter_shape and None not in (image_shape[1], filter_shape[1]) \
            and image_shape[1] != filter_shape[1]:
        # Theano 1.0 compat: Theano asserts this (its tests expect AssertionError).
        raise AssertionError("image_shape[1] (%d) must equal filter_shape[1] (%d): the "
                             "filters' stack size is the images'"
                             % (image_shape[1], filter_shape[1]))
    bsize, imshp = (image_shape[0], image_shape[1:]) if image_shape else (None, None)
    nkern, kshp = (filter_shape[0], filter_shape[2:]) if filter_shape else (None, None)
    if imshp is not None and filter_shape and imshp[0] is None:
        imshp = (filter_shape[1],) + tuple(imshp[1:])
    op = ConvOp(imshp=imshp, kshp=kshp, nkern=nkern, bsize=bsize, dx=subsample[0],
                dy=subsample[1], output_mode=border_mode)
    return op(input, filters)


def conv2d(input, filters, image_shape=None, filter_shape=None, border_mode="valid",
           subsample=(1, 1), **kargs):
    """Deprecated: the convolution of ``input`` (batch, stack, rows, cols) with ``filters``
    (nb filters, stack, rows, cols); ``border_mode`` 'valid' or 'full'; ``subsample`` the
    strides. ``image_shape`` / ``filter_shape`` (constants, None where unknown) are checked
    against the real shapes. ConvOp's tuning options (``unroll_batch``, ...) are ignored."""
    warnings.warn("theano.tensor.nnet.conv.conv2d is deprecated. Use theano.tensor.nnet.conv2d"
                  " instead.", stacklevel=2)
    image_shape = _constant_shape(image_shape, "image_shape")
    filter_shape = _constant_shape(filter_shape, "filter_shape")
    return _conv4d(input, filters, image_shape, filter_shape, border_mode, subsample)
