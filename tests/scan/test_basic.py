"""scan() (pytheano/scan/basic.py) and the Scan op's forward loop: the seed's and Theano's
tutorial examples, checked against numpy (values recorded from Theano 1.0.5 where noted)."""
from collections import OrderedDict

import numpy as np
import pytest

import pytheano as theano
import pytheano.tensor as T
from pytheano.errors import MissingInputError
from pytheano.sandbox.rng_mrg import MRG_RandomStreams
from pytheano.scan.op import Scan
from pytheano.tensor.shared_randomstreams import RandomStreams
from pytheano.updates import OrderedUpdates


def _scan_nodes(f):
    return [n for n in f.maker.fgraph.toposort() if isinstance(n.op, Scan)]


# --------------------------------------------------------------------------- the seed

@pytest.fixture
def float32():
    with theano.change_flags(floatX="float32"):
        yield


def test_seed_map_plus_one(float32):
    a = T.matrix()
    results, updates = theano.scan(lambda x: x + 1, sequences=a)
    f = theano.function([a], results, updates=updates)
    out = f(np.ones((2, 3)).astype(theano.config.floatX))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, np.full((2, 3), 2.0))
    assert isinstance(updates, OrderedUpdates) and len(updates) == 0


def test_seed_cumulative_sum(float32):
    a = T.vector()
    s0 = T.scalar("s0")
    results, updates = theano.scan(fn=lambda c, prior: prior + c, outputs_info=s0, sequences=a)
    f = theano.function([a, s0], results, updates=updates)
    out = f([0, 3, 5], 0)
    assert repr(out) == "array([0., 3., 8.], dtype=float32)"


def test_seed_sum_of_rows(float32):
    a = T.matrix()
    s0 = T.scalar("s0")
    results, updates = theano.scan(fn=lambda c, prior: prior + c.sum(), outputs_info=s0,
                                   sequences=a)
    f = theano.function([a, s0], results, updates=updates)
    out = f(np.ones((20, 5)).astype(theano.config.floatX), 0)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, np.arange(5, 105, 5))


@pytest.mark.parametrize("mode", [None, "FAST_COMPILE"])
def test_seed_non_sequences(float32, mode):
    a = T.vector()
    s0 = T.scalar("s0")

    def fn(current_element, prior, non_seq):
        return non_seq * prior + current_element

    results, updates = theano.scan(fn=fn, n_steps=10, sequences=a,
                                   outputs_info=T.constant(0.0), non_sequences=s0)
    f = theano.function([a, s0], results, updates=updates, mode=mode)
    out = f(np.ones(20).astype(theano.config.floatX), 5)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [1, 6, 31, 156, 781, 3906, 19531, 97656, 488281,
                                        2441406])


def test_fast_compile_optimizer_flag(float32):
    a = T.vector()
    results, _ = theano.scan(lambda x, p: p + x, sequences=a, outputs_info=T.constant(0.0))
    with theano.change_flags(optimizer="fast_compile"):
        f = theano.function([a], results)
    np.testing.assert_array_equal(f(np.arange(4, dtype="float32")), [0, 1, 3, 6])


# --------------------------------------------------------------------------- the tutorial

def test_power_of_a_vector():
    k = T.iscalar("k")
    A = T.vector("A", dtype="float64")
    result, updates = theano.scan(fn=lambda prior, A: prior * A, outputs_info=T.ones_like(A),
                                  non_sequences=A, n_steps=k)
    power = theano.function([A, k], result[-1], updates=updates)
    np.testing.assert_allclose(power(np.arange(10.0), 2), np.arange(10.0) ** 2)


def test_polynomial():
    coefficients = T.dvector("coefficients")
    x = T.dscalar("x")
    components, _ = theano.scan(
        fn=lambda coeff, power, free_var: coeff * (free_var ** power),
        outputs_info=None, sequences=[coefficients, T.arange(1000)], non_sequences=x)
    f = theano.function([coefficients, x], components.sum())
    assert f(np.array([1, 0, 2], dtype="float64"), 3) == 19.0


