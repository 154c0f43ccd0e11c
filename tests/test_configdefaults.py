"""pytheano/configdefaults.py: Theano 1.0.5's options exist with its defaults."""
import pytheano as theano
from pytheano import configdefaults


def test_theano_option_defaults():
    # Recorded from Theano 1.0.5 (cxx= on CPU).
    c = theano.config
    assert c.warn.round is False and c.warn.inc_subtensor1_opt is True
    assert c.warn.ignore_bug_before == "0.9"
    assert c.conv.assert_shape is False
    assert c.cmodule.debug is False and c.cmodule.preload_cache is False
    assert c.unittests.rseed == 666
    assert c.vm.lazy is None
    assert c.on_shape_error == "warn" and c.cycle_detection == "regular"
    assert c.dnn.conv.algo_fwd == "small"


def test_bitwidths():
    assert configdefaults.local_bitwidth() == 64
    assert configdefaults.python_int_bitwidth() == 64
