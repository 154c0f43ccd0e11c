"""The scan rewrites (pytheano/rewriting/scan.py): graphs before and after, values kept."""
import numpy as np
import pytest

import pytheano as theano
import pytheano.tensor as T
from pytheano.rewriting.scan import scan_pushout_non_seqs, scan_save_mem
from pytheano.scan.op import Scan
from pytheano.tensor.blas import Dot
from pytheano.graph.basic import ancestors, graph_inputs
from pytheano.tensor.shape import Reshape
from tests.helpers import check_rewrite


def _scan_ops(fgraph):
    return [n.op for n in fgraph.toposort() if isinstance(n.op, Scan)]


def _inner_ops(op):
    return [type(n.op) for n in theano.graph.basic.io_toposort(op.inputs, op.outputs)]


def test_pushout_non_seqs():
    A, W = T.dvector("A"), T.dmatrix("W")
    k = T.iscalar("k")
    r, _ = theano.scan(lambda p, A, W: T.dot(T.tanh(W) * 2, p) * A,
                       outputs_info=T.ones_like(A), non_sequences=[A, W], n_steps=k)

    def moved_out(fgraph):
        (op,) = _scan_ops(fgraph)
        inner = _inner_ops(op)
        # tanh(W) * 2 runs once, outside the loop; the dot with the state stays inside
        outer = [type(n.op).__name__ for n in fgraph.toposort()]
        return T.elemwise.Elemwise in inner and len(inner) == 2 and \
            outer.count("Elemwise") >= 2

    check_rewrite(r[-1], scan_pushout_non_seqs, moved_out, inputs=[A, W, k],
                  values=[np.arange(3.0), np.eye(3) * 0.5, np.int32(4)])


def test_pushout_keeps_step_computation():
    X = T.dmatrix("X")
    r, _ = theano.scan(lambda x: T.tanh(x) * 2, sequences=X)
    fgraph = check_rewrite(r, scan_pushout_non_seqs,
                           lambda fg: not _scan_ops(fg)[0].inner_non_seqs(
                               _scan_ops(fg)[0].inputs), inputs=[X])
    assert len(_scan_ops(fgraph)) == 1



def _hoisted(n_dots_inside, n_seqs):
    """The predicate: one scan whose step has ``n_dots_inside`` dots and ``n_seqs``
    sequences, and a dot before it."""
    def check(fgraph):
        (op,) = _scan_ops(fgraph)
        outer_dots = [n for n in fgraph.toposort() if isinstance(n.op, Dot)]
        return _inner_ops(op).count(Dot) == n_dots_inside and op.n_seqs == n_seqs and \
            len(outer_dots) == 1
    return check


@pytest.mark.parametrize("rows", ["vector", "matrix", "row", "vector_left"])
def test_pushout_seq_dot(rows):
    """dot(x[t], w) (w a non-sequence) becomes one product over the steps, read as a
    sequence; the state's dot stays in the loop. Vector rows, matrix rows (a batch), rows
    of one row (a broadcastable dimension) and dot(w, x[t])."""
    from pytheano.rewriting.scan import scan_pushout_seq_dot

    rng = np.random.default_rng(3)
    W, U = T.dmatrix("W"), T.dmatrix("U")
    k = T.iscalar("k")
    if rows == "matrix":
        X, h0 = T.dtensor3("X"), T.dmatrix("h0")
        x_val, h_val = rng.standard_normal((6, 2, 3)), rng.standard_normal((2, 4))
    elif rows == "row":
        X, h0 = T.TensorType("float64", (False, True, False))("X"), \
            T.row("h0", dtype="float64")
        x_val, h_val = rng.standard_normal((6, 1, 3)), rng.standard_normal((1, 4))
    else:
        X, h0 = T.dmatrix("X"), T.dvector("h0")
        x_val, h_val = rng.standard_normal((6, 3)), rng.standard_normal(4)
    w_val = rng.standard_normal((4, 3) if rows == "vector_left" else (3, 4))

    def step(x, h, W, U):
        xw = T.dot(W, x) if rows == "vector_left" else T.dot(x, W)
        return T.tanh(xw + T.dot(h, U))

    # n_steps shorter than the sequence: the product covers the steps run
    hs, _ = theano.scan(step, sequences=X, outputs_info=h0, non_sequences=[W, U], n_steps=k)
    check_rewrite(hs, scan_pushout_seq_dot, _hoisted(1, 1), inputs=[X, h0, W, U, k],
                  values=[x_val, h_val, w_val, rng.standard_normal((4, 4)) * 0.5,
                          np.int32(4)])


