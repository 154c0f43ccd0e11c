"""The rewrite driver (pytheano/_core/rewrite.pyx): dispatch, the equilibrium loop and its
bounds, replacement through the graph, creation sites, profile counters, merge; on toy ops."""
import warnings

import numpy as np
import pytest

from pytheano._core.fgraph import FunctionGraph
from pytheano._core.graph import Constant
from pytheano._core.rewrite import (ChangeTracker, Dispatch, Rule, apply_replacements,
                                    constant_key, merge_graph, node_cap, run_phase, run_plan)
from pytheano.errors import InconsistencyError
from pytheano.graph.features import Feature, ReplaceValidate
from tests.toy_ops import Binary, Unary, add, const, float64, mul, neg


def _fg(outputs, inputs):
    fg = FunctionGraph(inputs, outputs, clone=False)
    fg.attach_feature(ReplaceValidate())
    return fg


def _neg_neg(fgraph, node):
    "neg(neg(x)) -> x"
    inner = node.inputs[0].owner
    if node.op == neg and inner is not None and inner.op == neg:
        return [inner.inputs[0]]


class Neg(Unary):
    """A subclass, to check that a rule tracking Unary sees it."""


def test_dispatch_orders_rules_and_skips_what_cannot_match():
    every = Rule(lambda fg, n: None, "every")
    by_base = Rule(lambda fg, n: None, "by_base", [Unary])
    by_sub = Rule(lambda fg, n: None, "by_sub", [Neg])
    by_op = Rule(lambda fg, n: None, "by_op", [mul])
    d = Dispatch([by_op, by_base, every, by_sub])
    assert [r.name for r in d.rules_for(Neg("n"))] == ["every", "by_sub", "by_base"]
    assert [r.name for r in d.rules_for(neg)] == ["every", "by_base"]
    assert [r.name for r in d.rules_for(mul)] == ["every", "by_op"]
    assert [r.name for r in d.rules_for(add)] == ["every"]  # same class as mul, another op
    assert d.n_rules == 4


def test_a_long_chain_settles_with_work_linear_in_its_length():
    # neg applied 2n times: the rule removes pairs. Each pass after the first visits only the
    # nodes a change touched, so the rule is called O(n) times, not O(n * passes).
    n = 500
    x = float64("x")
    out = x
    for _ in range(2 * n):
        out = neg(out)
    fg = _fg([out], [x])
    calls = []

    def counted(fgraph, node):
        calls.append(node)
        return _neg_neg(fgraph, node)

    profile = {}
    assert run_phase(fg, [Rule(counted, "neg_neg", [Unary])], profile) == n
    assert fg.outputs == [x] and not fg.apply_nodes
    assert len(calls) <= 4 * (2 * n)
    assert profile["neg_neg"][1] == n and profile["neg_neg"][0] > 0
    assert not any(isinstance(f, ChangeTracker) for f in fg._features)  # detached after


def test_a_rule_that_reads_far_from_its_node_still_reaches_the_fixed_point():
    # ``far`` rewrites the last node once the first node of the graph has become a mul: the
    # change is not next to it, so only the confirming full pass finds it.
    x, y = float64("x"), float64("y")
    first = add(x, y)
    mid = neg(neg(neg(first)))
    last = add(mid, y)
    fg = _fg([last], [x, y])

    def add_to_mul(fgraph, node):
        if node.op == add and node.inputs[0] is x:
            return [mul(*node.inputs)]

    def far(fgraph, node):
        if node.op == add and node.outputs[0] in [o for o in fgraph.outputs]:
            src = node.inputs[0].owner.inputs[0].owner.inputs[0].owner.inputs[0].owner
            if src.op == mul:
                return [mul(*node.inputs)]

    run_phase(fg, [Rule(add_to_mul, "add_to_mul", [Binary]), Rule(far, "far", [Binary])])
    assert fg.outputs[0].owner.op == mul


def test_the_pass_bound_warns_naming_the_rule():
    def flip(fgraph, node):
        return [(add if node.op == mul else mul)(*node.inputs)]

    x = float64("x")
    fg = _fg([mul(x, x)], [x])
    with pytest.warns(UserWarning, match="fixed point after 7 passes.*flip"):
        run_phase(fg, [Rule(flip, "flip", [Binary])], max_passes=7)
    fg.check_integrity()


