"""The text, batches and sampling shared by the character-level models (char_rnn.py,
char_lstm.py). No Theano here: the models' scripts run unchanged on Theano 1.0.5."""
import argparse
import codecs
import contextlib
import io

import numpy as np


def arg_parser(lr, embed=None):
    """The command line both models take; ``lr`` (and ``embed``, for a model with an
    embedding layer) is the model's default."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--hidden", type=int, default=64)
    if embed is not None:
        parser.add_argument("--embed", type=int, default=embed)
    parser.add_argument("--seq-len", type=int, default=40)
    parser.add_argument("--lr", type=float, default=lr)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--print-steps", action="store_true", help="each step's loss")
    return parser


def zen_text():
    """The Zen of Python (the ``this`` module, shipped with Python)."""
    with contextlib.redirect_stdout(io.StringIO()):
        import this
    return codecs.decode(this.s, "rot13")


def encode(text):
    """(the sorted characters, {character: index}, the text as int32 indices)."""
    chars = sorted(set(text))
    index = {ch: i for i, ch in enumerate(chars)}
    return chars, index, np.array([index[ch] for ch in text], dtype="int32")


def train_epochs(train, initial_states, data, seq_len, epochs, lr, print_steps=False):
    """Train on consecutive chunks of ``seq_len`` characters, carrying the recurrent states
    from chunk to chunk; print and return the mean loss of each epoch (and, with
    ``print_steps``, each step's loss to 10 digits, for comparing runs).
    ``train(x, y, *states, lr)`` returns ``[loss] + new states``."""
    means = []
    for epoch in range(epochs):
        states = initial_states()
        losses = []
        for start in range(0, len(data) - seq_len - 1, seq_len):
            x = data[start:start + seq_len]
            y = data[start + 1:start + seq_len + 1]
            outs = train(x, y, *(list(states) + [lr]))
            losses.append(float(outs[0]))
            if print_steps:
                print("step loss %.10f" % losses[-1])
            states = outs[1:]
        means.append(np.mean(losses))
        print("epoch %2d  loss %.4f" % (epoch + 1, means[-1]))
    return means


def sample(predict, states, chars, index, rng, first="B", length=120):
    """Draw ``length`` characters after ``first``; ``predict(character, *states)`` returns
    ``[next-character probabilities] + new states``. Prints and returns the text."""
    ch = index[first]
    out = [first]
    for _ in range(length):
        outs = predict(ch, *states)
        p, states = np.asarray(outs[0], dtype="float64"), outs[1:]
        ch = int(rng.choice(len(chars), p=p / p.sum()))
        out.append(chars[ch])
    text = "".join(out)
    print("sample:", text)
    return text
