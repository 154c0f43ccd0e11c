"""Tests of pytheano/gradient.py: the grad driver (on toy ops defined here, so the rules are
tested independently of the tensor ops), Rop/Lop, jacobian/hessian, the gradient-shaping
ops, verify_grad, and the seed examples on the real tensor ops."""
import warnings
from collections import OrderedDict

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano import gradient
from pytheano.gradient import matrices
from pytheano._core.graph import Apply, Variable
from pytheano.gradient import (
    DisconnectedInputError, DisconnectedType, GradientError, NullType, NullTypeGradError,
    disconnected_type, grad, grad_not_implemented, grad_undefined, verify_grad)
from pytheano.graph.op import Op
from pytheano.tensor.type import TensorType


# =========================================================================== toy ops
# Small ops with hand-written gradients: they exercise the driver without depending on
# the real tensor ops.

def _tensor(x):
    if isinstance(x, Variable):
        return x
    return T.constant(x)


class Scale(Op):
    """k * x."""

    __props__ = ("k",)

    def __init__(self, k):
        self.k = k

    def make_node(self, x):
        x = _tensor(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out):
        out[0][0] = np.asarray(self.k * inputs[0], dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, shapes):
        return shapes

    def grad(self, inputs, gouts):
        return [Scale(self.k)(gouts[0])]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return [Scale(self.k)(eval_points[0])]


class Mul2(Op):
    """a * b (same shapes)."""

    __props__ = ()

    def make_node(self, a, b):
        a, b = _tensor(a), _tensor(b)
        return Apply(self, [a, b], [a.type()])

    def perform(self, node, inputs, out):
        out[0][0] = np.asarray(inputs[0] * inputs[1], dtype=node.outputs[0].type.dtype)

    def grad(self, inputs, gouts):
        a, b = inputs
        return [mul2(gouts[0], b), mul2(gouts[0], a)]

    def R_op(self, inputs, eval_points):
        a, b = inputs
        ea, eb = eval_points
        return [add2(mul2(ea, b), mul2(a, eb))]


class Add2(Op):
    __props__ = ()

    def make_node(self, a, b):
        a, b = _tensor(a), _tensor(b)
        return Apply(self, [a, b], [a.type()])

    def perform(self, node, inputs, out):
        out[0][0] = np.asarray(inputs[0] + inputs[1], dtype=node.outputs[0].type.dtype)

    def grad(self, inputs, gouts):
        return [gouts[0], gouts[0]]


class SumAll(Op):
    """The sum of all elements, as a 0-d tensor of the input's dtype."""

    __props__ = ()

    def make_node(self, x):
        x = _tensor(x)
        return Apply(self, [x], [TensorType(x.dtype, ())()])

    def perform(self, node, inputs, out):
        out[0][0] = np.asarray(inputs[0].sum(), dtype=node.outputs[0].type.dtype)

    def grad(self, inputs, gouts):
        return [fill_like(inputs[0], gouts[0])]

    def R_op(self, inputs, eval_points):
        return [SumAll()(eval_points[0])]


class FillLike(Op):
    """An array shaped like x, filled with the 0-d value s (of s's dtype)."""

    __props__ = ()

    def make_node(self, x, s):
        x, s = _tensor(x), _tensor(s)
        return Apply(self, [x, s], [TensorType(s.dtype, x.broadcastable)()])

    def perform(self, node, inputs, out):
        out[0][0] = np.full(inputs[0].shape, inputs[1], dtype=node.outputs[0].type.dtype)

    def connection_pattern(self, node):
        return [[False], [True]]

    def grad(self, inputs, gouts):
        return [disconnected_type(), SumAll()(gouts[0])]


class Cast(Op):
    __props__ = ("dtype",)

    def __init__(self, dtype):
        self.dtype = dtype

    def make_node(self, x):
        x = _tensor(x)
        return Apply(self, [x], [TensorType(self.dtype, x.broadcastable)()])

    def perform(self, node, inputs, out):
        out[0][0] = np.asarray(inputs[0], dtype=self.dtype)

    def grad(self, inputs, gouts):
        x, = inputs
        if x.dtype in ("int8", "int16", "int32", "int64", "bool"):
            return [fill_like(x, T.constant(0.0))]
        return [Cast(x.dtype)(gouts[0])]


class TwoOut(Op):
    """(2 * x, 3 * y): each output depends on one input only."""

    __props__ = ()

    def make_node(self, x, y):
        x, y = _tensor(x), _tensor(y)
        return Apply(self, [x, y], [x.type(), y.type()])

    def perform(self, node, inputs, out):
        out[0][0] = np.asarray(2 * inputs[0], dtype=node.outputs[0].type.dtype)
        out[1][0] = np.asarray(3 * inputs[1], dtype=node.outputs[1].type.dtype)

    def connection_pattern(self, node):
        return [[True, False], [False, True]]

    def L_op(self, inputs, outputs, gouts):
        gx = disconnected_type() if isinstance(gouts[0].type, DisconnectedType) \
            else Scale(2)(gouts[0])
        gy = disconnected_type() if isinstance(gouts[1].type, DisconnectedType) \
            else Scale(3)(gouts[1])
        return [gx, gy]


class Argmax(Op):
    """Integer output: its input is connected to the cost only through an integer."""

    __props__ = ()

    def make_node(self, x):
        x = _tensor(x)
        return Apply(self, [x], [TensorType("int64", ())()])

    def perform(self, node, inputs, out):
        out[0][0] = np.asarray(np.argmax(inputs[0]), dtype="int64")

    def grad(self, inputs, gouts):
        return [fill_like(inputs[0], T.constant(0.0))]


