"""Theano's rewrite API names (pytheano/gof/opt.py) over pytheano's rewrite engine."""
import numpy as np

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
