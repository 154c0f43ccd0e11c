"""Rewritten graphs from the compile cache (compile/rewrite_cache.py): a graph compiled
before, in this process or another, is loaded instead of rewritten, gives the same graph
and the same values; anything that could change the rewrites changes the key; graphs or
rewrites with code from outside pytheano are never cached."""
import os
import subprocess
import sys

import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano._core.fgraph import FunctionGraph
from pytheano.compile import rewrite_cache
from pytheano.compile.function_module import FunctionMaker
from pytheano.compile.io import In
from pytheano.graph.op import Op
from pytheano.graph.rewriting import RewritePlan
from pytheano.link.c import cache as cache_module
from pytheano.printing import debugprint
from pytheano.tensor.nnet import sigmoid, softmax

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    cache = cache_module.ModuleCache(str(tmp_path / "c"))
    monkeypatch.setattr(rewrite_cache, "get_cache", lambda: cache)
    return cache


@pytest.fixture
def rewrites_fail(monkeypatch):
    """Calls ``fn()`` with the rewriter refusing to run (a cached graph does not need it)."""
    def run(fn):
        def refuse(self, fgraph, profile=None):
            raise AssertionError("the graph was rewritten, not loaded")
        with monkeypatch.context() as m:
            m.setattr(RewritePlan, "rewrite", refuse)
            return fn()
    return run


def _graph_entries(cache):
    return [key for _, key, _, _ in cache.graph_entries()]


def _logreg():
    X, y, w = T.matrix("X"), T.vector("y"), T.vector("w")
    mu = sigmoid(X.dot(w))
    cost = -(y * T.log(mu) + (1 - y) * T.log(1 - mu)).sum()
    return [X, w, y], [cost, T.grad(cost, w)]


def _softmax_nll():
    x, t = T.matrix("x"), T.ivector("t")
    p = softmax(x)
    cost = -T.mean(T.log(p)[T.arange(t.shape[0]), t])
    return [x, t], [cost, T.grad(cost, x)]


def _rnn():
    X, h0 = T.tensor3("X"), T.matrix("h0")
    W = pytheano.shared(np.eye(3) * 0.5, name="W")
    hs, _ = pytheano.scan(lambda xt, h: T.tanh(xt + T.dot(h, W)), sequences=X,
                          outputs_info=h0)
    cost = hs[-1].sum()
    return [X, h0], [cost, T.grad(cost, W)]


# Each graph's input shapes.
SHAPES = {_logreg: [(4, 3), (3,), (4,)], _softmax_nll: [(4, 3), (4,)],
          _rnn: [(5, 4, 3), (4, 3)]}


def _values(build, inputs, rng):
    out = []
    for v, shape in zip(inputs, SHAPES[build]):
        if v.type.dtype.startswith("int"):
            out.append(rng.integers(0, 3, size=shape).astype(v.type.dtype))
        else:
            out.append(rng.standard_normal(shape).astype(v.type.dtype))
    return out


@pytest.mark.parametrize("build", [_logreg, _softmax_nll, _rnn])
def test_a_second_compile_loads_the_same_graph(fresh_cache, rewrites_fail, build):
    inputs, outputs = build()
    first = pytheano.function(inputs, outputs)
    assert len(_graph_entries(fresh_cache)) >= 1
    inputs2, outputs2 = build()  # a new graph, equal to the first
    second = rewrites_fail(lambda: pytheano.function(inputs2, outputs2))
    assert debugprint(second, file="str") == debugprint(first, file="str")
    values = _values(build, inputs, np.random.default_rng(0))
    for a, b in zip(first(*values), second(*values)):
        np.testing.assert_array_equal(a, b)


