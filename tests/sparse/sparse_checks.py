"""Shared checks of the sparse tests: random scipy.sparse matrices (a hypothesis strategy),
and check_sparse_op, check_op for graphs whose inputs or outputs are sparse."""
import numpy as np
import scipy.sparse as sp
from hypothesis import strategies as st

import pytheano
import pytheano.sparse as S
from tests.helpers import assert_close, check_infer_shape, default_modes


def random_sparse(shape, format="csr", dtype="float64", density=0.5, seed=0, low=-3, high=3):
    """A random scipy.sparse matrix, its stored values uniform in [low, high)."""
    rng = np.random.default_rng(seed)
    m = sp.random(shape[0], shape[1], density=density, format=format, dtype="float64",
                  random_state=seed, data_rvs=lambda n: rng.uniform(low, high, n))
    return m.astype(dtype)


@st.composite
def sparse_matrices(draw, formats=("csr", "csc"), dtypes=("float64", "float32"), shape=None,
                    positive=False):
    """A random sparse matrix: shape (1..5, 1..5) unless given, any density, format and
    dtype drawn from ``formats``/``dtypes``."""
    if shape is None:
        shape = (draw(st.integers(1, 5)), draw(st.integers(1, 5)))
    low = 0.1 if positive else -3
    return random_sparse(shape, draw(st.sampled_from(formats)), draw(st.sampled_from(dtypes)),
                         draw(st.floats(0, 1)), draw(st.integers(0, 2 ** 16)), low=low)


def sparse_var(value):
    """A symbolic variable of the type of ``value`` (a sparse matrix or an ndarray)."""
    if sp.issparse(value):
        return S.SparseType(value.format, value.dtype)()
    return pytheano.tensor.TensorType(value.dtype, (False,) * value.ndim)()


def dense(value):
    return value.toarray() if sp.issparse(value) else np.asarray(value)


def check_sparse_op(build, values, reference, check_dtype=True, rtol=None, atol=None):
    """``build(*vars)`` on ``values`` in the default modes, against ``reference(*values)``
    (compared densely; a sparse output must have the format and dtype of its type), then
    infer_shape of every node. Returns the first mode's output."""
    inputs = [sparse_var(v) for v in values]
    out = build(*inputs)
    expected = dense(reference(*values))
    first = None
    for mode in default_modes():
        f = pytheano.function(inputs, out, mode=mode)
        got = f(*[v.copy() for v in values])
        if isinstance(out.type, S.SparseType):
            assert sp.issparse(got) and got.format == out.type.format, (mode, type(got))
        if check_dtype:
            assert str(got.dtype) == out.type.dtype, (mode, got.dtype, out.type.dtype)
        assert_close(dense(got), expected, rtol=rtol, atol=atol)
        first = got if first is None else first
    check_infer_shape([out], inputs, values)
    return first
