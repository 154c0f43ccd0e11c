"""pytheano/misc: _asarray and may_share_memory (dtypes recorded from Theano 1.0.5)."""
import numpy as np
import pytest

import pytheano as theano
from pytheano.misc.may_share_memory import may_share_memory


def test_asarray_dtypes():
    assert theano._asarray([1, 2], "int32").dtype == np.int32
    assert theano._asarray([1, 2], "floatX").dtype == theano.config.floatX


def test_may_share_memory():
    a = np.ones(3)
    assert may_share_memory(a, a[1:])
    assert not may_share_memory(a, np.ones(3))
    with pytest.raises(TypeError, match="may_share_memory support only ndarray"):
        may_share_memory(a, 1)
    assert may_share_memory(a, 1, raise_other_type=False) is False
