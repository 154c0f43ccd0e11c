"""Differential test of every rewrite: random graphs compiled with ``optimizer=None`` and with
FAST_RUN / FAST_COMPILE must compute the same thing.

Hypothesis draws a few inputs (bool, ints, floats; 0-d to 2-d; broadcastable dims; empty
dims; sometimes a length that does not broadcast, so that the graph raises) and a short
program over the tensor ops (elemwise math, the patterns the rewrites look for, reductions,
dot, dimshuffle, subtensor, softmax). Whatever rule is registered, by any module, meets these
graphs. The rewritten function must give the same dtype, broadcastable pattern and shape, the
same NaN and +-inf positions, values within a dtype-appropriate tolerance (relative to the
largest value the graph computes, since a rewrite may reorder a sum), and the same exception
class when the unrewritten graph raises.

CI runs a fixed set of examples; ``python tools/random_graphs.py --examples 2000`` runs fresh
draws with a bigger budget.
"""
import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from tests.helpers import random_value

DTYPES = ["bool", "int8", "uint8", "int32", "int64", "float32", "float64"]
# rtol by the least precise float the graph computes in (a float64 result may hold a float32
# part that a rewrite computed another way); ints and bools must match exactly.
RTOL = {"float32": 1e-4, "float64": 1e-9}


def _is_float(v):
    return v.dtype.startswith("float")


def _is_num(v):
    return v.dtype != "bool"


# Each op: (name, arity, builder). A builder may raise TypeError/ValueError for operands it
# does not take (the draw then picks again): that is graph construction, not what is tested.
def _unary(name, fn, need=lambda v: True):
    def build(draw, x):
        if not need(x):
            raise TypeError("not for %s" % x.dtype)
        return fn(x)
    return (name, 1, build)


def _axis(draw, x):
    return draw(st.sampled_from([None] + list(range(x.ndim))))


def _reduce(name, method):
    def build(draw, x):
        return getattr(x, method)(axis=_axis(draw, x))
    return (name, 1, build)


def _dimshuffle(draw, x):
    order = list(range(x.ndim))
    if x.ndim == 2 and draw(st.booleans()):
        order = order[::-1]
    pos = draw(st.integers(0, len(order)))
    return x.dimshuffle(order[:pos] + ["x"] + order[pos:])


def _subtensor(draw, x):
    if x.ndim == 0:
        raise TypeError("0-d")
    kind = draw(st.sampled_from(["tail", "reverse", "first", "column"]))
    if kind == "tail":
        return x[1:]
    if kind == "reverse":
        return x[::-1]
    if kind == "column" and x.ndim == 2:
        return x[:, 0]
    return x[0]


def _dot(draw, a, b):
    if not (_is_float(a) and _is_float(b)) or a.ndim not in (1, 2) or b.ndim not in (1, 2):
        raise TypeError("dot of floats, 1-d or 2-d")
    return T.dot(a, b)


def _softmax(draw, x):
    if not _is_float(x) or x.ndim != 2:
        raise TypeError("softmax of a float matrix")
    out = T.nnet.softmax(x)
    return T.log(out) if draw(st.booleans()) else out


OPS = [
    ("add", 2, lambda draw, a, b: a + b),
    ("sub", 2, lambda draw, a, b: a - b),
    ("mul", 2, lambda draw, a, b: a * b),
    ("true_div", 2, lambda draw, a, b: a / b),
    ("maximum", 2, lambda draw, a, b: T.maximum(a, b)),
    ("minimum", 2, lambda draw, a, b: T.minimum(a, b)),
    ("lt", 2, lambda draw, a, b: T.lt(a, b)),
    ("dot", 2, _dot),
    _unary("neg", lambda x: -x, _is_num),
    _unary("abs", abs, _is_num),
    _unary("exp", T.exp),
    _unary("log", T.log),
    _unary("sqrt", T.sqrt),
    _unary("tanh", T.tanh),
    _unary("sigmoid", T.nnet.sigmoid, _is_float),
    _unary("sqr", T.sqr),
    _unary("cast", lambda x: T.cast(x, "float32" if x.dtype == "float64" else "float64")),
    # the shapes the canonicalize/stabilize/specialize rules look for
    _unary("x*1", lambda x: x * 1),
    _unary("x+0", lambda x: x + 0),
    _unary("x-x", lambda x: x - x, _is_num),
    _unary("x/x", lambda x: x / x),
    _unary("neg_neg", lambda x: T.neg(T.neg(x)), _is_num),
    _unary("pow2", lambda x: x ** 2, _is_num),
    _unary("pow_half", lambda x: x ** 0.5, _is_float),
    _unary("pow_m1", lambda x: x ** -1, _is_float),
    _unary("div_by_2", lambda x: x / 2),
    _unary("log1p_form", lambda x: T.log(1 + x)),
    _unary("expm1_form", lambda x: T.exp(x) - 1),
    _unary("log_sigmoid", lambda x: T.log(T.nnet.sigmoid(x)), _is_float),
    _unary("log_1m_sigmoid", lambda x: T.log(1 - T.nnet.sigmoid(x)), _is_float),
    _unary("logsumexp", lambda x: T.log(T.sum(T.exp(x))), _is_float),
    _reduce("sum", "sum"),
    _reduce("mean", "mean"),
    _reduce("max", "max"),
    _reduce("prod", "prod"),
    ("dimshuffle", 1, _dimshuffle),
    ("subtensor", 1, _subtensor),
    ("softmax", 1, _softmax),
]


