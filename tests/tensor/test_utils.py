"""pytheano.tensor.utils: hash_from_ndarray (values recorded from Theano 1.0.5) and
shape_of_variables against the shapes a compiled graph really gives."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.tensor.utils import hash_from_code, hash_from_ndarray, shape_of_variables

# hash_from_ndarray of these arrays in Theano 1.0.5 (numpy 1.19)
THEANO_HASHES = [
    (np.arange(6).reshape(2, 3),
     "m9cc41359d0b0013fa2e0e58dbd30c050c95b25a57e7064d03b980bcd84d4744d"),
    (np.arange(6.0).reshape(2, 3).T,
     "m95e50cd266b842a26749df026da4855fc0a57ae3ca79c591874d8fdf49d0dbfc"),
    (np.array(3, dtype="int8"),
     "m36dcd493d068c8d5c2247837f9fc9a6685d09e5274c1477f82da0e4bda569ae8"),
]


@pytest.mark.parametrize("data,expected", THEANO_HASHES)
def test_hash_from_ndarray_matches_theano(data, expected):
    assert hash_from_ndarray(data) == expected


def test_hash_tells_shape_dtype_and_values_apart_but_not_views_from_copies():
    rng = np.random.default_rng(0).random((5, 5))
    arrays = [np.asarray(v) for v in (-2, -1, 0, 1, 2)] + [
        np.zeros((1, 5)), np.zeros((1, 6)), np.zeros((1, 0)), np.zeros((2, 0)),
        np.arange(25).reshape(5, 5), np.arange(25).reshape(5, 5).T,
        np.zeros((5, 5), "uint32"), np.zeros((5, 5), "int32"),
        rng, rng[1:], rng[:4], rng[1:3], rng[::2], rng[::-1]]
    hashes = [hash_from_ndarray(a) for a in arrays]
    assert len(set(hashes)) == len(hashes)
    for view in (rng[1:], rng[::2], rng[::-1], rng.T):
        assert hash_from_ndarray(view) == hash_from_ndarray(view.copy())
    assert hash_from_code("abc") == hash_from_code(b"abc")


def test_shape_of_variables_matches_the_real_shapes():
    x = T.matrix("x")
    y = T.dot(x, x.T)
    z = (x[1:] * 2).sum(axis=0)
    fgraph = pytheano.FunctionGraph([x], [y, z], clone=False)
    shapes = shape_of_variables(fgraph, {x: (5, 3)})
    assert shapes[x] == (5, 3) and shapes[y] == (5, 5) and shapes[z] == (3,)
    values = pytheano.function([x], [v for v in shapes if v.owner is not None])(
        np.zeros((5, 3), dtype=x.dtype))
    for var, value in zip([v for v in shapes if v.owner is not None], values):
        assert shapes[var] == np.shape(value), var


def test_shape_of_variables_errors():
    x = T.matrix("x")
    with pytest.raises(ValueError, match="input_shapes keys aren't in the fgraph.inputs"):
        shape_of_variables(pytheano.FunctionGraph([x], [x[1:]]), {x: (10, 10)})
    y = T.matrix("y")
    fgraph = pytheano.FunctionGraph([x, y], [x + y], clone=False)
    with pytest.raises(ValueError, match="gives no shape for the inputs"):
        shape_of_variables(fgraph, {x: (2, 2)})
