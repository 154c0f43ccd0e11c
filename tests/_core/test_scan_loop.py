"""Scan's stepping loop (pytheano/_core/scan_loop.pyx): its C row views and its memmove of a
step's output into the buffer agree with numpy's indexing whatever the layout, dtype and
buffer length; checked through ``theano.scan`` against numpy loops."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano as theano
import pytheano.tensor as T


@settings(max_examples=12, deadline=None, derandomize=True)
@given(st.sampled_from(["float64", "float32", "int32", "int8"]),
       st.integers(min_value=1, max_value=3), st.integers(min_value=1, max_value=9),
       st.booleans())
def test_taps_transposes_and_last_value(dtype, rows, steps, last_only):
    """A state with taps -2/-1 whose step returns a transposed (non-contiguous) matrix and
    a nit_sot of another dtype: full buffers, or circular ones when only the last value
    is used."""
    x0 = T.tensor3(dtype=dtype)

    def step(a, b):
        nxt = (a.T + b.T).T if dtype.startswith("float") else a + b
        return nxt, T.cast(nxt.sum(), "float64")

    (xs, sums), _ = theano.scan(step, outputs_info=[dict(initial=x0, taps=[-2, -1]), None],
                                n_steps=steps)
    outs = [xs[-1], sums[-1]] if last_only else [xs, sums]
    f = theano.function([x0], outs)
    init = (np.arange(2 * rows * 2) % 5).reshape(2, rows, 2).astype(dtype)
    hist = [init[0], init[1]]
    want_sums = []
    for _ in range(steps):
        hist.append((hist[-2] + hist[-1]).astype(dtype))
        want_sums.append(float(hist[-1].sum()))
    got_x, got_s = f(init)
    if last_only:
        np.testing.assert_array_equal(got_x, hist[-1])
        assert got_s == want_sums[-1]
    else:
        np.testing.assert_array_equal(got_x, np.array(hist[2:]))
        np.testing.assert_array_equal(got_s, want_sums)
    assert got_x.dtype == dtype


def test_identity_step_and_sequence_views():
    """A step that returns its own input row (the value is the row it is copied over in a
    one-row circular buffer), and sequences read through views of a non-contiguous array."""
    p0 = T.vector()
    same, _ = theano.scan(lambda p: p, outputs_info=p0, n_steps=5)
    f = theano.function([p0], same[-1])
    np.testing.assert_array_equal(f(np.array([1.0, 2.0])), [1.0, 2.0])
    seq = T.matrix()
    out, _ = theano.scan(lambda s, acc: acc + s, sequences=seq, outputs_info=T.zeros((3,)))
    g = theano.function([seq], out)
    data = np.arange(40.0).reshape(4, 10)[:, ::3][:, :3]  # a strided (4, 3) view
    np.testing.assert_array_equal(g(data), np.cumsum(data, axis=0))
