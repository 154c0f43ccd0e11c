"""The examples/ scripts: the training step is numerically the hand-written numpy step, and the
digits and char_lstm examples print, epoch by epoch, the losses Theano 1.0.5 prints."""
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import pytheano as theano
import pytheano.tensor as T

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
sys.path.insert(0, EXAMPLES)

import logistic_regression  # noqa: E402


def numpy_sgd_step(W, b, x, y, lr, l2):
    """One SGD step of softmax regression with weight decay, derived by hand."""
    z = x.dot(W) + b
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    rows = np.arange(len(y))
    cost = -np.mean(np.log(p[rows, y])) + l2 * (W ** 2).sum()
    d = p.copy()
    d[rows, y] -= 1.0
    d /= len(y)
    return cost, W - lr * (x.T.dot(d) + 2 * l2 * W), b - lr * d.sum(axis=0)


@pytest.mark.parametrize("hidden", [0, 7])
def test_sgd_step_matches_numpy(hidden):
    rng = np.random.RandomState(0)
    x = T.matrix("x")
    y = T.ivector("y")
    clf, params, l2 = logistic_regression.build_model(x, 5, 4, hidden, rng)
    # Non-zero starting weights, so the softmax is not uniform.
    for p in params:
        p.set_value(rng.normal(size=p.get_value().shape))
    cost = clf.negative_log_likelihood(y) + 1e-2 * l2
    grads = T.grad(cost, params)
    step = theano.function([x, y], cost, updates=[(p, p - 0.5 * g)
                                                  for p, g in zip(params, grads)])
    xv = rng.uniform(size=(6, 5))
    yv = rng.randint(0, 4, size=6).astype("int32")
    if hidden:
        # Check the output layer on the hidden activations the graph itself computes.
        hidden_fn = theano.function([x], clf_input(clf, x))
        xv_out = hidden_fn(xv)
    else:
        xv_out = xv
    W0, b0 = clf.W.get_value(), clf.b.get_value()
    expected_cost, W1, b1 = numpy_sgd_step(W0, b0, xv_out, yv, 0.5, 1e-2)
    if hidden:
        expected_cost += 1e-2 * (params[0].get_value() ** 2).sum()
    got = step(xv, yv)
    np.testing.assert_allclose(got, expected_cost, rtol=1e-10)
    np.testing.assert_allclose(clf.W.get_value(), W1, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(clf.b.get_value(), b1, rtol=1e-10, atol=1e-12)


def clf_input(clf, x):
    """The input of the output layer: the graph input of the Dot under the softmax."""
    from pytheano.tensor.blas import Dot
    from pytheano.graph.basic import ancestors

    for v in ancestors([clf.p_y_given_x]):
        if v.owner is not None and isinstance(v.owner.op, Dot) and clf.W in v.owner.inputs:
            return v.owner.inputs[0]
    raise AssertionError("no dot with W under the softmax")


# What Theano 1.0.5 prints running examples/logistic_regression.py (imports switched to theano).
THEANO_OUTPUT = {
    (): ([1.7806, 1.1136, 0.8115, 0.6524, 0.5558], 0.9270, 0.9304),
    ("--hidden", "16"): ([2.0527, 1.3285, 0.8063], 0.8971, 0.8969),
}


@pytest.mark.parametrize("extra", sorted(THEANO_OUTPUT))
def test_digits_training_prints_what_theano_prints(extra, capsys):
    pytest.importorskip("sklearn", reason="the digits data set ships with scikit-learn")
    losses, train_acc, test_acc = THEANO_OUTPUT[extra]
    got_train, got_test = logistic_regression.main(["--epochs", str(len(losses))] + list(extra))
    out = capsys.readouterr().out
    got_losses = [line.split()[-1] for line in out.splitlines() if line.startswith("epoch")]
    assert got_losses == ["%.4f" % v for v in losses]
    assert ("%.4f" % got_train, "%.4f" % got_test) == ("%.4f" % train_acc, "%.4f" % test_acc)
    assert "train accuracy %.4f" % train_acc in out


# What Theano 1.0.5 prints running examples/char_lstm.py (imports switched to theano, cxx=,
# floatX=float64) with --epochs 2 --hidden 16 --seq-len 20 --print-steps: every 12th step's
# loss, the epochs' means and the sample.
LSTM_THEANO_STEPS = [3.8102836326, 3.4176934582, 3.1216941351, 3.3631450284, 3.5853388675,
                     3.1908043198, 2.9077545467]
LSTM_THEANO_EPOCHS = ["3.3515", "3.0885"]
LSTM_THEANO_SAMPLE = ("Bipno.ildsnsu Nstoah r f u eh tep aihtchetbn,yioeb'i 'l fems u.p.ionsihiig"
                      " een stiteila nDEhn ii ZF* ob s  lalars chepen ")


def test_char_lstm_prints_what_theano_prints():
    root = os.path.dirname(EXAMPLES)
    proc = subprocess.run([sys.executable, os.path.join(EXAMPLES, "char_lstm.py"), "--epochs",
                           "2", "--hidden", "16", "--seq-len", "20", "--print-steps"],
                          capture_output=True, text=True, cwd=root, timeout=600,
                          env=dict(os.environ, PYTHONPATH=root, THEANO_FLAGS="floatX=float64"))
    assert proc.returncode == 0, proc.stderr
    steps = [float(v) for v in re.findall(r"step loss (\S+)", proc.stdout)]
    assert len(steps) == 84
    np.testing.assert_allclose(steps[::12], LSTM_THEANO_STEPS, rtol=0, atol=1e-6)
    assert re.findall(r"epoch +\d+ +loss (\S+)", proc.stdout) == LSTM_THEANO_EPOCHS
    assert "sample: " + LSTM_THEANO_SAMPLE in proc.stdout
