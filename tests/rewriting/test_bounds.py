"""Bounded rewriting: no rule can blow a graph up, and deep graphs compile with bounded work.

Theano #4797: a distributive rule (local_greedy_distributor) applied to its own output made
7 million nodes during canonicalize. The toy rule here distributes every mul over an add; on
a product of sums it would expand the graph exponentially. It sits in a private database, so
no other test meets it. Times are measured in benchmarks/bench_rewrite.py, not asserted.
"""
import warnings

import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano._core.fgraph import FunctionGraph
from pytheano.configparser import change_flags
from pytheano.graph.features import ReplaceValidate
from pytheano.graph.rewriting import CANONICALIZE, Query, RewriteDatabase, node_rewriter
from pytheano.rewriting.math import is_node_of
from pytheano.scalar.basic import Add, Mul
from pytheano.tensor.elemwise import Elemwise


@node_rewriter([Elemwise])
def local_toy_distribute(fgraph, node):
    "a * (b + c) -> a * b + a * c"
    if not is_node_of(node, Mul) or len(node.inputs) != 2:
        return None
    a, s = node.inputs
    if s.owner is None or not is_node_of(s.owner, Add):
        a, s = s, a
    if s.owner is None or not is_node_of(s.owner, Add) or len(s.owner.inputs) != 2:
        return None
    b, c = s.owner.inputs
    return [a * b + a * c]


def _plan():
    db = RewriteDatabase()
    db.register(local_toy_distribute, CANONICALIZE, "toy_distribute")
    return db.query(Query(include=("toy_distribute",)))


def _product_of_sums(d):
    xs = [T.dscalar("a%d" % i) for i in range(d)]
    ys = [T.dscalar("b%d" % i) for i in range(d)]
    out = xs[0] + ys[0]
    for a, b in zip(xs[1:], ys[1:]):
        out = out * (a + b)
    return xs + ys, out


def _rewritten(inputs, out):
    fg = FunctionGraph(inputs, [out], clone=True)
    fg.attach_feature(ReplaceValidate())
    _plan().rewrite(fg)
    fg.check_integrity()
    return fg


def _value(inputs, outputs, values):
    f = pytheano.function(inputs, outputs, mode=pytheano.Mode(optimizer=None))
    return f(*values)


def _count(fg, scalar_op_class):
    return sum(is_node_of(n, scalar_op_class) for n in fg.apply_nodes)


def test_the_toy_rule_expands_a_small_product_fully():
    inputs, out = _product_of_sums(5)
    fg = _rewritten(inputs, out)
    assert _count(fg, Add) == 2 ** 5 - 1  # a sum of 32 products, written with binary adds
    values = list(np.random.default_rng(0).uniform(-1, 1, len(inputs)))
    np.testing.assert_allclose(_value(fg.inputs, fg.outputs, values),
                               _value(inputs, [out], values))


def test_a_distributive_blow_up_is_capped_and_names_the_rule():
    # 16 sums: fully expanded, 65536 products. The cap stops the phase at a few thousand
    # nodes; the graph is valid and computes the same value.
    inputs, out = _product_of_sums(16)
    n_before = len(FunctionGraph(inputs, [out], clone=True).apply_nodes)
    with change_flags(**{"rewriting.max_new_nodes_ratio": 4.0}):
        with pytest.warns(UserWarning, match="canonicalize.*cap of 512.*local_toy_distribute"):
            fg = _rewritten(inputs, out)
    assert len(fg.apply_nodes) <= n_before + 512 + 64  # the cap, plus one rule's last step
    values = list(np.random.default_rng(1).uniform(-1, 1, len(inputs)))
    np.testing.assert_allclose(_value(fg.inputs, fg.outputs, values),
                               _value(inputs, [out], values))


def test_the_cap_follows_the_config_option():
    inputs, out = _product_of_sums(9)  # 512 products: about 1500 nodes when expanded
    with change_flags(**{"rewriting.max_new_nodes_ratio": 0.0}):  # no cap
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fg = _rewritten(inputs, out)
    assert _count(fg, Add) == 2 ** 9 - 1
    with change_flags(**{"rewriting.max_new_nodes_ratio": 2.0}):
        with pytest.warns(UserWarning, match="cap of 256"):
            fg = _rewritten(inputs, out)
    assert _count(fg, Add) < 2 ** 9 - 1


def _residual_net(blocks, width=6):
    rng = np.random.default_rng(0)
    x = T.dmatrix("x")
    h, params = x, []
    for i in range(blocks):
        W = pytheano.shared(rng.normal(0, 0.1, (width, width)), name="W%d" % i)
        b = pytheano.shared(np.zeros(width), name="b%d" % i)
        params += [W, b]
        h = h + T.maximum(T.dot(h, W) + b, 0)
    cost = T.mean(h ** 2)
    return x, cost, params, T.grad(cost, params)


def test_a_deep_residual_network_compiles_without_hitting_a_bound():
    # Theano #4494: a 38-layer residual network took 40 minutes to compile. Here the whole
    # FAST_RUN pipeline runs to its fixed point (no bound warning), the graph does not grow,
    # and the step computes what the unrewritten one does.
    x, cost, params, grads = _residual_net(38)
    outputs = [cost] + grads
    plain = pytheano.function([x], outputs, mode=pytheano.Mode(optimizer=None))
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Rewriting")
        fast = pytheano.function([x], outputs, mode="FAST_RUN")
    assert len(fast.maker.fgraph.apply_nodes) <= len(plain.maker.fgraph.apply_nodes)
    value = np.random.default_rng(2).normal(size=(5, 6))
    for got, want in zip(fast(value), plain(value)):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
