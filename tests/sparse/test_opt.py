"""The sparse rewrites (pytheano/sparse/opt.py) and the raw-array ops they use: each rewrite
shown before and after, values unchanged."""
import numpy as np
import pytest
import scipy.sparse as sp

import pytheano
import pytheano.sparse as S
import pytheano.tensor as T
from pytheano.compile.mode import get_default_mode
from pytheano.sparse import opt
from pytheano.tensor.shape import MakeVector, Shape_i
from tests.helpers import check_rewrite
from tests.sparse.sparse_checks import random_sparse

RNG = np.random.default_rng(0)


def test_local_csm_properties_csm():
    data, indices, indptr, shape = T.dvector(), T.ivector(), T.ivector(), T.ivector()
    m = random_sparse((3, 4), "csc", seed=1)
    values = [m.data, m.indices, m.indptr, np.array(m.shape, "int32")]
    fg = check_rewrite(lambda *a: S.csm_properties(S.CSC(*a)), opt.local_csm_properties_csm,
                       expected=lambda fg: not fg.apply_nodes,
                       inputs=[data, indices, indptr, shape], values=values)
    assert list(fg.outputs) == list(fg.inputs)


def test_local_csm_properties_csm_keeps_other_index_dtypes():
    # int64 indices: CSMProperties returns int32, so the inputs cannot replace its outputs.
    args = [T.dvector(), T.lvector(), T.lvector(), T.lvector()]
    m = random_sparse((3, 4), "csr", seed=2)
    values = [m.data, m.indices.astype("int64"), m.indptr.astype("int64"),
              np.array(m.shape, "int64")]
    check_rewrite(lambda *a: S.csm_properties(S.CSR(*a)), opt.local_csm_properties_csm,
                  expected=[S.CSM, S.CSMProperties], inputs=args, values=values)


def test_local_csm_properties_csm_in_the_default_mode():
    x = S.csr_matrix()
    f = pytheano.function([x], S.dense_from_sparse(S.sqrt(x)))
    assert not any(isinstance(n.op, (S.CSM,)) for n in f.maker.fgraph.toposort()
                   if n.outputs[0] in [i for nn in f.maker.fgraph.toposort()
                                       if isinstance(nn.op, S.CSMProperties) for i in nn.inputs])
    m = random_sparse((3, 4), "csr", seed=3, low=0.1)
    np.testing.assert_allclose(f(m), np.sqrt(m.toarray()))


@pytest.mark.parametrize("to_sparse", [S.csr_from_dense, S.csc_from_dense])
def test_local_dense_from_sparse_sparse_from_dense(to_sparse):
    check_rewrite(lambda m: S.dense_from_sparse(to_sparse(m)),
                  opt.local_dense_from_sparse_sparse_from_dense,
                  expected=lambda fg: not fg.apply_nodes, inputs=[T.dmatrix()])
    f = pytheano.function([m := T.dmatrix()], S.dense_from_sparse(to_sparse(m)))
    assert len(f.maker.fgraph.apply_nodes) == 1  # only the output copy


def test_local_dense_from_sparse_sparse_from_dense_keeps_a_vector_round_trip():
    # A vector comes back as a (1, n) matrix: not the input's type, no rewrite.
    check_rewrite(lambda v: S.dense_from_sparse(S.csr_from_dense(v)),
                  opt.local_dense_from_sparse_sparse_from_dense,
                  expected=[T.DimShuffle, S.SparseFromDense, S.DenseFromSparse],
                  inputs=[T.dvector()])


def test_local_inplace_remove0():
    # check_rewrite compiles without accept_inplace: the in-place graph is checked here.
    x = S.csr_matrix()
    m = random_sparse((3, 4), "csr", seed=4)
    m.data[0] = 0
    f = pytheano.function([pytheano.In(x, mutable=True)], S.remove0(x))
    assert f.maker.fgraph.toposort()[0].op == S.Remove0(inplace=True)
    out = f(m.copy())
    assert out.nnz == m.nnz - 1
    np.testing.assert_array_equal(out.toarray(), m.toarray())
    g = pytheano.function([x], S.remove0(x))  # x not mutable: stays out of place
    assert [n.op for n in g.maker.fgraph.toposort()] == [S.Remove0()]
    h = pytheano.function([pytheano.In(x, mutable=True)], S.remove0(x),
                          mode=get_default_mode().excluding("local_inplace_remove0"))
    assert h.maker.fgraph.toposort()[0].op == S.Remove0()


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_local_mul_s_d(fmt):
    m, d = random_sparse((3, 4), fmt, seed=5), RNG.uniform(size=(3, 4))
    raw = opt.MulSDCSC if fmt == "csc" else opt.MulSDCSR
    check_rewrite(lambda x, y: S.dense_from_sparse(S.mul_s_d(x, y)), opt.local_mul_s_d,
                  expected=lambda fg: any(isinstance(n.op, raw) for n in fg.apply_nodes)
                  and not any(isinstance(n.op, S.MulSD) for n in fg.apply_nodes),
                  inputs=[S.SparseType(fmt, "float64")(), T.dmatrix()], values=[m, d])