class NoGrad(Op):
    """Identity whose gradient is not implemented (input 0) / undefined (input 1)."""

    __props__ = ("undefined",)

    def __init__(self, undefined=False):
        self.undefined = undefined

    def make_node(self, x):
        x = _tensor(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out):
        out[0][0] = inputs[0]

    def grad(self, inputs, gouts):
        if self.undefined:
            return [grad_undefined(self, 0, inputs[0], "it is a toy")]
        return [grad_not_implemented(self, 0, inputs[0], "it is a toy")]


class BadGrad(Op):
    """Identity whose grad breaks the op contract in the way ``kind`` says."""

    __props__ = ("kind",)

    def __init__(self, kind):
        self.kind = kind

    def make_node(self, x):
        x = _tensor(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out):
        out[0][0] = inputs[0]

    def connection_pattern(self, node):
        if self.kind == "pattern":
            return [[False]]
        if self.kind == "bad_pattern":
            return [True]
        return [[True]]

    def grad(self, inputs, gouts):
        x, = inputs
        g, = gouts
        if self.kind == "none":
            return [None]
        if self.kind == "count":
            return [g, g]
        if self.kind == "int":
            return [Cast("int64")(g)]
        if self.kind == "ndim":
            return [SumAll()(g)]
        if self.kind == "disconnected":
            return [disconnected_type()]
        if self.kind == "wrong_value":
            return [Scale(3)(g)]
        return [g]


class Double(Op):
    """2 * x with a wrong gradient (3 * g) unless ``correct``."""

    __props__ = ("correct",)

    def __init__(self, correct):
        self.correct = correct

    def make_node(self, x):
        x = _tensor(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out):
        out[0][0] = np.asarray(2 * inputs[0], dtype=node.outputs[0].type.dtype)

    def grad(self, inputs, gouts):
        return [Scale(2 if self.correct else 3)(gouts[0])]


class NoROp(Op):
    __props__ = ()

    def make_node(self, x):
        x = _tensor(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out):
        out[0][0] = inputs[0]


mul2 = Mul2()
add2 = Add2()
sum_all = SumAll()
fill_like = FillLike()


def one(dtype="float64"):
    return T.constant(np.asarray(1.0, dtype=dtype))


def seeded(cost, wrt, **kwargs):
    """grad of ``cost`` seeded with a constant 1 (independent of the tensor ops)."""
    return grad(None, wrt, known_grads=OrderedDict([(cost, one(cost.dtype))]), **kwargs)


def run(inputs, outputs, *values):
    return pytheano.function(inputs, outputs, on_unused_input="ignore")(*values)


# =========================================================================== driver on toy ops

def test_chain_rule_through_toy_ops():
    x = T.dvector("x")
    c = sum_all(mul2(Scale(3)(x), x))   # 3 x^2 summed: d/dx = 6 x, two paths via mul2
    g = seeded(c, x)
    xv = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(run([x], g, xv), 6 * xv)


def test_wrt_structure_is_kept():
    x, y = T.dvectors("x", "y")
    c = sum_all(mul2(x, y))
    g_list = seeded(c, [x, y])
    g_tuple = seeded(c, (x, y))
    g_one = seeded(c, x)
    assert isinstance(g_list, list) and len(g_list) == 2
    assert isinstance(g_tuple, tuple) and len(g_tuple) == 2
    assert isinstance(g_one, Variable)
    xv, yv = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    gx, gy = run([x, y], g_list, xv, yv)
    np.testing.assert_allclose(gx, yv)
    np.testing.assert_allclose(gy, xv)


def test_connection_pattern_is_honoured():
    x, y = T.dvectors("x", "y")
    a, b = TwoOut()(x, y)
    c = sum_all(a)
    # y reaches only b, which does not reach the cost.
    with pytest.raises(DisconnectedInputError):
        seeded(c, y)
    gx = seeded(c, x)
    np.testing.assert_allclose(run([x, y], gx, np.ones(3), np.ones(3)), 2 * np.ones(3))
    # Both outputs used: each input gets its own path.
    gx, gy = seeded(sum_all(add2(a, b)), [x, y])
    np.testing.assert_allclose(run([x, y], [gx, gy], np.ones(2), np.ones(2))[1], 3 * np.ones(2))


def test_fill_like_disconnected_first_input():
    x = T.dvector("x")
    s = T.dscalar("s")
    c = sum_all(fill_like(x, s))
    gs = seeded(c, s)
    assert run([x, s], gs, np.ones(4), 2.0) == 4.0
    with pytest.raises(DisconnectedInputError):
        seeded(c, x)


def test_disconnected_inputs_modes():
    x, y = T.dvectors("x", "y")
    c = sum_all(x)
    with pytest.raises(DisconnectedInputError) as info:
        seeded(c, y)
    msg = str(info.value)
    assert "not part of the computational graph of the cost" in msg
    assert ": y" in msg and "test_gradient.py" in msg  # names the variable and its line
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        seeded(c, y, disconnected_inputs="warn")
    assert any("not part of the computational graph" in str(m.message) for m in w)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = seeded(c, y, disconnected_inputs="ignore", return_disconnected="None")
    assert g is None
    g = seeded(c, y, disconnected_inputs="ignore", return_disconnected="Disconnected")
    assert isinstance(g.type, DisconnectedType)
    with pytest.raises(ValueError, match="disconnected_inputs"):
        seeded(c, y, disconnected_inputs="maybe")
    with pytest.raises(ValueError, match="return_disconnected"):
        seeded(c, x, return_disconnected="nothing")


def test_disconnected_through_consider_constant():
    x = T.dvector("x")
    h = Scale(2)(x)
    c = sum_all(mul2(h, x))
    g = seeded(c, x, consider_constant=[h])   # only the direct path: d/dx = h = 2x
    np.testing.assert_allclose(run([x], g, np.array([1.0, 3.0])), [2.0, 6.0])
    with pytest.raises(DisconnectedInputError):
        seeded(sum_all(h), x, consider_constant=[h])
    with pytest.raises(TypeError, match="iterable"):
        seeded(c, x, consider_constant=h.owner)
    with pytest.raises(TypeError, match="must be variables"):
        seeded(c, x, consider_constant=[1.0])


