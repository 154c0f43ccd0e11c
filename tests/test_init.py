"""pytheano/__init__.py: the top layer's Theano 1.0 names."""
import numpy as np

import pytheano


def test_star_import_of_tensor_gives_the_modules_theano_gave():
    # Theano's tensor package has no __all__: `from theano.tensor import *` brought theano,
    # np, compile (...) along, and Theano code (its own test_casting.py) uses them.
    ns = {}
    exec("from pytheano.tensor import *", ns)
    assert ns["theano"] is pytheano and ns["np"] is np and ns["compile"].In is pytheano.In
    assert ns["dvector"] is pytheano.tensor.dvector


def test_theano_dot_takes_sparse_and_dense_operands():
    import pytheano.sparse as S
    import pytheano.tensor as T
    import scipy.sparse as sp
    x, y = S.csr_matrix("x"), T.dmatrix("y")
    xv = sp.random(3, 4, density=0.5, format="csr", random_state=0)
    yv = np.arange(12.0).reshape(4, 3)
    f = pytheano.function([x, y], [pytheano.dot(x, y), pytheano.dot(y.T, x.T)])
    a, b = f(xv, yv)
    np.testing.assert_allclose(a, xv.toarray() @ yv)
    np.testing.assert_allclose(b, yv.T @ xv.toarray().T)
    assert str(pytheano.dot(y, y).owner.op) == "dot"


def test_theano_paths_of_optdb_and_basic_scipy():
    assert pytheano.compile.mode.optdb is pytheano.compile.optdb
    assert pytheano.scalar.basic_scipy.imported_scipy_special
    assert pytheano.scalar.basic_scipy.erf is pytheano.scalar.erf


def test_raw_random_star_import_hands_out_theano():
    namespace = {}
    exec("from pytheano.tensor.raw_random import *", namespace)
    assert namespace["theano"] is pytheano and namespace["uniform"] is not None
