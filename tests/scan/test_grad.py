"""The gradient (BPTT) and R_op of scan (pytheano/scan/grad.py), against finite
differences and unrolled loops."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano as theano
import pytheano.tensor as T
from pytheano.gradient import verify_grad
from pytheano.scan.op import Scan


def _rng():
    return np.random.default_rng(0)


def test_tanh_rnn_verify_grad():
    rng = _rng()

    def rnn(X, h0, W, U):
        hs, _ = theano.scan(lambda x, h, W, U: T.tanh(T.dot(x, W) + T.dot(h, U)),
                            sequences=X, outputs_info=h0, non_sequences=[W, U])
        return hs

    verify_grad(rnn, [rng.standard_normal((5, 3)), rng.standard_normal(4),
                      rng.standard_normal((3, 4)) * 0.5, rng.standard_normal((4, 4)) * 0.5],
                rng=rng)



def _batched_rnn(last_only, truncate=-1):
    """A tanh RNN over (steps, batch, n) inputs with a bias, as the benchmark's; the output
    is its last state or every state."""
    def rnn(X, h0, W, U, b):
        hs, _ = theano.scan(lambda x, h, W, U, b: T.tanh(T.dot(x, W) + T.dot(h, U) + b),
                            sequences=X, outputs_info=h0, non_sequences=[W, U, b],
                            truncate_gradient=truncate)
        return hs[-1] if last_only else hs
    return rnn


@pytest.mark.parametrize("last_only", [True, False])
def test_batched_rnn_verify_grad(last_only):
    """The last state's gradient seeds the backward loop (no sequence of zeros), x_t W is
    one product before the loop (scan_pushout_seq_dot), W's and U's gradients one dot each
    after it: finite differences agree in each case."""
    rng = _rng()
    verify_grad(_batched_rnn(last_only),
                [rng.standard_normal((4, 2, 3)), rng.standard_normal((2, 3)),
                 rng.standard_normal((3, 3)) * 0.5, rng.standard_normal((3, 3)) * 0.5,
                 rng.standard_normal(3)], rng=rng)


@pytest.mark.parametrize("truncate", [-1, 2])
def test_backward_loop_carries_each_state_as_a_mit_mot(truncate):
    """Theano's layout: the sit_sot state h becomes a mit_mot of the backward loop (read at
    rows t and t + 1, written at t + 1), W a sit_sot accumulator, X's rows a nit_sot; a cost
    on the last state gives what a mask over every state gives."""
    X, h0, W, U, b = T.dtensor3("X"), T.dmatrix("h0"), T.dmatrix("W"), T.dmatrix("U"), \
        T.dvector("b")
    args = [X, h0, W, U, b]
    hs_last = _batched_rnn(True, truncate)(*args)
    cost = hs_last.sum()
    (back,) = [v.owner.op for v in theano.graph.basic.ancestors(T.grad(cost, [W, h0]))
               if v.owner is not None and isinstance(v.owner.op, Scan)
               and v.owner.op.name.startswith("grad_of")][:1]
    assert (back.n_mit_mot, back.tap_array[0], back.mit_mot_out_slices[0]) == \
        (1, [0, 1], [1])
    assert back.n_nit_sot == 1 and back.truncate_gradient == truncate
    g_last = theano.function(args, T.grad(cost, [W, h0, X]))
    hs = _batched_rnn(False, truncate)(*args)
    mask = T.set_subtensor(T.zeros_like(hs)[-1], 1)
    g_mask = theano.function(args, T.grad((hs * mask).sum(), [W, h0, X]))
    rng = _rng()
    vals = [rng.standard_normal((5, 2, 3)), rng.standard_normal((2, 3)),
            rng.standard_normal((3, 3)) * 0.5, rng.standard_normal((3, 3)) * 0.5,
            rng.standard_normal(3)]
    for got, want in zip(g_last(*vals), g_mask(*vals)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    if truncate != -1:  # the steps before the cut get no gradient
        assert not g_last(*vals)[2][:5 - truncate].any()


def test_lstm_cell_feeding_the_output_verify_grad():
    """Two states where one is computed from the other (an LSTM's h_t = o * tanh(c_t)), the
    cost reading only h: the gradient reaches c through h (it was lost when both states'
    seeds were known gradients of the inner graph)."""
    rng = _rng()

    def lstm(X, W, U):
        def step(x, h, c, W, U):
            z = T.dot(x, W) + T.dot(h, U)
            c_t = T.nnet.sigmoid(z[:3]) * c + T.tanh(z[3:])
            return [T.nnet.sigmoid(z[:3]) * T.tanh(c_t), c_t]

        [hs, _], _ = theano.scan(step, sequences=X, outputs_info=[T.zeros((3,)),
                                                                   T.zeros((3,))],
                                 non_sequences=[W, U])
        return hs

    verify_grad(lstm, [rng.standard_normal((4, 2)), rng.standard_normal((2, 6)),
                       rng.standard_normal((3, 6))], rng=rng)


def test_free_variables_and_shared_inside():
    rng = _rng()
    W = theano.shared(rng.standard_normal((3, 3)) * 0.5, name="W")
    X = T.dmatrix("X")
    hs, _ = theano.scan(lambda x, h: T.tanh(T.dot(h, W) + x), sequences=X,
                        outputs_info=T.zeros((3,), dtype="float64"))
    cost = (hs ** 2).sum()
    gW, gX = T.grad(cost, [W, X])
    f = theano.function([X], [cost, gW, gX])
    x = rng.standard_normal((4, 3))
    c, gw, gx = f(x)

    def numeric(w):
        h = np.zeros(3)
        total = 0
        for t in range(4):
            h = np.tanh(h.dot(w) + x[t])
            total += (h ** 2).sum()
        return total

    eps = 1e-6
    w0 = W.get_value()
    num = np.zeros_like(w0)
    for i in range(3):
        for j in range(3):
            d = np.zeros_like(w0)
            d[i, j] = eps
            num[i, j] = (numeric(w0 + d) - numeric(w0 - d)) / (2 * eps)
    np.testing.assert_allclose(gw, num, rtol=1e-5, atol=1e-7)
    assert gx.shape == x.shape


def test_taps_verify_grad():
    rng = _rng()

    def f(X, y0, w):
        r, _ = theano.scan(lambda x_m1, x_p1, y_m2, y_m1, w: T.tanh(x_m1 * w + y_m1 * 0.5
                                                                     - y_m2 * x_p1),
                           sequences=dict(input=X, taps=[-1, 1]),
                           outputs_info=dict(initial=y0, taps=[-2, -1]), non_sequences=w)
        return r

    verify_grad(f, [rng.standard_normal((7, 2)), rng.standard_normal((2, 2)),
                    rng.standard_normal(2)], rng=rng)


def test_go_backwards_and_nit_sot_grad():
    rng = _rng()

    def f(X, w):
        r, _ = theano.scan(lambda x, p, w: [p * w + x, T.sin(x) * p],
                           sequences=X, outputs_info=[T.zeros_like(w), None],
                           non_sequences=w, go_backwards=True)
        return r[0].sum() + r[1].sum() * 2

    verify_grad(f, [rng.standard_normal((5, 3)), rng.standard_normal(3)], rng=rng)


def test_truncate_gradient():
    X = T.dvector("X")
    w = T.dscalar("w")
    r, _ = theano.scan(lambda x, p, w: p * w + x, sequences=X,
                       outputs_info=T.constant(0.0, dtype="float64"), non_sequences=w,
                       truncate_gradient=2)
    gX = T.grad(r[-1], X)
    out = theano.function([X, w], gX)(np.ones(5), 3.0)
    # only the last two steps are backpropagated through: d r[-1] / d X[t] = w ** (4 - t)
    np.testing.assert_allclose(out, [0, 0, 0, 3, 1])


def test_power_grad():
    A = T.dvector("A")
    k = T.iscalar("k")
    r, _ = theano.scan(lambda p, A: p * A, outputs_info=T.ones_like(A), non_sequences=A,
                       n_steps=k)
    g = theano.function([A, k], T.grad(r[-1].sum(), A))
    np.testing.assert_allclose(g(np.arange(4.0), 3), 3 * np.arange(4.0) ** 2)


def test_second_order():
    x = T.dscalar("x")
    r, _ = theano.scan(lambda p, x: p * x, outputs_info=T.constant(1.0, dtype="float64"),
                       non_sequences=x, n_steps=4)
    g = T.grad(r[-1], x)
    h = T.grad(g, x)
    f = theano.function([x], [g, h])
    gv, hv = f(2.0)
    assert np.isclose(gv, 4 * 8) and np.isclose(hv, 12 * 4)


def test_rop():
    rng = _rng()
    X = T.dmatrix("X")
    W = T.dmatrix("W")
    h0 = T.dvector("h0")
    hs, _ = theano.scan(lambda x, h, W: T.tanh(T.dot(h, W) + x), sequences=X,
                        outputs_info=h0, non_sequences=W)
    vX, vW, vh = T.dmatrix("vX"), T.dmatrix("vW"), T.dvector("vh")
    jv = theano.gradient.Rop(hs, [X, W, h0], [vX, vW, vh])
    f = theano.function([X, W, h0, vX, vW, vh], jv)
    g = theano.function([X, W, h0], hs)
    x, w, h = rng.standard_normal((4, 3)), rng.standard_normal((3, 3)), rng.standard_normal(3)
    dx, dw, dh = rng.standard_normal((4, 3)), rng.standard_normal((3, 3)), \
        rng.standard_normal(3)
    eps = 1e-6
    num = (g(x + eps * dx, w + eps * dw, h + eps * dh)
           - g(x - eps * dx, w - eps * dw, h - eps * dh)) / (2 * eps)
    np.testing.assert_allclose(f(x, w, h, dx, dw, dh), num, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("taps", [[-1], [-2, -1]])
def test_rop_of_the_gradient_is_a_hessian_vector_product(taps):
    """R_op through the backward loop (its mit_mot states): Rop(grad(cost, W), W, V)
    against finite differences of the gradient, for one and two state taps."""
    rng = _rng()
    X, W, V = T.dmatrix("X"), T.dmatrix("W"), T.dmatrix("V")
    if taps == [-1]:
        init = T.dvector("h0")
        step = lambda x, h, W: T.tanh(T.dot(h, W) + x)  # noqa: E731
        h = rng.standard_normal(3)
    else:
        init = T.dmatrix("h0")
        step = lambda x, h2, h1, W: T.tanh(T.dot(h1, W) + 0.5 * h2 + x)  # noqa: E731
        h = rng.standard_normal((2, 3))
    hs, _ = theano.scan(step, sequences=X, outputs_info=dict(initial=init, taps=taps),
                        non_sequences=W)
    g = T.grad((hs ** 2).sum(), W)
    hv = theano.function([X, init, W, V], theano.gradient.Rop(g, W, V))
    grad_f = theano.function([X, init, W], g)
    x, w, v = rng.standard_normal((4, 3)), rng.standard_normal((3, 3)) * 0.5, \
        rng.standard_normal((3, 3))
    eps = 1e-6
    num = (grad_f(x, h, w + eps * v) - grad_f(x, h, w - eps * v)) / (2 * eps)
    np.testing.assert_allclose(hv(x, h, w, v), num, rtol=1e-5, atol=1e-7)


def test_jacobian_and_hessian_use_scan():
    x = T.dvector("x")
    J = theano.gradient.jacobian(T.tanh(x) * 2, x)
    f = theano.function([x], J)
    v = np.array([0.1, -0.3, 0.5])
    np.testing.assert_allclose(f(v), np.diag(2 * (1 - np.tanh(v) ** 2)))
    H = theano.gradient.hessian((x ** 3).sum(), x)
    np.testing.assert_allclose(theano.function([x], H)(v), np.diag(6 * v))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_grad_dtype(dtype):
    X = T.matrix("X", dtype=dtype)
    hs, _ = theano.scan(lambda x, h: T.tanh(x + h), sequences=X,
                        outputs_info=T.zeros((3,), dtype=dtype))
    g = T.grad(hs.sum(), X)
    assert g.dtype == dtype
    out = theano.function([X], g)(np.ones((2, 3), dtype=dtype))
    assert out.dtype == dtype


def test_one_variable_returned_as_two_outputs():
    # recorded from Theano 1.0.5: the gradients of both outputs add up
    def inner(a, b, c):
        total = a + b + c
        return total, total

    seq, init, non_seq = T.dmatrix(), T.dmatrix(), T.dvector()
    outs, _ = theano.scan(inner, sequences=seq, non_sequences=non_seq,
                          outputs_info=[None, dict(initial=init, taps=[-3])])
    grads = T.grad(outs[0].sum(), [seq, init, non_seq])
    rng = _rng()
    g_seq, g_init, g_non_seq = theano.function([seq, init, non_seq], grads)(
        rng.random((10, 3)), rng.random((3, 3)), rng.random(3))
    np.testing.assert_allclose(g_seq[:, 0], [4, 3, 3, 3, 2, 2, 2, 1, 1, 1])
    np.testing.assert_allclose(g_init[:, 0], [4, 3, 3])
    np.testing.assert_allclose(g_non_seq, [22, 22, 22])


def test_second_order_through_taps():
    def inner(m2, s):
        out = (m2 + s) ** 1.02
        return out, out

    def sum_of_grads(x0, x1):
        outs, _ = theano.scan(inner, outputs_info=[dict(initial=x0, taps=[-2]), x1],
                              n_steps=3)
        return T.grad(outs[0].sum(), x0).sum() + T.grad(outs[1].sum(), x1).sum()

    rng = _rng()
    verify_grad(sum_of_grads, [rng.random((2, 3)), rng.random(3)], rng=rng)


def test_grad_of_integer_states_is_zero():
    # Theano 1.0.5's test_connection_pattern: nothing in the loop is differentiable, so
    # there is no backward loop; recorded on the peer: [0., 0.] (float64).
    a0 = theano.shared(np.arange(2))
    b0 = theano.shared(np.arange(2))
    (a, b), _ = theano.scan(lambda a_m2, a_m1, b_m2, b_m1: (a_m1, b_m1),
                            outputs_info=[dict(initial=a0, taps=[-2, -1]),
                                          dict(initial=b0, taps=[-2, -1])], n_steps=2)
    node = a.owner.inputs[0].owner
    assert node.op.connection_pattern(node) == [[False, False], [True, False], [False, True]]
    g_a, g_b = theano.function([], T.grad(a[-1].sum() + b[-1].sum(), [a0, b0]))()
    for g in (g_a, g_b):
        assert g.dtype == "float64"
        np.testing.assert_array_equal(g, [0.0, 0.0])


def _expected(name):
    import pathlib
    return (pathlib.Path(__file__).parent / "data" / name).read_text()


def test_gradient_scan_prints_as_theano():
    """The gradient of the tutorial's power loop prints line for line as Theano 1.0.5's
    (its test_scan_debugprint5; the expected text is that run's output): the backward loop
    carries A's power as a mit_mot and A's gradient as a sit_sot."""
    k = T.iscalar("k")
    A = T.dvector("A")
    result, _ = theano.scan(fn=lambda prior_result, A: prior_result * A,
                            outputs_info=T.ones_like(A), non_sequences=A, n_steps=k)
    printed = theano.printing.debugprint(T.grad(result[-1].sum(), A), file="str")
    assert printed == _expected("debugprint_grad_of_power.txt")


def test_lstm_gradient_prints_as_theano():
    """An LSTM (gates sliced from one product, two states, a cost on the last and on every
    state): its gradient prints as Theano 1.0.5's, recorded on the peer (773 lines; the
    sigmoid's gradient has one Elemwise{scalar_sigmoid} per use of it, as Theano builds)."""
    X3, h0, W, U = T.dtensor3("X3"), T.dmatrix("h0"), T.dmatrix("W"), T.dmatrix("U")

    def step(x, h, c, U):
        z = T.dot(x, W) + T.dot(h, U)
        i, f = T.nnet.sigmoid(z[:, :3]), T.nnet.sigmoid(z[:, 3:6])
        o, u = T.nnet.sigmoid(z[:, 6:9]), T.tanh(z[:, 9:])
        c2 = f * c + i * u
        return o * T.tanh(c2), c2

    (hs, _), _ = theano.scan(step, sequences=X3, outputs_info=[h0, h0], non_sequences=U)
    g = T.grad(hs[-1].sum() + hs.mean(), [W, U, h0])
    assert theano.printing.debugprint(g, file="str") == \
        _expected("debugprint_grad_of_lstm.txt")


def test_gradient_of_a_gradient_scan_prints_as_theano():
    """The second derivative through a two-step tap: the gradient of the backward loop, a
    scan of its mit_mot states (an output tap shared with an input tap), prints as Theano
    1.0.5's (recorded from the peer); test_second_order_through_taps checks its values."""
    def inner(m2, s):
        out = (m2 + s) ** 1.02
        return out, out

    x0, x1 = T.dmatrix("x0"), T.dvector("x1")
    outs, _ = theano.scan(inner, outputs_info=[dict(initial=x0, taps=[-2]), x1], n_steps=3)
    c = T.grad(outs[0].sum(), x0).sum()
    printed = theano.printing.debugprint(T.grad(c, x0), file="str")
    assert printed == _expected("debugprint_grad_of_grad_with_taps.txt")


def test_gradient_through_a_random_stream_drawn_inside_is_undefined():
    """A value fn draws from a random stream at each step cannot be seen by the backward
    loop: the gradient is undefined (Theano's NullTypeGradError, with what to do)."""
    from pytheano.gradient import NullTypeGradError
    from pytheano.tensor.shared_randomstreams import RandomStreams
    srng = RandomStreams(seed=3)
    x, w = T.dvector("x"), T.dscalar("w")

    def step(xt, h, w):
        return T.tanh(w * h * srng.binomial(size=(), p=0.5, dtype="float64") + xt)

    out, _ = theano.scan(step, sequences=x, outputs_info=T.constant(0.0, dtype="float64"),
                         non_sequences=w)
    with pytest.raises(NullTypeGradError, match="Draw the random numbers before scan"):
        theano.grad(out.sum(), w)
    # drawn before the loop and passed as a sequence, the mask has a gradient
    mask = srng.binomial(size=x.shape, p=0.5, dtype="float64")
    out, _ = theano.scan(lambda xt, m, h, w: T.tanh(w * h * m + xt), sequences=[x, mask],
                         outputs_info=T.constant(0.0, dtype="float64"), non_sequences=w)
    assert theano.grad(out.sum(), w).type.dtype == "float64"
    # returned by fn, the mask drawn inside is read back from the forward loop's output by
    # the backward one: the gradient is defined and right (pytheano before Theano's layout
    # redrew it from the stream's first state: a wrong value, silently)
    (out, masks), updates = _scan_returning_its_mask(srng, x, w)
    f = theano.function([x, w], [theano.grad(out.sum(), w), masks], updates=updates)
    xv = np.linspace(0.1, 1, 8)
    for _ in range(2):
        g, m = f(xv, 0.8)

        def cost(wv, m=m):
            h, total = 0.0, 0.0
            for t in range(8):
                h = np.tanh(wv * h * m[t] + xv[t])
                total += h
            return total

        np.testing.assert_allclose(g, (cost(0.8 + 1e-6) - cost(0.8 - 1e-6)) / 2e-6,
                                   rtol=1e-6)


def _scan_returning_its_mask(srng, x, w):
    def step(xt, h, w):
        m = srng.binomial(size=(), p=0.5, dtype="float64")
        return T.tanh(w * h * m + xt), m

    return theano.scan(step, sequences=x, non_sequences=w,
                       outputs_info=[T.constant(0.0, dtype="float64"), None])


@settings(max_examples=12, deadline=None)
@given(seq_taps=st.lists(st.sampled_from([-1, 0, 1]), min_size=1, max_size=2, unique=True),
       state_taps=st.lists(st.sampled_from([-3, -2, -1]), min_size=1, max_size=2,
                           unique=True),
       go_backwards=st.booleans(), truncate=st.sampled_from([-1, 2]),
       last_only=st.booleans(), seed=st.integers(0, 50))
def test_gradient_over_taps_agrees_across_modes_and_with_finite_differences(
        seq_taps, state_taps, go_backwards, truncate, last_only, seed):
    """Random loops (sequence and state taps, direction, truncation, a cost on every state
    or the last): the gradient compiled with every rewrite equals the one without any, and
    without truncation it equals finite differences."""
    lag = -min(state_taps)
    X, H0, w = T.dmatrix("X"), T.dmatrix("H0"), T.dscalar("w")

    def step(*args):
        xs, hs, w = args[:len(seq_taps)], args[len(seq_taps):-1], args[-1]
        total = sum(x * (k + 1) for k, x in enumerate(xs))
        return T.tanh(total + w * sum(h * (0.5 + 0.25 * k) for k, h in enumerate(hs)))

    outs, _ = theano.scan(step, sequences=dict(input=X, taps=sorted(seq_taps)),
                          outputs_info=dict(initial=H0, taps=sorted(state_taps)),
                          non_sequences=w, go_backwards=go_backwards,
                          truncate_gradient=truncate)
    cost = (outs[-1] ** 2).sum() if last_only else (outs ** 2).sum() + outs[-1].sum()
    grads = T.grad(cost, [X, H0, w])
    rng = np.random.default_rng(seed)
    vals = [rng.standard_normal((6, 2)) * 0.5, rng.standard_normal((lag, 2)) * 0.5, 0.7]
    got = theano.function([X, H0, w], grads)(*vals)
    want = theano.function([X, H0, w], grads, mode=theano.Mode(optimizer=None))(*vals)
    for g, r in zip(got, want):
        np.testing.assert_allclose(g, r, rtol=1e-10, atol=1e-12)
    if truncate == -1:
        f = theano.function([X, H0, w], cost)
        eps = 1e-6
        for k, v in enumerate(vals):
            v = np.asarray(v, dtype="float64")
            num = np.zeros_like(v)
            for idx in np.ndindex(v.shape):
                d = np.zeros_like(v)
                d[idx] = eps
                hi, lo = list(vals), list(vals)
                hi[k], lo[k] = v + d, v - d
                num[idx] = (f(*hi) - f(*lo)) / (2 * eps)
            np.testing.assert_allclose(got[k], num, rtol=1e-5, atol=1e-7)