def test_bad_arguments():
    x = T.dvector("x")
    c = sum_all(x)
    with pytest.raises(TypeError, match="cost must be a scalar"):
        grad(x, x)
    with pytest.raises(TypeError, match="Expected Variable, got 3"):
        seeded(c, 3)
    with pytest.raises(TypeError, match="must not be a set"):
        seeded(c, {x})
    with pytest.raises(AssertionError, match="can't both be None"):
        grad(None, x)
    with pytest.raises(TypeError, match="continuous"):
        grad(None, x, known_grads={c: T.constant(np.asarray(1, dtype="int64"))})
    with pytest.raises(TypeError, match="must be theano variables"):
        grad(None, x, known_grads={c: 1.0})
    with pytest.raises(ValueError, match="NaN cost"):
        grad(NullType("because")(), x)


def test_known_grads_seed_intermediate_variables():
    x = T.dvector("x")
    h = Scale(3)(x)
    gh = T.dvector("gh")
    g = grad(None, x, known_grads={h: gh})
    np.testing.assert_allclose(run([gh], g, np.array([1.0, 2.0])), [3.0, 6.0])
    # A known gradient overrides what the cost would send through that variable.
    c = sum_all(mul2(h, h))
    g = grad(None, x, known_grads=OrderedDict([(c, one()), (h, gh)]))
    np.testing.assert_allclose(run([gh], g, np.array([1.0, 2.0])), [3.0, 6.0])


def test_float32_gradients_stay_float32():
    x = T.fvector("x")
    c = sum_all(Scale(2)(x))
    # A float64 seed is cast to the cost's dtype, and each op gets float32 output grads.
    g = grad(None, x, known_grads={c: one("float64")})
    assert g.dtype == "float32"
    c64 = sum_all(Cast("float64")(x))
    g = seeded(c64, x)
    assert g.dtype == "float32"
    np.testing.assert_allclose(run([x], g, np.ones(3, "float32")), np.ones(3))


def test_integer_inputs():
    i = T.lvector("i")
    c = sum_all(Cast("float64")(i))
    g = seeded(c, i)
    assert g.dtype in ("float32", "float64")
    np.testing.assert_array_equal(run([i], g, np.arange(3)), np.zeros(3))
    # Connected only through an integer output: the op must give zeros (it does).
    x = T.dvector("x")
    c = sum_all(Cast("float64")(Argmax()(x)))
    g = seeded(c, x)
    np.testing.assert_array_equal(run([x], g, np.array([1.0, 5.0])), np.zeros(2))


def test_null_gradients():
    x = T.dvector("x")
    c = sum_all(NoGrad()(x))
    with pytest.raises(NullTypeGradError, match="grad method for input 0 .* is not implemented"
                       ". it is a toy"):
        seeded(c, x)
    g = seeded(c, x, null_gradients="return")
    assert isinstance(g.type, NullType)
    c = sum_all(NoGrad(undefined=True)(x))
    with pytest.raises(NullTypeGradError, match="mathematically undefined"):
        seeded(c, x)
    with pytest.raises(ValueError, match="null_gradients"):
        seeded(c, x, null_gradients="ignore")


@pytest.mark.parametrize("kind, exc, msg", [
    ("none", TypeError, "returned None for a gradient term"),
    ("count", ValueError, "wrong number of gradient terms"),
    ("int", TypeError, "illegally  returned an integer-valued variable"),
    ("ndim", ValueError, "returned a term with 0 dimensions, but 1 are required"),
    ("pattern", DisconnectedInputError, "not part of the computational graph"),
    ("bad_pattern", TypeError, "list of lists"),
])
def test_op_contract_violations(kind, exc, msg):
    x = T.dvector("x")
    c = sum_all(BadGrad(kind)(x))
    with pytest.raises(exc, match=msg):
        seeded(c, x)


class DisconnectedIdentity(Op):
    """Identity whose grad says 'disconnected' though it has no connection_pattern."""

    __props__ = ()

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out):
        out[0][0] = inputs[0]

    def grad(self, inputs, gouts):
        return [disconnected_type()]


def test_grad_disconnected_against_connection_pattern():
    x = T.dvector("x")
    with pytest.raises(TypeError, match="Its connection_pattern method does not allow this"):
        seeded(sum_all(BadGrad("disconnected")(x)), x)
    c = sum_all(DisconnectedIdentity()(x))
    # The op has no connection_pattern of its own: a warning, then the input counts as
    # disconnected.
    with pytest.warns(UserWarning, match="returned DisconnectedType for input 0"):
        g = seeded(c, x, disconnected_inputs="ignore")
    np.testing.assert_array_equal(run([x], g, np.ones(2)), np.zeros(2))


def test_add_names():
    x = T.dvector("x")
    h = Scale(2)(x)
    h.name = "h"
    c = sum_all(h)
    c.name = "c"
    gx = seeded(c, x)
    # known_grads seeding has no cost name; with a cost, names are (dc/dx).
    assert gx.name is None
    gx = grad(c, x, known_grads={c: one()})
    assert gx.name == "(dc/dx)"
    assert grad(c, x, known_grads={c: one()}, add_names=False).name is None


def test_grad_of_cost_wrt_itself():
    x = T.dvector("x")
    c = sum_all(x)
    assert grad(c, c, known_grads={c: one()}).owner is None


