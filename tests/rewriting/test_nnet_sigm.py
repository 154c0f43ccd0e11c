"""The sigmoid-product rules of pytheano/rewriting/nnet.py, ported from Theano 1.0.5's
tensor/nnet/sigm.py (local_exp_over_1_plus_exp, local_sigm_times_exp) with
local_sigmoid_over_sigmoid: each rule alone on the graph as written (check_rewrite: the
graph after it, values unchanged), FAST_RUN's printed graph next to Theano's, finite values
where the written form overflows, and the products they must leave alone."""
import numpy as np
import pytest
from scipy.special import expit

import pytheano
import pytheano.tensor as T
from pytheano.printing import debugprint
from pytheano.rewriting import nnet as rnnet
from pytheano.tensor.nnet import sigmoid
from tests.helpers import check_rewrite
from tests.rewriting.stability import FAST_RUN, NONE


def _names(fgraph):
    return sorted(str(n.op) for n in fgraph.toposort())


def _hand_sigmoid_grad(x):
    return pytheano.grad((1 / (1 + T.exp(-x))).sum(), x)


# (rule, expression, the ops after the rule alone (sorted), exact value)
CASES = [
    (rnnet.local_exp_over_1_plus_exp, lambda x: T.exp(x) / (1 + T.exp(x)), ["sigmoid"], expit),
    (rnnet.local_exp_over_1_plus_exp, lambda x: 2 / (1 + T.exp(x)),
     ["Elemwise{mul,no_inplace}", "Elemwise{neg,no_inplace}", "InplaceDimShuffle{x}",
      "sigmoid"],
     lambda v: 2 * expit(-v)),
    (rnnet.local_exp_over_1_plus_exp, lambda x: T.exp(-x) / (1 + T.exp(-x)) ** 2,
     ["Elemwise{mul,no_inplace}", "Elemwise{neg,no_inplace}", "sigmoid", "sigmoid"],
     lambda v: expit(v) * expit(-v)),
    (rnnet.local_exp_over_1_plus_exp, lambda x: x * T.exp(x) / T.sqr(1 + T.exp(x)),
     ["Elemwise{mul,no_inplace}", "Elemwise{neg,no_inplace}", "sigmoid", "sigmoid"],
     lambda v: v * expit(v) * expit(-v)),
    (rnnet.local_sigm_times_exp, lambda x: sigmoid(x) * T.exp(-x),
     ["Elemwise{neg,no_inplace}", "sigmoid"], lambda v: expit(-v)),
    (rnnet.local_sigm_times_exp, lambda x: -T.exp(x) * (x * sigmoid(-x)),
     ["Elemwise{mul,no_inplace}", "Elemwise{neg,no_inplace}", "sigmoid"],
     lambda v: -v * expit(v)),
    (rnnet.local_sigmoid_over_sigmoid, lambda x: x * sigmoid(x) * sigmoid(-x) / sigmoid(x),
     ["Elemwise{mul,no_inplace}", "Elemwise{neg,no_inplace}", "sigmoid"],
     lambda v: v * expit(-v)),
]


@pytest.mark.parametrize("case", CASES, ids=[str(i) for i in range(len(CASES))])
def test_rule_alone(case):
    rule, build, names, exact = case
    x = T.dvector("x")
    v = np.linspace(-30, 30, 13)
    check_rewrite(build, rule, expected=lambda fg: _names(fg) == names, inputs=[x], values=[v])
    # FAST_RUN is exact, finite where the written form is inf / inf (or 0 * inf), and the
    # written value where that is finite.
    big = np.array([-800.0, -720.0, 0.5, 720.0, 800.0])
    with np.errstate(all="ignore"):
        written = pytheano.function([x], build(x), mode=NONE)(big)
    got = pytheano.function([x], build(x), mode=FAST_RUN)(big)
    np.testing.assert_allclose(got, exact(big), rtol=1e-12, atol=1e-300)
    finite = np.isfinite(written)
    np.testing.assert_allclose(got[finite], written[finite], rtol=1e-12, atol=1e-300)