def test_pushout_seq_dot_keeps_a_sequence_read_elsewhere_and_float32():
    from pytheano.rewriting.scan import scan_pushout_seq_dot

    X, W = T.tensor3("X", dtype="float32"), T.matrix("W", dtype="float32")
    hs, _ = theano.scan(lambda x, W: T.dot(x, W) + x.sum(), sequences=X, non_sequences=W,
                        go_backwards=True)
    rng = np.random.default_rng(4)
    check_rewrite(hs, scan_pushout_seq_dot, _hoisted(0, 2), inputs=[X, W],
                  values=[rng.standard_normal((5, 2, 3)).astype("float32"),
                          rng.standard_normal((3, 3)).astype("float32")],
                  rtol=1e-5, atol=1e-5)


def test_pushout_seq_dot_leaves_while_loops_and_state_dots():
    from pytheano.rewriting.scan import scan_pushout_seq_dot

    X, W, h0 = T.dmatrix("X"), T.dmatrix("W"), T.dvector("h0")
    until = theano.scan_module.until
    loop, _ = theano.scan(lambda x, W: (T.dot(x, W), until(T.dot(x, W).sum() > 2)),
                          sequences=X, non_sequences=W)
    state, _ = theano.scan(lambda x, h, W: T.dot(h, W) + x, sequences=X, outputs_info=h0,
                           non_sequences=W)
    check_rewrite([loop, state], scan_pushout_seq_dot,
                  lambda fg: all(Dot in _inner_ops(op) for op in _scan_ops(fg)),
                  inputs=[X, W, h0], values=[np.linspace(0, 1, 12).reshape(4, 3),
                                             np.eye(3), np.ones(3)])


def test_pushout_seq_dot_zero_steps_and_empty_rows():
    X, W, h0 = T.dtensor3("X"), T.dmatrix("W"), T.dmatrix("h0")
    hs, _ = theano.scan(lambda x, h, W: T.tanh(T.dot(x, W) + h), sequences=X, outputs_info=h0,
                        non_sequences=W)
    f = theano.function([X, W, h0], hs)
    (op,) = _scan_ops(f.maker.fgraph)
    assert Dot not in _inner_ops(op)
    w = np.ones((3, 4))
    assert f(np.zeros((0, 2, 3)), w, np.zeros((2, 4))).shape == (0, 2, 4)
    assert f(np.zeros((5, 0, 3)), w, np.zeros((0, 4))).shape == (5, 0, 4)
    np.testing.assert_allclose(f(np.ones((2, 2, 0)), np.ones((0, 4)), np.ones((2, 4))),
                               np.tanh(np.ones((2, 2, 4))) * [[[1]], [[0]]] +
                               np.tanh(np.tanh(np.ones((2, 4))))[None] * [[[0]], [[1]]])

def test_save_mem_keeps_the_last_rows_only():
    A = T.dvector("A")
    k = T.iscalar("k")
    r, _ = theano.scan(lambda p, A: p * A, outputs_info=T.ones_like(A), non_sequences=A,
                       n_steps=k)

    def small_buffer(fgraph):
        (node,) = [n for n in fgraph.toposort() if isinstance(n.op, Scan)]
        f = theano.function(list(fgraph.inputs), node.outputs[0], on_unused_input="ignore")
        return f(np.ones(3), 10).shape == (2, 3)

    check_rewrite(r[-1], scan_save_mem, small_buffer, inputs=[A, k],
                  values=[np.arange(3.0), np.int32(5)])


