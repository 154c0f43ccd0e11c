"""The Scan op itself (pytheano/scan/op.py), built by hand: mit_mot states (what a
gradient's loop carries), their shapes and their errors."""
from collections import OrderedDict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano as theano
import pytheano.tensor as T
from pytheano.scan.op import Scan


def _mit_mot_scan(in_taps, out_taps):
    """A scan with one sequence x and one mit_mot buffer B: step t reads B at rows
    lag + t + in_taps (lag = -min(in_taps)), and writes at rows lag + t + out_taps
    ``x[t] * (k + 1) + sum of what it read`` for its k-th output tap."""
    seq = T.dvector("x_t")
    reads = [T.dvector("b_%d" % i) for i in range(len(in_taps))]
    total = reads[0]
    for r in reads[1:]:
        total = total + r
    outs = [seq * (k + 1) + total for k in range(len(out_taps))]
    info = OrderedDict(n_seqs=1, n_mit_mot=1, n_mit_mot_outs=len(out_taps),
                       mit_mot_out_slices=[list(out_taps)], tap_array=[list(in_taps)],
                       n_mit_sot=0, n_sit_sot=0, n_nit_sot=0, n_shared_outs=0,
                       truncate_gradient=-1, as_while=False, profile=False, mode=None,
                       name="mm", gpua=False, destroy_map=OrderedDict())
    return Scan([seq] + reads, outs, info)


def _numpy_mit_mot(x, buf, in_taps, out_taps):
    buf = buf.copy()
    lag = -min(in_taps)
    for t in range(x.shape[0]):
        total = sum(buf[lag + t + tap] for tap in in_taps)
        for k, tap in enumerate(out_taps):
            buf[lag + t + tap] = x[t] * (k + 1) + total
    return buf


@settings(max_examples=25, deadline=None)
@given(steps=st.integers(1, 5),
       in_taps=st.lists(st.integers(-2, 3), min_size=1, max_size=3, unique=True),
       out_taps=st.lists(st.integers(-2, 3), min_size=1, max_size=2, unique=True),
       seed=st.integers(0, 100))
def test_mit_mot_steps_read_and_write_their_rows(steps, in_taps, out_taps, seed):
    op = _mit_mot_scan(in_taps, out_taps)
    lag = -min(in_taps)
    rows = steps + lag + max(in_taps + out_taps) + 1
    X, Bm = T.dmatrix("X"), T.dmatrix("Bm")
    (out,) = op(T.constant(steps), X, Bm, return_list=True)
    rng = np.random.default_rng(seed)
    x, buf = rng.standard_normal((steps, 2)), rng.standard_normal((rows, 2))
    want = _numpy_mit_mot(x, buf, in_taps, out_taps)
    f = theano.function([X, Bm], [out, out.shape])
    got, shape = f(x, buf)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert tuple(shape) == want.shape
    # optimizer=None and FAST_RUN agree, and the input buffer is left as it was
    kept = buf.copy()
    ref = theano.function([X, Bm], out, mode=theano.Mode(optimizer=None))(x, buf)
    np.testing.assert_allclose(ref, want, rtol=1e-12)
    np.testing.assert_array_equal(buf, kept)


def test_mit_mot_buffer_too_short_says_how_many_rows():
    op = _mit_mot_scan([0, 1], [1])
    X, B = T.dmatrix("X"), T.dmatrix("B")
    (out,) = op(T.constant(4), X, B, return_list=True)
    f = theano.function([X, B], out)
    with pytest.raises(ValueError, match="has 3 rows; 4 steps .* need 5"):
        f(np.ones((4, 2)), np.ones((3, 2)))


def test_mit_mot_layout_accessors_and_connection_pattern():
    op = _mit_mot_scan([0, 1], [1])
    X, B = T.dmatrix("X"), T.dmatrix("B")
    node = op(T.constant(3), X, B, return_list=True)[0].owner
    assert (op.n_outs, op.n_tap_outs, op.n_mit_mot_outs) == (1, 1, 1)
    assert op.outer_mitmot(node) == [node.inputs[2]]
    assert op.inner_mitmot(op.inputs) == op.inputs[1:3]
    assert op.inner_mitmot_outs(op.outputs) == op.outputs
    assert op.outer_mitmot_outs(node) == node.outputs
    # n_steps is not differentiated; the sequence and the buffer reach the output
    assert op.connection_pattern(node) == [[False], [True], [True]]
    assert str(op) == "for{cpu,mm}"
