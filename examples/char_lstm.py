"""A character-level language model: an LSTM written with scan, as a Theano user writes it.

Embeddings, an LSTM recurrence over time with ``theano.scan`` (two states, the output h and
the cell c), a softmax over the next character, the mean cross-entropy, its gradient by
backpropagation through time, and Adam updates of the shared parameters (the moments and the
step count are shared variables too). The text is the Zen of Python (the ``this`` module).
Prints the loss per epoch (it falls) and a sample drawn from the trained model.

    python examples/char_lstm.py [--epochs N] [--hidden H] [--embed D] [--seq-len T]

Only the imports change to run it on Theano 1.0.5 (``import theano`` ...): it prints the same
losses and the same sample there (checked in float64 with --epochs 2 --hidden 16 --seq-len 20).
"""

import numpy as np
from char_text import arg_parser, encode, sample, train_epochs, zen_text

import pytheano as theano
import pytheano.tensor as T


def adam(params, grads, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam's updates: a list of (shared variable, new value)."""
    t = theano.shared(np.asarray(0.0, dtype=theano.config.floatX), name="t")
    t_new = t + 1
    step = lr * T.sqrt(1 - beta2 ** t_new) / (1 - beta1 ** t_new)
    updates = [(t, t_new)]
    for p, g in zip(params, grads):
        zeros = np.zeros(p.get_value().shape, dtype=p.dtype)
        m = theano.shared(zeros, name="m_" + p.name)
        v = theano.shared(zeros.copy(), name="v_" + p.name)
        m_new = beta1 * m + (1 - beta1) * g
        v_new = beta2 * v + (1 - beta2) * T.sqr(g)
        updates += [(m, m_new), (v, v_new), (p, p - step * m_new / (T.sqrt(v_new) + eps))]
    return updates


def build(vocab, embed, hidden, rng, floatX):
    def param(shape, scale, name):
        return theano.shared((rng.standard_normal(shape) * scale).astype(floatX), name=name)

    E = param((vocab, embed), 0.1, "E")                       # embeddings
    W = param((embed, 4 * hidden), 1.0 / np.sqrt(embed), "W")  # input -> gates
    U = param((hidden, 4 * hidden), 1.0 / np.sqrt(hidden), "U")
    # The forget gate's bias starts at 1, the others at 0.
    b = theano.shared(np.concatenate([np.zeros(hidden), np.ones(hidden),
                                      np.zeros(2 * hidden)]).astype(floatX), name="b")
    V = param((hidden, vocab), 0.1, "V")
    c = theano.shared(np.zeros(vocab, dtype=floatX), name="c")
    params = [E, W, U, b, V, c]

    x = T.ivector("x")          # characters t = 0 .. T-1
    y = T.ivector("y")          # characters t = 1 .. T
    h0 = T.vector("h0", dtype=floatX)
    c0 = T.vector("c0", dtype=floatX)
    lr = T.scalar("lr", dtype=floatX)

    def step(x_t, h_prev, c_prev, E, W, U, b):
        z = T.dot(E[x_t], W) + T.dot(h_prev, U) + b
        i = T.nnet.sigmoid(z[:hidden])
        f = T.nnet.sigmoid(z[hidden:2 * hidden])
        o = T.nnet.sigmoid(z[2 * hidden:3 * hidden])
        g = T.tanh(z[3 * hidden:])
        c_t = f * c_prev + i * g
        return [o * T.tanh(c_t), c_t]

    [hs, cs], _ = theano.scan(step, sequences=x, outputs_info=[h0, c0],
                              non_sequences=[E, W, U, b])
    probs = T.nnet.softmax(T.dot(hs, V) + c)
    loss = -T.mean(T.log(probs[T.arange(y.shape[0]), y]))
    grads = T.grad(loss, params)
    train = theano.function([x, y, h0, c0, lr], [loss, hs[-1], cs[-1]],
                            updates=adam(params, grads, lr))

    x1 = T.iscalar("x1")
    h1, c1 = step(x1, h0, c0, E, W, U, b)
    next_probs = T.nnet.softmax((T.dot(h1, V) + c).dimshuffle("x", 0))[0]
    predict = theano.function([x1, h0, c0], [next_probs, h1, c1])
    return train, predict


def main():
    args = arg_parser(lr=0.01, embed=16).parse_args()
    floatX = theano.config.floatX
    chars, index, data = encode(zen_text())
    rng = np.random.default_rng(args.seed)
    train, predict = build(len(chars), args.embed, args.hidden, rng, floatX)

    def zeros():
        return [np.zeros(args.hidden, dtype=floatX), np.zeros(args.hidden, dtype=floatX)]

    train_epochs(train, zeros, data, args.seq_len, args.epochs, args.lr,
                 args.print_steps)
    sample(predict, zeros(), chars, index, rng)


if __name__ == "__main__":
    main()