def test_deep_graph_does_not_recurse():
    x = T.dvector("x")
    y = x
    depth = 3000
    for _ in range(depth):
        y = Scale(1.0)(y)
    c = sum_all(y)
    g = seeded(c, x)
    # The gradient graph is as deep as the forward one (a chain of Scale ops).
    n, v = 0, g
    while v.owner is not None:
        n += 1
        v = v.owner.inputs[-1] if isinstance(v.owner.op, FillLike) else v.owner.inputs[0]
    assert n > depth


def test_destroyed_inputs_are_copied():
    seen = []

    class Destroyer(Scale):
        destroy_map = {0: [0]}

        def grad(self, inputs, gouts):
            seen.append(inputs[0])
            return [Scale(self.k)(gouts[0])]

    x = T.dvector("x")
    g = seeded(sum_all(Destroyer(2)(x)), x)
    # The op's grad saw a copy of the input it destroys, not the input itself.
    assert seen and seen[0] is not x and seen[0].owner.inputs[0] is x
    # A graph built with an in-place op compiles only with accept_inplace=True (Theano).
    with pytest.raises(TypeError, match="Graph must not contain inplace operations"):
        run([x], g, np.ones(2))
    # ... and then, as in Theano, may destroy the input its own in-place op names.
    f = pytheano.function([x], g, accept_inplace=True)
    np.testing.assert_array_equal(f(np.ones(2)), [2.0, 2.0])


# =========================================================================== Rop / Lop on toy ops

def test_rop_toy():
    x, v = T.dvectors("x", "v")
    y = mul2(Scale(3)(x), x)   # 3 x^2; J v = 6 x v
    r = gradient.Rop(y, x, v)
    xv, vv = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    np.testing.assert_allclose(run([x, v], r, xv, vv), 6 * xv * vv)
    r_list = gradient.Rop([y], [x], [v])
    assert isinstance(r_list, list) and len(r_list) == 1


def test_rop_errors():
    x, v = T.dvectors("x", "v")
    m = T.dmatrix("m")
    with pytest.raises(ValueError, match="mismatched dimensionality: 1 versus 2"):
        gradient.Rop(Scale(2)(x), x, m)
    with pytest.raises(NotImplementedError, match="does not implement R_op"):
        gradient.Rop(NoROp()(x), x, v)
    y = T.dvector("y")
    with pytest.raises(DisconnectedInputError, match="not part of the computational graph"):
        gradient.Rop(y, x, v)
    assert gradient.Rop(y, x, v, disconnected_outputs="ignore",
                        return_disconnected="None") is None
    r = gradient.Rop(y, x, v, disconnected_outputs="ignore", return_disconnected="Disconnected")
    assert isinstance(r.type, DisconnectedType)
    with pytest.raises(DisconnectedInputError):
        gradient.Rop(gradient.disconnected_grad(x), x, v)   # its R_op gives None
    # Computed from other inputs only: Theano 1.0 gives zeros, not an error.
    r = gradient.Rop(Scale(2)(y), x, v)
    np.testing.assert_array_equal(run([y], r, np.ones(2)), np.zeros(2))
    with pytest.raises(AssertionError, match="one eval point per wrt"):
        gradient.Rop(Scale(2)(x), [x, y], [v])


def test_rop_skips_nodes_not_depending_on_wrt():
    x, v, y = T.dvectors("x", "v", "y")
    # NoROp acts on y only, which does not vary with x: its R_op is not needed.
    out = mul2(x, NoROp()(y))
    r = gradient.Rop(out, x, v)
    np.testing.assert_allclose(run([x, v, y], r, np.ones(2), np.array([1.0, 2.0]),
                                   np.array([3.0, 4.0])), [3.0, 8.0])


def test_rop_of_a_non_differentiable_result_raises():
    """Theano's test_rop check_nondiff_rop: an output computed by a non-differentiable op
    (a shape, argmax, an op whose R_op is None) raises, whether or not it depends on wrt;
    a differentiable one that does not depend on wrt varies by zero."""
    x, v = T.dvector("x"), T.dvector("v")
    m = T.dmatrix("m")
    for y in (x.shape[0], T.argmax(m, axis=1), T.argmax(x)):  # as Theano 1.0.5 does
        with pytest.raises(ValueError):  # DisconnectedInputError is one
            gradient.Rop(y, x, v)
    r = gradient.Rop(m.sum(axis=1), x, v)
    np.testing.assert_array_equal(pytheano.function([m], r)(np.ones((3, 2))), np.zeros(3))


def test_rop_through_scalar_conversions_and_random_draws():
    # Theano's scan R_op tests go through ScalarFromTensor/TensorFromScalar (a scan's
    # n_steps) and random draws that do not depend on wrt.
    from pytheano.tensor.basic import scalar_from_tensor, tensor_from_scalar
    from pytheano.tensor.shared_randomstreams import RandomStreams

    x, v = T.dscalar("x"), T.dscalar("v")
    y = tensor_from_scalar(scalar_from_tensor(x * 3))
    f = pytheano.function([x, v], gradient.Rop(y, x, v))
    assert f(2.0, 0.5) == 1.5
    noise = RandomStreams(0).uniform(())
    r = gradient.Rop(x * 2 + noise, x, v)
    assert pytheano.function([x, v], r)(2.0, 0.5) == 1.0


def test_lop_toy():
    x, u = T.dvectors("x", "u")
    y = Scale(3)(x)
    lx = gradient.Lop(y, x, u)
    np.testing.assert_allclose(run([u], lx, np.array([1.0, 2.0])), [3.0, 6.0])
    assert isinstance(gradient.Lop(y, [x], [u]), list)


# =========================================================================== verify_grad on toy ops

