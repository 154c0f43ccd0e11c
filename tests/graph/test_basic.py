"""pytheano/graph/basic.py: the pure-Python graph helpers."""
import pytheano.tensor as T
from pytheano.graph.basic import applys_between, as_string, equal_computations


def test_equal_computations():
    x, y = T.dvectors("x", "y")
    a, b = T.dvectors("a", "b")
    assert equal_computations([x + y * 2], [x + y * 2])
    assert equal_computations([x + y], [a + b], [x, y], [a, b])
    assert not equal_computations([x + y], [a + b])
    assert not equal_computations([x + y], [x - y])
    assert not equal_computations([x * 2], [x * 3])


def test_applys_between_and_as_string():
    x, y = T.dvectors("x", "y")
    s = x + y
    z = s * s
    assert set(applys_between([x, y], [z])) == {s.owner, z.owner}
    assert as_string([x, y], [z]) == [
        "Elemwise{mul,no_inplace}(*1 -> Elemwise{add,no_inplace}(x, y), *1)"]


def test_is_same_graph_theano_table():
    # Theano 1.0.5's docstring table and results recorded from it.
    from pytheano.graph.basic import is_same_graph

    x, y, z = T.vectors("x", "y", "z")
    assert is_same_graph(x + 1, x + 1)
    assert not is_same_graph(x + 1, y + 1)
    assert is_same_graph(x + 1, y + 1, givens={x: y})
    assert not is_same_graph(x * (y * z), (x * y) * z)
    assert is_same_graph(x, x)
    assert is_same_graph(T.constant(2.0) * x, T.constant(2.0) * x)
    # Substitutions apply in order: x -> y, then y -> z (Theano 1.0.5: True).
    assert is_same_graph(x + y, y + z, givens=[(x, y), (y, z)])
