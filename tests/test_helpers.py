"""The shared test helpers (tests/helpers.py) check what they say: check_op in every mode,
check_rewrite on toy rewrites kept in a private database (never the global one)."""
import numpy as np
import pytest

import pytheano.tensor as T
from pytheano.compile.mode import Mode
from pytheano.graph.rewriting import (CANONICALIZE, Query, RewriteDatabase, node_rewriter,
                                      rewrite_db)
from pytheano.link.linkers import linker_registry
from pytheano.tensor.elemwise import Elemwise
from tests.helpers import (ALL_MODES, _modes, all_modes, check_op, check_rewrite,
                           debugprint_str, random_input)


def _is(node, name):
    return (node is not None and isinstance(node.op, Elemwise)
            and str(node.op.scalar_op) == name)


@node_rewriter([Elemwise])
def local_neg_neg(fgraph, node):
    "neg(neg(x)) -> x"
    if _is(node, "neg") and _is(node.inputs[0].owner, "neg"):
        return [node.inputs[0].owner.inputs[0]]


@node_rewriter([Elemwise])
def local_sub_self(fgraph, node):
    "x - x -> 0 (wrong for nan and inf)"
    if _is(node, "sub") and node.inputs[0] is node.inputs[1]:
        return [T.zeros_like(node.inputs[0])]


@node_rewriter([Elemwise])
def local_exp_to_expm1(fgraph, node):
    "exp(x) -> expm1(x) (wrong)"
    if _is(node, "exp"):
        return [T.expm1(node.inputs[0])]


def test_all_modes_reads_the_linker_registry():
    modes = all_modes()
    assert {m.linker.name for m in modes} == set(linker_registry)
    assert len(modes) == 3 * len(linker_registry)
    assert len(_modes(ALL_MODES)) == len(modes)  # all distinct
    assert len(_modes(modes + modes)) == len(modes)  # each compiled once


def test_check_op_in_every_mode():
    x, y = T.dmatrix("x"), T.dvector("y")
    a, b = np.arange(6.0).reshape(2, 3), np.array([1.0, -2.0, 3.0])
    check_op(lambda x, y: T.exp(x) * y - y, [x, y], [a, b],
             lambda a, b: np.exp(a) * b - b, modes=ALL_MODES)
    i = T.ivector("i")
    check_op(lambda i: i.sum(), [i], [np.arange(4, dtype="int32")],
             lambda i: i.sum(), modes=ALL_MODES)


def test_check_op_names_the_mode_that_differs():
    x = T.dvector("x")
    with pytest.raises(AssertionError, match="mode Mode\\(linker = py"):
        check_op(lambda x: x + 1, [x], [np.zeros(3)], lambda a: a + 2, modes=[Mode("py", None)])


def test_random_input_follows_the_type():
    rng = np.random.default_rng(0)
    v = random_input(T.TensorType("float32", (False, True))(), rng, special=("nan", "inf"))
    assert v.dtype == np.float32 and v.ndim == 2 and v.shape[1] == 1
    assert np.isnan(v.flat[0]) and np.isinf(v.flat[1])
    assert random_input(T.bscalar().type, rng).shape == ()
    assert random_input(T.lvector().type, rng).dtype == np.int64


def test_check_rewrite_expected_forms():
    x = T.dvector("x")
    db = RewriteDatabase()
    db.register(local_neg_neg, CANONICALIZE, "fast_run")
    out = T.exp(T.neg(T.neg(x)))
    # an op list (classes or ops), a predicate, a debugprint text, a Query over a private db
    fg = check_rewrite(out, local_neg_neg, expected=[Elemwise])
    assert fg.outputs[0].owner.inputs[0] is fg.inputs[0]
    check_rewrite(out, local_neg_neg, expected=lambda fg: len(fg.apply_nodes) == 1)
    check_rewrite(out, Query(include=("fast_run",)), db=db, expected="""
        Elemwise{exp,no_inplace}  ''
         |x
        """)
    check_rewrite(lambda x: T.exp(T.neg(T.neg(x))), local_neg_neg, inputs=[x],
                  expected=[T.exp(x).owner.op])
    assert "neg" in debugprint_str([out])


def test_check_rewrite_shows_both_graphs_when_the_shape_differs():
    x = T.dvector("x")
    with pytest.raises(AssertionError, match="(?s)before:.*neg.*after:.*exp"):
        check_rewrite(T.exp(T.neg(T.neg(x))), local_neg_neg, expected=[Elemwise, Elemwise])


def test_check_rewrite_catches_changed_values():
    x = T.dvector("x")
    with pytest.raises(AssertionError, match="(?s)changed value.*before:.*after:.*expm1"):
        check_rewrite(T.exp(x), local_exp_to_expm1)


def test_check_rewrite_draws_nan_and_inf_when_asked():
    x = T.dvector("x")
    check_rewrite(x - x, local_sub_self)  # finite inputs: the rewrite looks right
    with pytest.raises(AssertionError, match="changed value"):
        check_rewrite(x - x, local_sub_self, special=("nan",))
    with pytest.raises(AssertionError, match="changed value"):
        check_rewrite(x - x, local_sub_self, special=("inf",))


def test_check_rewrite_leaves_the_global_database_alone():
    names = rewrite_db.names()
    x = T.dvector("x")
    check_rewrite(T.neg(T.neg(x)), local_neg_neg, expected=[])
    check_rewrite(T.neg(T.neg(x)), Mode("py", None), expected=[Elemwise, Elemwise])
    assert rewrite_db.names() == names
