"""The rewrite API (pytheano/graph/rewriting.py): node rewriters, the phased database,
queries, and the skeleton driver; on toy ops, not tensor."""
import pytest

from pytheano._core.fgraph import FunctionGraph
from pytheano.graph.basic import Apply
from pytheano.graph.op import Op
from pytheano.graph.rewriting import (CANONICALIZE, INPLACE, PHASES, SPECIALIZE, Query,
                                      RewriteDatabase, node_rewriter)
from pytheano.graph.type import Generic

T = Generic()


class Unary(Op):
    __props__ = ("name",)

    def __init__(self, name):
        self.name = name

    def make_node(self, x):
        return Apply(self, [x], [T()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = (self.name, inputs[0])

    def __str__(self):
        return self.name


neg, ident, other = Unary("neg"), Unary("ident"), Unary("other")


@node_rewriter([Unary])
def local_neg_neg(fgraph, node):
    "neg(neg(x)) -> x"
    if node.op == neg and node.inputs[0].owner is not None and node.inputs[0].owner.op == neg:
        return [node.inputs[0].owner.inputs[0]]
    return None


@node_rewriter([ident])
def local_drop_ident(fgraph, node):
    "ident(x) -> x"
    return [node.inputs[0]]


def _db():
    db = RewriteDatabase()
    db.register(local_neg_neg, CANONICALIZE, "fast_run", "fast_compile")
    db.register(local_drop_ident, SPECIALIZE, "fast_run")
    return db


def _graph(out, x):
    return FunctionGraph([x], [out], clone=False)


def test_phases_are_named_and_ordered():
    assert PHASES.index("canonicalize") < PHASES.index("inplace") < PHASES.index("merge2")
    with pytest.raises(ValueError, match="Unknown rewrite phase"):
        RewriteDatabase().register(local_neg_neg, "no_such_phase")
    db = _db()
    with pytest.raises(ValueError, match="already registered"):
        db.register(local_neg_neg, CANONICALIZE)


def test_query_selects_by_tags_names_and_phases():
    db = _db()
    assert [p for p, _ in db.query(Query(include=("fast_run",))).phases] == [
        CANONICALIZE, SPECIALIZE]
    assert [p for p, _ in db.query(Query(include=("fast_compile",))).phases] == [CANONICALIZE]
    assert not db.query(Query())
    assert not db.query(Query(include=("fast_run",)).excluding("local_neg_neg",
                                                                "local_drop_ident"))
    # A phase name is a tag of its rewriters, so excluding it drops the phase.
    q = Query(include=("fast_run",)).excluding(SPECIALIZE)
    assert [p for p, _ in db.query(q).phases] == [CANONICALIZE]
    assert not db.query(Query(include=("fast_run",)).requiring("fast_compile", "stable"))
    # position_cutoff stops after a phase (Theano's optimizer='stabilize').
    q = Query(include=("fast_run",), position_cutoff="stabilize")
    assert [p for p, _ in db.query(q).phases] == [CANONICALIZE]
    assert str(Query(include=("fast_run",))) == (
        "Query{inc=OrderedSet(['fast_run']),ex=OrderedSet(),require=OrderedSet(),"
        "subquery={},position_cutoff=inf,extra_opts=[]}")


def test_driver_reaches_the_fixed_point_and_counts():
    x = T("x")
    out = ident(neg(neg(ident(neg(neg(x))))))
    fg = _graph(out, x)
    counts = {}
    _db().query(Query(include=("fast_run",))).rewrite(fg, profile=counts)
    assert fg.outputs == [x]
    assert counts["local_neg_neg"][1] == 2 and counts["local_drop_ident"][1] == 2
    assert fg.apply_nodes == set()


def test_dispatch_by_op_class_and_instance():
    seen = []

    @node_rewriter([other])
    def spy(fgraph, node):
        seen.append(node.op)

    db = RewriteDatabase()
    db.register(spy, CANONICALIZE, "fast_run")
    x = T("x")
    fg = _graph(neg(other(ident(x))), x)
    db.query(Query(include=("fast_run",))).rewrite(fg)
    assert seen == [other]  # the rule never met neg nor ident


def test_rewritten_nodes_keep_the_creation_site():
    @node_rewriter([Unary])
    def neg_to_other(fgraph, node):
        if node.op == neg:
            return [other(node.inputs[0])]

    db = RewriteDatabase()
    db.register(neg_to_other, INPLACE, "fast_run")
    x = T("x")
    out = neg(x)
    out.creation_site = ("user.py", 12, "model")
    fg = _graph(out, x)
    db.query(Query(include=("fast_run",))).rewrite(fg)
    assert fg.outputs[0].owner.op == other
    assert fg.outputs[0].creation_site == ("user.py", 12, "model")


def test_a_rule_that_never_settles_is_bounded():
    @node_rewriter([Unary])
    def flip(fgraph, node):
        return [(other if node.op == neg else neg)(node.inputs[0])]

    db = RewriteDatabase()
    db.register(flip, CANONICALIZE, "fast_run")
    x = T("x")
    fg = _graph(neg(x), x)
    with pytest.warns(UserWarning, match="fixed point.*flip"):
        db.query(Query(include=("fast_run",))).rewrite(fg)
