"""The sandbox sampling ops (pytheano/sparse/sandbox/sp2.py)."""
import numpy as np
import pytest
import scipy.sparse as sp

import pytheano
import pytheano.sparse as S
import pytheano.tensor as T
from pytheano.sparse.sandbox.sp2 import Binomial, Multinomial, multinomial, poisson
from tests.helpers import check_infer_shape
from tests.sparse.sparse_checks import random_sparse


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_poisson(fmt):
    m = random_sparse((4, 5), fmt, seed=1, low=0.5, high=4)
    x = S.SparseType(fmt, "float64")()
    out = pytheano.function([x], poisson(x))(m)
    assert out.format == fmt and out.shape == m.shape and out.dtype == m.dtype
    np.testing.assert_array_equal(np.floor(out.data), out.data)
    assert not (out.toarray()[m.toarray() == 0]).any()  # samples only where x stores rates
    check_infer_shape([poisson(x)], [x], [m])


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_binomial(fmt, dtype):
    n, p, shape = T.lscalar(), T.dscalar(), T.lvector()
    out = Binomial(fmt, dtype)(n, p, shape)
    got = pytheano.function([n, p, shape], out)(5, 0.25, np.array([3, 5]))
    assert got.shape == (3, 5) and got.format == fmt and got.dtype == dtype
    assert got.toarray().max() <= 5 and (np.floor(got.data) == got.data).all()
    check_infer_shape([out], [n, p, shape], [5, 0.25, np.array([3, 5])])
    with pytest.raises(TypeError):
        Binomial(fmt, dtype)(T.dscalar(), p, shape)


def test_multinomial():
    p = sp.csr_matrix(np.array([[0.0, 0.5, 0.0, 0.5], [0.1, 0.2, 0.3, 0.4],
                                [0.0, 1.0, 0.0, 0.0]]))
    x, n = S.csr_matrix(), T.lscalar()
    got = pytheano.function([x, n], multinomial(n, x))(p, 5)
    assert got.shape == p.shape and got[2, 1] == 5
    np.testing.assert_array_equal(got.toarray().sum(axis=1), [5, 5, 5])
    nv = T.lvector()
    got = pytheano.function([x, nv], multinomial(nv, x))(p, np.array([1, 2, 3]))
    np.testing.assert_array_equal(got.toarray().sum(axis=1), [1, 2, 3])
    with pytest.raises(ValueError, match="number of element of n"):
        pytheano.function([x, nv], multinomial(nv, x))(p, np.array([1, 2]))
    check_infer_shape([Multinomial()(5, x)], [x], [p])
