"""Tests of pytheano.tensor.nnet.blocksparse against the loops that define the ops, their
gradients, infer_shape, in-place variants and errors."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano.tensor.nnet.blocksparse import (
    SparseBlockGemv, SparseBlockOuter, sparse_block_dot, sparse_block_gemv,
    sparse_block_gemv_inplace, sparse_block_outer)
from tests.helpers import assert_close, check_grad, check_infer_shape


def gemv_loops(o, W, h, iIdx, oIdx):
    o = o.astype("float64")
    for b in range(o.shape[0]):
        for j in range(o.shape[1]):
            for i in range(h.shape[1]):
                o[b, j] += h[b, i] @ W[iIdx[b, i], oIdx[b, j]]
    return o


def outer_loops(o, x, y, xIdx, yIdx, alpha=1.0):
    o = o.astype("float64")
    for b in range(x.shape[0]):
        for i in range(xIdx.shape[1]):
            for j in range(yIdx.shape[1]):
                o[xIdx[b, i], yIdx[b, j]] += alpha * np.outer(x[b, i], y[b, j])
    return o


def gemv_data(rng, batch=2, i_blocks=5, o_blocks=4, i_size=3, o_size=2, i_win=3, o_win=2,
              dtype="float64"):
    W = rng.standard_normal((i_blocks, o_blocks, i_size, o_size)).astype(dtype)
    h = rng.standard_normal((batch, i_win, i_size)).astype(dtype)
    iIdx = np.stack([rng.permutation(i_blocks)[:i_win] for _ in range(batch)]).astype("int32")
    oIdx = np.stack([rng.permutation(o_blocks)[:o_win] for _ in range(batch)]).astype("int32")
    b = rng.standard_normal((o_blocks, o_size)).astype(dtype)
    return W, h, iIdx, b, oIdx


@settings(max_examples=15, deadline=None, derandomize=True)
@given(st.integers(1, 3), st.integers(1, 4), st.integers(1, 3), st.sampled_from(
    ["float32", "float64"]))
def test_gemv_and_dot_match_loops(batch, i_win, o_win, dtype):
    rng = np.random.default_rng(batch * 100 + i_win * 10 + o_win)
    W, h, iIdx, b, oIdx = gemv_data(rng, batch=batch, i_win=i_win, o_win=o_win, i_blocks=4,
                                    o_blocks=3, dtype=dtype)
    tW, th = T.TensorType(dtype, (False,) * 4)(), T.TensorType(dtype, (False,) * 3)()
    tb, ti, to = T.TensorType(dtype, (False,) * 2)(), T.imatrix(), T.imatrix()
    out = sparse_block_dot(tW, th, ti, tb, to)
    assert out.dtype == dtype
    got = pytheano.function([tW, th, ti, tb, to], out)(W, h, iIdx, b, oIdx)
    assert_close(got, gemv_loops(b[oIdx], W, h, iIdx, oIdx).astype(dtype))


def test_single_example_form_of_dot():
    W, h, iIdx, b, oIdx = gemv_data(np.random.default_rng(0), batch=1)
    tW, th, tb = T.dtensor4(), T.dmatrix(), T.dmatrix()
    ti, to = T.ivector(), T.ivector()
    got = pytheano.function([tW, th, ti, tb, to], sparse_block_dot(tW, th, ti, tb, to))(
        W, h[0], iIdx[0], b, oIdx[0])
    assert_close(got, gemv_loops(b[oIdx], W, h, iIdx, oIdx))


def test_outer_matches_loops_with_repeated_blocks():
    rng = np.random.default_rng(1)
    o = rng.standard_normal((4, 3, 2, 5))
    x, y = rng.standard_normal((3, 2, 2)), rng.standard_normal((3, 2, 5))
    # the same (x block, y block) pair chosen by several examples: contributions add up
    xIdx = np.array([[0, 1], [0, 1], [3, 0]], dtype="int32")
    yIdx = np.array([[2, 2], [2, 1], [0, 2]], dtype="int32")
    to, tx, ty = T.dtensor4(), T.dtensor3(), T.dtensor3()
    ti, tj, alpha = T.imatrix(), T.imatrix(), T.dscalar()
    f = pytheano.function([to, tx, ty, ti, tj, alpha],
                          [sparse_block_outer(to, tx, ty, ti, tj),
                           SparseBlockOuter()(to, tx, ty, ti, tj, alpha)])
    plain, scaled = f(o, x, y, xIdx, yIdx, 0.5)
    assert_close(plain, outer_loops(o, x, y, xIdx, yIdx))
    # alpha scales the products (Theano 1.0's perform ignored it)
    assert_close(scaled, outer_loops(o, x, y, xIdx, yIdx, 0.5))


def test_gradients_and_infer_shape():
    W, h, iIdx, b, oIdx = gemv_data(np.random.default_rng(2))
    ti, to = T.constant(iIdx), T.constant(oIdx)
    check_grad(lambda b_, h_, W_: sparse_block_dot(W_, h_, ti, b_, to), [b, h, W])
    check_grad(lambda b_, h_, W_: sparse_block_gemv(b_.take(to, axis=0), W_, h_, ti, to),
               [b, h, W])
    tW, th, tb, tI, tO = T.dtensor4(), T.dtensor3(), T.dmatrix(), T.imatrix(), T.imatrix()
    out = sparse_block_dot(tW, th, tI, tb, tO)
    grads = pytheano.grad(out.sum(), [tb, tW, th])
    check_infer_shape([out] + grads, [tW, th, tI, tb, tO], [W, h, iIdx, b, oIdx])
    got = pytheano.function([tW, th, tI, tb, tO], grads)(W, h, iIdx, b, oIdx)
    assert [g.shape for g in got] == [b.shape, W.shape, h.shape]
    with pytest.raises(Exception, match="inputIdx makes no sense"):
        pytheano.grad(out.sum(), tI)


def test_inplace_and_props():
    assert sparse_block_gemv_inplace.destroy_map == {0: [0]}
    assert not getattr(sparse_block_gemv, "destroy_map", None)
    assert SparseBlockGemv(True) == sparse_block_gemv_inplace != sparse_block_gemv
    W, h, iIdx, b, oIdx = gemv_data(np.random.default_rng(3))
    o = b[oIdx]
    node = sparse_block_gemv_inplace.make_node(T.dtensor3(), T.dtensor4(), T.dtensor3(),
                                               T.imatrix(), T.imatrix())
    cell = [None]
    sparse_block_gemv_inplace.perform(node, [o, W, h, iIdx, oIdx], [cell])
    assert cell[0] is o  # the in-place op writes into its first input


def test_errors():
    with pytest.raises(TypeError, match="The weight matrix W must be a 4D tensor"):
        sparse_block_gemv(T.dtensor3(), T.dtensor3(), T.dtensor3(), T.imatrix(), T.imatrix())
    with pytest.raises(TypeError, match="must hold integers"):
        sparse_block_gemv(T.dtensor3(), T.dtensor4(), T.dtensor3(), T.dmatrix(), T.imatrix())
    with pytest.raises(TypeError, match="one dimension less than h"):
        sparse_block_dot(T.dtensor4(), T.dtensor3(), T.ivector(), T.dmatrix(), T.ivector())
