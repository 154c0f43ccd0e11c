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


def test_short_platform_drops_the_kernels_minor_numbers():
    from pytheano.configdefaults import short_platform

    for release, plat, short in [
            ("3.2.0-70-generic", "Linux-3.2.0-70-generic-x86_64-with-debian-wheezy-sid",
             "Linux-3.2--generic-x86_64-with-debian-wheezy-sid"),
            ("3.2.0-70.1.2-generic", "Linux-3.2.0-70.1.2-generic-x86_64-with-debian-wheezy",
             "Linux-3.2--generic-x86_64-with-debian-wheezy"),
            ("2.6.35.14-106.fc14.x86_64",
             "Linux-2.6.35.14-106.fc14.x86_64-x86_64-with-fedora-14-Laughlin",
             "Linux-2.6-fc14.x86_64-x86_64-with-fedora-14-Laughlin"),
            ("10.0", "Darwin-10.0-x86_64", "Darwin-10.0-x86_64")]:  # another form: kept
        assert short_platform(release, plat) == short
