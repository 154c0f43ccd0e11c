"""``theano._asarray``: ``numpy.asarray`` that always returns the dtype asked for."""
import numpy as np

from pytheano.configparser import config


def _asarray(a, dtype, order=None):
    """``np.asarray(a, dtype, order)``, with 'floatX' accepted as a dtype; if numpy returns an
    equivalent dtype object of another number, a view with the requested one."""
    if str(dtype) == "floatX":
        dtype = config.floatX
    dtype = np.dtype(dtype)
    rval = np.asarray(a, dtype=dtype, order=order)
    if rval.dtype.num == dtype.num:
        return rval
    if dtype.str == rval.dtype.str:
        return rval.view(dtype=dtype)
    raise TypeError("numpy.array did not return the data type we asked for (%s %s #%s), "
                    "instead it returned type %s %s #%s: function theano._asarray may need "
                    "to be modified to handle this data type."
                    % (dtype, dtype.str, dtype.num, rval.dtype, rval.dtype.str, rval.dtype.num))