def test_another_process_loads_the_graphs_without_rewriting(tmp_path):
    # A scan and its gradient: three functions and the inner ones, some built from graphs
    # the first run had rewritten and the second loads (their pickles must not differ).
    script = (
        "import pytheano, pytheano.tensor as T\n"
        "from pytheano.graph.rewriting import RewritePlan\n"
        "runs = []\n"
        "real = RewritePlan.rewrite\n"
        "RewritePlan.rewrite = lambda self, fg, profile=None: (runs.append(1),"
        " real(self, fg, profile))\n"
        "x, W = T.dvector('x'), pytheano.shared(0.5, name='W')\n"
        "f = pytheano.function([x], T.exp(x) * 2 + x.sum())\n"
        "hs, _ = pytheano.scan(lambda h: T.tanh(h * W), outputs_info=x, n_steps=3)\n"
        "c = hs[-1].sum()\n"
        "g = pytheano.function([x], c)\n"
        "h = pytheano.function([x], [c] + T.grad(c, [x, W]))\n"
        "print(len(runs), f([0.0, 1.0]), g([0.0, 1.0]), h([0.0, 1.0]))\n")
    env = dict(os.environ, PYTHONPATH=ROOT, XDG_CACHE_HOME=str(tmp_path))
    env.pop("PYTHEANO_FLAGS", None)
    env.pop("THEANO_FLAGS", None)
    outs = [subprocess.run([sys.executable, "-c", script], env=env, cwd=str(tmp_path),
                           capture_output=True, text=True, timeout=300) for _ in range(2)]
    for proc in outs:
        assert proc.returncode == 0, proc.stderr
    first, second = (proc.stdout.split(None, 1) for proc in outs)
    assert first[0] != "0" and second[0] == "0"  # rewritten once, then loaded
    assert first[1] == second[1]


def _key(inputs, outputs, **kwargs):
    """The key ``pytheano.function(inputs, outputs, **kwargs)`` computes."""
    keys = []
    real = rewrite_cache.graph_key

    def spy(maker, fgraph, plan):
        keys.append(real(maker, fgraph, plan))
        return keys[-1]
    rewrite_cache.graph_key = spy
    try:
        pytheano.function(inputs, outputs, **kwargs)
    finally:
        rewrite_cache.graph_key = real
    return keys[0]


def test_the_key_follows_what_changes_the_rewrites(fresh_cache):
    # Creation sites are part of a graph (error messages show them), so every graph here
    # is built on one line.
    def expr(v, c=1):
        return v * 2 + c

    x = T.dvector("x")
    base = _key([x], expr(x))
    assert base is not None and base == _key([x], expr(x))
    assert _key([x], expr(x, 2)) != base                           # a constant
    assert _key([x], x * 2 + 1) != base                            # where it was built
    assert _key([In(x, mutable=True)], expr(x)) != base            # in-place allowed
    assert _key([x], pytheano.Out(expr(x), borrow=True)) != base   # output copies
    assert _key([x], expr(x), mode="FAST_COMPILE") != base         # the rewriters
    with pytheano.change_flags(optimizer_excluding="fusion"):
        assert _key([x], expr(x)) != base
    with pytheano.change_flags(**{"tensor.local_elemwise_fusion": False}):
        assert _key([x], expr(x)) != base                          # any config value
    y = T.fvector("x")
    assert _key([y], expr(y)) != base                              # input types
    # No rewrites, no profile of them to lose: nothing is cached.
    assert _key([x], expr(x), mode=pytheano.compile.Mode(optimizer=None)) is None
    with pytheano.change_flags(profile_optimizer=True):
        assert _key([x], expr(x)) is None
    with pytheano.change_flags(**{"rewriting.cache": False}):
        assert _key([x], expr(x)) is None


def test_a_graph_with_big_constants_is_not_cached(fresh_cache):
    x = T.dvector("x")
    small = np.arange(4.0)
    big = np.ones(rewrite_cache.MAX_CONSTANT_BYTES // 8 + 1)
    assert _key([x], x + T.constant(small)) is not None
    assert _key([x], x + T.constant(big)) is None
    f = pytheano.function([x], x + T.constant(big))
    np.testing.assert_array_equal(f(np.zeros(len(big))), big)


class _UserDouble(Op):
    __props__ = ()

    def make_node(self, x):
        return pytheano.graph.basic.Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outputs):
        outputs[0][0] = inputs[0] * 2