@st.composite
def programs(draw):
    """(inputs, outputs, pool, values): a random graph and values for its inputs."""
    n = draw(st.sampled_from([0, 1, 2, 3]))
    inputs, values = [], []
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 16)))
    for k in range(draw(st.integers(1, 3))):
        ndim = draw(st.integers(0, 2))
        broadcastable = tuple(draw(st.booleans()) if ndim else False for _ in range(ndim))
        dtype = draw(st.sampled_from(DTYPES))
        var = T.TensorType(dtype, broadcastable)("in%d" % k)
        # Now and then a length that does not broadcast with the others: the graph raises.
        shape = tuple(1 if b else (n + 1 if draw(st.integers(0, 9)) == 0 else n)
                      for b in broadcastable)
        value = np.asarray(random_value(shape, dtype, rng))
        if dtype.startswith("float") and value.size and draw(st.booleans()):
            flat = value.reshape(-1)
            flat[draw(st.integers(0, flat.size - 1))] = draw(
                st.sampled_from([np.nan, np.inf, -np.inf, 0.0, -0.0]))
        inputs.append(var)
        values.append(value)
    pool = list(inputs)
    for _ in range(draw(st.integers(1, 6))):
        for _attempt in range(10):
            name, arity, build = draw(st.sampled_from(OPS))
            operands = [draw(st.sampled_from(pool)) for _ in range(arity)]
            try:
                out = build(draw, *operands)
            except (TypeError, ValueError, NotImplementedError):
                continue
            pool.append(out)
            break
    outputs = [pool[-1]]
    if len(pool) > len(inputs) + 1 and draw(st.booleans()):
        outputs.append(draw(st.sampled_from(pool[len(inputs):-1])))
    return inputs, outputs, pool, values


def _run(f, values):
    """The outputs of ``f`` on ``values``, or the exception it raised."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return [np.asarray(v) for v in f(*values)]
        except Exception as exc:  # the class is what is compared
            return exc


def _scale(values):
    """The largest finite magnitude among ``values``: the tolerance is relative to it."""
    big = 1.0
    for v in values:
        v = np.asarray(v)
        if v.dtype.kind in "fc" and v.size:
            finite = np.abs(v[np.isfinite(v)])
            if finite.size:
                big = max(big, float(finite.max()))
    return big


def _rtol(pool):
    return max([RTOL[v.dtype] for v in pool if v.dtype in RTOL] or [0.0])


def _check_same(want, got, scale, rtol, fgraph_out_ref, fgraph_out_got, mode, shown):
    if isinstance(want, Exception):
        assert isinstance(got, Exception), "%s did not raise %r%s" % (mode, want, shown)
        assert type(got) is type(want), "%s raised %r, not %r%s" % (mode, got, want, shown)
        return
    assert not isinstance(got, Exception), "%s raised %r%s" % (mode, got, shown)
    for k, (w, g, tw, tg) in enumerate(zip(want, got, fgraph_out_ref, fgraph_out_got)):
        where = " (output %d, %s)%s" % (k, mode, shown)
        assert tg.type.dtype == tw.type.dtype, "type %s != %s%s" % (tg.type, tw.type, where)
        assert tg.type.broadcastable == tw.type.broadcastable, (
            "type %s != %s%s" % (tg.type, tw.type, where))
        assert g.dtype == w.dtype and g.shape == w.shape, (
            "%s%s != %s%s%s" % (g.dtype, g.shape, w.dtype, w.shape, where))
        if w.dtype.kind not in "fc":
            np.testing.assert_array_equal(g, w, err_msg=where)
            continue
        np.testing.assert_array_equal(np.isnan(g), np.isnan(w), err_msg="NaNs" + where)
        np.testing.assert_array_equal(np.isposinf(g), np.isposinf(w), err_msg="+inf" + where)
        np.testing.assert_array_equal(np.isneginf(g), np.isneginf(w), err_msg="-inf" + where)
        finite = np.isfinite(w)
        np.testing.assert_allclose(g[finite], w[finite], rtol=rtol, atol=rtol * scale,
                                   err_msg="values" + where)


def _show(outputs):
    return "\ngraph:\n" + pytheano.printing.debugprint(outputs, file="str")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_rewrites_do_not_change_what_a_random_graph_computes(program):
    inputs, outputs, pool, values = program
    plain = pytheano.Mode(optimizer=None)
    reference = pytheano.function(inputs, outputs, mode=plain, on_unused_input="ignore")
    want = _run(reference, values)
    everything = _run(pytheano.function(inputs, pool, mode=plain, on_unused_input="ignore"),
                      values)
    scale = _scale(everything) if not isinstance(everything, Exception) else 1.0
    shown = _show(outputs)
    for mode in ("FAST_RUN", "FAST_COMPILE"):
        f = pytheano.function(inputs, outputs, mode=mode, on_unused_input="ignore")
        _check_same(want, _run(f, values), scale, _rtol(pool), reference.maker.fgraph.outputs,
                    f.maker.fgraph.outputs, mode, shown)