def test_save_mem_nit_sot_and_taps():
    X = T.dmatrix("X")
    y0 = T.dmatrix("y0")
    r, _ = theano.scan(lambda x, a, b: [a + b * x, x.sum()], sequences=X,
                       outputs_info=[dict(initial=y0, taps=[-2, -1]), None])

    def small(fgraph):
        (node,) = [n for n in fgraph.toposort() if isinstance(n.op, Scan)]
        f = theano.function(list(fgraph.inputs), node.outputs, on_unused_input="ignore")
        state, mapped = f(np.ones((6, 2)), np.ones((2, 2)))
        return state.shape == (3, 2) and mapped.shape == (1,)

    check_rewrite([r[0][-1], r[1][-1]], scan_save_mem, small, inputs=[X, y0],
                  values=[np.arange(12.0).reshape(6, 2), np.ones((2, 2))])


def test_save_mem_unused_state():
    """A state read only inside the loop (it feeds another state used outside) keeps its
    taps' rows only."""
    X = T.dmatrix("X")
    (hidden, total), _ = theano.scan(lambda x, h, acc: [T.tanh(h + x), acc + h.sum()],
                                     sequences=X, outputs_info=[T.zeros((2,)), T.zeros(())])

    def small(fgraph):
        (node,) = [n for n in fgraph.toposort() if isinstance(n.op, Scan)]
        f = theano.function(list(fgraph.inputs), node.outputs, on_unused_input="ignore")
        state, acc = f(np.ones((6, 2)))
        return state.shape == (2, 2) and acc.shape == (2,)

    check_rewrite(total[-1], scan_save_mem, small, inputs=[X],
                  values=[np.arange(12.0).reshape(6, 2) / 10])


def test_save_mem_leaves_used_sequences():
    X = T.dvector("X")
    r, _ = theano.scan(lambda x, p: p + x, sequences=X,
                       outputs_info=T.constant(0.0, dtype="float64"))
    fgraph = check_rewrite([r, r[-1]], scan_save_mem, lambda fg: True, inputs=[X])
    f = theano.function(list(fgraph.inputs), list(fgraph.outputs))
    np.testing.assert_allclose(f(np.arange(4.0))[0], [0, 1, 3, 6])


def test_compiled_loop_uses_both():
    A, W = T.dvector("A"), T.dmatrix("W")
    r, _ = theano.scan(lambda p, A, W: T.dot(W * 2, p) * A, outputs_info=T.ones_like(A),
                       non_sequences=[A, W], n_steps=50)
    f = theano.function([A, W], r[-1])
    (node,) = [n for n in f.maker.fgraph.toposort() if isinstance(n.op, Scan)]
    assert not any(isinstance(n.op, T.elemwise.Elemwise) and n.inputs[0] in
                   node.op.inner_non_seqs(node.op.inputs)[1:2] for n in
                   theano.graph.basic.io_toposort(node.op.inputs, node.op.outputs))
    a, w = np.linspace(0.1, 0.5, 3), np.eye(3) * 0.5
    p = np.ones(3)
    for _ in range(50):
        p = (w * 2).dot(p) * a
    np.testing.assert_allclose(f(a, w), p)
    assert Dot is not None


def test_inplace_fills_the_state_buffers():
    from pytheano.rewriting.scan import scan_inplace

    X = T.dvector("X")
    r, _ = theano.scan(lambda x, p: p * 2 + x, sequences=X,
                       outputs_info=T.constant(1.0, dtype="float64"))
    # The rewrite needs the destroy handler a compiled function attaches.
    f = theano.function([X], r)
    (op,) = [n.op for n in f.maker.fgraph.toposort() if isinstance(n.op, Scan)]
    assert str(op) == "forall_inplace,cpu,scan_fn}" and op.destroy_map == {0: [2]}
    np.testing.assert_allclose(f(np.arange(3.0)), [2, 5, 12])
    np.testing.assert_allclose(f(np.arange(3.0)), [2, 5, 12])
    g = theano.function([X], r, mode=theano.compile.mode.get_default_mode().excluding(
        "scan_inplace"))
    assert str([n.op for n in g.maker.fgraph.toposort() if isinstance(n.op, Scan)][0]) == \
        "for{cpu,scan_fn}"
    assert scan_inplace.name == "scan_inplace"


