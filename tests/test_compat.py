"""pytheano/compat.py: Theano 1.0's theano.compat names."""
from pytheano.compat import PY3, DefaultOrderedDict, OrderedDict, cmp, exc_message, imap, izip


def test_names():
    assert PY3 and izip is zip and imap is map
    assert (cmp(1, 2), cmp(2, 2), cmp(3, 2)) == (-1, 0, 1)
    assert exc_message(ValueError(KeyError("inner"))) == "inner"
    d = DefaultOrderedDict(list)
    d["b"].append(1)
    assert isinstance(d, OrderedDict) and d == {"b": [1]}

