"""FunctionGraph (pytheano/_core/fgraph.pyx): clients, replace, features, toposort."""
import pytest

from pytheano._core.fgraph import FunctionGraph
from pytheano.errors import InconsistencyError, MissingInputError
from pytheano.graph.features import Feature, ReplaceValidate
from tests.toy_ops import add, float32, float64, mul, sub


def _graph():
    x, y = float64("x"), float64("y")
    z = mul(add(x, y), x)
    return x, y, z


def test_clients_and_membership():
    x, y, z = _graph()
    fg = FunctionGraph([x, y], [z], clone=False)
    add_node = z.owner.inputs[0].owner
    assert (z.owner, 1) in fg.clients[x] and (add_node, 0) in fg.clients[x]
    assert fg.clients[z] == [("output", 0)]
    assert fg.clients(z) == [("output", 0)]  # Theano 1.0 call form
    assert fg.apply_nodes == {z.owner, add_node}
    assert x in fg.variables
    fg.check_integrity()


def test_clone_leaves_user_graph_alone():
    x, y, z = _graph()
    fg = FunctionGraph([x, y], [z])
    assert x not in fg.variables and x not in fg.clients
    assert fg.inputs[0] is not x
    fg.check_integrity()


def test_replace_prunes_unused_nodes():
    x, y, z = _graph()
    fg = FunctionGraph([x, y], [z], clone=False)
    add_out = z.owner.inputs[0]
    fg.replace(add_out, y)
    assert add_out.owner not in fg.apply_nodes
    assert z.owner.inputs[0] is y
    fg.check_integrity()
    assert len(fg.toposort()) == 1


def test_replace_type_mismatch_refused():
    x, y, z = _graph()
    fg = FunctionGraph([x, y], [z], clone=False)
    with pytest.raises(TypeError):
        fg.replace(z.owner.inputs[0], float32("m"))


def test_replace_output():
    x, y, z = _graph()
    fg = FunctionGraph([x, y], [z], clone=False)
    w = sub(x, y)
    fg.replace(z, w)
    assert fg.outputs == [w]
    fg.check_integrity()


def test_missing_input_is_reported_with_location():
    x, y, z = _graph()
    with pytest.raises(MissingInputError, match="was not provided") as info:
        FunctionGraph([x], [z], clone=False)
    assert "test_fgraph.py" in str(info.value)
    assert info.value.variable is y


def test_feature_callbacks():
    events = []

    class Recorder(Feature):
        def on_attach(self, fgraph):
            events.append("attach")

        def on_import(self, fgraph, node, reason):
            events.append(("import", str(node.op)))

        def on_prune(self, fgraph, node, reason):
            events.append(("prune", str(node.op)))

        def on_change_input(self, fgraph, node, i, r, new_r, reason=None):
            events.append(("change", i))

    x, y, z = _graph()
    fg = FunctionGraph([x, y], [z], features=[Recorder()], clone=False)
    assert events[0] == "attach"
    assert ("import", "add") in events
    fg.replace(z.owner.inputs[0], y)
    assert ("change", 0) in events
    assert ("prune", "add") in events


def test_validator_rolls_back_on_inconsistency():
    class Refuse(Feature):
        def validate(self, fgraph):
            raise InconsistencyError("no")

    x, y, z = _graph()
    fg = FunctionGraph([x, y], [z], features=[ReplaceValidate()], clone=False)
    fg.attach_feature(Refuse())
    old = z.owner.inputs[0]
    with pytest.raises(InconsistencyError):
        fg.replace_validate(old, y)
    assert z.owner.inputs[0] is old
    fg.check_integrity()


def test_toposort_cached_and_invalidated():
    x, y, z = _graph()
    fg = FunctionGraph([x, y], [z], clone=False)
    first = fg.toposort()
    assert first == fg.toposort()
    fg.replace(z.owner.inputs[0], y)
    assert len(fg.toposort()) == 1


def test_keep_order_takes_a_valid_order_until_the_graph_changes():
    x, y = float64("x"), float64("y")
    a, b = add(x, y), sub(x, y)
    z = mul(a, b)
    fg = FunctionGraph([x, y], [z], clone=False)
    computed = fg.toposort()
    other = [computed[1], computed[0], computed[2]]  # a valid order too
    assert fg.keep_order(other) and fg.toposort() == other
    # Not an order of these nodes, or a node before its inputs: refused, nothing kept.
    assert not fg.keep_order(other[:2])
    assert not fg.keep_order([other[2], other[0], other[1]])
    assert fg.toposort() == other
    fg.replace(z.owner.inputs[0], y)
    assert fg.toposort() == [b.owner, z.owner]


def test_str_and_clone():
    x, y, z = _graph()
    fg = FunctionGraph([x, y], [z])
    assert str(fg) == ("[mul(add(x, y), x)]")
    fg2 = fg.clone()
    assert str(fg2) == str(fg)
    assert fg2.outputs[0] is not fg.outputs[0]


# --------------------------------------------------------------------------- toy-op graphs

from pytheano.graph.type import generic  # noqa: E402
from tests.toy_ops import Toy  # noqa: E402


f, g, h = Toy("f"), Toy("g"), Toy("h")