def test_graphs_with_code_from_elsewhere_are_not_cached(fresh_cache):
    x = T.dvector("x")
    assert _key([x], _UserDouble()(x) + 1) is None
    f = pytheano.function([x], _UserDouble()(x) + 1)
    np.testing.assert_array_equal(f([1.0, 2.0]), [3.0, 5.0])
    assert _graph_entries(fresh_cache) == []


def test_a_rewrite_registered_outside_pytheano_turns_the_cache_off(fresh_cache):
    from pytheano.graph.rewriting import Query, RewriteDatabase, node_rewriter

    db = RewriteDatabase()

    @node_rewriter()
    def user_rule(fgraph, node):
        return None
    db.register(user_rule, "canonicalize", "mine")
    x = T.dvector("x")
    maker = FunctionMaker.__new__(FunctionMaker)
    maker.mode, maker.profile = pytheano.compile.get_mode(None), None
    fgraph = FunctionGraph([x], [x * 2])
    assert rewrite_cache.graph_key(maker, fgraph, db.query(Query(include=["mine"]))) is None


def test_the_loaded_graph_reads_and_updates_the_live_shared_variables(fresh_cache,
                                                                      rewrites_fail):
    def build():
        s = pytheano.shared(np.zeros(3), name="s")
        x = T.dvector("x")
        return s, pytheano.function([x], s.sum(), updates=[(s, s + x)])
    s1, f1 = build()
    s2, f2 = rewrites_fail(build)
    f2(np.ones(3))
    f2(np.ones(3))
    np.testing.assert_array_equal(s2.get_value(), [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(s1.get_value(), [0.0, 0.0, 0.0])
    assert f1(np.ones(3)) == 0.0 and f2(np.ones(3)) == 6.0


def test_a_broken_entry_is_rewritten_again(fresh_cache):
    x = T.dvector("x")
    out = T.exp(x) + 3
    key = _key([x], out)
    path = fresh_cache.graph_path(rewrite_cache.version(), key)
    with open(path, "wb") as f:
        f.write(b"not a pickle")
    g = pytheano.function([x], out)
    np.testing.assert_allclose(g([0.0]), [4.0])
    with open(path, "rb") as f:
        assert f.read() != b"not a pickle"  # stored again, whole


def test_accept_inplace_is_still_refused_on_a_loaded_graph(fresh_cache):
    from pytheano.scalar import basic as S
    from pytheano.tensor.elemwise import Elemwise
    x, y = T.dvector("x"), T.dvector("y")
    out = Elemwise(S.add, {0: 0})(x, y)
    pytheano.function([In(x, mutable=True), y], out, accept_inplace=True)
    with pytest.raises(TypeError, match="Graph must not contain inplace operations"):
        pytheano.function([In(x, mutable=True), y], out)


def test_a_loaded_graph_keeps_the_user_lines_of_its_constants(fresh_cache, rewrites_fail):
    """A constant that folding made carries the user's line (errors name it); loaded from
    the cache, it still does (Constant pickled without its creation site lost it)."""
    from pytheano._core.graph import Constant
    mode = pytheano.compile.mode.get_default_mode().excluding("fusion")

    def build():
        x = T.dvector("x")
        folded = T.constant(np.full(2, 2.0)) * T.constant(np.full(2, 3.0))
        return x, T.exp(x) + folded, folded

    def sites(f):
        return [i.creation_site for n in f.maker.fgraph.apply_nodes for i in n.inputs
                if isinstance(i, Constant)]

    x, y, folded = build()
    first = pytheano.function([x], y, mode=mode)
    x2, y2, folded2 = build()
    second = rewrites_fail(lambda: pytheano.function([x2], y2, mode=mode))
    assert folded.creation_site == folded2.creation_site is not None
    assert sites(second) == sites(first) == [folded.creation_site]