def test_tanh_recurrence_and_reversed():
    X, W, b_sym = T.dmatrix("X"), T.dmatrix("W"), T.dvector("b_sym")
    results, _ = theano.scan(lambda v: T.tanh(T.dot(v, W) + b_sym), sequences=X)
    f = theano.function([X, W, b_sym], results)
    x = np.eye(2)
    w = np.ones((2, 2))
    b = np.ones(2)
    b[1] = 2
    np.testing.assert_allclose(f(x, w, b), np.tanh(x.dot(w) + b))
    # go_backwards walks the sequence from its end
    back, _ = theano.scan(lambda v, p: p * 2 + v, sequences=X[:, 0],
                          outputs_info=T.constant(0.0, dtype="float64"), go_backwards=True)
    g = theano.function([X], back)
    np.testing.assert_allclose(g(np.array([[1.0, 0], [2, 0], [3, 0]])), [3, 8, 17])


def test_norms_of_rows_and_trace():
    X = T.dmatrix("X")
    rows, _ = theano.scan(lambda x_i: T.sqrt((x_i ** 2).sum()), sequences=[X])
    cols, _ = theano.scan(lambda x_i: T.sqrt((x_i ** 2).sum()), sequences=[X.T])
    x = np.diag(np.arange(1, 6, dtype="float64"), 1)
    np.testing.assert_allclose(theano.function([X], rows)(x), np.linalg.norm(x, axis=1))
    np.testing.assert_allclose(theano.function([X], cols)(x), np.linalg.norm(x, axis=0))
    floatX = theano.config.floatX
    trace, _ = theano.scan(lambda i, j, t_f: T.cast(X[i, j] + t_f, floatX),
                           sequences=[T.arange(X.shape[0]), T.arange(X.shape[1])],
                           outputs_info=np.asarray(0.0, dtype=floatX))
    x = np.eye(5) + np.arange(25.0).reshape(5, 5)
    assert theano.function([X], trace[-1])(x) == np.trace(x)


def test_output_taps_minus_two_minus_one():
    X, W, b, V, U = (T.dmatrix("X"), T.dmatrix("W"), T.dvector("b"), T.dmatrix("V"),
                     T.dmatrix("U"))
    Y = T.dmatrix("Y")

    def step(y_tm2, y_tm1, x_tm1, W, U, V, b):
        return T.tanh(T.dot(x_tm1, W) + T.dot(y_tm1, U) + T.dot(y_tm2, V) + b)

    results, _ = theano.scan(step, sequences=dict(input=X, taps=[-1]),
                             outputs_info=dict(initial=Y, taps=[-2, -1]),
                             non_sequences=[W, U, V, b]) if False else (None, None)
    # Theano's fn argument order: sequences first, then the prior outputs, then the rest.
    results, _ = theano.scan(lambda x_tm1, y_tm2, y_tm1, W, U, V, b:
                             step(y_tm2, y_tm1, x_tm1, W, U, V, b),
                             sequences=dict(input=X, taps=[-1]),
                             outputs_info=dict(initial=Y, taps=[-2, -1]),
                             non_sequences=[W, U, V, b])
    f = theano.function([X, W, b, V, U, Y], results)
    rng = np.random.default_rng(0)
    x, w, v, u = (rng.standard_normal((6, 3)), rng.standard_normal((3, 3)),
                  rng.standard_normal((3, 3)), rng.standard_normal((3, 3)))
    bb, y = rng.standard_normal(3), rng.standard_normal((2, 3))
    expected = [y[0], y[1]]
    for t in range(5):
        expected.append(np.tanh(x[t].dot(w) + expected[-1].dot(u) + expected[-2].dot(v) + bb))
    np.testing.assert_allclose(f(x, w, bb, v, u, y), np.array(expected[2:]))


