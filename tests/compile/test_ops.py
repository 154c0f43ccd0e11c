"""Ops the compiler uses (DeepCopyOp, ViewOp) and as_op."""
import numpy as np
import pytest

import pytheano as theano
import pytheano.tensor as T
from pytheano.compile.ops import as_op, deep_copy_op, view_op


def test_as_op_runs_numpy_function():
    @as_op(itypes=[T.dmatrix, T.dmatrix], otypes=[T.dmatrix])
    def numpy_dot(a, b):
        return np.dot(a, b)

    a, b = T.dmatrices("a", "b")
    out = theano.function([a, b], numpy_dot(a, b))(np.ones((2, 3)), np.ones((3, 2)))
    np.testing.assert_array_equal(out, np.full((2, 2), 3.0))
    assert str(numpy_dot) == "FromFunctionOp{numpy_dot}"
    with pytest.raises(TypeError, match="expects 2 inputs"):
        numpy_dot(a)
    from pytheano.gradient import NullTypeGradError

    with pytest.raises(NullTypeGradError, match="as_op has no gradient"):
        theano.grad(numpy_dot(a, b).sum(), a)


def test_as_op_infer_shape():
    def shape_rule(node, shapes):
        return [shapes[0]]

    @as_op(itypes=[T.dvector], otypes=[T.dvector], infer_shape=shape_rule)
    def flip(v):
        return v[::-1]

    v = T.dvector("v")
    node = flip(v).owner
    assert node.op.infer_shape(None, node, [(3,)]) == [(3,)]
    np.testing.assert_array_equal(flip(v).eval({v: [1.0, 2.0]}), [2.0, 1.0])


def test_view_and_deep_copy():
    x = T.dvector("x")
    v = np.arange(3.0)
    assert theano.function([x], view_op(x) * 1)(v).tolist() == [0.0, 1.0, 2.0]
    out = theano.function([x], deep_copy_op(x))(v)
    assert out is not v and out.tolist() == v.tolist()
    assert view_op.view_map == {0: [0]}


def test_as_op_on_theano_compile_path():
    import pytheano.compile
    assert pytheano.compile.as_op is as_op