def test_the_cap_on_created_nodes_stops_a_blow_up_and_names_the_rule():
    # Each application replaces neg(x) by neg(x + 0 + 0 ...), 51 new nodes: the graph would
    # grow without end. The cap on what one phase creates stops it; the graph stays valid.
    def grow(fgraph, node):
        if node.op == neg:
            inp = node.inputs[0]
            for _ in range(50):
                inp = add(inp, const(0.0))
            return [neg(inp)]

    x = float64("x")
    fg = _fg([neg(x)], [x])
    assert node_cap(1, 2.0) == 256 and node_cap(1000, 2.0) == 2000 and node_cap(5, 0) == 0
    with pytest.warns(UserWarning, match="cap of 256.*grow"):
        run_phase(fg, [Rule(grow, "grow", [Unary])], max_new_ratio=2.0)
    fg.check_integrity()
    assert len(fg.apply_nodes) <= 256 + 52
    # Without a cap, the bound on passes is what stops it.
    fg = _fg([neg(x)], [x])
    with pytest.warns(UserWarning, match="fixed point after 3 passes.*grow"):
        run_phase(fg, [Rule(grow, "grow", [Unary])], max_passes=3)


class Refuse(Feature):
    """Refuses any graph whose output is computed by a mul."""

    def validate(self, fgraph):
        if fgraph.outputs[0].owner is not None and fgraph.outputs[0].owner.op == mul:
            raise InconsistencyError("no mul at the output")


def test_a_refused_replacement_is_undone_and_the_next_rule_is_tried():
    x, y = float64("x"), float64("y")
    fg = _fg([add(x, y)], [x, y])
    fg.attach_feature(Refuse())
    to_mul = Rule(lambda fg, n: [mul(*n.inputs)] if n.op == add else None, "to_mul", [Binary])
    to_sub = Rule(lambda fg, n: {n.outputs[0]: Binary("sub")(*n.inputs)} if n.op == add
                  else None, "to_sub", [Binary])
    profile = {}
    run_phase(fg, [to_mul, to_sub], profile)
    assert str(fg.outputs[0].owner.op) == "sub"
    assert profile["to_mul"][1] == 0 and profile["to_sub"][1] == 1
    fg.check_integrity()


def test_created_nodes_and_folded_constants_carry_the_creation_site():
    x = float64("x")
    user_c = const(2.0)
    user_c.creation_site = ("lib.py", 1, "helper")
    out = neg(add(x, user_c))
    out.creation_site = ("user.py", 7, "model")
    fg = _fg([out], [x])
    folded = const(3.0)
    node = out.owner
    assert apply_replacements(fg, node, [mul(add(x, folded), user_c)], "r")
    new = fg.outputs[0]
    assert new.creation_site == ("user.py", 7, "model")
    assert new.owner.inputs[0].creation_site == ("user.py", 7, "model")
    assert folded.creation_site == ("user.py", 7, "model")
    assert user_c.creation_site == ("lib.py", 1, "helper")
    assert not apply_replacements(fg, new.owner, None, "r")
    assert not apply_replacements(fg, new.owner, [new], "r")  # replaced by itself


def test_run_plan_runs_graph_rewriters_first_and_profiles_them():
    seen = []

    class CountNodes:
        name = "count_nodes"

        def __call__(self, fgraph):
            seen.append(len(fgraph.apply_nodes))
            return 0

    x = float64("x")
    fg = _fg([neg(neg(x))], [x])
    profile = {}
    phases = [("a", [CountNodes()], Dispatch([Rule(_neg_neg, "neg_neg", [Unary])])),
              ("b", [CountNodes()], Dispatch([]))]
    assert run_plan(fg, phases, profile) == 1
    assert seen == [2, 0]
    assert profile["count_nodes"][1] == 0 and profile["neg_neg"][1] == 1


def test_merge_makes_equal_constants_one_by_their_bits():
    assert constant_key(const(0.0)) != constant_key(const(-0.0))
    assert constant_key(const(np.nan)) == constant_key(const(np.nan))
    assert constant_key(const(1.0)) != constant_key(const(1.0, type=float64.__class__(
        "float32")))
    x = float64("x")
    outs = [add(x, const(1.0)), add(x, const(1.0)), add(x, const(-0.0)), add(x, const(0.0))]
    fg = _fg(outs, [x])
    assert merge_graph(fg) == 2  # the constant 1.0 and then the add reading it
    assert fg.outputs[0] is fg.outputs[1] and fg.outputs[2] is not fg.outputs[3]
    fg.check_integrity()


def test_merge_is_one_pass_over_a_deep_duplicated_graph():
    x = float64("x")

    def chain():
        out = x
        for _ in range(300):
            out = add(neg(out), Constant(float64, np.float64(2.0)))
        return out

    fg = _fg([chain(), chain()], [x])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        merge_graph(fg)
    assert fg.outputs[0] is fg.outputs[1]
    assert len(fg.apply_nodes) == 600
