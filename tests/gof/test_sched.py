"""pytheano/gof/sched.py: Theano's comparison-driven schedules."""
import pytest

import pytheano.tensor as T
from pytheano.compat import cmp
from pytheano.gof.sched import (_toposort, key_to_cmp, make_dependence_cmp, posort,
                                reverse_dict, sort_apply_nodes, sort_schedule_fn)
from pytheano.graph.basic import io_toposort
from pytheano.graph.fg import FunctionGraph


def test_dependence_orders_a_toposort():
    x = T.matrix("x")
    y = T.dot(x * 2, x + 1)
    nodes = io_toposort([x], [y])
    dependence = make_dependence_cmp()
    assert all(dependence(a, b) <= 0 for a, b in zip(nodes[:-1], nodes[1:]))
    assert dependence(nodes[-1], nodes[0]) == 1 and dependence(nodes[0], nodes[-1]) == -1


def test_sort_apply_nodes_by_name_within_the_dependencies():
    x = T.matrix("x")
    y = T.dot(x * 2, x + 1)
    nodes = sort_apply_nodes([x], [y], cmps=[lambda a, b: cmp(str(a), str(b))])
    assert all(str(a) <= str(b) for a, b in zip(nodes[:-1], nodes[1:]))
    # A schedule puts the dependencies first: reverse name order cannot move dot first.
    fg = FunctionGraph([x], [y])
    order = sort_schedule_fn(lambda a, b: -cmp(str(a), str(b)))(fg)
    assert str(order[-1].op) == "dot" and str(order[0]) > str(order[1])


def test_reverse_dict_toposort_and_posort():
    assert reverse_dict({"a": (1, 2), "b": (2, 3), "c": ()}) in (
        {1: ("a",), 2: ("a", "b"), 3: ("b",)}, {1: ("a",), 2: ("b", "a"), 3: ("b",)})
    edges = {1: {4, 6, 7}, 2: {4, 6, 7}, 3: {5, 7}, 4: {6, 7}, 5: {7}}
    order = _toposort(edges)
    assert not any(a in edges.get(b, ()) for i, a in enumerate(order) for b in order[i:])
    with pytest.raises(ValueError, match="cycles"):
        _toposort({1: {2}, 2: {1}})
    assert posort("asdfghjkl", key_to_cmp(lambda c: c)) == list("adfghjkls")
    cmps = [lambda a, b: a % 10 - b % 10, lambda a, b: (a / 10) % 2 - (b / 10) % 2,
            lambda a, b: a - b]
    assert posort(list(range(1, 20)), *cmps) == [10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15, 6,
                                                  16, 7, 17, 8, 18, 9, 19]
