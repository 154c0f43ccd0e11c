"""pytheano/compile/builders.py: OpFromGraph (values recorded from Theano 1.0.5 on the same
graphs)."""
import numpy as np
import pytest

import pytheano as theano
import pytheano.tensor as T
from pytheano.compile.builders import OpFromGraph
from pytheano.gradient import DisconnectedInputError

XV, YV, ZV = np.ones((2, 2)), np.ones((2, 2)) * 3, np.ones((2, 2)) * 5


def _xyz():
    x, y, z = T.matrices("x", "y", "z")
    return x, y, z, x + y * z


def test_straightforward_and_str():
    x, y, z, e = _xyz()
    op = OpFromGraph([x, y, z], [e])
    fn = theano.function([x, y, z], op(x, y, z) - op(y, z, x))
    assert fn(XV, YV, ZV).tolist() == [[8.0, 8.0], [8.0, 8.0]]
    assert str(op) == "OpFromGraph{inline=False}"
    assert theano.OpFromGraph is OpFromGraph and theano.compile.OpFromGraph is OpFromGraph


def test_default_grad_through_inner_graph():
    x, y, z, e = _xyz()
    op = OpFromGraph([x, y, z], [e])
    g = theano.function([x, y, z], theano.grad(T.sum(op(x, y, z) ** 2), [x, y, z]))
    assert [v[0, 0] for v in g(XV, YV, ZV)] == [32.0, 160.0, 96.0]


def test_grad_overrides_callable():
    x, y, z, e = _xyz()

    def go(inps, grads):
        (g,) = grads
        return [g * 2, g * 3, g * 4]

    op = OpFromGraph([x, y, z], [e], grad_overrides=go)
    g = theano.function([x, y, z], theano.grad(T.sum(op(x, y, z)), [x, y, z]))
    assert [v[0, 0] for v in g(XV, YV, ZV)] == [2.0, 3.0, 4.0]


def test_grad_overrides_list_with_default():
    x, y, z, e = _xyz()
    op = OpFromGraph([x, y, z], [e],
                     grad_overrides=["default", lambda inps, grads: grads[0] * 7, "default"])
    g = theano.function([x, y, z], theano.grad(T.sum(op(x, y, z)), [x, y, z]))
    assert [v[0, 0] for v in g(XV, YV, ZV)] == [1.0, 7.0, 3.0]


def test_shared_variable_in_inner_graph():
    x = T.matrix("x")
    s = theano.shared(np.ones((2, 2)) * 2)
    op = OpFromGraph([x], [x * s])
    assert theano.function([x], op(x))(XV).tolist() == [[2.0, 2.0], [2.0, 2.0]]
    assert theano.function([x], theano.grad(T.sum(op(x)), x))(XV).tolist() == [[2.0, 2.0],
                                                                               [2.0, 2.0]]


def test_rop():
    W, v, ev = T.matrix("W"), T.vector("v"), T.vector("ev")
    op = OpFromGraph([v, W], [T.dot(v, W)])
    r = theano.function([v, W, ev], T.Rop(op(v, W), v, ev))
    assert r(np.ones(2), np.arange(4.0).reshape(2, 2), np.array([1.0, 2.0])).tolist() == [4.0, 7.0]


def test_infer_shape():
    x, y = T.matrices("x", "y")
    o1, o2 = OpFromGraph([x, y], [x + y, T.dot(x, y.T)])(x, y)
    s1, s2 = theano.function([x, y], [o1.shape, o2.shape])(np.ones((2, 3)), np.ones((2, 3)))
    assert s1.tolist() == [2, 3] and s2.tolist() == [2, 2]


def test_inline():
    x, y, z, e = _xyz()
    op = OpFromGraph([x, y, z], [e], inline=True)
    assert str(op) == "OpFromGraph{inline=True}"
    assert theano.function([x, y, z], op(x, y, z))(XV, YV, ZV)[0, 0] == 16.0


def test_disconnected_output_grad_raises_as_theano():
    x, y = T.matrices("x", "y")
    a, _ = OpFromGraph([x, y], [x * 2, y + 1])(x, y)
    with pytest.raises(DisconnectedInputError):
        theano.grad(T.sum(a), [x, y])
    gx = theano.grad(T.sum(a), x)
    assert theano.function([x, y], gx)(XV, YV)[0, 0] == 2.0


def test_bad_arguments():
    x = T.matrix("x")
    with pytest.raises(TypeError, match="outputs must be list"):
        OpFromGraph([x], x * 2)
    with pytest.raises(ValueError, match="Expected 1 inputs, got 2"):
        OpFromGraph([x], [x * 2])(x, x)


def test_debugprint_shows_inner_graph():
    x, y, z, e = _xyz()
    text = theano.printing.debugprint(OpFromGraph([x, y, z], [e])(x, y, z), file="str")
    assert "Elemwise{mul,no_inplace}" in text


def test_connection_pattern_through_inner_ops():
    # Theano 1.0.5's test_connection_pattern: nested OpFromGraphs use their own patterns.
    x, y, z = T.matrices("xyz")
    op1 = OpFromGraph([x, y, z], [x * y, y * z])
    assert op1.connection_pattern(None) == [[True, False], [True, True], [False, True]]
    m, n, p, q = T.matrices("mnpq")
    o1, o2 = op1(m, n, p)
    out1, out2 = op1(o1, q, o2)
    op2 = OpFromGraph([m, n, p, q], [out1, out2])
    assert op2.connection_pattern(None) == [[True, False], [True, True], [False, True],
                                            [True, True]]


def test_inline_keeps_grad_overrides():
    # Theano expands inline graphs only during optimization, so overrides still apply.
    x, y, z, e = _xyz()

    def go(inps, grads):
        return [grads[0] * 2, grads[0] * 3, grads[0] * 4]

    op = OpFromGraph([x, y, z], [e], grad_overrides=go, inline=True)
    g = theano.function([x, y, z], theano.grad(T.sum(op(x, y, z)), [x, y, z]))
    assert [v[0, 0] for v in g(XV, YV, ZV)] == [2.0, 3.0, 4.0]


def test_grad_overrides_null_and_disconnected():
    x, w, b = T.vectors("x", "w", "b")
    from pytheano.gradient import DisconnectedType, NullType

    op = OpFromGraph([x, w, b], [x * w + b],
                     grad_overrides=[lambda i, g: g[0] * i[1] * 2, NullType()(),
                                     DisconnectedType()()])
    dx, dw, db = theano.grad(T.sum(op(x, w, b)), [x, w, b], return_disconnected="Disconnected",
                             disconnected_inputs="ignore", null_gradients="return")
    assert dx.ndim == 1 and isinstance(dw.type, NullType)
    assert isinstance(db.type, DisconnectedType)
