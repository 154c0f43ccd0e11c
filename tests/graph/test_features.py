"""The features of pytheano/graph/features.py (Theano's toolbox): History, Validator,
ReplaceValidate, NodeFinder, PreserveNames, NoOutputFromInplace, Supervisor."""
import pytest

from pytheano.errors import InconsistencyError
from pytheano.graph.destroyhandler import DestroyHandler
from pytheano.graph.features import (Feature, History, NodeFinder, NoOutputFromInplace,
                                     PreserveNames, ReplacementDidntRemovedError,
                                     ReplaceValidate, Supervisor, Validator,
                                     protected_inputs)
from pytheano.graph.fg import FunctionGraph
from pytheano.graph.type import generic
from tests.toy_ops import Toy


class ToyInplace(Toy):
    destroy_map = {0: [0]}


f, g = Toy("f"), Toy("g")


def _chain():
    x = generic("x")
    a = f(x)
    return x, a, g(a)


def test_functiongraph_attaches_nothing_by_itself():
    x, a, b = _chain()
    fg = FunctionGraph([x], [b], clone=False)
    assert fg._features == []
    assert not hasattr(fg, "replace_validate") and not hasattr(fg, "checkpoint")


def test_history_checkpoint_revert():
    x, a, b = _chain()
    fg = FunctionGraph([x], [b], features=[History()], clone=False)
    chk = fg.checkpoint()
    fg.replace(a, g(x))
    fg.replace(fg.outputs[0], f(x))
    assert fg.checkpoint() == chk + 2
    fg.revert(chk)
    assert fg.outputs == [b] and b.owner.inputs == [a]
    assert fg.checkpoint() == chk  # the undo edits were not recorded
    fg.check_integrity()


def test_validator_and_attach_once():
    x, a, b = _chain()

    class Refuse(Feature):
        def validate(self, fgraph):
            raise InconsistencyError("no")

    fg = FunctionGraph([x], [b], features=[Validator()], clone=False)
    assert fg.validate() and fg.consistent()
    fg.attach_feature(Refuse())
    assert not fg.consistent()
    # A second provider of the same methods declines (AlreadyThere) silently.
    rv = ReplaceValidate()
    fg.attach_feature(rv)
    assert rv not in fg._features


def test_replace_all_validate_reverts_everything():
    x, a, b = _chain()
    fg = FunctionGraph([x], [b], features=[ReplaceValidate()], clone=False)

    class RefuseG(Feature):
        def validate(self, fgraph):
            if any(n.op == g and n.inputs[0] is x for n in fgraph.apply_nodes):
                raise InconsistencyError("no g(x)")

    fg.attach_feature(RefuseG())
    with pytest.raises(InconsistencyError):
        fg.replace_all_validate([(a, f(x)), (b, g(x))], reason="test")
    assert fg.outputs == [b] and b.owner.inputs == [a]
    fg.check_integrity()
    new = f(x)
    fg.replace_validate(a, new)
    assert b.owner.inputs == [new]
    with pytest.raises(ReplacementDidntRemovedError):
        fg.replace_all_validate_remove([(new, f(x))], remove=[b.owner], warn=False)


def test_detach_removes_methods():
    x, a, b = _chain()
    rv = ReplaceValidate()
    fg = FunctionGraph([x], [b], features=[rv], clone=False)
    fg.remove_feature(rv)
    for name in ("replace_validate", "checkpoint", "revert", "validate", "consistent"):
        assert not hasattr(fg, name)


def test_node_finder_and_preserve_names():
    x, a, b = _chain()
    fg = FunctionGraph([x], [b], features=[NodeFinder(), PreserveNames()], clone=False)
    assert fg.get_nodes(f) == [a.owner]
    a.name = "a"
    new = g(x)
    fg.replace(a, new)
    assert fg.get_nodes(f) == [] and len(fg.get_nodes(g)) == 2
    assert new.name == "a"


def test_no_output_from_inplace():
    x = generic("x")
    out = ToyInplace("inc")(f(x))
    fg = FunctionGraph([x], [out], features=[ReplaceValidate(), DestroyHandler(),
                                             NoOutputFromInplace()], clone=False)
    with pytest.raises(InconsistencyError, match="in place"):
        fg.validate()


def test_supervisor_protected_set_and_clone():
    x, a, b = _chain()
    sup = Supervisor([x])
    fg = FunctionGraph([x], [b], features=[sup], clone=False)
    assert protected_inputs(fg) == {x}
    assert sup.clone().protected == {x}
    fg2 = fg.clone()
    assert [type(ft) for ft in fg2._features] == [Supervisor]
