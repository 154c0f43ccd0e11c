"""Differential test: pytheano fails on bad input the way Theano 1.0.5 does.

``theano_errors.json`` records, for each snippet of ``bad_inputs.py``, what Theano 1.0.5 raised
(``record_theano_errors.py`` makes it). For each row, pytheano must

- raise when Theano raised, and not raise when Theano did not;
- raise an exception whose class, or one of its bases, has the name of Theano's class (so
  ``except ValueError`` written for Theano still catches it). Where Theano's class is its own
  (``UnusedInputError``, ``AsTensorError``, ...), pytheano exports a class of that name at the
  same import path and raises an instance of it;
- say Theano's words: the message contains the first non-empty line of Theano's message (of
  its first argument when Theano raised ``Error(msg, obj)``). pytheano's own explanation (the
  input's name, where it was created, what to do) comes after them.

``DIFFERENCES`` lists the rows where pytheano deliberately does something else, with why.
"""
import json
import os
import re

import pytest

import pytheano as theano
import pytheano.tensor as T
from pytheano.ifelse import ifelse

from tests.compat import bad_inputs

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "theano_errors.json")) as _f:
    RECORDED = json.load(_f)["rows"]

# row id -> (pytheano's exception class name, words its message must contain, why it differs).
# None for the class name: pytheano does not raise.
DIFFERENCES = {
}

# row id -> the part of Theano's words pytheano must say, where the rest of Theano's line is
# Theano's rendering of a graph or value (printed differently, or better, by pytheano).
WORDS = {
}


def _haystack(exc):
    parts = [str(exc)] + [str(a) for a in exc.args] + list(getattr(exc, "__notes__", ()))
    return "\n".join(parts)


def _normalise(text):
    return re.sub(r"0x[0-9a-f]+", "0x...", text)


def test_fixture_covers_every_row():
    ids = [row_id for row_id, _ in bad_inputs.BAD_INPUTS]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(RECORDED), "rerun record_theano_errors.py"
    assert len(ids) >= 70
    assert set(DIFFERENCES) <= set(ids) and set(WORDS) <= set(ids)


@pytest.mark.parametrize("row_id,snippet", bad_inputs.BAD_INPUTS,
                         ids=[row_id for row_id, _ in bad_inputs.BAD_INPUTS])
def test_error_matches_theano(row_id, snippet):
    recorded = RECORDED[row_id]
    assert recorded["snippet"] == snippet, "rerun record_theano_errors.py"
    exc = bad_inputs.run(row_id, snippet, theano, T, ifelse)
    if row_id in DIFFERENCES:
        cls_name, words, _why = DIFFERENCES[row_id]
        if cls_name is None:
            assert exc is None, "pytheano raised %r" % (exc,)
        else:
            assert exc is not None, "pytheano did not raise"
            assert cls_name in [c.__name__ for c in type(exc).__mro__], repr(exc)
            assert words in _haystack(exc)
        return
    if not recorded["raises"]:
        assert exc is None, "Theano does not raise here; pytheano raised %r" % (exc,)
        return
    assert exc is not None, "Theano raises %s: %s" % (recorded["class"], recorded["words"])
    theano_cls = recorded["class"]
    theano_name = theano_cls.rsplit(".", 1)[1]
    names = [c.__name__ for c in type(exc).__mro__]
    assert theano_name in names, "Theano raises %s, pytheano %r" % (theano_cls, exc)
    if not theano_cls.startswith("builtins."):
        module_name, _, qualname = theano_cls.rpartition(".")
        module = __import__("py" + module_name, fromlist=["_"])
        assert isinstance(exc, getattr(module, qualname)), repr(exc)
    words = _normalise(WORDS.get(row_id, recorded["words"]))
    assert words in _normalise(_haystack(exc)), (
        "Theano says %r; pytheano says %r" % (words, str(exc)))
