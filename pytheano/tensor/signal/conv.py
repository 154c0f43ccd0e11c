"""2-D convolution of signals (Theano's ``theano.tensor.signal.conv``): images
``([num_images], rows, cols)`` with filters ``([num_filters], rows, cols)``, on the 4-d
convolution of ``tensor.nnet.conv``."""
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.join import join, stack
from pytheano.tensor.nnet.conv import _conv4d

__all__ = ["conv2d"]


def _as_4d(x):
    """``x`` (2-d or 3-d) as ``(n, 1, rows, cols)``: one channel."""
    n = x.shape[0] if x.ndim == 3 else 1
    return x.reshape(join(0, stack([n, 1]), x.shape[-2:]), ndim=4)


def conv2d(input, filters, image_shape=None, filter_shape=None, border_mode="valid",
           subsample=(1, 1), **kargs):
    """Convolve each 2-d image of ``input`` with each 2-d filter of ``filters``: the output
    is ``([num_images], [num_filters], rows, cols)``, the batch dimensions present as in the
    inputs. ``border_mode`` 'valid' or 'full' (scipy.signal.convolve2d's); ``subsample``
    the strides; ``image_shape`` / ``filter_shape`` are ``([n], rows, cols)``."""
    input, filters = as_tensor_variable(input), as_tensor_variable(filters)
    if input.ndim not in (2, 3) or filters.ndim not in (2, 3):
        raise TypeError("signal.conv.conv2d takes 2-d or 3-d input and filters ([n], rows, "
                        "cols), got %s and %s" % (input.type, filters.type))
    imshp = kshp = None
    if image_shape and filter_shape:
        imshp = (image_shape[0] if input.ndim == 3 else 1, 1) + tuple(image_shape[-2:])
        kshp = (filter_shape[0] if filters.ndim == 3 else 1, 1) + tuple(filter_shape[-2:])
    # (images, 1, rows, cols) with (filters, 1, rows, cols): (images, filters, rows, cols).
    out = _conv4d(_as_4d(input), _as_4d(filters), imshp, kshp, border_mode, subsample)
    if input.ndim == 2 and filters.ndim == 2:
        return out[0, 0]
    if input.ndim == 2:
        return out[0]
    if filters.ndim == 2:
        return out[:, 0]
    return out