def test_one_variable_in_two_graphs():
    x, y = generic("x"), generic("y")
    a = f(x)
    b = g(a, y)
    fg1 = FunctionGraph([x, y], [b], clone=False)
    fg2 = FunctionGraph([x], [h(a)], clone=False)
    assert fg1.clients[a] == [(b.owner, 0)]
    assert fg2.clients[a] == [(fg2.outputs[0].owner, 0)]
    # Editing one graph leaves the other's view of the shared variables alone.
    fg1.replace(a, g(x, y))
    assert a not in fg1.variables and a.owner not in fg1.apply_nodes
    assert fg2.clients[a] == [(fg2.outputs[0].owner, 0)] and a.owner in fg2.apply_nodes
    fg1.check_integrity()
    fg2.check_integrity()


def test_clone_false_graph_does_not_change_another():
    x = generic("x")
    a = f(x)
    fg1 = FunctionGraph([x], [a], clone=False)
    before = {v: list(c) for v, c in fg1.clients.items()}
    FunctionGraph([x], [g(a), a], clone=False)
    assert {v: list(c) for v, c in fg1.clients.items()} == before
    assert fg1.clients(a) == [("output", 0)]


def test_remove_node_removes_dependents_and_prunes():
    x, y = generic("x"), generic("y")
    a = f(x)
    b = g(a)
    c = h(b, y)
    other = g(y)
    pruned = []

    class Listen(Feature):
        def on_prune(self, fgraph, node, reason):
            pruned.append((str(node.op), reason))

    fg = FunctionGraph([x, y], [c, other, a], features=[Listen()], clone=False)
    fg.remove_node(b.owner, reason="test")
    # b's node and its reader c's node are gone, and so is output c; a is still an output.
    assert fg.outputs == [other, a]
    assert fg.apply_nodes == {other.owner, a.owner}
    assert {name for name, _ in pruned} == {"g", "h"} and pruned[0][0] == "h"
    assert fg.clients[a] == [("output", 1)]
    fg.check_integrity()
    # Removing a's node now takes the last output with it and prunes nothing else.
    fg.remove_node(a.owner)
    assert fg.outputs == [other]
    assert x in fg.variables  # graph inputs stay
    fg.check_integrity()


def test_remove_output_prunes_what_only_it_used():
    x, y = generic("x"), generic("y")
    a = f(x)
    b = g(a)
    fg = FunctionGraph([x, y], [h(x), b, g(y)], clone=False, update_mapping={1: 2})
    fg.remove_output(1)
    assert len(fg.outputs) == 2 and a.owner not in fg.apply_nodes
    assert fg.update_mapping == {1: 1}  # y's update moved down with its output
    fg.check_integrity()


def test_toposort_cache_follows_orderings_version():
    x = generic("x")
    a, b = f(x), g(x)
    calls = []

    class Order(Feature):
        def __init__(self):
            super().__init__()
            self.orderings_version = 0
            self.ords = {}

        def orderings(self, fgraph):
            calls.append(1)
            return self.ords

    feat = Order()
    fg = FunctionGraph([x], [a, b], features=[feat], clone=False)
    first = fg.toposort()
    assert fg.toposort() == first and len(calls) == 1  # hit
    feat.ords = {first[0]: [first[1]]}
    assert fg.toposort() == first and len(calls) == 1  # not declared: still the cache
    feat.orderings_version += 1
    assert fg.toposort() == first[::-1] and len(calls) == 2  # declared: recomputed
    fg.invalidate_orderings()
    fg.toposort()
    assert len(calls) == 3


def test_theano_style_orderings_feature_disables_cache():
    x = generic("x")
    calls = []

    class Old:  # a Theano 1.0 feature: not a Feature subclass, no orderings_version
        def orderings(self, fgraph):
            calls.append(1)
            return {}

    fg = FunctionGraph([x], [f(x), g(x)], features=[Old()], clone=False)
    fg.toposort()
    fg.toposort()
    assert len(calls) == 2


def test_listeners_cached_per_event_and_execute_callbacks():
    x = generic("x")
    seen = []

    class Duck:  # duck-typed: only the hooks it has are called
        def on_import(self, fgraph, node, reason):
            seen.append(("import", str(node.op)))

    class OnlyChange(Feature):
        def on_change_input(self, fgraph, node, i, r, new_r, reason=None):
            seen.append(("change", reason))

    fg = FunctionGraph([x], [f(x)], features=[Duck(), OnlyChange()], clone=False)
    assert seen == [("import", "f")]
    fg.replace(fg.outputs[0], g(x), reason="r")
    assert ("change", "r") in seen and ("import", "g") in seen
    fg.execute_callbacks("on_import", fg.outputs[0].owner, "manual")
    assert seen[-1] == ("import", "g")
    assert fg.execute_callbacks_time > 0


def test_listener_lists_are_built_at_attach():
    x = generic("x")
    calls = []

    class Late:
        pass

    late = Late()
    fg = FunctionGraph([x], [f(x)], features=[late], clone=False)
    late.on_import = lambda fgraph, node, reason: calls.append(node)
    fg.replace(fg.outputs[0], g(x))
    assert calls == []  # hooks are read once, at attach: no getattr per event
    fg.remove_feature(late)
    fg.attach_feature(late)
    fg.replace(fg.outputs[0], h(x))
    assert len(calls) == 1