def test_remove_unused_nit_sot():
    from pytheano.rewriting.scan import scan_remove_unused_nit_sot

    X = T.dmatrix("X")
    (mapped, unused, total), _ = theano.scan(
        lambda x, p: [x * 2, T.exp(x), p + x.sum()], sequences=X,
        outputs_info=[None, None, T.constant(0.0, dtype="float64")])

    def one_mapped_output(fgraph):
        (op,) = _scan_ops(fgraph)
        return op.n_nit_sot == 1 and T.elemwise.Elemwise in _inner_ops(op) and \
            len(op.outputs) == 2

    check_rewrite([mapped, total], scan_remove_unused_nit_sot, one_mapped_output, inputs=[X])
    assert unused is not None


def _alone(rewriter):
    from pytheano.graph.rewriting import SPECIALIZE, Query, RewriteDatabase

    db = RewriteDatabase()
    db.register(rewriter, SPECIALIZE, "alone")
    return db.query(Query(include=("alone",)))


def test_scan_merge_two_loops_over_one_sequence():
    from pytheano.rewriting.scan import scan_merge

    X, w = T.dmatrix("X"), T.dvector("w")
    a, _ = theano.scan(lambda r, w: T.tanh(r * w), sequences=X, non_sequences=w, name="a")
    b, _ = theano.scan(lambda r, acc: acc + r.sum(), sequences=X, outputs_info=T.zeros(()),
                       name="b")
    c, _ = theano.scan(lambda r, acc: acc * r, sequences=X, outputs_info=T.ones((3,)),
                       name="c")

    def merged(fgraph):
        names = sorted(op.name for op in _scan_ops(fgraph))
        return names == ["a&b&c"]

    assert len(_scan_ops(theano.graph.fg.FunctionGraph([X, w], [a, b, c]))) == 3
    check_rewrite([a, b[-1], c], _alone(scan_merge), merged, inputs=[X, w])


def test_scan_merge_leaves_dependent_and_other_lengths():
    from pytheano.rewriting.scan import scan_merge

    X = T.dmatrix("X")
    a, _ = theano.scan(lambda r: r * 2, sequences=X, name="a")
    dep, _ = theano.scan(lambda r: r + 1, sequences=a, name="dep")      # reads a
    short, _ = theano.scan(lambda r: r - 1, sequences=X[:2], name="short")
    e, _ = theano.scan(lambda r: r * 3, sequences=X, name="e")
    check_rewrite([dep, short, e], _alone(scan_merge),
                  lambda fg: sorted(op.name for op in _scan_ops(fg)) == ["a&e", "dep", "short"],
                  inputs=[X])


def _sum_loop(side, transposed):
    """acc + dot(x_t(.T), tanh(x_t) * 2) over a (5, 3, 3) sequence, from a non-zero start."""
    X, A0 = T.dtensor3("X"), T.dmatrix("A0")

    def step(x, acc):
        s = x.T if transposed else x
        v = T.tanh(x) * 2
        return acc + (T.dot(s, v) if side == 0 else T.dot(v, s))

    r, _ = theano.scan(step, sequences=X, outputs_info=A0)
    return X, A0, r


@pytest.mark.parametrize("side,transposed", [(0, True), (0, False), (1, True), (1, False)])
def test_pushout_dot_sum(side, transposed):
    from pytheano.rewriting.scan import scan_pushout_dot_sum

    X, A0, r = _sum_loop(side, transposed)

    def pushed(fgraph):
        (op,) = _scan_ops(fgraph)
        outer_dots = [n for n in fgraph.toposort() if isinstance(n.op, Dot)]
        return op.n_sit_sot == 0 and op.n_nit_sot == 1 and Dot not in _inner_ops(op) \
            and len(outer_dots) == 1

    rng = np.random.default_rng(1)
    check_rewrite(r[-1], scan_pushout_dot_sum, pushed, inputs=[X, A0],
                  values=[rng.standard_normal((5, 3, 3)), rng.standard_normal((3, 3))])