def test_local_mul_s_v_and_structured_add_s_v():
    m, v = random_sparse((3, 4), "csr", seed=6), RNG.uniform(size=4)
    for op, rw, raw in [(S.mul_s_v, opt.local_mul_s_v, opt.MulSVCSR),
                        (S.structured_add_s_v, opt.local_structured_add_s_v,
                         opt.StructuredAddSVCSR)]:
        check_rewrite(lambda x, y, op=op: S.dense_from_sparse(op(x, y)), rw,
                      expected=lambda fg, raw=raw: any(type(n.op) is raw
                                                       for n in fg.apply_nodes),
                      inputs=[S.csr_matrix(), T.dvector()], values=[m, v])


def test_local_sampling_dot_csr():
    p, x, y = random_sparse((3, 5), "csr", seed=7), RNG.uniform(size=(3, 2)), \
        RNG.uniform(size=(5, 2))
    check_rewrite(lambda a, b, c: S.dense_from_sparse(S.sampling_dot(a, b, c)),
                  opt.local_sampling_dot_csr,
                  expected=lambda fg: any(isinstance(n.op, opt.SamplingDotCSR)
                                          for n in fg.apply_nodes),
                  inputs=[T.dmatrix(), T.dmatrix(), S.csr_matrix()], values=[x, y, p])


def test_cxx_only_rewrites_are_off_by_default_and_on_by_name():
    x, y = S.csr_matrix(), T.dmatrix()
    f = pytheano.function([x, y], S.mul_s_d(x, y))
    assert any(isinstance(n.op, S.MulSD) for n in f.maker.fgraph.toposort())
    g = pytheano.function([x, y], S.mul_s_d(x, y),
                          mode=get_default_mode().including("local_mul_s_d"))
    assert not any(isinstance(n.op, S.MulSD) for n in g.maker.fgraph.toposort())
    m, d = random_sparse((3, 4), "csr", seed=8), RNG.uniform(size=(3, 4))
    np.testing.assert_allclose(g(m, d).toarray(), f(m, d).toarray())


def test_sd_csc_and_sd_csr():
    a, b = sp.random(4, 5, density=0.6, format="csc", random_state=1), RNG.uniform(size=(5, 2))
    got = opt.sd_csc(a.data, a.indices, a.indptr, np.int32(a.shape[0]), b).eval()
    np.testing.assert_allclose(got, a @ b)
    c = a.tocsr()
    np.testing.assert_allclose(opt.sd_csr(c.data, c.indices, c.indptr, b).eval(), c @ b)


@pytest.mark.parametrize("inplace", [False, True])
def test_usmm_csc_dense(inplace):
    x, y, z = sp.random(3, 4, density=0.5, format="csc", random_state=2), \
        RNG.uniform(size=(4, 2)), RNG.uniform(size=(3, 2))
    alpha = np.full((1, 1), 2.0)
    op = opt.UsmmCscDense(inplace)
    args = [T.TensorType("float64", (True, True))(), T.dvector(), T.ivector(), T.ivector(),
            T.iscalar(), T.dmatrix(), T.dmatrix()]
    f = pytheano.function([pytheano.In(a, mutable=True) for a in args], op(*args),
                          accept_inplace=True)
    zz = z.copy()
    got = f(alpha, x.data, x.indices, x.indptr, np.int32(3), y, zz)
    np.testing.assert_allclose(got, z + 2 * (x @ y))
    assert str(op) == "UsmmCscDense{%s}" % ("inplace" if inplace else "no_inplace")


def test_add_sd_ccode():
    x, y = random_sparse((3, 4), "csr", seed=9), RNG.uniform(size=(3, 4))
    out = opt.AddSD_ccode("csr")(x.data, x.indices, x.indptr, y).eval()
    np.testing.assert_allclose(out, x.toarray() + y)


def test_local_sparse_shape():
    m = random_sparse((5, 3), "csr", seed=10)
    check_rewrite(lambda x: x.shape, opt.local_sparse_shape,
                  expected=[Shape_i, Shape_i, MakeVector], inputs=[S.csr_matrix()],
                  values=[m])
    check_rewrite(lambda x: Shape_i(1)(S.dense_from_sparse(x)), opt.local_sparse_shape,
                  expected=[Shape_i], inputs=[S.csc_matrix()], values=[m.tocsc()])
    # In the default mode: the shape never builds the dense matrix.
    x = S.csr_matrix()
    f = pytheano.function([x], (x * 2).shape)
    assert not any(isinstance(n.op, S.DenseFromSparse) for n in f.maker.fgraph.toposort())
    assert tuple(f(m)) == (5, 3)
