"""A character-level language model: a tanh RNN written with scan, as a Theano user writes it.

Embeddings, a recurrence over time with ``theano.scan``, a softmax over the next character,
the mean cross-entropy, its gradient by backpropagation through time, and SGD updates of the
shared parameters. The text is the Zen of Python (the ``this`` module, shipped with Python).
Prints the loss per epoch (it falls) and a sample drawn from the trained model.

    python examples/char_rnn.py [--epochs N] [--hidden H] [--seq-len T]

Only the imports change to run it on Theano 1.0.5 (``import theano`` ...): it prints the same
losses and the same sample there (checked with --epochs 2 --hidden 16 --seq-len 20).
"""

import numpy as np
from char_text import arg_parser, encode, sample, train_epochs, zen_text

import pytheano as theano
import pytheano.tensor as T


def build(vocab, hidden, rng, floatX):
    def param(shape, scale, name):
        return theano.shared((rng.standard_normal(shape) * scale).astype(floatX), name=name)

    E = param((vocab, hidden), 0.1, "E")            # embeddings
    U = param((hidden, hidden), 1.0 / np.sqrt(hidden), "U")
    b = theano.shared(np.zeros(hidden, dtype=floatX), name="b")
    V = param((hidden, vocab), 0.1, "V")
    c = theano.shared(np.zeros(vocab, dtype=floatX), name="c")
    params = [E, U, b, V, c]

    x = T.ivector("x")          # characters t = 0 .. T-1
    y = T.ivector("y")          # characters t = 1 .. T
    h0 = T.vector("h0", dtype=floatX)
    lr = T.scalar("lr", dtype=floatX)

    def step(x_t, h_prev, E, U, b):
        return T.tanh(E[x_t] + T.dot(h_prev, U) + b)

    hs, _ = theano.scan(step, sequences=x, outputs_info=h0, non_sequences=[E, U, b])
    probs = T.nnet.softmax(T.dot(hs, V) + c)
    loss = -T.mean(T.log(probs[T.arange(y.shape[0]), y]))
    grads = T.grad(loss, params)
    updates = [(p, p - lr * g) for p, g in zip(params, grads)]
    train = theano.function([x, y, h0, lr], [loss, hs[-1]], updates=updates)

    x1 = T.iscalar("x1")
    h1 = step(x1, h0, E, U, b)
    next_probs = T.nnet.softmax((T.dot(h1, V) + c).dimshuffle("x", 0))[0]
    predict = theano.function([x1, h0], [next_probs, h1])
    return train, predict


def main():
    args = arg_parser(lr=0.1).parse_args()
    floatX = theano.config.floatX
    chars, index, data = encode(zen_text())
    rng = np.random.default_rng(args.seed)
    train, predict = build(len(chars), args.hidden, rng, floatX)
    train_epochs(train, lambda: [np.zeros(args.hidden, dtype=floatX)], data, args.seq_len,
                 args.epochs, args.lr,
                 args.print_steps)
    sample(predict, [np.zeros(args.hidden, dtype=floatX)], chars, index, rng)

if __name__ == "__main__":
    main()