def test_pushout_dot_sum_empty_steps_and_matrices():
    X, A0, r = _sum_loop(0, True)
    f = theano.function([X, A0], r[-1])
    (op,) = _scan_ops(f.maker.fgraph)
    assert op.n_sit_sot == 0
    a0 = np.arange(9.0).reshape(3, 3)
    np.testing.assert_array_equal(f(np.zeros((0, 3, 3)), a0), a0)  # no step
    np.testing.assert_array_equal(f(np.ones((4, 0, 3)), a0), a0)   # empty rows
    assert f(np.ones((4, 2, 0)), np.zeros((0, 0))).shape == (0, 0)


def test_pushout_dot_sum_keeps_a_state_read_elsewhere():
    from pytheano.rewriting.scan import scan_pushout_dot_sum

    X, A0 = T.dtensor3("X"), T.dmatrix("A0")
    r, _ = theano.scan(lambda x, acc: acc + T.dot(x.T, x * acc), sequences=X, outputs_info=A0)
    full, _ = theano.scan(lambda x, acc: acc + T.dot(x.T, x), sequences=X, outputs_info=A0)
    # the first reads its state in the term, the second is used at every step
    rng = np.random.default_rng(2)
    check_rewrite([r[-1], full], scan_pushout_dot_sum,
                  lambda fg: all(op.n_sit_sot == 1 for op in _scan_ops(fg)), inputs=[X, A0],
                  values=[rng.standard_normal((5, 3, 3)), rng.standard_normal((3, 3))])


def _rnn_weight_grads():
    """([X, h0, W, U], the gradients of a tanh RNN's last state sum with respect to W, U)."""
    X, h0 = T.dtensor3("X"), T.dmatrix("h0")
    W, U = T.dmatrix("W"), T.dmatrix("U")
    hs, _ = theano.scan(lambda x, h, W, U: T.tanh(T.dot(x, W) + T.dot(h, U)), sequences=X,
                        outputs_info=h0, non_sequences=[W, U])
    return [X, h0, W, U], T.grad(hs[-1].sum(), [W, U])


def _rnn_values(rng):
    return [rng.standard_normal((6, 2, 3)), rng.standard_normal((2, 4)),
            rng.standard_normal((3, 4)) * 0.5, rng.standard_normal((4, 4)) * 0.5]


