"""pytheano/misc/pkl_utils.py: dump/load zip pickles (layout as Theano 1.0.5's docstring)."""
import io
import pickle

import numpy as np

import pytheano as theano
from pytheano.misc.pkl_utils import CompatUnpickler, StripPickler, dump, load


def test_dump_load_names_arrays_after_shared_variables():
    foo_1 = theano.shared(0, name="foo")
    foo_2 = theano.shared(1, name="foo")
    buf = io.BytesIO()
    dump((foo_1, foo_2, np.array(2)), buf)
    buf.seek(0)
    assert sorted(np.load(buf).keys()) == ["array_0", "foo", "foo_2", "pkl"]
    buf.seek(0)
    a, b, arr = load(buf)
    assert (a.get_value(), b.get_value(), arr.tolist(), a.name) == (0, 1, 2, "foo")


def test_strip_and_compat_picklers():
    x = theano.tensor.dvector("x")
    x.tag.test_value = np.ones(2)
    buf = io.BytesIO()
    StripPickler(buf, protocol=-1).dump(x)
    buf.seek(0)
    y = CompatUnpickler(buf, encoding="latin1").load()
    assert not hasattr(y.tag, "test_value") and y.name == "x"
    assert isinstance(pickle.loads(pickle.dumps(np.arange(3))), np.ndarray)
