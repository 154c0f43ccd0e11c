"""Gradient dtypes against Theano 1.0.5: theano_grad_dtypes.json holds Theano's dtype for each
gradient over a table of expressions and dtype pairs (record_theano_grad_dtypes.py)."""
import json
import os
import warnings

import pytest

import pytheano
from tests.gradient.record_theano_grad_dtypes import cases, grad_dtypes

_RECORDED = json.load(open(os.path.join(os.path.dirname(__file__), "theano_grad_dtypes.json")))
_CASES = {case: (dx, dy, code) for case, dx, dy, code in cases()}

# Where pytheano deliberately differs from Theano 1.0.5 (the case id up to the dtypes):
KNOWN_DIFFERENCES = {
    # Theano's Floor.grad of an integer input raised "illegally returned an integer-valued
    # variable" (a bug); pytheano gives float zeros.
    "floor/int8", "floor/int32", "floor/int64",
    # Theano built inc_subtensor(int x, float y) and failed at run time (numpy's same_kind
    # cast); pytheano refuses it when the graph is built.
    "inc_subtensor/int8/float32", "inc_subtensor/int8/float64",
    "inc_subtensor/int32/float32", "inc_subtensor/int32/float64",
    "inc_subtensor/int64/float32", "inc_subtensor/int64/float64",
}
# Theano's scalar TrueDiv.grad meant to give int / int zero gradients, but compared dtype
# strings with ScalarType objects, so it never did: it gave gz / y (float64 for an int32 y
# under floatX=float32). pytheano gives the intended zeros of floatX: the dtypes agree under
# floatX=float64 only.
KNOWN_DIFFERENCES_FLOAT32 = {
    "truediv/%s/%s" % (a, b) for a in ("int8", "int32", "int64")
    for b in ("int8", "int32", "int64")} | {"div_shape/int8", "div_shape/int32", "div_shape/int64"}


@pytest.mark.parametrize("floatx", ["float64", "float32"])
def test_grad_dtypes_match_theano(floatx):
    pytheano.config.floatX = floatx
    mismatches = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for case, (dx, dy, code) in sorted(_CASES.items()):
            key = "%s/floatX=%s" % (case, floatx)
            if case in KNOWN_DIFFERENCES or (
                    floatx == "float32" and case in KNOWN_DIFFERENCES_FLOAT32):
                continue
            got = grad_dtypes(pytheano, dx, dy, code)
            if got != _RECORDED[key]:
                mismatches.append("%s (%s): theano %s, pytheano %s"
                                  % (key, code, _RECORDED[key], got))
    assert not mismatches, "%d of %d differ:\n%s" % (
        len(mismatches), len(_CASES), "\n".join(mismatches[:40]))


def test_the_issue_examples():
    import pytheano.tensor as T

    x = T.fmatrix()
    assert T.grad((x / x.shape[1]).sum(), x).dtype == "float64"
    assert T.grad(T.dot(x, T.dmatrix()).sum(), x).dtype == "float64"
    d = T.dvector()
    assert T.grad(T.cast(d, "float32").sum(), d).dtype == "float32"