def test_sequence_taps_negative_and_positive():
    x = T.dvector("x")
    r, _ = theano.scan(lambda a, b, p2, p1: a + b + p1 - 0.5 * p2,
                       sequences=dict(input=x, taps=[-1, 1]),
                       outputs_info=dict(initial=T.as_tensor_variable(np.array([1.0, 2.0])),
                                         taps=[-2, -1]))
    # recorded from Theano 1.0.5
    np.testing.assert_allclose(theano.function([x], r)(np.arange(6.0)),
                               [3.5, 6.5, 10.75, 15.5])


def test_several_outputs_with_none_and_go_backwards():
    x = T.dvector("x")
    r, _ = theano.scan(lambda a, p: (a * 2, p + a), sequences=x,
                       outputs_info=[None, T.constant(0.0, dtype="float64")],
                       go_backwards=True)
    doubled, summed = theano.function([x], r)(np.arange(4.0))
    np.testing.assert_allclose(doubled, [6, 4, 2, 0])
    np.testing.assert_allclose(summed, [3, 5, 6, 6])


def test_symbolic_n_steps_and_return_list():
    n = T.iscalar("n")
    r, u = theano.scan(lambda p: p + 1, outputs_info=T.constant(0, dtype="int64"), n_steps=n,
                       return_list=True)
    assert isinstance(r, list) and len(r) == 1
    np.testing.assert_array_equal(theano.function([n], r[0])(4), [1, 2, 3, 4])


def test_fn_called_once():
    calls = []

    def fn(x):
        calls.append(x)
        return x * 2

    r, _ = theano.scan(fn, sequences=T.dvector())
    assert len(calls) == 1


def test_triangular_numbers_and_set_positions():
    up_to = T.iscalar("up_to")
    seq = T.arange(up_to)
    outputs_info = T.as_tensor_variable(np.asarray(0, seq.dtype))
    scan_result, _ = theano.scan(lambda a, total: a + total, sequences=seq,
                                 outputs_info=outputs_info)
    f = theano.function([up_to], scan_result)
    np.testing.assert_array_equal(f(15), np.cumsum(np.arange(15)))

    location = T.imatrix("location")
    values = T.vector("values")
    output_model = T.matrix("output_model")

    def set_value_at_position(a_location, a_value, output_model):
        zeros = T.zeros_like(output_model)
        return T.set_subtensor(zeros[a_location[0], a_location[1]], a_value)

    result, _ = theano.scan(fn=set_value_at_position, outputs_info=None,
                            sequences=[location, values], non_sequences=output_model)
    g = theano.function([location, values, output_model], result)
    fx = theano.config.floatX
    out = g(np.asarray([[1, 1], [2, 3]], dtype="int32"), np.asarray([42, 50], dtype=fx),
            np.zeros((5, 5), dtype=fx))
    expected = np.zeros((2, 5, 5))
    expected[0, 1, 1], expected[1, 2, 3] = 42, 50
    np.testing.assert_array_equal(out, expected)


# --------------------------------------------------------------------------- updates

def test_shared_updated_inside_fn():
    c = theano.shared(np.float64(0), name="c")
    x = T.dvector("x")
    r, u = theano.scan(lambda a: (a * c, OrderedDict([(c, c + 1)])), sequences=x)
    assert isinstance(u, OrderedUpdates) and list(u) == [c]
    f = theano.function([x], r, updates=u)
    np.testing.assert_array_equal(f(np.ones(3)), [0, 1, 2])
    assert c.get_value() == 3
    np.testing.assert_array_equal(f(np.ones(3)), [3, 4, 5])


def test_updates_only_and_dict_of_shared_updates():
    a = theano.shared(np.float64(1), name="a")
    b = theano.shared(np.float64(2), name="b")
    r, u = theano.scan(lambda: OrderedDict([(a, a + b), (b, b * 2)]), n_steps=3)
    assert r is None and set(u) == {a, b}
    f = theano.function([], [], updates=u)
    f()
    # a: 1 -> 3 -> 7 -> 15; b: 2 -> 4 -> 8 -> 16
    assert a.get_value() == 15 and b.get_value() == 16