def test_pushout_dot_sum_in_an_rnn_gradient():
    """The weight gradients of a tanh RNN leave the backward loop (one dot each after it);
    the compiled gradient equals the unrewritten one."""
    (X, h0, W, U), grads = _rnn_weight_grads()
    f = theano.function([X, h0, W, U], grads)
    ref = theano.function([X, h0, W, U], grads,
                          mode=theano.compile.mode.get_default_mode().excluding(
                              "scan_pushout_dot_sum"))
    # the backward loop keeps the mit_mot carrying dcost/dh; W's and U's sums leave it
    (back,) = [op for op in _scan_ops(f.maker.fgraph) if op.name.startswith("grad_of")]
    (back_ref,) = [op for op in _scan_ops(ref.maker.fgraph) if op.name.startswith("grad_of")]
    assert (back.n_sit_sot, back_ref.n_sit_sot) == (0, 2)
    assert back.n_mit_mot == back_ref.n_mit_mot == 1
    rng = np.random.default_rng(0)
    vals = _rnn_values(rng)
    for got, want in zip(f(*vals), ref(*vals)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def _rnn_variant(variant):
    X, W, U = T.dtensor3("X"), T.dmatrix("W"), T.dmatrix("U")
    kw = dict(sequences=X, non_sequences=[W, U])
    if variant == "taps":  # a mit_sot state reading two steps back
        H0 = T.dtensor3("H0")

        def step(x, h2, h1, W, U):
            return T.tanh(T.dot(x, W) + T.dot(h1, U) + 0.5 * T.dot(h2, U))

        hs, _ = theano.scan(step, outputs_info=dict(initial=H0, taps=[-2, -1]), **kw)
    else:
        H0 = T.dmatrix("H0")
        kw.update(go_backwards=variant == "go_backwards",
                  truncate_gradient=3 if variant == "truncate" else -1)
        hs, _ = theano.scan(lambda x, h, W, U: T.tanh(T.dot(x, W) + T.dot(h, U)),
                            outputs_info=H0, **kw)
    cost = (hs[-1] ** 2).sum() + hs.sum()
    return [X, H0, W, U], [cost] + T.grad(cost, [W, U, X, H0])


@pytest.mark.parametrize("variant", ["plain", "go_backwards", "taps", "truncate"])
def test_rnn_gradient_rewritten_equals_unrewritten(variant):
    """The gradients of RNN loops (backwards, two taps, truncated) compiled with every
    rewrite equal those compiled without any."""
    inputs, outputs = _rnn_variant(variant)
    f = theano.function(inputs, outputs)
    ref = theano.function(inputs, outputs, mode=theano.Mode(optimizer=None))
    rng = np.random.default_rng(3)
    h0 = (2, 2, 4) if variant == "taps" else (2, 4)
    vals = [rng.standard_normal((7, 2, 3)), rng.standard_normal(h0),
            rng.standard_normal((3, 4)) * 0.5, rng.standard_normal((4, 4)) * 0.5]
    for got, want in zip(f(*vals), ref(*vals)):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def _reads_backwards(var):
    """Whether ``var``, a chain of Subtensor views, reads its memory backwards: an odd number
    of negative steps, counting a scan's output stored last step first as one."""
    from pytheano.tensor.slicing import Subtensor, get_idx_list
    backwards = False
    while var.owner is not None and isinstance(var.owner.op, Subtensor):
        for entry in get_idx_list(var.owner.inputs, var.owner.op.idx_list):
            if isinstance(entry, slice) and entry.step is not None and \
                    int(T.get_scalar_constant_value(entry.step)) < 0:
                backwards = not backwards
        var = var.owner.inputs[0]
    if var.owner is not None and isinstance(var.owner.op, Scan):
        op = var.owner.op
        k = var.owner.outputs.index(var) - op.n_outs
        backwards ^= k in op.info.get("reversed_nit_sot", ())
    return backwards


def test_pushout_dot_sum_reads_a_backward_loop_forwards():
    """In an RNN's gradient the pushed-out sums read the inputs and states forwards (views:
    no reshaping copy) and the deltas from a buffer the loop fills last step first."""
    (X, h0, W, U), grads = _rnn_weight_grads()
    f = theano.function([X, h0, W, U], grads)
    (back,) = [n for n in f.maker.fgraph.toposort()
               if isinstance(n.op, Scan) and n.op.name.startswith("grad_of")]
    assert back.op.info["reversed_nit_sot"] == (0,)
    reshapes = [n for n in f.maker.fgraph.toposort()
                if isinstance(n.op, Reshape) and n.inputs[0].ndim == 3]
    # X (twice: the input projection, W's sum), the states and the deltas (twice)
    assert len(reshapes) == 5
    assert not any(_reads_backwards(n.inputs[0]) for n in reshapes)
    ref = theano.function([X, h0, W, U], grads, mode=theano.Mode(optimizer=None))
    rng = np.random.default_rng(4)
    vals = _rnn_values(rng)
    for got, want in zip(f(*vals), ref(*vals)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("n_steps", [5, 0])
def test_reversed_nit_sot_is_layout_only(n_steps):
    """A nit_sot listed in ``reversed_nit_sot`` has the values of a plain one, in a buffer
    holding the last step first (so that its reversal is C-contiguous)."""
    from collections import OrderedDict
    X = T.dmatrix("X")
    ys, _ = theano.scan(lambda x: x * 2, sequences=X)
    plain = ys.owner.op
    info = OrderedDict(plain.info)
    info["reversed_nit_sot"] = (0,)
    node = Scan(plain.inputs, plain.outputs, info).make_node(*ys.owner.inputs)
    f = theano.function([X], node.outputs[0], mode=theano.Mode(optimizer=None))
    x = np.arange(15.0).reshape(5, 3)[:n_steps]
    got = f(x)
    np.testing.assert_array_equal(got, x * 2)
    if n_steps:
        assert got.strides[0] < 0 and got[::-1].flags.c_contiguous


def _flagged(outputs, rows):
    """The outputs of a copy of ``outputs``' scan listing ``rows`` in reversed_nit_sot."""
    from collections import OrderedDict
    node = outputs[0].owner
    info = OrderedDict(node.op.info)
    info["reversed_nit_sot"] = tuple(rows)
    return Scan(node.op.inputs, node.op.outputs, info).make_node(*node.inputs).outputs


def test_reversed_nit_sot_follows_its_output_through_removal_and_merge():
    from pytheano.rewriting.scan import scan_merge, scan_remove_unused_nit_sot

    X = T.dmatrix("X")
    (a0, a1), _ = theano.scan(lambda x: [x * 2, x + 1], sequences=X, name="a")
    (b0, b1), _ = theano.scan(lambda x: [x * 3, x - 1], sequences=X, name="b")
    a0, a1 = _flagged([a0, a1], [1])
    b0, b1 = _flagged([b0, b1], [0])

    def removed(fgraph):
        (op,) = _scan_ops(fgraph)
        return op.n_nit_sot == 1 and op.info["reversed_nit_sot"] == (0,)

    check_rewrite([a1], scan_remove_unused_nit_sot, removed, inputs=[X])

    def merged(fgraph):
        (op,) = _scan_ops(fgraph)
        return op.n_nit_sot == 4 and op.info["reversed_nit_sot"] == (1, 2)

    check_rewrite([a0, a1, b0, b1], _alone(scan_merge), merged, inputs=[X])


def _one_scan(f):
    (node,) = [n for n in f.maker.fgraph.toposort() if isinstance(n.op, Scan)]
    return node


@pytest.mark.parametrize("non_seqs", ["W", "w0 W", "W w0", "w0 w0 W", "w0 W w0", "W W"])
def test_remove_unused_non_sequences(non_seqs):
    """Theano's test_remove_constants_and_unused_inputs_scan_non_seqs: the loop keeps the
    one non-sequence it reads, once; the accessors take the node or its inputs."""
    W, v = T.dmatrix("W"), T.ivector("v")
    given = [{"W": W, "w0": W[0]}[k] for k in non_seqs.split()]
    at = non_seqs.split().index("W")
    y, _ = theano.scan(lambda i, *ns: ns[at][i], sequences=v, non_sequences=given)
    f = theano.function([W, v], y)
    node = _one_scan(f)
    assert len(node.inputs[1:]) == len(set(node.inputs[1:]))
    assert len(node.op.inner_non_seqs(node.op.inputs)) == 1
    W_in = f.maker.fgraph.inputs[0]
    assert node.op.outer_non_seqs(node) == node.op.outer_non_seqs(node.inputs) == [W_in]
    w = np.arange(9.0).reshape(3, 3)
    np.testing.assert_array_equal(f(w, [1, 2]), w[[1, 2]])


@pytest.mark.parametrize("seqs", ["v", "v v", "v m0", "m0 v", "m v m0", "m0 m v", "v m0 m0"])
def test_remove_unused_sequences(seqs):
    """Theano's test_remove_constants_and_unused_inputs_scan_seqs: one sequence left."""
    W, v, m = T.dmatrix("W"), T.ivector("v"), T.dmatrix("m")
    given = [{"v": v, "m": m, "m0": m[0]}[k] for k in seqs.split()]
    at = seqs.split().index("v")
    y, _ = theano.scan(lambda *a: a[-1][a[at]], sequences=given, non_sequences=W)
    f = theano.function([W, v, m], y, on_unused_input="ignore")
    node = _one_scan(f)
    assert len(node.inputs[1:]) == len(set(node.inputs[1:]))
    assert len(node.op.inner_seqs(node.op.inputs)) == 1
    W_in, v_in = f.maker.fgraph.inputs[:2]
    (seq,) = node.op.outer_seqs(node)
    assert seq is v_in or v_in in graph_inputs([seq])  # v, or v cut to the steps
    assert node.op.outer_non_seqs(node) == [W_in]
    w = np.arange(9.0).reshape(3, 3)
    np.testing.assert_array_equal(f(w, [1, 2], np.zeros((3, 3))), w[[1, 2]])


def test_outer_accessors_take_the_node_or_its_lists():
    X, W = T.dmatrix("X"), T.dmatrix("W")
    a0, b0 = T.dmatrix("a0"), T.dvector("b0")
    (a, b, c), _ = theano.scan(
        lambda x, a2, a1, b, W: [a1 + a2 + x, b + x.dot(W), x.sum()], sequences=X,
        outputs_info=[dict(initial=a0, taps=[-2, -1]), b0, None], non_sequences=W)
    (node,) = {v.owner for v in ancestors([a, b, c])
               if v.owner is not None and isinstance(v.owner.op, Scan)}
    op = node.op
    for name in ("outer_seqs", "outer_mitsot", "outer_sitsot", "outer_nitsot", "outer_shared",
                 "outer_non_seqs"):
        assert getattr(op, name)(node) == getattr(op, name)(node.inputs), name
    for name in ("outer_mitsot_outs", "outer_sitsot_outs", "outer_nitsot_outs",
                 "outer_shared_outs"):
        assert getattr(op, name)(node) == getattr(op, name)(node.outputs), name
    assert op.outer_non_seqs(node) == [W]
    assert [len(op.outer_seqs(node)), len(op.outer_mitsot(node)), len(op.outer_sitsot(node)),
            len(op.outer_nitsot(node))] == [1, 1, 1, 1]


def test_an_output_the_same_at_every_step_leaves_the_loop():
    """Theano's test_pushout_all: a mapped output computed from non-sequences only is that
    value repeated (an Alloc): no loop is left; the values are those of the loop."""
    W1, W2, h0 = T.dmatrix("W1"), T.dmatrix("W2"), T.dvector("h0")
    o, _ = theano.scan(lambda h, W1, W2: T.dot(h, W1 + W2), non_sequences=[h0, W1, W2],
                       n_steps=5)
    f = theano.function([h0, W1, W2], o)
    assert not _scan_ops(f.maker.fgraph)
    rng = np.random.default_rng(0)
    h, w1, w2 = rng.standard_normal(3), rng.standard_normal((3, 3)), \
        rng.standard_normal((3, 3))
    ref = theano.function([h0, W1, W2], o, mode=theano.Mode(optimizer=None))
    np.testing.assert_allclose(f(h, w1, w2), ref(h, w1, w2), rtol=1e-12)
    assert f(h, w1, w2).shape == (5, 3)


def test_scan_inplace_writes_the_buffers_it_may():
    """Theano's test_inplace3: a state whose buffer is a constant is copied, the other one
    (free) is written in place: ``for{inplace{1,},...}``; values as without in-place."""
    x0, x1 = theano.shared(np.float64(0.5)), theano.shared(np.float64(0.25))
    outs, updates = theano.scan(lambda x, y: (x + 1, y + 1), [], [x0, x1], n_steps=3)
    const = np.zeros(3)
    const[0] = 0.5
    to_replace = outs[0].owner.inputs[0].owner.inputs[1]
    outs = theano.clone(outs, replace=[(to_replace, T.constant(const))])
    f = theano.function([], outs, updates=updates)
    (node,) = [n for n in f.maker.fgraph.toposort() if isinstance(n.op, Scan)]
    assert list(node.op.destroy_map) == [1]
    assert str(node.op) == "for{inplace{1,},cpu,scan_fn}"
    a, b = f()
    # The constant holds 3 rows for 3 steps after 1 initial row: filled circularly, it keeps
    # the last two. Theano 1.0.5 gives this with optimizer=None; its FAST_RUN gives
    # [1.5, 2.5] (its scan_save_mem changes the answer), recorded on the peer.
    np.testing.assert_allclose(a, [2.5, 3.5])
    np.testing.assert_allclose(b, [1.25, 2.25, 3.25])