def test_float32_and_broadcast_keep_their_type():
    x, r = T.fmatrix("x"), T.frow("r")
    for out in (T.exp(-x) / (1 + T.exp(-x)) ** 2, sigmoid(r) * T.exp(-r) * x):
        f = pytheano.function([x, r], out, mode=FAST_RUN, on_unused_input="ignore")
        assert f.maker.fgraph.outputs[0].type == out.type
        assert "sigmoid" in debugprint(f, file="str")
        args = [np.linspace(-3, 3, 6, dtype="float32").reshape(2, 3),
                np.array([[0.5, -1, 2]], "float32")]
        want = pytheano.function([x, r], out, mode=NONE, on_unused_input="ignore")(*args)
        np.testing.assert_allclose(f(*args), want, rtol=1e-5)


def test_products_left_alone():
    x, y = T.dvector("x"), T.dvector("y")
    xf = T.fvector("xf")
    for out in (sigmoid(x) / sigmoid(x) * y,  # nothing else of x keeps a NaN of x
                T.exp(xf) * y / (1 + T.exp(xf)),  # float32 factors of a float64 product
                T.exp(x) * sigmoid(x), T.exp(x) * sigmoid(-y)):
        with pytheano.change_flags(profile_optimizer=True):
            f = pytheano.function([x, y, xf], out, mode=FAST_RUN, on_unused_input="ignore")
        for rule in ("local_exp_over_1_plus_exp", "local_sigm_times_exp",
                     "local_sigmoid_over_sigmoid"):
            assert f.maker.optimizer_profile[1].get(rule, [0, 0])[1] == 0, (rule, out)
        args = [np.array([np.nan, 1.0]), np.array([2.0, 3.0]), np.array([0.5, 1], "float32")]
        want = pytheano.function([x, y, xf], out, mode=NONE, on_unused_input="ignore")(*args)
        np.testing.assert_array_equal(np.isnan(f(*args)), np.isnan(want))


def test_hand_written_sigmoid_gradient():
    # Theano's tutorial writes 1 / (1 + exp(-z)); T.grad gives
    # -(-1 / ((1 + exp(-z)) * (1 + exp(-z)))) * exp(-z), nan past |z| ~ 709.
    x = T.dvector("x")
    g = _hand_sigmoid_grad(x)
    v = np.array([-800.0, -30.0, 0.0, 30.0, 800.0])
    f = pytheano.function([x], g, mode=FAST_RUN)
    np.testing.assert_allclose(f(v), expit(v) * expit(-v), rtol=1e-12, atol=1e-300)
    assert np.isnan(pytheano.function([x], g, mode=NONE)(v)[0])
    # Theano 1.0.5 prints Composite{(scalar_sigmoid((-i0)) * scalar_sigmoid(i0))}: its
    # canonicalizer folds the sign into the -1 that pytheano keeps (rewriting/math.py).
    assert debugprint(f, file="str").splitlines()[0].startswith(
        "Elemwise{Composite{(-(i0 * scalar_sigmoid(i1) * scalar_sigmoid((-i1))))}}")
    off = FAST_RUN.excluding("local_exp_over_1_plus_exp", "local_sigm_times_exp")
    assert np.isnan(pytheano.function([x], g, mode=off)(v)[0])


def test_tutorial_cost_gradient_is_theanos_graph():
    # log(1 / (1 + exp(-z))): Theano 1.0.5 prints Composite{scalar_sigmoid((-i0))} too.
    x = T.dvector("x")
    f = pytheano.function([x], pytheano.grad(T.log(1 / (1 + T.exp(-x))).sum(), x),
                          mode=FAST_RUN)
    assert debugprint(f, file="str").splitlines() == [
        "Elemwise{Composite{scalar_sigmoid((-i0))}} [id A] ''   0", " |x [id B]"]
    v = np.array([-800.0, 0.0, 800.0])
    np.testing.assert_allclose(f(v), expit(-v))
