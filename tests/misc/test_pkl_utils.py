"""pytheano/misc/pkl_utils.py: dump/load zip pickles (layout as Theano 1.0.5's docstring)."""
import io
import pickle

import numpy as np
import pytest

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


def test_function_dump_reproduces_the_function(tmp_path):
    """theano.function_dump pickles function's arguments (Theano's test_function_dump)."""
    pytheano = theano
    v = pytheano.tensor.vector("v")
    v.tag.test_value = np.zeros(3, dtype=v.dtype)
    fname = str(tmp_path / "dump.pkl")
    pytheano.function_dump(fname, [v], v + 1, name="dumped")
    with open(fname, "rb") as f:
        args = pickle.load(f)
    assert args["name"] == "dumped" and not hasattr(args["inputs"][0].tag, "test_value")
    x = np.array([1.0, 2.0, 3.0], dtype=v.dtype)
    np.testing.assert_allclose(pytheano.function(**args)(x), x + 1)
    with pytest.raises(TypeError, match="filename must be a string"):
        pytheano.function_dump(tmp_path, [v], v)
