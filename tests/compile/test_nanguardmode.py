"""NanGuardMode: every node's outputs are checked for NaN, inf and huge values."""
import numpy as np
import pytest

import pytheano as theano
import pytheano.tensor as T
from pytheano.compile.nanguardmode import NanGuardMode


def test_nan_inf_big_detected_at_the_node():
    x = T.dvector("x")
    y = T.log(x) * 2  # log(-1) is nan, log(0) is -inf
    # Without fusion, so that the node it names is the log (fused: Composite{(log(i0) * i1)}).
    f = theano.function([x], y, mode=NanGuardMode(nan_is_error=True, inf_is_error=True,
                                                  big_is_error=True).excluding("fusion"))
    np.testing.assert_allclose(f([1.0, np.e]), [0.0, 2.0])
    with pytest.raises(AssertionError, match="NaN detected") as info:
        f([-1.0])
    assert "NanGuardMode found an error in the output of a node" in str(info.value)
    assert "Elemwise{log,no_inplace}" in str(info.value)
    with pytest.raises(AssertionError, match="Inf detected"):
        f([0.0])
    with pytest.raises(AssertionError, match="Big value detected"):
        theano.function([x], x * 1e12, mode=NanGuardMode())([1.0])


def test_flags_turn_checks_off():
    x = T.dvector("x")
    f = theano.function([x], T.log(x), mode=NanGuardMode(nan_is_error=False,
                                                         inf_is_error=False,
                                                         big_is_error=False))
    assert np.isnan(f([-1.0])[0])


def test_mode_by_name_and_integers_ignored():
    i = T.ivector("i")
    f = theano.function([i], i * 2, mode="NanGuardMode")
    np.testing.assert_array_equal(f(np.array([1, 2], dtype="int32")), [2, 4])
    assert isinstance(f.maker.mode, NanGuardMode)
