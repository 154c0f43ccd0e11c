"""The acceptance test of the stabilizing rewrites: Theano's tutorial logistic regression
(deeplearning.net's "A Real Example: Logistic Regression"), written as the tutorial writes it,
with p_1 = 1 / (1 + exp(-z)) rather than sigmoid. With 784 features and weights from randn,
|z| reaches ~100, p_1 rounds to exactly 1 and log(1 - p_1) is -inf: optimizer=None gives nan
costs and weights; FAST_RUN rewrites the cost into softplus terms and 1 - p_1 into
sigmoid(-z), and trains."""
import numpy as np

import pytheano as theano
import pytheano.tensor as T
from pytheano.compile.mode import FAST_RUN, Mode

STEPS = 300

# Theano 1.0.5 (FAST_RUN, cxx='', seed 42, the same 300 steps) on the peer. Its costs are nan
# at every step: it rewrites log(1 - p_1) to log1p(-sigmoid(z)), which is still -inf once
# sigmoid(z) rounds to 1. Its gradient is finite, so it trains; these are its weights.
THEANO_B = 0.027398665879812625
THEANO_W3 = [-1.0545146460891273, -0.005978493783935955, 0.31083823128650073]
THEANO_SUMSQ_W = 171.35901262929877
# The exact cost at Theano's final weights (numpy, logaddexp): the cost after step 300.
THEANO_FINAL_EXACT_COST = 1.7737696549083815
# pytheano's (finite) costs: the first two steps and the last (its cost is computed before
# the step's update, so the last is one step behind THEANO_FINAL_EXACT_COST).
COSTS = [19.800881132355894, 19.592592543482937]
LAST_COST = 1.7809391175328628


def _train(mode, steps=STEPS, seed=42):
    rng = np.random.RandomState(seed)
    N, feats = 400, 784
    D = (rng.randn(N, feats), rng.randint(size=N, low=0, high=2))
    x = T.dmatrix("x")
    y = T.dvector("y")
    w = theano.shared(rng.randn(feats), name="w")
    b = theano.shared(0., name="b")
    p_1 = 1 / (1 + T.exp(-T.dot(x, w) - b))
    prediction = p_1 > 0.5
    xent = -y * T.log(p_1) - (1 - y) * T.log(1 - p_1)
    cost = xent.mean() + 0.01 * (w ** 2).sum()
    gw, gb = T.grad(cost, [w, b])
    train = theano.function([x, y], [prediction, cost],
                            updates=((w, w - 0.1 * gw), (b, b - 0.1 * gb)), mode=mode)
    predict = theano.function([x], prediction, mode=mode)
    costs = [float(train(D[0], D[1])[1]) for _ in range(steps)]
    accuracy = (predict(D[0]) == D[1]).mean()
    return costs, accuracy, w.get_value(), float(b.get_value())


def test_fast_run_trains_to_full_accuracy_as_theano():
    costs, accuracy, w, b = _train(FAST_RUN)
    assert accuracy == 1.0
    assert np.all(np.isfinite(w)) and np.all(np.isfinite(costs))
    np.testing.assert_allclose(costs[:2], COSTS, rtol=1e-9)
    np.testing.assert_allclose(costs[-1], LAST_COST, rtol=1e-9)
    np.testing.assert_allclose(costs[-1], THEANO_FINAL_EXACT_COST, rtol=1e-2)
    # The same weights as Theano 1.0.5, step for step.
    np.testing.assert_allclose(b, THEANO_B, rtol=1e-9)
    np.testing.assert_allclose(w[:3], THEANO_W3, rtol=1e-9)
    np.testing.assert_allclose((w ** 2).sum(), THEANO_SUMSQ_W, rtol=1e-9)
    assert all(c2 < c1 for c1, c2 in zip(costs, costs[1:]))


def test_optimizer_none_gives_nan():
    # The graph as written: what the rewrites fix (Theano 1.0.5 with optimizer=None: the same).
    costs, accuracy, w, b = _train(Mode(optimizer=None), steps=3)
    assert np.all(np.isnan(costs)) and np.isnan(b) and not np.all(np.isfinite(w))
