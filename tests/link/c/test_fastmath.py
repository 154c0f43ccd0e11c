"""The vectorizable exp of link/c/fastmath.py against numpy's, over the whole range and
the special values, compiled as the C backend compiles kernels."""
import ctypes

import numpy as np
import pytest

import pytheano
from pytheano.link.c.array import ArrayC
from pytheano.link.c.fastmath import EXP_SUPPORT, exp_function
from pytheano.link.c.module import build_module

pytestmark = pytest.mark.skipif(not pytheano.config.cxx, reason="no C compiler (cxx='')")


def _exp_c(dtype):
    ctype = "double" if dtype == "float64" else "float"
    body = "  for (int64_t i = 0; i < x_n0; i++) y[i * y_s0] = %s(x[i * x_s0]);\n  return 0;\n"
    kernel = ArrayC(body % exp_function(dtype), ["x", "y"], [ctype, ctype], [dtype], [dtype],
                    [1, 1], [[(0, 0)]], support=EXP_SUPPORT)
    address, = build_module([kernel])
    fn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p,
                          ctypes.c_void_p)(address)

    def run(x):
        y = np.empty_like(x)
        data = (ctypes.c_void_p * 2)(x.ctypes.data, y.ctypes.data)
        shapes = (ctypes.c_int64 * 2)(len(x), len(y))
        strides = (ctypes.c_int64 * 2)(1, 1)
        assert fn(data, shapes, strides) == 0
        return y
    return run


@pytest.mark.parametrize("dtype, limit, rtol, tiny", [("float64", 750, 4.5e-16, 4e-308),
                                                      ("float32", 100, 2.5e-7, 3e-38)])
def test_exp_matches_numpy(dtype, limit, rtol, tiny):
    special = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 709.78, 709.79, 88.72, 88.73,
               -708.0, -708.1, -86.6, -87.4, -745.2, 1e-10]
    x = np.concatenate([np.linspace(-limit, limit, 100001), special]).astype(dtype)
    got = _exp_c(dtype)(x)
    with np.errstate(over="ignore"):
        expected = np.exp(x)
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=tiny, equal_nan=True)
    assert np.array_equal(np.isinf(got), np.isinf(expected))
