"""FunctionGraph (pytheano/_core/fgraph.pyx): clients, replace, features, toposort."""
import pytest

import pytheano.tensor as T
from pytheano._core.fgraph import FunctionGraph
from pytheano.errors import InconsistencyError, MissingInputError
from pytheano.graph.features import Feature, ReplaceValidate


def _graph():
    x, y = T.dvector("x"), T.dvector("y")
    z = (x + y) * x
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
        fg.replace(z.owner.inputs[0], T.fmatrix("m"))


def test_replace_output():
    x, y, z = _graph()
    fg = FunctionGraph([x, y], [z], clone=False)
    w = x - y
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
    assert ("import", "Elemwise{add,no_inplace}") in events
    fg.replace(z.owner.inputs[0], y)
    assert ("change", 0) in events
    assert ("prune", "Elemwise{add,no_inplace}") in events


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


def test_str_and_clone():
    x, y, z = _graph()
    fg = FunctionGraph([x, y], [z])
    assert str(fg) == ("[Elemwise{mul,no_inplace}(Elemwise{add,no_inplace}(x, y), x)]")
    fg2 = fg.clone()
    assert str(fg2) == str(fg)
    assert fg2.outputs[0] is not fg.outputs[0]
