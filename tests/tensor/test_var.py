"""pytheano/tensor/var.py: numpy's unary ufuncs applied to a variable build the graph."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T

UFUNCS = [np.arccos, np.arccosh, np.arcsin, np.arcsinh, np.arctan, np.arctanh, np.ceil, np.cos,
          np.cosh, np.deg2rad, np.exp, np.exp2, np.expm1, np.floor, np.log, np.log10, np.log1p,
          np.log2, np.rad2deg, np.sin, np.sinh, np.sqrt, np.tan, np.tanh, np.trunc]


@pytest.mark.parametrize("ufunc", UFUNCS, ids=lambda u: u.__name__)
def test_numpy_ufunc_of_a_variable(ufunc):
    """Theano's test_var.test_numpy_method (PyMC3 code writes np.exp(x))."""
    x = T.dmatrix("x")
    y = ufunc(x)
    assert isinstance(y, T.TensorVariable)
    data = np.random.default_rng(0).random((3, 4)) * 0.9 + 0.05
    with np.errstate(all="ignore"):
        expected = ufunc(data)
    np.testing.assert_allclose(np.nan_to_num(pytheano.function([x], y)(data)),
                               np.nan_to_num(expected), rtol=1e-12)
