"""pytheano/tensor/inplace.py and type_other.py: Theano 1.0 paths (names as Theano 1.0.5)."""
import numpy as np

import pytheano
import pytheano.tensor as T
from pytheano.tensor import inplace


def test_inplace_names_and_values():
    # Theano 1.0.5 has 70 public *_inplace names; all exist.
    names = [n for n in dir(inplace) if n.endswith("_inplace") and not n.startswith("_")]
    assert len(names) == 70 and "fill_inplace" in names and "abs__inplace" in names
    # Theano 1.0.5 prints them by name, and the output keeps input 0's dtype.
    assert str(inplace.exp_inplace) == "exp_inplace"
    assert inplace.add_inplace(T.ivector(), T.dvector()).dtype == "int32"
    x = T.dvector("x")
    f = pytheano.function([x], inplace.exp_inplace(x * 2), accept_inplace=True)
    np.testing.assert_allclose(f(np.ones(2)), np.exp(2.0) * np.ones(2))
    assert pytheano.function([x], inplace.transpose_inplace(x))(np.arange(2.0)).tolist() == [
        0.0, 1.0]


def test_type_other_path():
    from pytheano.tensor.subtensor import NoneConst as N
    from pytheano.tensor.type_other import NoneConst, make_slice, slicetype  # noqa: F401

    assert NoneConst is N


def test_mixed_dtype_inplace_casts_into_the_destroyed_buffer_as_theano():
    # Theano 1.0.5: add_inplace(int64, float64) computes in float64 and truncates into x.
    x, y = T.lmatrix("x"), T.dmatrix("y")
    f = pytheano.function([x, y], [inplace.add_inplace(x, y)], accept_inplace=True)
    a = np.array([[1, 2]])
    (out,) = f(a, np.array([[0.7, -0.7]]))
    assert out.dtype == np.int64 and out.tolist() == [[1, 1]] and a.tolist() == [[1, 1]]


def test_inplace_writes_into_a_memmap_input(tmp_path):
    # Theano's inplace testers pass np.memmap inputs (an ndarray subclass): written in place.
    x = T.dmatrix("x")
    f = pytheano.function([x], inplace.exp_inplace(x), accept_inplace=True)
    m = np.memmap(str(tmp_path / "m.bin"), dtype="float64", mode="w+", shape=(1, 3))
    m[:] = 0.0
    np.testing.assert_array_equal(f(m), np.ones((1, 3)))
    np.testing.assert_array_equal(m, np.ones((1, 3)))
