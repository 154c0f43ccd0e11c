"""The C module's preamble: vectorized loops call glibc's libmvec (link/c/elemwise.py
VECTOR_MATH), whose results stay within a few ulp of the exact ones, inf, nan and denormal
inputs and huge arguments included.

The reference is numpy on long double (x86's 80-bit: correctly rounded to float32/float64
but for rare double-rounding cases). erf/erfc have no long double loop: float32 compares
with scipy's float64 result, float64 with Python's math.erf/erfc (glibc's scalar ones,
within an ulp of mpmath's; scipy's float64 erfc is 500 ulp off near x = 25). The bound,
4 ulp, is glibc's documented one for its vector functions (what this machine measures: at
most 4; numpy's own SIMD loops: at most 3).
Arrays are long enough that the compiled loops run their vector iterations.
"""
import functools
import math

import numpy as np
import pytest
import scipy.special
from hypothesis import given
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano.compile.mode import Mode
from pytheano.link.c.elemwise import VECTOR_MATH
from pytheano.link.c.module import PREAMBLE, c_backend_available, module_source

pytestmark = pytest.mark.skipif(not c_backend_available(), reason="no C compiler")

UNARY = {"exp": np.exp, "log": np.log, "sin": np.sin, "cos": np.cos, "tan": np.tan,
         "tanh": np.tanh, "exp2": np.exp2, "expm1": np.expm1, "log2": np.log2,
         "log10": np.log10, "log1p": np.log1p, "sinh": np.sinh, "cosh": np.cosh,
         "arcsin": np.arcsin, "arccos": np.arccos, "arctan": np.arctan,
         "arcsinh": np.arcsinh, "arccosh": np.arccosh, "arctanh": np.arctanh,
         "erf": scipy.special.erf, "erfc": scipy.special.erfc}
BINARY = {"pow": np.power, "arctan2": np.arctan2}
ULPS = 4
N = 256


@functools.lru_cache(maxsize=None)
def compiled(dtype):
    x, y = T.vector(dtype=dtype), T.vector(dtype=dtype)
    outputs = [getattr(T, name)(x) for name in UNARY] + \
        [getattr(T, name)(x, y) for name in BINARY]
    return pytheano.function([x, y], outputs, mode=Mode(linker="c", optimizer=None))


MATH = {scipy.special.erf: np.vectorize(math.erf), scipy.special.erfc: np.vectorize(math.erfc)}


def reference(fn, x, *rest):
    if fn in MATH:
        return fn(x.astype("float64")) if x.dtype == np.float32 else MATH[fn](x)
    return fn(*[np.asarray(v, dtype=np.longdouble) for v in (x,) + rest])


def assert_within_ulps(got, want, ulps, what):
    want = want.astype(got.dtype)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want), err_msg=what + ": nan")
    inf = np.isinf(want)
    np.testing.assert_array_equal(got[inf], want[inf], err_msg=what + ": inf")
    finite = np.isfinite(want)
    err = np.abs(got[finite].astype("float64") - want[finite].astype("float64"))
    spacing = np.spacing(np.abs(want[finite])).astype("float64")
    worst = (err / spacing).max(initial=0)
    assert worst <= ulps, "%s: %.1f ulp" % (what, worst)


def special_values(dtype):
    info = np.finfo(dtype)
    return [0.0, -0.0, np.inf, -np.inf, np.nan, float(info.tiny), float(info.tiny) / 64,
            -float(info.tiny) / 8, float(info.max), -float(info.max), 1e30, -1e30, 1.0,
            -1.0, 0.5, 88.72, 89.0, -103.9, -104.0, 709.78, 710.0, -745.2, 1e-8, 2.0 ** 60]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@given(data=st.data(), seed=st.integers(0, 2**16))
def test_vector_math_within_ulps_of_exact(dtype, data, seed):
    width = 32 if dtype == "float32" else 64
    drawn = data.draw(st.lists(st.one_of(st.floats(width=width),
                                         st.sampled_from(special_values(dtype))),
                               min_size=1, max_size=48))
    rng = np.random.default_rng(seed)
    scale = rng.choice([0.5, 3.0, 40.0, 1e4], size=N)
    x = (rng.standard_normal(N) * scale).astype(dtype)
    y = (rng.standard_normal(N) * 3).astype(dtype)
    where = rng.choice(N, size=len(drawn), replace=False)
    x[where] = np.asarray(drawn, dtype=dtype)
    y[rng.choice(N, size=len(drawn), replace=False)] = np.asarray(drawn, dtype=dtype)
    with np.errstate(all="ignore"):
        outputs = compiled(dtype)(x, y)
        for (name, fn), got in zip(UNARY.items(), outputs):
            assert_within_ulps(got, reference(fn, x), ULPS,
                               "%s %s" % (name, dtype))
        for (name, fn), got in zip(BINARY.items(), outputs[len(UNARY):]):
            assert_within_ulps(got, reference(fn, x, y), ULPS, "%s %s" % (name, dtype))


def test_fused_loop_calls_vector_math():
    x, y = T.vector(dtype="float32"), T.vector(dtype="float32")
    f = pytheano.function([x, y], T.exp(-x) * T.sin(y) + x * y / (1 + x * x))
    (thunk,) = f.fn.thunks
    source, _ = module_source([thunk.node.op.c_code_node(thunk.node)])
    assert source.startswith(PREAMBLE) and VECTOR_MATH in PREAMBLE
    assert "#pragma omp simd" in source
    assert 'PT_SIMD float expf(float);' in VECTOR_MATH
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal(10000).astype("float32"), \
        rng.standard_normal(10000).astype("float32")
    np.testing.assert_allclose(f(X, Y), np.exp(-X) * np.sin(Y) + X * Y / (1 + X * X),
                               rtol=1e-5, atol=1e-6)
