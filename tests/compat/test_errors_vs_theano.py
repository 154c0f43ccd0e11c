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
_CRASH = ("Theano crashed on an attribute of the bad value deep inside; pytheano refuses the "
          "value where it is given, with TypeError and a message naming it.")
DIFFERENCES = {
    # Theano did not raise; pytheano is deliberately stricter.
    "config_set_unknown_option": (
        "AttributeError", "has no option 'no_such_option_xyz'",
        "Theano silently stored a misspelled option, which then did nothing."),
    "reshape_ndim_mismatch": (
        "ValueError", "got a shape of length 2",
        "Theano built a Reshape{3} from a 2-long shape, a graph that can never run."),
    # Theano's exception was an accident of its implementation, not an error it meant.
    "mode_bad_type": ("TypeError", "mode must be None, the name of a mode or a Mode", _CRASH),
    "In_not_variable": ("TypeError", "In: variable must be a Variable, got 3", _CRASH),
    "Out_not_variable": ("TypeError", "Outputs must be theano Variable or Out instances",
                         _CRASH + " (Theano's words for outputs that are not variables)"),
    "eval_not_dict": ("TypeError", "eval expects a dictionary", _CRASH),
    "subtensor_string_index": (
        "TypeError", "index must be integers or a boolean mask",
        "Theano recursed until RecursionError; pytheano says what indices it takes."),
    "arange_vector": (
        "TypeError", "arange: stop must be a scalar",
        "Theano failed a bare assert (AssertionError with no message)."),
    # Run-time shape errors: the fixture is recorded with cxx= (Theano's Python perform).
    "call_shape_mismatch": (
        "ValueError", "Input dimension mis-match. (input[0].shape[0] = 2, input[1].shape[0] = 3)",
        "These are the words of Theano's C Elemwise, which Theano users (with a compiler) see;"
        " the recorded words are numpy's, from Theano's Python fallback."),
}

# row id -> the part of Theano's words pytheano must say, where the rest of Theano's line is
# Theano's rendering of a graph or value (printed differently, or better, by pytheano).
WORDS = {
    # Theano goes on "Use the Theano flag exception_verbosity='high', ..."; pytheano's message
    # has that information already, and says how to provide the input.
    "function_input_missing": "Input 1 of the graph (indices start from 0), used to compute "
                              "Elemwise{add,no_inplace}(x, y), was not provided and not given "
                              "a value.",
    "eval_missing_input": "Input 0 of the graph (indices start from 0), used to compute "
                          "Elemwise{mul,no_inplace}(x, InplaceDimShuffle{x}.0), was not "
                          "provided and not given a value.",
    # Theano forgot to format its message ("variable %s (name=%s)", "Got: '%s'").
    "In_mutable_not_borrow": "has flags mutable=True, borrow=False. This combination is "
                             "incompatible since mutable=True implies that the input variable "
                             "may be both aliased (borrow=True) and overwritten.",
    "dimshuffle_bad_entry": "DimShuffle indices must be python ints. Got: ",
    # Theano 1.0.5 appends ' Value: "array(...)"'; pytheano keeps the message of the Theano
    # tutorial (tests/test_seeds.py) and passes the value as the error's next argument.
    "set_value_float64_into_float32": (
        "TensorType(float32, vector) cannot store a value of dtype float64 without risking loss "
        "of precision. If you do not mind this loss, you can: 1) explicitly cast your data to "
        "float32, or 2) set \"allow_input_downcast=True\" when calling \"function\"."),
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