def test_accumulate_with_updates():
    k = theano.shared(0)
    n_sym = T.iscalar("n_sym")
    results, updates = theano.scan(lambda: {k: (k + 1)}, n_steps=n_sym)
    accumulator = theano.function([n_sym], [], updates=updates, allow_input_downcast=True)
    accumulator(5)
    assert k.get_value() == 5


def test_random_streams_redraw_each_step():
    srng = RandomStreams(seed=3)
    m = T.dmatrix("m")
    r, u = theano.scan(lambda a: a * srng.uniform(size=(2,)), sequences=m)
    assert len(u) == 1
    f = theano.function([m], r, updates=u)
    out = f(np.ones((3, 2)))
    # step k draws what the k-th call of an unscanned draw gives (as Theano 1.0.5)
    g = theano.function([], RandomStreams(seed=3).uniform(size=(2,)))
    np.testing.assert_allclose(out, [g(), g(), g()])
    assert not np.allclose(f(np.ones((3, 2))), out)


def test_random_mask_redrawn_each_step():
    srng = RandomStreams(seed=7)
    x = T.dmatrix("x")
    r, u = theano.scan(lambda row: row * srng.binomial(size=(50,), n=1, p=0.5,
                                                       dtype="float64"), sequences=x)
    out = theano.function([x], r, updates=u)(np.ones((4, 50)))
    assert set(np.unique(out)) <= {0.0, 1.0}
    assert len({tuple(row) for row in out}) == 4


def test_mrg_streams_redraw_each_step():
    srng = MRG_RandomStreams(seed=3)
    m = T.dmatrix("m")
    r, u = theano.scan(lambda a: a * srng.uniform(size=(2,)), sequences=m)
    f = theano.function([m], r, updates=u)
    out = f(np.ones((3, 2)))
    # step k draws what the k-th call of an unscanned draw gives
    u2 = MRG_RandomStreams(seed=3).uniform(size=(2,))
    g = theano.function([], u2)
    np.testing.assert_allclose(out, [g(), g(), g()])


def test_gibbs_sampling_with_shared_variables():
    rng = np.random.default_rng(0)
    W = theano.shared(rng.standard_normal((4, 3)), name="W")
    bvis = theano.shared(np.zeros(4), name="bvis")
    bhid = theano.shared(np.zeros(3), name="bhid")
    trng = RandomStreams(1234)

    def one_step(vsample):
        hmean = T.nnet.sigmoid(theano.dot(vsample, W) + bhid)
        hsample = trng.binomial(size=hmean.shape, n=1, p=hmean)
        vmean = T.nnet.sigmoid(theano.dot(hsample, W.T) + bvis)
        return trng.binomial(size=vsample.shape, n=1, p=vmean, dtype=theano.config.floatX)

    sample = theano.tensor.vector()
    values, updates = theano.scan(one_step, outputs_info=sample, n_steps=10)
    gibbs10 = theano.function([sample], values[-1], updates=updates)
    out = gibbs10(np.ones(4, dtype=theano.config.floatX))
    assert out.shape == (4,) and set(np.unique(out)) <= {0.0, 1.0}


def test_strict_refuses_unlisted_shared():
    W = theano.shared(np.ones(3), name="W")
    x = T.dvector("x")
    with pytest.raises(MissingInputError, match="^ScanOp is missing an input: W"):
        theano.scan(lambda a: a * W, sequences=x, strict=True)
    r, _ = theano.scan(lambda a, w: a * w, sequences=x, non_sequences=W, strict=True)
    np.testing.assert_array_equal(theano.function([x], r)(np.arange(3.0)),
                                  np.outer(np.arange(3.0), np.ones(3)))


# --------------------------------------------------------------------------- until

def test_until_stops_early():
    r, _ = theano.scan(lambda p: (p * 2, theano.scan_module.until(p * 2 > 20)),
                       outputs_info=T.constant(1.0, dtype="float64"), n_steps=100)
    np.testing.assert_array_equal(theano.function([], r)(), [2, 4, 8, 16, 32])
    assert str(r.owner.inputs[0].owner.op) == "do_while{cpu,scan_fn}"


