"""Multinomial logistic regression on scikit-learn's handwritten digits, trained with pytheano.

This is the classic Theano tutorial model (deeplearning.net's ``LogisticRegression``), written
exactly as a Theano 1.0 user writes it: the parameters are ``theano.shared`` variables, the
gradient comes from ``theano.grad``, and one ``theano.function`` with ``updates`` and ``givens``
runs a step of minibatch SGD on a slice of the training set held in shared memory.

The only change from Theano code is the import line. The data is the 8x8 digits set bundled with
scikit-learn (1797 images, 10 classes; nothing is downloaded). Run it with::

    python examples/logistic_regression.py                 # softmax regression
    python examples/logistic_regression.py --hidden 64     # a one-hidden-layer (tanh) MLP

It prints the mean training loss of each epoch and, at the end, train and test accuracy.
Theano 1.0.5 running this file (imports switched back) prints the same numbers.
"""
import argparse
import time

import numpy as np

import pytheano as theano
import pytheano.tensor as T

from digits import load_digits_split


class LogisticRegression:
    """p(y | x) = softmax(x W + b); the parameters start at zero (the problem is convex)."""

    def __init__(self, input, n_in, n_out):
        self.W = theano.shared(np.zeros((n_in, n_out), dtype=theano.config.floatX), name="W")
        self.b = theano.shared(np.zeros((n_out,), dtype=theano.config.floatX), name="b")
        self.p_y_given_x = T.nnet.softmax(T.dot(input, self.W) + self.b)
        self.y_pred = T.argmax(self.p_y_given_x, axis=1)
        self.params = [self.W, self.b]

    def negative_log_likelihood(self, y):
        """Mean over the minibatch of -log p(y_i | x_i): pick each row's true-class column."""
        return -T.mean(T.log(self.p_y_given_x)[T.arange(y.shape[0]), y])

    def errors(self, y):
        """Fraction of the minibatch that is misclassified."""
        return T.mean(T.neq(self.y_pred, y))


class HiddenLayer:
    """tanh(x W + b), with Glorot-uniform initial weights."""

    def __init__(self, rng, input, n_in, n_out):
        bound = np.sqrt(6.0 / (n_in + n_out))
        W = rng.uniform(-bound, bound, size=(n_in, n_out)).astype(theano.config.floatX)
        self.W = theano.shared(W, name="W_hidden")
        self.b = theano.shared(np.zeros((n_out,), dtype=theano.config.floatX), name="b_hidden")
        self.output = T.tanh(T.dot(input, self.W) + self.b)
        self.params = [self.W, self.b]


def build_model(x, n_in, n_out, n_hidden, rng):
    """Return (classifier, params, l2): softmax regression, or an MLP when n_hidden > 0."""
    if n_hidden <= 0:
        clf = LogisticRegression(x, n_in, n_out)
        return clf, clf.params, (clf.W ** 2).sum()
    hidden = HiddenLayer(rng, x, n_in, n_hidden)
    clf = LogisticRegression(hidden.output, n_hidden, n_out)
    return clf, hidden.params + clf.params, (hidden.W ** 2).sum() + (clf.W ** 2).sum()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=20)
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--l2", type=float, default=1e-4, help="weight decay on the W's")
    parser.add_argument("--hidden", type=int, default=0,
                        help="hidden units; 0 (default) is plain softmax regression")
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args(argv)

    rng = np.random.RandomState(args.seed)
    (train_x, train_y), (test_x, test_y) = load_digits_split(rng, floatX=theano.config.floatX)
    n_in, n_out = train_x.shape[1], int(train_y.max()) + 1

    # The whole data set lives in shared variables; a minibatch is a symbolic slice of it.
    train_set_x = theano.shared(train_x, name="train_set_x")
    train_set_y = theano.shared(train_y, name="train_set_y")
    test_set_x = theano.shared(test_x, name="test_set_x")
    test_set_y = theano.shared(test_y, name="test_set_y")

    index = T.lscalar("index")
    x = T.matrix("x")
    y = T.ivector("y")
    classifier, params, l2 = build_model(x, n_in, n_out, args.hidden, rng)

    cost = classifier.negative_log_likelihood(y) + args.l2 * l2
    grads = T.grad(cost, wrt=params)
    lr = np.asarray(args.learning_rate, dtype=theano.config.floatX)
    updates = [(p, p - lr * g) for p, g in zip(params, grads)]

    bs = args.batch_size
    t0 = time.perf_counter()
    train_model = theano.function(
        inputs=[index],
        outputs=cost,
        updates=updates,
        givens={x: train_set_x[index * bs: (index + 1) * bs],
                y: train_set_y[index * bs: (index + 1) * bs]},
    )
    train_error = theano.function([], classifier.errors(y),
                                  givens={x: train_set_x, y: train_set_y})
    test_error = theano.function([], classifier.errors(y),
                                 givens={x: test_set_x, y: test_set_y})
    for f in (train_model, train_error, test_error):
        f.fn  # noqa: B018 -- pytheano runs the C compiler in the background: wait for it
    compile_s = time.perf_counter() - t0

    model = "softmax regression" if args.hidden <= 0 else "MLP (%d tanh units)" % args.hidden
    n_batches = len(train_x) // bs
    print("digits: %d train / %d test images, %d features, %d classes; %s"
          % (len(train_x), len(test_x), n_in, n_out, model))
    print("compiled 3 functions in %.2f s; %d minibatches of %d per epoch"
          % (compile_s, n_batches, bs))

    t0 = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        losses = [train_model(i) for i in range(n_batches)]
        print("epoch %3d  loss %.4f" % (epoch, float(np.mean(losses))))
    train_s = time.perf_counter() - t0

    train_acc = 1.0 - float(train_error())
    test_acc = 1.0 - float(test_error())
    print("trained in %.2f s (%.0f us per step)"
          % (train_s, 1e6 * train_s / (args.epochs * n_batches)))
    print("train accuracy %.4f" % train_acc)
    print("test accuracy  %.4f" % test_acc)
    return train_acc, test_acc


if __name__ == "__main__":
    main()
