"""Theano's rewrite API names (pytheano/gof/opt.py) over pytheano's rewrite engine."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano import gof
from pytheano._core.fgraph import FunctionGraph
from pytheano.gof.opt import check_stack_trace
from pytheano.tensor.elemwise import Elemwise


def test_local_optimizer_in_an_equilibrium_optimizer():
    x = T.dvector("x")

    @gof.local_optimizer([Elemwise])
    def neg_neg(node):  # Theano's one-argument form
        inner = node.inputs[0].owner
        if str(node.op) == "Elemwise{neg,no_inplace}" and inner is not None and \
                str(inner.op) == "Elemwise{neg,no_inplace}":
            return [inner.inputs[0]]

    fg = FunctionGraph([x], [T.neg(T.neg(T.neg(T.neg(x))))], clone=False)
    gof.EquilibriumOptimizer([neg_neg]).optimize(fg)
    assert fg.outputs == [x]


def test_merge_optimizer_and_check_stack_trace():
    x = T.dvector("x")
    a, b = T.exp(x), T.exp(x)
    fg = FunctionGraph([x], [a + b], clone=False)
    gof.MergeOptimizer().optimize(fg)
    assert len(fg.apply_nodes) == 2
    f = pytheano.function([x], T.exp(x) * 2)
    assert check_stack_trace(f, ops_to_check="last")
    assert check_stack_trace(f, ops_to_check=Elemwise)
    assert check_stack_trace(f, ops_to_check="all")
    np.testing.assert_allclose(f(np.zeros(2)), [2.0, 2.0])


# ---------------------------------------------------------------- Theano's pattern rewriters
# Toy ops over an opaque type, as Theano's gof/tests/test_opt.py builds them.
from pytheano.gof.opt import (EquilibriumOptimizer, OpKeyOptimizer, OpRemove, OpSub,  # noqa
                              PatternSub, TopoOptimizer, pre_greedy_local_optimizer)
from pytheano.graph.basic import Apply, Constant, Variable  # noqa: E402
from pytheano.graph.op import Op  # noqa: E402
from pytheano.graph.type import Type  # noqa: E402


class _Opaque(Type):
    def filter(self, data, strict=False, allow_downcast=None):
        return data

    def __eq__(self, other):
        return isinstance(other, _Opaque)

    def __hash__(self):
        return hash(_Opaque)


class _Named(Op):
    def __init__(self, name):
        self.name = name

    def make_node(self, *inputs):
        return Apply(self, list(inputs), [_Opaque()()])

    def __str__(self):
        return self.name

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)


op1, op2, op3, op4 = (_Named("Op%d" % k) for k in range(1, 5))


def _graph(outputs_of):
    x, y, z = (Variable(_Opaque(), None, None, name=n) for n in "xyz")
    return FunctionGraph([x, y, z], outputs_of(x, y, z), clone=False), (x, y, z)


def _keyed(p_in, p_out, ign=False):
    return OpKeyOptimizer(PatternSub(p_in, p_out), ignore_newtrees=ign)


def test_pattern_sub_replaces_binds_and_unifies():
    g, _ = _graph(lambda x, y, z: [op1(op2(x, y), z)])
    _keyed((op1, (op2, "1", "2"), "3"), (op4, "3", "2")).optimize(g)
    assert str(g) == "[Op4(z, y)]"
    g, _ = _graph(lambda x, y, z: [op1(op2(x, y), z)])  # '1' twice: x and y differ
    _keyed((op1, (op2, "1", "1"), "2"), (op4, "2", "1")).optimize(g)
    assert str(g) == "[Op1(Op2(x, y), z)]"
    g, _ = _graph(lambda x, y, z: [op1(x, y)])
    _keyed((op1, "1", "2"), (op4, (op1, "1"), (op2, "2"), (op3, "1", "2"))).optimize(g)
    assert str(g) == "[Op4(Op1(x), Op2(y), Op3(x, y))]"


def test_pattern_sub_constraints_constants_and_clients():
    g, _ = _graph(lambda x, y, z: [op4(op1(op2(x, y)), op1(op1(x, y)))])
    _keyed((op1, {"pattern": "1", "constraint": lambda r: r.owner.op == op2}),
           (op3, "1")).optimize(g)
    assert str(g) == "[Op4(Op3(Op2(x, y)), Op1(Op1(x, y)))]"
    c2, z2 = Constant(_Opaque(), 2, name="x"), Constant(_Opaque(), 2, name="z")
    y = Variable(_Opaque(), None, None, name="y")
    g = FunctionGraph([y], [op1(op1(c2, y), y)], clone=False)
    _keyed((op1, z2, "1"), (op2, "1", z2)).optimize(g)
    assert str(g) == "[Op1(Op2(y, z), y)]"
    # A matched inner node read elsewhere is not consumed (allow_multiple_clients=False).
    def read_twice(x, y, z):
        e0 = op1(x, y)
        return [op3(op4(e0), e0)]

    g, _ = _graph(read_twice)
    _keyed((op4, (op1, "x", "y")), (op3, "x", "y")).optimize(g)
    assert str(g) == "[Op3(Op4(*1 -> Op1(x, y)), *1)]"


def test_topo_and_opkey_sweeps_and_ignore_newtrees():
    g, _ = _graph(lambda x, y, z: [op1(op2(x, y), z)])
    _keyed((op2, "1", "2"), (op2, "2", "1"), ign=True).optimize(g)  # applies once
    assert str(g) == "[Op1(Op2(y, x), z)]"
    g, _ = _graph(lambda x, y, z: [op1(op1(op1(op1(op1(x)))))])
    _keyed((op1, (op1, "1")), "1").optimize(g)
    assert str(g) == "[Op1(x)]"
    g, _ = _graph(lambda x, y, z: [op1(op1(op1(x)))])
    _keyed((op1, "1"), (op2, (op1, "1")), ign=True).optimize(g)
    assert str(g) == "[Op2(Op1(Op2(Op1(Op2(Op1(x))))))]"
    g, _ = _graph(lambda x, y, z: [op1(op1(op1(op1(op1(x)))))])
    TopoOptimizer(PatternSub((op1, (op1, "1")), (op1, "1")), ignore_newtrees=False).optimize(g)
    assert str(g) == "[Op1(x)]"
    with pytest.raises(TypeError, match="op_key"):
        OpKeyOptimizer(gof.local_optimizer(None)(lambda node: None))


def test_op_sub_and_op_remove():
    g, _ = _graph(lambda x, y, z: [op1(op1(x, y), op3(z))])
    OpKeyOptimizer(OpSub(op1, op2)).optimize(g)
    assert str(g) == "[Op2(Op2(x, y), Op3(z))]"
    g, _ = _graph(lambda x, y, z: [op2(op3(x), op3(op3(y)))])
    OpKeyOptimizer(OpRemove(op3)).optimize(g)
    assert str(g) == "[Op2(x, y)]"


def test_equilibrium_max_use_ratio_stops_every_rewriter():
    rules = [PatternSub((op1, "x", "y"), (op2, "x", "y")),
             PatternSub((op4, "x", "y"), (op1, "x", "y")),
             PatternSub((op3, (op2, "x", "y")), (op4, "x", "y"))]
    g, _ = _graph(lambda x, y, z: [op3(op4(x, y))])
    EquilibriumOptimizer(rules, max_use_ratio=10).optimize(g)
    assert str(g) == "[Op2(x, y)]"
    g, _ = _graph(lambda x, y, z: [op3(op4(x, y))])
    with pytest.warns(UserWarning, match="max'ed out"):
        EquilibriumOptimizer(rules, max_use_ratio=1.0 / len(g.apply_nodes)).optimize(g)
    assert str(g) == "[Op1(x, y)]"


def test_pre_greedy_local_optimizer_folds_constants_outside_a_function():
    from pytheano.rewriting.basic import constant_folding
    out = pre_greedy_local_optimizer([constant_folding], T.constant(2.0) * 3 + T.dscalar("x"))
    assert isinstance(out.owner.inputs[0], Constant) or isinstance(out.owner.inputs[1], Constant)


def test_refused_replacements_go_to_the_failure_callback():
    from pytheano.gof.opt import NavigatorOptimizer
    from pytheano.graph.destroyhandler import DestroyHandler

    class _Destroys(_Named):
        destroy_map = {0: [0]}

    op_d = _Destroys("OpD")
    g, (x, y, z) = _graph(lambda x, y, z: [op1(op2(x), x)])
    g.attach_feature(DestroyHandler())
    failures = []
    TopoOptimizer(OpSub(op2, op_d), ignore_newtrees=True,
                  failure_callback=lambda *args: failures.append(args)).optimize(g)
    # OpD(x) would overwrite x while Op1 still reads it: refused, reported once.
    assert str(g) == "[Op1(Op2(x), x)]" and len(failures) == 1
    exc, nav, pairs, lopt, node = failures[0]
    assert isinstance(exc, pytheano.errors.InconsistencyError) and node.op is op2
    assert NavigatorOptimizer.warn_ignore(exc, nav, pairs, lopt, node) is None