def test_until_import_paths():
    from pytheano.scan import until as a
    from pytheano.scan_module import until as b
    from pytheano.scan_module.scan_utils import until as c

    assert a is b is c


def test_until_misplaced():
    x = T.dvector("x")
    with pytest.raises(ValueError, match="^Scan cannot parse the return value of your lambda "
                                         "expression, which is:"):
        theano.scan(lambda a: (theano.scan_module.until(a.sum() > 3), a * 2), sequences=x)


# --------------------------------------------------------------------------- errors

def test_outputs_info_dtype_mismatch():
    x = T.dvector("x")
    s0 = T.iscalar("s0")
    with pytest.raises(ValueError) as err:
        theano.scan(lambda a, p: p + a, sequences=x, outputs_info=s0)
    msg = str(err.value)
    assert msg.startswith("When compiling the inner function of scan the following error has "
                          "been encountered: The initial state (`outputs_info` in scan "
                          "nomenclature) of variable IncSubtensor{Set;:int64:}.0 (argument "
                          "number 1) has dtype int32, while the result of the inner function "
                          "(`fn`) has dtype float64.")
    assert "outputs_info" in msg and "float64" in msg and "int32" in msg


def test_outputs_info_ndim_mismatch():
    x = T.dvector("x")
    with pytest.raises(ValueError, match=r"has 3 dimension\(s\), while the corresponding "
                                         r"variable in the result of the inner function of "
                                         r"scan \(`fn`\) has 0 dimension"):
        theano.scan(lambda a, p: a, sequences=x, outputs_info=T.dmatrix())


def test_compiled_function_as_fn():
    x = T.dvector("x")
    f = theano.function([x], x + 1)
    with pytest.raises(TypeError, match="^Bad input argument"):
        theano.scan(f, sequences=x)


def test_no_steps_information():
    with pytest.raises(ValueError, match="^No information about the number of steps"):
        theano.scan(lambda p: p + 1, outputs_info=T.dscalar())


# --------------------------------------------------------------------------- views

def test_map_reduce_foldl_foldr():
    x = T.dvector("x")
    v = np.arange(1.0, 5.0)
    m, _ = theano.map(lambda a: a * 2, sequences=x)
    np.testing.assert_allclose(theano.function([x], m)(v), v * 2)
    zero = T.constant(0.0, dtype="float64")
    r, _ = theano.reduce(lambda a, acc: acc + a, sequences=x, outputs_info=zero)
    assert theano.function([x], r)(v) == 10
    left, _ = theano.foldl(lambda a, acc: acc * 10 + a, sequences=x, outputs_info=zero)
    right, _ = theano.foldr(lambda a, acc: acc * 10 + a, sequences=x, outputs_info=zero)
    assert theano.function([x], left)(v) == 1234
    assert theano.function([x], right)(v) == 4321


def test_single_step_is_no_loop():
    x = T.dvector("x")
    r, _ = theano.scan(lambda a: a * 2, sequences=x, n_steps=1)
    assert r.owner is None or not isinstance(r.owner.op, Scan)
    np.testing.assert_array_equal(theano.function([x], r)(np.arange(3.0)), [0])


def test_infer_shape():
    X = T.dmatrix("X")
    h0 = T.dvector("h0")
    r, _ = theano.scan(lambda x, h: (T.tanh(x + h), x.sum() * 2), sequences=X,
                       outputs_info=[h0, None])
    node = r[0].owner.inputs[0].owner
    from pytheano.graph.op import infer_shape

    shapes = infer_shape(None, node, [[i.shape[k] for k in range(i.ndim)] if i.ndim else ()
                                      for i in node.inputs])
    f = theano.function([X, h0], [s for shp in shapes for s in shp] +
                        list(node.outputs), on_unused_input="ignore")
    outs = f(np.ones((5, 3)), np.zeros(3))
    n_dims = sum(len(s) for s in shapes)
    dims, values = outs[:n_dims], outs[n_dims:]
    assert tuple(dims[:2]) == values[0].shape and tuple(dims[2:]) == values[1].shape