def test_verify_grad_accepts_correct_and_rejects_wrong_gradients():
    pt = [np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])]
    verify_grad(Double(True), pt, rng=np.random.default_rng(0))
    verify_grad(Double(True), pt, rng=np.random.RandomState(0))
    with pytest.raises(GradientError) as info:
        verify_grad(Double(False), pt, rng=np.random.default_rng(0))
    err = info.value
    assert verify_grad.E_grad is GradientError
    assert err.arg == 0 and err.shape == (2, 3)
    assert abs(err.val1 - 1.5 * err.val2) < 1e-6 * abs(err.val1) + 1e-6
    msg = str(err)
    assert "argument 0 with shape (2, 3)" in msg
    assert "(index (%d, %d))" % np.unravel_index(err.err_pos, (2, 3)) in msg
    assert "val1 (analytic)" in msg and "abs. error" in msg and "rel. error" in msg


def test_verify_grad_bad_arguments():
    with pytest.raises(TypeError, match="only with floating point inputs"):
        verify_grad(Double(True), [np.arange(3)], rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng should be"):
        verify_grad(Double(True), [np.ones(3)])
    with pytest.raises(TypeError, match="pt must be a list"):
        verify_grad(Double(True), np.ones(3), rng=np.random.default_rng(0))


def test_numeric_grad_central_differences():
    def f(a, b):
        return np.asarray((a ** 3).sum() + (a * b).sum())

    a = np.array([1.0, 2.0])
    b = np.array([[0.5, -1.0]])
    ng = gradient.numeric_grad(f, [a, b])
    np.testing.assert_allclose(ng.gf[0], 3 * a ** 2 + b[0], rtol=1e-6)
    np.testing.assert_allclose(ng.gf[1], a[None, :], rtol=1e-6)
    arg, pos, abs_err, rel_err = ng.max_err([ng.gf[0] + [0, 1.0], ng.gf[1]], 1e-4, 1e-4)
    assert (arg, pos) == (0, 1) and abs(abs_err - 1.0) < 1e-9
    single = gradient.numeric_grad(lambda a: np.asarray((a ** 2).sum()), a)
    np.testing.assert_allclose(single.gf, 2 * a, rtol=1e-6)


def test_numeric_grad_of_a_function_that_overwrites_its_inputs():
    """An in-place op on a function's input changes the caller's array; every evaluation of
    the finite differences starts again from the point (Theano's T_exp.test_grad_1)."""
    pt = np.array([[1.5, 1.48, -4.78], [2.05, 0.51, -1.59]])

    def f(a):
        np.exp(a, out=a)  # what a compiled exp_inplace does to its argument
        return np.asarray(a.sum())

    np.testing.assert_allclose(gradient.numeric_grad(f, [pt]).gf[0], np.exp(pt), rtol=1e-6)
    verify_grad(T.inplace.exp_inplace, [pt], rng=np.random.default_rng(0))


# =========================================================================== gradient-shaping ops

def test_gradient_ops_are_identity_forward_with_theano_names():
    x = T.dvector("x")
    for fn, name in [(gradient.zero_grad, "ZeroGrad"),
                     (gradient.disconnected_grad, "DisconnectedGrad"),
                     (gradient.undefined_grad, "UndefinedGrad"),
                     (lambda v: gradient.grad_clip(v, -1, 1), "GradClip"),
                     (lambda v: gradient.grad_scale(v, 2.0), "GradScale")]:
        y = fn(x)
        assert str(y.owner.op) == name
        assert str(y) == name + ".0"
        np.testing.assert_array_equal(run([x], y, np.array([1.0, 2.0])), [1.0, 2.0])
    with pytest.warns(Warning, match="consider_constant\\(\\) is deprecated"):
        y = gradient.consider_constant(x)
    assert str(y.owner.op) == "ConsiderConstant"
    assert gradient.GradClip(-1, 1) != gradient.GradClip(-2, 2)
    assert gradient.GradScale(2.0) == gradient.GradScale(2.0)
    with pytest.raises(ValueError, match="upper bound"):
        gradient.grad_clip(x, 1, -1)


def test_disconnected_grad_and_undefined_grad():
    x = T.dvector("x")
    c = sum_all(mul2(gradient.disconnected_grad(Scale(2)(x)), x))
    g = seeded(c, x)     # only the direct path
    np.testing.assert_allclose(run([x], g, np.array([1.0, 2.0])), [2.0, 4.0])
    with pytest.raises(DisconnectedInputError):
        seeded(sum_all(gradient.disconnected_grad(x)), x)
    with pytest.raises(NullTypeGradError, match="UndefinedGrad op is mathematically undefined"):
        seeded(sum_all(gradient.undefined_grad(x)), x)


def test_zero_grad_rop():
    x, v = T.dvectors("x", "v")
    r = gradient.Rop(gradient.zero_grad(Scale(2)(x)), x, v)
    np.testing.assert_array_equal(run([x, v], r, np.ones(2), np.ones(2)), np.zeros(2))


# ================================================================ jacobian / hessian (static)

def test_jacobian_argument_checks():
    x = T.dvector("x")
    with pytest.raises(AssertionError, match="1 dimensional"):
        gradient.jacobian(T.dmatrix("m"), x)
    with pytest.raises(AssertionError, match="0 dimensional"):
        gradient.hessian(x, x)


def test_static_length():
    assert matrices._static_length(T.constant(np.arange(4.0))) == 4
    assert matrices._static_length(Scale(2)(T.constant(np.arange(5.0)))) == 5
    assert matrices._static_length(TensorType("float64", (True,))("b")) == 1
    assert matrices._static_length(T.dvector("x")) is None
    assert matrices._static_length(Scale(2)(T.dvector("x"))) is None


def test_static_length_through_infer_shape():
    a = T.constant(np.ones((3, 4)))
    x = T.dvector("x")
    assert matrices._static_length(T.tanh(T.dot(a, x))) == 3
    assert matrices._static_length(T.stack([T.dscalar(), T.dscalar()])) == 2


# =========================================================================== the tensor ops

def test_seed_003_logistic_regression():
    from pytheano.tensor.nnet import sigmoid

    X = T.matrix(name="X")
    y = T.vector(name="y")
    w = T.vector(name="w")
    mu = sigmoid(X.dot(w))
    E = -(y * T.log(mu) + (1 - y) * T.log(1 - mu)).sum()
    g1 = (y - mu).dot(X)
    g2 = T.grad(E, w)
    assert str(g2) == "dot.0" and g2.type == w.type
    gfun = pytheano.function([X, w, y], [g1, g2], allow_input_downcast=True)
    rng = np.random.default_rng(3)
    X_ = rng.standard_normal((200, 10))
    w_ = rng.standard_normal(10)
    y_ = rng.random(200) > 0.5
    g1_, g2_ = gfun(X_, w_, y_)
    # The blog's "Same thing!" holds up to the sign: dE/dw = (mu - y).X (Theano agrees).
    np.testing.assert_allclose(g2_, -g1_, rtol=1e-10, atol=1e-10)
    mu_ = 1 / (1 + np.exp(-X_.dot(w_)))
    np.testing.assert_allclose(g2_, (mu_ - y_).dot(X_), rtol=1e-10, atol=1e-10)


def test_seed_004_grad_of_square():
    import pytheano.printing

    a = T.scalar()
    g = pytheano.grad(a ** 2, a)
    assert pytheano.function([a], g)(3.0) == 6.0
    a = T.scalar("a")
    # Theano 1.0.5 prints exactly this graph.
    assert pytheano.printing.pp(pytheano.grad(a ** 2, a)) == (
        "((fill((a ** TensorConstant{2}), TensorConstant{1.0}) * TensorConstant{2}) * "
        "(a ** (TensorConstant{2} - TensorConstant{1})))")
    assert pytheano.grad is gradient.grad and T.grad is gradient.grad


def test_names_and_types_like_theano():
    x = T.vector("x")
    c = (x ** 2).sum()
    c.name = "c"
    g = T.grad(c, x)
    assert g.name == "(dc/dx)" and g.type == x.type
    assert [v.name for v in T.grad(c, [x])] == ["(dc/dx)"]
    f = T.fmatrix("f")
    gf = T.grad((f * np.float64(0.5)).sum(), f)
    assert gf.dtype == "float64"  # Theano 1.0.5: the product is float64, so is its gradient
    np.testing.assert_allclose(run([f], gf, np.ones((2, 2), "float32")), np.full((2, 2), 0.5))


def test_integer_wrt_like_theano():
    x = T.dvector("x")
    i = T.ivector("i")
    g = T.grad((x * i).sum(), i)      # the op's real gradient, as a float
    assert g.dtype == "float64"
    np.testing.assert_allclose(run([x, i], g, np.array([1.0, 2.0, 3.0]),
                                   np.arange(3, dtype="int32")), [1.0, 2.0, 3.0])
    g = T.grad(T.sum(i), i)
    assert g.type == T.dvector().type
    g = T.grad(x.sum(), i, disconnected_inputs="ignore")
    assert g.dtype == pytheano.config.floatX
    np.testing.assert_array_equal(run([i], g, np.arange(3, dtype="int32")), np.zeros(3))


def test_disconnected_real_ops():
    x, y = T.vectors("x", "y")
    c = (x ** 2).sum()
    with pytest.raises(DisconnectedInputError):
        T.grad(c, y)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        g = T.grad(c, [x, y], disconnected_inputs="warn")
    assert len([m for m in w if "not part of the computational graph" in str(m.message)]) == 1
    np.testing.assert_array_equal(run([x, y], g[1], np.ones(2), np.ones(3)), np.zeros(3))
    # Only through an integer output: zeros, as Theano's argmax grad gives.
    c2 = T.cast(T.argmax(y), "float64") + c
    np.testing.assert_array_equal(run([x, y], T.grad(c2, y), np.ones(2), np.ones(3)),
                                  np.zeros(3))


def test_shared_variables_and_updates():
    rng = np.random.default_rng(0)
    X_ = rng.standard_normal((20, 3))
    y_ = rng.standard_normal(20)
    w = pytheano.shared(np.zeros(3), name="w")
    b = pytheano.shared(0.0, name="b")
    X, y = T.dmatrix("X"), T.dvector("y")
    cost = T.mean((T.dot(X, w) + b - y) ** 2)
    gw, gb = T.grad(cost, [w, b])
    assert gw.type == w.type and gb.type == b.type
    train = pytheano.function([X, y], cost, updates=[(w, w - 0.1 * gw), (b, b - 0.1 * gb)])
    first = train(X_, y_)
    for _ in range(200):
        last = train(X_, y_)
    assert last < first
    A = np.c_[X_, np.ones(20)]
    sol = np.linalg.lstsq(A, y_, rcond=None)[0]
    np.testing.assert_allclose(np.r_[w.get_value(), b.get_value()], sol, atol=1e-3)


def test_known_grads_real_ops():
    x = T.dvector("x")
    h = T.tanh(x)
    gh = T.dvector("gh")
    g = T.grad(None, x, known_grads={h: gh})
    xv, ghv = np.array([0.1, -0.5]), np.array([1.0, 2.0])
    np.testing.assert_allclose(run([x, gh], g, xv, ghv), ghv * (1 - np.tanh(xv) ** 2))
    # Seeding the cost: known_grads[cost] replaces the 1.
    c = (x ** 2).sum()
    g = T.grad(c, x, known_grads={c: T.constant(3.0)})
    np.testing.assert_allclose(run([x], g, xv), 6 * xv)


def test_consider_constant_and_gradient_ops_real():
    x = T.dscalar("x")
    y = x ** 2
    c = y * x   # x^3
    xv = 2.0
    assert run([x], T.grad(c, x), xv) == 12.0
    assert run([x], T.grad(c, x, consider_constant=[y]), xv) == 4.0
    assert run([x], T.grad(gradient.zero_grad(y) * x, x), xv) == 4.0
    assert run([x], T.grad(gradient.disconnected_grad(y) * x, x), xv) == 4.0
    # Theano's docstring examples.
    z = T.grad(gradient.grad_clip(x, -1, 1) ** 2, x)
    z2 = T.grad(x ** 2, x)
    assert run([x], [z, z2], 2.0) == [1.0, 4.0]
    fx = T.sin(x)
    assert abs(run([x], T.grad(gradient.grad_scale(fx, -1.0), x), 2.0) - 0.416) < 1e-3
    with pytest.warns(Warning, match="deprecated"):
        cc = gradient.consider_constant(y)
    assert run([x], T.grad(cc * x, x), xv) == 4.0


def test_subgraph_grad_matches_grad():
    rng = np.random.default_rng(0)
    x = T.dvector("x")
    t = T.dvector("t")
    w1 = pytheano.shared(rng.standard_normal((3, 4)), name="w1")
    w2 = pytheano.shared(rng.standard_normal((4, 2)), name="w2")
    a1 = T.tanh(T.dot(x, w1))
    a2 = T.tanh(T.dot(a1, w2))
    cost2 = T.sqr(a2 - t).sum() + T.sqr(w2.sum())
    cost1 = T.sqr(w1.sum())
    params, costs, ends = [[w2], [w1]], [cost2, cost1], [[a1], [x]]
    next_grad, param_grads = None, []
    for i in range(2):
        pg, next_grad = gradient.subgraph_grad(wrt=params[i], end=ends[i], start=next_grad,
                                               cost=costs[i])
        next_grad = dict(zip(ends[i], next_grad))
        param_grads.extend(pg)
    full = T.grad(cost1 + cost2, [w2, w1])
    xv, tv = rng.standard_normal(3), rng.standard_normal(2)
    for got, want in zip(run([x, t], param_grads, xv, tv), run([x, t], full, xv, tv)):
        np.testing.assert_allclose(got, want, rtol=1e-10)


def _numeric_jacobian(f, x, eps=1e-6):
    cols = []
    for k in range(x.size):
        d = np.zeros_like(x)
        d.flat[k] = eps
        cols.append(((f(x + d) - f(x - d)) / (2 * eps)).ravel())
    return np.array(cols).T.reshape(np.shape(f(x)) + x.shape)


def test_rop_and_lop_are_jacobian_vector_products():
    rng = np.random.default_rng(1)
    W_ = rng.standard_normal((3, 4))
    x, v = T.dvectors("x", "v")
    u = T.dvector("u")
    W = T.dmatrix("W")
    y = T.tanh(T.dot(W, x)) * x.sum()
    xv, vv, uv = rng.standard_normal(4), rng.standard_normal(4), rng.standard_normal(3)
    J = _numeric_jacobian(lambda x_: np.tanh(W_.dot(x_)) * x_.sum(), xv)
    rop = run([W, x, v], gradient.Rop(y, x, v), W_, xv, vv)
    np.testing.assert_allclose(rop, J.dot(vv), rtol=1e-6, atol=1e-8)
    lop = run([W, x, u], gradient.Lop(y, x, u), W_, xv, uv)
    np.testing.assert_allclose(lop, uv.dot(J), rtol=1e-6, atol=1e-8)
    # Forward mode through a matrix argument.
    V = T.dmatrix("V")
    Vv = rng.standard_normal((3, 4))
    JW = _numeric_jacobian(lambda w_: np.tanh(w_.dot(xv)) * xv.sum(), W_)
    rop = run([W, x, V], gradient.Rop(y, W, V), W_, xv, Vv)
    np.testing.assert_allclose(rop, np.tensordot(JW, Vv, axes=2), rtol=1e-6, atol=1e-8)


def test_jacobian_against_finite_differences():
    rng = np.random.default_rng(2)
    A_ = rng.standard_normal((3, 4))
    x = T.dvector("x")
    y = T.tanh(T.dot(T.constant(A_), x)) * (x ** 2).sum()   # length 3, known statically
    J = gradient.jacobian(y, x)
    assert J.ndim == 2
    xv = rng.standard_normal(4)
    want = _numeric_jacobian(lambda x_: np.tanh(A_.dot(x_)) * (x_ ** 2).sum(), xv)
    np.testing.assert_allclose(run([x], J, xv), want, rtol=1e-6, atol=1e-8)
    # A list of wrt gives a list; a stack of scalars has a known length.
    a, b = T.dscalars("a", "b")
    z = T.stack([a * b, T.exp(a), b ** 3])
    Ja, Jb = gradient.jacobian(z, [a, b])
    np.testing.assert_allclose(run([a, b], [Ja, Jb], 0.5, 2.0),
                               [[2.0, np.exp(0.5), 0.0], [0.5, 0.0, 12.0]])
    assert isinstance(gradient.jacobian(z, (a,)), tuple)
    # A scalar expression is its gradient.
    g = gradient.jacobian((x ** 2).sum(), x)
    np.testing.assert_allclose(run([x], g, xv), 2 * xv)
    # An empty expression has an empty Jacobian.
    J0 = gradient.jacobian(T.constant(np.zeros(0)) * x.sum(), x)
    assert J0.ndim == 2 and run([x], J0, xv).shape == (0, 4)


def _numeric_jacobian(fn, xv, eps=1e-6):
    if xv.size == 0:
        return np.zeros(np.shape(fn(xv)) + xv.shape)
    cols = []
    for k in range(xv.size):
        d = np.zeros_like(xv)
        d.flat[k] = eps
        cols.append((fn(xv + d) - fn(xv - d)) / (2 * eps))
    return np.stack(cols, axis=-1).reshape(np.shape(fn(xv)) + xv.shape)


@pytest.mark.parametrize("n", [0, 1, 4])
def test_jacobian_and_hessian_of_run_time_length(n):
    # The common case: a plain T.vector, whose length is only known when the function runs.
    x = T.dvector("x")
    W = pytheano.shared(np.arange(16.0).reshape(4, 4)[:n, :n], name="W")
    J = gradient.jacobian(T.tanh(T.dot(W, x ** 2)), x)
    H = gradient.hessian((x ** 3).sum() + T.dot(x, T.dot(W, x)), x)
    assert J.ndim == 2 and H.ndim == 2
    f = pytheano.function([x], [J, H, J.shape])
    xv = np.linspace(0.5, 1.5, n)
    Jv, Hv, shape = f(xv)
    w = W.get_value()
    np.testing.assert_allclose(Jv, _numeric_jacobian(lambda v: np.tanh(w.dot(v ** 2)), xv),
                               rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(Hv, np.diag(6 * xv) + w + w.T, rtol=1e-6, atol=1e-8)
    assert tuple(shape) == (n, n)
    # Shared values are read at run time: a new W gives a new Jacobian.
    W.set_value(2 * w)
    np.testing.assert_allclose(f(xv)[1], np.diag(6 * xv) + 2 * (w + w.T), rtol=1e-6,
                               atol=1e-8)


def test_jacobian_rows_wrt_several_and_matrix():
    x = T.dvector("x")
    m = T.dmatrix("m")
    y = T.dot(m, x) * x.sum()
    Jx, Jm = gradient.jacobian(y, [x, m])
    mv = np.arange(6.0).reshape(2, 3)
    xv = np.array([1.0, -1.0, 2.0])
    jx, jm = pytheano.function([x, m], [Jx, Jm])(xv, mv)
    np.testing.assert_allclose(jx, _numeric_jacobian(lambda v: mv.dot(v) * v.sum(), xv),
                               rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(jm, _numeric_jacobian(lambda a: a.dot(xv) * xv.sum(), mv),
                               rtol=1e-6, atol=1e-8)
    assert jm.shape == (2, 2, 3)


def test_hessian_against_finite_differences():
    a, b, c = T.dscalars("a", "b", "c")
    v = T.stack([a, b, c])
    cost = (v ** 3).sum() + v[0] * v[1] * v[2] + T.exp(v[1] - v[2])
    H = gradient.hessian(cost, v)
    pt = np.array([0.3, -0.7, 1.1])

    def np_grad(p):
        x0, x1, x2 = p
        e = np.exp(x1 - x2)
        return np.array([3 * x0 ** 2 + x1 * x2, 3 * x1 ** 2 + x0 * x2 + e,
                         3 * x2 ** 2 + x0 * x1 - e])

    got = run([a, b, c], H, *pt)
    np.testing.assert_allclose(got, _numeric_jacobian(np_grad, pt), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(got, got.T, rtol=1e-12)
    assert isinstance(gradient.hessian(cost, [v]), list)


def test_verify_grad_on_tensor_ops():
    rng = np.random.default_rng(0)
    verify_grad(T.tanh, [np.asarray([[2.0, 3, 4], [-1, 3.3, 9.9]])], rng=rng)
    verify_grad(lambda a, b: T.dot(a, b) * T.exp(a).sum(),
                [rng.standard_normal((2, 3)), rng.standard_normal((3, 2))], rng=rng)
    verify_grad(lambda a: a ** 2, [rng.standard_normal((3,)).astype("float32")], rng=rng,
                cast_to_output_type=True)
    # A float32 point is checked with float32 tolerances.
    with pytest.raises(GradientError):
        verify_grad(lambda a: gradient.grad_scale(a ** 2, 1.5), [np.array([1.0, 2.0])],
                    rng=rng)


def test_deep_real_graph():
    x = T.dvector("x")
    y = x
    for _ in range(600):
        y = T.tanh(y) * 1.001
    g = T.grad(y.sum(), x)   # Theano 1.0 hits the recursion limit from about 200
    assert g.type == x.type


@given(st.sampled_from(["float32", "float64", "int32"]),
       st.sampled_from(["float32", "float64", "int32"]),
       st.lists(st.sampled_from([(1, True), (1, False), (3, False)]), min_size=0,
                max_size=3))
def test_gradient_dtypes_and_broadcasting(dtype_x, dtype_y, dims):
    # d sum(x * y) / dx = y, summed over the dimensions x broadcasts along; the gradient has
    # the product's dtype, or floatX for an integer product (Theano 1.0.5: float64 for
    # float32 * int32, even for the float32 input).
    x = TensorType(dtype_x, [b for _, b in dims])("x")
    y = TensorType(dtype_y, [False] * len(dims))("y")
    gx, gy = T.grad((x * y).sum(), [x, y])
    for g, v in ((gx, x), (gy, y)):
        assert g.type.broadcastable == v.type.broadcastable
        out_dtype = (x * y).dtype
        assert g.dtype == (out_dtype if out_dtype.startswith("float") else "float64")
    rng = np.random.default_rng(0)
    xv = rng.integers(-3, 4, size=[n for n, _ in dims]).astype(dtype_x)
    yv = rng.integers(-3, 4, size=[3 if n == 1 and b else n for n, b in dims]).astype(dtype_y)
    gxv, gyv = run([x, y], [gx, gy], xv, yv)
    axes = tuple(i for i, (_, b) in enumerate(dims) if b)
    # An integer product has zero gradients (Theano's rule); otherwise even an integer
    # input gets the true derivative.
    scale = 0.0 if x.dtype == y.dtype == "int32" else 1.0
    np.testing.assert_allclose(gxv, scale * yv.astype("float64").sum(axis=axes, keepdims=True))
    np.testing.assert_allclose(gyv, scale * np.broadcast_to(xv, yv.shape).astype("float64"))
