"""The cross-entropy rewrites of pytheano/rewriting/nnet.py against the graph as written:
optimizer=None and FAST_RUN must agree (value, dtype, shape, exception class) on the edge
cases of the labels, which the one-pass ops read as the indexing they replace does: fewer
labels than rows, negative labels, labels out of range, more labels than rows, matrices
with no rows or no columns."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano.tensor import nnet
from tests.helpers import outcome
from tests.rewriting.stability import FAST_RUN, NONE

FORMS = {
    "log_then_index": lambda sm, y: -T.log(sm)[T.arange(y.shape[0]), y],
    "index_then_log": lambda sm, y: -T.log(sm[T.arange(y.shape[0]), y]),
    "categorical": lambda sm, y: nnet.categorical_crossentropy(sm, y),
}
FUSED = ("CrossentropySoftmaxArgmax1HotWithBias", "CrossentropySoftmax1HotWithBiasDx")
_functions = {}


def _compiled(form, bias, dtype, ldtype, grad_only):
    """(written, rewritten) functions of the cost and its gradient (only the gradient with
    ``grad_only``: then no forward op is left to look at the labels)."""
    key = (form, bias, dtype, ldtype, grad_only)
    if key not in _functions:
        x, b, y = T.matrix("x", dtype=dtype), T.vector("b", dtype=dtype), T.vector("y", ldtype)
        sm = nnet.softmax(x + b) if bias else nnet.softmax(x)
        cost = FORMS[form](sm, y)
        params = [x, b] if bias else [x]
        outs = pytheano.grad(cost.sum(), params) + ([] if grad_only else [cost])
        fs = [pytheano.function([x, b, y], outs, mode=m, on_unused_input="ignore")
              for m in (NONE, FAST_RUN)]
        kinds = {type(n.op).__name__ for n in fs[1].maker.fgraph.apply_nodes}
        # The rewrites under test did apply (the gradient alone needs only the softmax).
        assert set(FUSED[1:] if grad_only else FUSED) <= kinds, kinds
        _functions[key] = fs
    return _functions[key]


@settings(max_examples=80, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(FORMS)), st.booleans(), st.sampled_from(["float64", "float32"]),
       st.sampled_from(["int32", "int64"]), st.booleans(), st.integers(0, 3),
       st.integers(0, 4), st.integers(-3, 1), st.data())
def test_rewritten_crossentropy_matches_the_graph_as_written(form, bias, dtype, ldtype,
                                                              grad_only, rows, cols,
                                                              fewer_labels, data):
    f_none, f_run = _compiled(form, bias, dtype, ldtype, grad_only)
    n_labels = max(rows + fewer_labels, 0) if fewer_labels < 1 else rows + 1
    labels = data.draw(st.lists(st.integers(-cols - 1, cols), min_size=n_labels,
                                max_size=n_labels))
    rng = np.random.default_rng(rows * 31 + cols)
    args = [rng.uniform(-3, 3, (rows, cols)).astype(dtype),
            rng.uniform(-1, 1, cols).astype(dtype), np.array(labels, ldtype)]
    want, want_err = outcome(f_none, args)
    got, got_err = outcome(f_run, args)
    assert got_err == want_err, (labels, args[0].shape)
    if want is None:
        return
    tol = 1e-5 if dtype == "float32" else 1e-12
    for w, g in zip(want, got):
        assert (g.dtype, g.shape) == (w.dtype, w.shape)
        np.testing.assert_allclose(g, w, rtol=tol, atol=tol)


@pytest.mark.parametrize("labels", [[1], [-1, 0], [2, -3]])
def test_fewer_or_negative_labels_keep_their_values(labels):
    # The cases Theano 1.0.5's rewritten graph refuses with ValueError.
    x, y = T.dmatrix("x"), T.ivector("y")
    cost = -T.mean(T.log(nnet.softmax(x))[T.arange(y.shape[0]), y])
    outs = [cost, pytheano.grad(cost, x)]
    xv, yv = np.array([[0.0, 1.0, 2.0], [3.0, 1.0, -1.0], [0.5, 0.5, 0.0]]), np.array(labels,
                                                                                       "int32")
    z = xv - np.log(np.exp(xv).sum(axis=1, keepdims=True))
    rows = np.arange(len(labels))
    exact = np.zeros_like(xv)
    exact[rows] = np.exp(z[rows])
    exact[rows, yv] -= 1
    exact /= len(labels)
    for mode in (NONE, FAST_RUN):
        got = pytheano.function([x, y], outs, mode=mode)(xv, yv)
        np.testing.assert_allclose(got[0], -z[rows, yv].mean(), rtol=1e-12)
        np.testing.assert_allclose(got[1], exact, rtol=1e-12, atol=1e-15)
