"""The old convolution interface (Theano's ``theano.tensor.nnet.conv``): ``conv2d`` with
``image_shape`` / ``filter_shape``, border modes 'valid' and 'full' and ``subsample``, built
on AbstractConv2d (a true convolution: the filters are flipped). Theano's ConvOp class and
its unrolling options are not reproduced: the options are accepted and ignored."""
import warnings

from pytheano.tensor.basic import NotScalarConstantError, as_tensor_variable, \
    get_scalar_constant_value
from pytheano.tensor.nnet.abstract_conv import conv2d as abstract_conv2d

__all__ = ["conv2d"]


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


def _conv4d(input, filters, image_shape, filter_shape, border_mode, subsample):
    input, filters = as_tensor_variable(input), as_tensor_variable(filters)
    if border_mode not in ("valid", "full"):
        raise NotImplementedError("Mode %s not implemented" % border_mode)
    for name, v in (("input", input), ("kernel", filters)):
        if v.ndim != 4:
            raise TypeError('ConvOp (make_node) requires %s be a 4D tensor; received "%s" '
                            "(%d dims)" % (name, v, v.ndim))
    if input.dtype != filters.dtype:
        raise NotImplementedError("The image and the kernel must have the same type."
                                  "inputs(%s), kerns(%s)" % (input.dtype, filters.dtype))
    return abstract_conv2d(input, filters, input_shape=image_shape, filter_shape=filter_shape,
                           border_mode=border_mode, subsample=tuple(subsample))


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
