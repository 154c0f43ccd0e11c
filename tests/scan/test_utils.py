"""``theano.clone`` / ``scan_utils.clone`` (pytheano/scan/utils.py): strict and non-strict
replacements, share_inputs and its deprecated name copy_inputs; values and errors recorded
from Theano 1.0.5."""
import warnings

import numpy as np
import pytest

import pytheano as theano
import pytheano.tensor as T
from pytheano.graph.basic import graph_inputs
from pytheano.scan_module import scan_utils


def _graph():
    x, y = T.dvector("x"), T.fvector("y")
    z = theano.shared(0.25)
    return x, y, z, z * (x + y) ** 2 + 5


def test_theano_clone_is_scan_utils_clone():
    assert theano.clone is scan_utils.clone


@pytest.mark.parametrize("share_inputs", [True, False])
def test_replacement_of_another_dtype_not_strict(share_inputs):
    x, y, z, f1 = _graph()
    y2 = T.dvector("y2")
    f2 = theano.clone(f1, replace=[(y, y2)], strict=False, share_inputs=share_inputs)
    # Add's make_node ran again: float32 + float64 is float64 now.
    assert f2.type == T.dvector
    inputs = graph_inputs([f2])
    assert all((v in inputs) == share_inputs for v in (x, y2, z))
    assert y not in inputs
    if share_inputs:
        out = theano.function([x, y2], f2)([1.0, 2.0], [3.0, 4.0])
        np.testing.assert_allclose(out, [9.0, 14.0])
    else:
        # The copies of the shared variable keep its storage.
        z_copy, = [v for v in inputs if hasattr(v, "get_value")]
        assert z_copy.container is z.container


def test_replacement_of_another_dtype_strict_is_a_type_error():
    x, y, z, f1 = _graph()
    with pytest.raises(TypeError, match="Cannot convert Type TensorType.float64, vector. "
                       r"\(of Variable y2\) into Type TensorType.float32, vector."):
        theano.clone(f1, replace={y: T.dvector("y2")}, strict=True)


def test_same_type_strict_keeps_the_graph():
    x, y, z, f1 = _graph()
    y2 = T.fvector("y2")
    f2 = theano.clone(f1, replace={y: y2})
    assert f2.type == f1.type
    assert {x, y2, z} <= set(graph_inputs([f2]))
    out = theano.function([x, y2], f2)([1.0, 2.0], np.float32([3.0, 4.0]))
    np.testing.assert_allclose(out, [9.0, 14.0])
    # The original graph is untouched.
    assert y in graph_inputs([f1])


def test_not_strict_rebuilds_broadcastable_flags():
    # recorded on the peer: the sum over a row's axis 0 is a (non-broadcastable) vector
    m = T.dmatrix("m")
    r = theano.clone(m.sum(axis=0), replace={m: T.drow("r")}, strict=False)
    assert r.type == T.dvector


def test_replacement_graph_copied_with_its_inputs():
    # With share_inputs=False the replacement's own inputs are copied too, and a variable
    # read both by the graph and by the replacement is copied once. (Theano 1.0.5 loses the
    # replacement here: its placeholder for y is copied before its second pass replaces it,
    # so the copy reads a new float32 vector; pytheano does what was asked.)
    x, y, z, f1 = _graph()
    f2 = theano.clone(f1, replace={y: x * 2}, strict=False, share_inputs=False)
    inputs = graph_inputs([f2])
    assert x not in inputs and y not in inputs
    x_copies = [v for v in inputs if v.name == "x"]
    assert len(x_copies) == 1
    out = theano.function(x_copies, f2)([1.0, 2.0])
    np.testing.assert_allclose(out, 0.25 * (3 * np.array([1.0, 2.0])) ** 2 + 5)


def test_copy_inputs_is_share_inputs_with_a_warning():
    x, y, z, f1 = _graph()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f2 = theano.clone(f1, replace={y: T.fvector("y3")}, copy_inputs=False)
    assert [str(w.message) for w in caught] == [
        "In `clone()` function, the argument `copy_inputs` has been deprecated and renamed "
        "into `share_inputs`"]
    assert x not in graph_inputs([f2])


def test_bad_replace_is_a_value_error():
    x, y, z, f1 = _graph()
    with pytest.raises(ValueError, match="replace is neither a dictionary, list, tuple or "
                       "None ! The value provided is 5,of type <class 'int'>"):
        theano.clone(f1, replace=5)


def test_list_of_outputs_and_a_leaf():
    x, y, z, f1 = _graph()
    y2 = T.fvector("y2")
    out, leaf, other = theano.clone([f1, y, x], replace={y: y2})
    assert leaf is y2 and other is x
    assert y2 in graph_inputs([out])


@pytest.mark.parametrize("share_inputs", [True, False])
def test_replacement_reading_the_replaced_variable(share_inputs):
    # Theano's test_clone: x -> x + d where d may read y, itself computed from x; inside the
    # replacement x and y stay what they were. Recorded on the peer: 1.21 both ways.
    x = theano.shared(np.float64(0.0))
    y = T.sum((x + 1) ** 2)
    for d in (0.1, 0.1 + 0 * y):
        out = theano.clone(y, replace={x: x + d}, share_inputs=share_inputs)
        np.testing.assert_allclose(theano.function([], out)(), 1.21)


def test_a_value_replacement_becomes_a_shared_variable():
    # recorded on the peer: clone(x * 2, {x: [1., 2.]}) computes [2., 4.] with no input
    x = T.dvector("x")
    out = theano.clone(x * 2, replace={x: np.array([1.0, 2.0])})
    assert x not in graph_inputs([out])
    np.testing.assert_array_equal(theano.function([], out)(), [2.0, 4.0])


def test_forced_replace_finds_equal_computations_not_only_the_variable():
    # the gradient of tanh recomputes tanh(x); forced_replace swaps that twin (another
    # node computing the same) for the forward value's placeholder, and leaves the rest
    x, y = T.dvector("x"), T.dvector("y")
    fwd, twin = T.tanh(x), T.tanh(x)
    out = (1 - twin ** 2) * y + T.exp(x)
    placeholder = T.dvector("h")
    new = scan_utils.forced_replace(out, fwd, placeholder)
    assert {v for v in graph_inputs([new]) if v.owner is None and v.name} == {x, y, placeholder}
    f = theano.function([x, y, placeholder], new)
    xv, yv, hv = np.array([0.3, -1.0]), np.array([2.0, 0.5]), np.array([0.1, 0.2])
    np.testing.assert_allclose(f(xv, yv, hv), (1 - hv ** 2) * yv + np.exp(xv))
    assert scan_utils.forced_replace(out, T.dvector("z"), placeholder) is out
    assert scan_utils.forced_replace(None, fwd, placeholder) is None