def test_zero_steps():
    x = T.dmatrix("x")
    r, _ = theano.scan(lambda a, p: [a * 2, p + a.sum()], sequences=x,
                       outputs_info=[None, T.constant(1.0, dtype="float64")])
    doubled, summed = theano.function([x], r)(np.zeros((0, 3)))
    assert doubled.shape == (0, 3) and summed.shape == (0,)


def test_scan_checkpoints():
    A = T.dvector("A")
    k = T.iscalar("k")
    r, _ = theano.scan_checkpoints(lambda p, A: p * A, outputs_info=T.ones_like(A),
                                   non_sequences=A, n_steps=k, save_every_N=3)
    f = theano.function([A, k], [r[-1], T.grad(r[-1].sum(), A)])
    last, g = f(np.arange(3.0), 7)
    np.testing.assert_allclose(last, np.arange(3.0) ** 7)
    np.testing.assert_allclose(g, 7 * np.arange(3.0) ** 6)
    x = T.dvector("x")
    r, _ = theano.scan_checkpoints(lambda xt, p: p + xt, sequences=[x],
                                   outputs_info=T.zeros((), dtype="float64"), save_every_N=4)
    # one output per chunk of 4 steps, the last chunk padded with zeros
    np.testing.assert_allclose(theano.function([x], r)(np.arange(10.0)), [6, 28, 45])


def test_seed_profile_rows(float32):
    import io

    a = T.vector()
    s0 = T.scalar("s0")
    results, _ = theano.scan(fn=lambda c, prior, non_seq: non_seq * prior + c, n_steps=10,
                             sequences=a, outputs_info=T.constant(0.0), non_sequences=s0)
    f = theano.function([a, s0], results, profile=True)
    f(np.ones(20, dtype="float32"), 5)
    buf = io.StringIO()
    f.profile.summary(file=buf)
    lines = buf.getvalue().splitlines()
    # the Class, Op and Apply rows of scan, as Theano 1.0.5 on the CPU
    cls = [ln for ln in lines if ln.endswith("scan_module.scan_op.Scan")]
    assert len(cls) == 1 and cls[0].split()[4:7] == ["Py", "1", "1"]
    ops = [ln for ln in lines if ln.endswith(" forall_inplace,cpu,scan_fn}")]
    assert len(ops) == 1 and ops[0].split()[4:7] == ["Py", "1", "1"]
    assert any("forall_inplace,cpu,scan_fn}(TensorConstant{10}, " in ln for ln in lines)


# The head of the inner function's profile of a scan(profile=True) run twice (7 and 5
# steps), as Theano 1.0.5 prints it (times masked).
THEANO_SCAN_PROFILE_HEAD = [
    "",
    "Scan Op profiling ( scan_fn )",
    "==================",
    "  Message: None",
    "  Time in 2 calls of the op (for a total of 12 steps) T",
    "",
    "  Total time spent in calling the VM T (P)",
    "  Total overhead (computing slices..) T (P)",
    "",
    "Class",
    "---",
]


def test_scan_op_profiling_section():
    import io
    import re

    A, k = T.vector("A"), T.iscalar("k")
    r, _ = theano.scan(lambda p, A: p * A, outputs_info=T.ones_like(A), non_sequences=A,
                       n_steps=k, profile=True)
    f = theano.function([A, k], r[-1], profile=True)
    f(np.arange(3.0), 7)
    f(np.arange(3.0), 5)
    (node,) = _scan_nodes(f)
    buf = io.StringIO()
    node.op.fn.profile.summary(file=buf)
    text = re.sub(r"\d\.\d+e[-+]\d+s", "T", buf.getvalue())
    text = re.sub(r"\d+\.\d{3}%", "P", text)
    lines = text.splitlines()
    assert lines[:len(THEANO_SCAN_PROFILE_HEAD)] == THEANO_SCAN_PROFILE_HEAD
    vm, overhead = (float(v) for v in re.findall(r"(\d+\.\d{3})%", buf.getvalue()))
    assert abs(vm + overhead - 100.0) < 1e-2 and vm > 0
    assert any(ln.endswith("Elemwise{mul,no_inplace}(<TensorType(float64, vector)>, A_copy)")
               for ln in lines)


