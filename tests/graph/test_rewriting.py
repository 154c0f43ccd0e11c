"""The rewrite API (pytheano/graph/rewriting.py): node rewriters, the phased database,
queries, and the skeleton driver; on toy ops, not tensor."""
import pytest

from pytheano._core.fgraph import FunctionGraph
from pytheano.graph.basic import Apply
from pytheano.graph.op import Op
import io

from pytheano._core.graph import Constant
from pytheano.graph.destroyhandler import DestroyHandler
from pytheano.configparser import change_flags
from pytheano.errors import AlreadyThere
from pytheano.graph.features import Feature, ReplaceValidate
from pytheano.graph.rewriting import (CANONICALIZE, INPLACE, MERGE1, MERGE2, PHASES,
                                      SPECIALIZE, GraphRewriter, Query, RewriteDatabase,
                                      graph_rewriter, merge_graph, node_rewriter, rewrite_db)
from pytheano.graph import rewriting
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


# ---------------------------------------------------------------------------- merge


class Binary(Op):
    __props__ = ("name",)

    def __init__(self, name):
        self.name = name

    def make_node(self, x, y):
        return Apply(self, [x, y], [T()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = (self.name,) + tuple(inputs)


class Destroyer(Unary):
    destroy_map = {0: [0]}


def _merged(outputs, inputs):
    fg = FunctionGraph(inputs, outputs, clone=False)
    fg.attach_feature(ReplaceValidate())
    return fg, merge_graph(fg)


def test_merge_makes_identical_nodes_one_in_one_pass():
    x, y = T("x"), T("y")
    add = Binary("add")
    # Two copies of a chain three deep: one pass merges them bottom-up.
    a = add(neg(x), neg(y))
    b = add(neg(x), neg(y))
    fg, n = _merged([neg(a), neg(b)], [x, y])
    assert n == 4  # neg(x), neg(y), add, neg
    assert fg.outputs[0] is fg.outputs[1]
    assert len(fg.apply_nodes) == 4
    # Inputs in another order are another node.
    fg, n = _merged([add(x, y), add(y, x)], [x, y])
    assert n == 0 and len(fg.apply_nodes) == 2


def test_merge_makes_equal_constants_one_and_keeps_the_first_creation_site():
    x = T("x")
    add = Binary("add")
    c1, c2, c3 = Constant(T, 3), Constant(T, 3), Constant(T, 4)
    first = add(x, c1)
    first.creation_site = ("user.py", 1, "model")
    second = add(x, c2)
    second.creation_site = ("user.py", 2, "model")
    fg, n = _merged([first, second, add(x, c3)], [x])
    assert n == 2  # the constant 3, then the add that now reads it
    assert fg.outputs[0] is fg.outputs[1] is first
    assert fg.outputs[0].creation_site == ("user.py", 1, "model")
    assert len(fg.apply_nodes) == 2


def test_merge_leaves_destroyers_apart():
    x = T("x")
    d = Destroyer("d")
    fg, n = _merged([d(neg(x)), d(neg(x))], [x])
    # The two neg merge; the two destroyers stay two, each owning what it overwrites.
    assert n == 1
    assert len([a for a in fg.apply_nodes if a.op == d]) == 2


def test_merge_keeps_what_validates_when_the_graph_refuses_a_merge():
    x, y = T("x"), T("y")
    a, b = neg(x), neg(x)
    c1, c2 = neg(y), neg(y)
    fg = FunctionGraph([x, y], [Destroyer("d")(a), b, c1, c2], clone=False)
    fg.attach_feature(ReplaceValidate())
    fg.attach_feature(DestroyHandler())
    # b merged into a would be read after d overwrote it: refused; c1, c2 still merge.
    assert merge_graph(fg) == 1
    assert fg.outputs[1] is b and fg.outputs[2] is fg.outputs[3]


def test_graph_rewriters_run_once_per_phase_and_are_profiled():
    calls = []

    @graph_rewriter()
    def spy_graph(fgraph):
        "count the calls"
        calls.append(len(fgraph.apply_nodes))
        return 1

    db = _db()
    db.register(spy_graph, MERGE2, "fast_run")
    x = T("x")
    fg = _graph(ident(neg(neg(x))), x)
    counts = {}
    plan = db.query(Query(include=("fast_run",)))
    plan.rewrite(fg, profile=counts)
    assert isinstance(spy_graph, GraphRewriter) and calls == [0]  # after the node phases
    assert counts["spy_graph"][1] == 1 and counts["local_neg_neg"][1] == 1
    out = io.StringIO()
    plan.print_profile(out, counts)
    assert "spy_graph" in out.getvalue() and "merge2" in out.getvalue()


def test_merge_is_registered_first_and_last():
    for name, phase in (("merge1", MERGE1), ("merge2", MERGE2)):
        assert name in rewrite_db
        plan = rewrite_db.query(Query(include=("merge",)))
        assert phase in [p for p, _ in plan.phases]
    assert not rewrite_db.query(Query(include=("merge",)).excluding("merge"))


# ---------------------------------------------------------------------------- the driver


def test_a_query_sees_rules_registered_after_it_was_first_asked():
    db = _db()
    q = Query(include=("fast_run",))
    assert db.query(q) is db.query(q)  # a plan is made once per query
    assert [p for p, _ in db.query(q).phases] == [CANONICALIZE, SPECIALIZE]

    @node_rewriter([Unary])
    def late(fgraph, node):
        "other(x) -> x"
        if node.op == other:
            return [node.inputs[0]]

    db.register(late, INPLACE, "fast_run")
    plan = db.query(q)
    assert [p for p, _ in plan.phases] == [CANONICALIZE, SPECIALIZE, INPLACE]
    x = T("x")
    fg = _graph(other(x), x)
    plan.rewrite(fg)
    assert fg.outputs == [x]


def test_a_rewriter_subclass_overriding_transform_is_called_through_it():
    class Theanoish(type(local_drop_ident)):
        def transform(self, fgraph, node):
            return [neg(node.inputs[0])] if node.op == other else None

    db = RewriteDatabase()
    db.register(Theanoish(lambda fg, n: None, [Unary], name="theanoish"), CANONICALIZE,
                "fast_run")
    x = T("x")
    fg = _graph(other(x), x)
    db.query(Query(include=("fast_run",))).rewrite(fg)
    assert fg.outputs[0].owner.op == neg


def test_the_profile_has_time_and_applications_per_rewriter_through_the_driver():
    @graph_rewriter()
    def silent(fgraph):
        "returns None: counted as no change"

    db = _db()
    db.register(silent, MERGE1, "fast_run")
    x = T("x")
    fg = _graph(ident(neg(neg(ident(x)))), x)
    counts = {}
    plan = db.query(Query(include=("fast_run",)))
    plan.rewrite(fg, profile=counts)
    assert counts["silent"][1] == 0
    assert counts["local_neg_neg"][1] == 1 and counts["local_drop_ident"][1] == 2
    # every rewriter that was tried has a time, applied or not
    assert all(t > 0 for t, _ in counts.values())
    out = io.StringIO()
    plan.print_profile(out, counts)
    lines = out.getvalue().splitlines()
    assert lines[1].split() == ["<time>", "<applied>", "<phase>", "<rewriter>"]
    rows = {line.split()[-1]: line.split() for line in lines[2:]}
    assert rows["local_drop_ident"][1:3] == ["2", "specialize"]
    assert rows["local_neg_neg"][1:3] == ["1", "canonicalize"]
    assert rows["silent"][1:3] == ["0", "merge1"]


def test_a_plan_attaches_the_features_its_rules_read():
    class Marks(Feature):
        def on_attach(self, fgraph):
            if hasattr(fgraph, "marks"):
                raise AlreadyThere("one is enough")
            fgraph.marks = []

        def on_import(self, fgraph, node, reason):
            fgraph.marks.append(node.op)

    @node_rewriter([Unary])
    def neg_to_other(fgraph, node):
        "neg(x) -> other(x)"
        assert hasattr(fgraph, "marks")
        if node.op == neg:
            return [other(node.inputs[0])]

    db = RewriteDatabase()
    db.register(neg_to_other, CANONICALIZE, "fast_run")
    plan = db.query(Query(include=("fast_run",)))
    plan.features.append(Marks)
    x = T("x")
    fg = _graph(neg(x), x)
    plan.rewrite(fg)
    plan.rewrite(fg)  # the second Marks declines
    assert fg.marks == [other]
    assert len([f for f in fg._features if isinstance(f, Marks)]) == 1


def test_optimizer_verbose_prints_each_replacement(capsys):
    x = T("x")
    fg = _graph(ident(neg(neg(x))), x)
    with change_flags(optimizer_verbose=True):
        _db().query(Query(include=("fast_run",))).rewrite(fg)
    lines = capsys.readouterr().out.splitlines()
    # Theano's form: the reason (the rule), the replaced variable, its replacement
    assert [line.split()[0] for line in lines] == ["local_neg_neg", "local_drop_ident"]
    assert lines[-1].endswith(" x")
    fg = _graph(ident(x), x)
    _db().query(Query(include=("fast_run",))).rewrite(fg)
    assert capsys.readouterr().out == ""


def test_transform_takes_theanos_one_argument_form():
    seen = []
    rw = rewriting.NodeRewriter(lambda fgraph, node: seen.append((fgraph, node)), name="probe")
    node = object()
    rw.transform(node)
    rw.transform("fg", node)
    assert seen == [(None, node), ("fg", node)]