def test_compute_test_value_through_scan_and_its_gradient():
    with theano.change_flags(compute_test_value="raise"):
        W = T.dvector("W")
        W.tag.test_value = np.arange(1.0, 4.0)
        h0 = T.dscalar("h0")
        h0.tag.test_value = np.float64(0.5)
        hs, _ = theano.scan(lambda w, h: h * w + 1, sequences=W, outputs_info=h0)
        np.testing.assert_allclose(hs.tag.test_value, [1.5, 4, 13])
        g = T.grad(hs[-1], W)
        # d h3 / d w_t: h_{t-1} * prod of the later w
        np.testing.assert_allclose(g.tag.test_value, [0.5 * 2 * 3, 1.5 * 3, 4])


def test_nested_scan_gradient_compiles_with_shape_inference():
    # Theano's test_savemem_opt_0_step: the inner scan's length is computed from the outer
    # step's row, so the outer scan's infer_shape must not hand that (inner) expression out:
    # FAST_RUN's shape feature then asked for a variable outside the loop (MissingInputError).
    def inner_step(x_t_t, h_tm1, w):
        return T.dot(h_tm1, w) + x_t_t

    def outer_step(x_t, w):
        h, _ = theano.scan(inner_step, sequences=[x_t[1:]], outputs_info=[x_t[0]],
                           non_sequences=[w], strict=True)
        return h

    x, w = T.tensor3("x"), T.matrix("w")
    features, _ = theano.scan(outer_step, sequences=[x], non_sequences=[w], strict=True)
    outputs = [T.grad(features.sum(), w), features.shape]
    rng = np.random.RandomState(0)
    args = rng.rand(2, 3, 4).astype(theano.config.floatX), \
        rng.rand(4, 4).astype(theano.config.floatX)
    fast = theano.function([x, w], outputs, mode="FAST_RUN")(*args)
    plain = theano.function([x, w], outputs, mode=theano.Mode(optimizer=None))(*args)
    np.testing.assert_allclose(fast[0], plain[0], rtol=1e-5)
    np.testing.assert_array_equal(fast[1], [2, 2, 4])


def test_transposed_right_operand_is_passed_c_ordered(monkeypatch):
    """A non-sequence the step reads only as a product's right operand is passed C-ordered
    (a transposed matrix costs BLAS a slower packing at each step); one read otherwise is
    passed as it is; the values are those of the plain loop."""
    import importlib
    scan_op = importlib.import_module("pytheano.scan.op")
    X, h0 = T.dtensor3("X"), T.dmatrix("h0")
    U, V = T.dmatrix("U"), T.dmatrix("V")
    hs, _ = theano.scan(lambda x, h, Ut, Vt: T.tanh(x + T.dot(h, Ut)) * Vt[0], sequences=X,
                        outputs_info=h0, non_sequences=[U.T, V.T])
    f = theano.function([X, h0, U, V], hs)
    (node,) = [n for n in f.maker.fgraph.toposort() if isinstance(n.op, Scan)]
    assert node.op._c_order_non_seqs == (0,)  # U.T only: V.T is also indexed
    layouts = []

    def run_steps(*args):
        layouts.append([v.flags.c_contiguous for v in args[-2]])  # the non-sequences
        return real(*args)

    real = scan_op.run_steps
    monkeypatch.setattr(scan_op, "run_steps", run_steps)
    rng = np.random.default_rng(5)
    vals = [rng.standard_normal((4, 2, 3)), rng.standard_normal((2, 3)),
            rng.standard_normal((3, 3)), rng.standard_normal((3, 3))]
    ref = theano.function([X, h0, U, V], hs, mode=theano.Mode(optimizer=None))
    np.testing.assert_allclose(f(*vals), ref(*vals), rtol=1e-12, atol=1e-12)
    assert layouts[0] == [True, False]
