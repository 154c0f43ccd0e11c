"""pytheano/graph/basic.py: the pure-Python graph helpers (on toy ops)."""
from pytheano.graph.basic import applys_between, as_string, equal_computations
from tests.toy_ops import add, const, float64, mul, sub


def test_equal_computations():
    x, y = float64("x"), float64("y")
    a, b = float64("a"), float64("b")
    assert equal_computations([add(x, mul(y, const(2)))], [add(x, mul(y, const(2)))])
    assert equal_computations([add(x, y)], [add(a, b)], [x, y], [a, b])
    assert not equal_computations([add(x, y)], [add(a, b)])
    assert not equal_computations([add(x, y)], [sub(x, y)])
    assert not equal_computations([mul(x, const(2))], [mul(x, const(3))])


def test_applys_between_and_as_string():
    x, y = float64("x"), float64("y")
    s = add(x, y)
    z = mul(s, s)
    assert set(applys_between([x, y], [z])) == {s.owner, z.owner}
    assert as_string([x, y], [z]) == ["mul(*1 -> add(x, y), *1)"]


def test_is_same_graph_theano_table():
    # Theano 1.0.5's docstring table and the results recorded from it, on toy ops.
    from pytheano.graph.basic import is_same_graph

    x, y, z = float64("x"), float64("y"), float64("z")
    assert is_same_graph(add(x, const(1.0)), add(x, const(1.0)))
    assert not is_same_graph(add(x, const(1.0)), add(y, const(1.0)))
    assert is_same_graph(add(x, const(1.0)), add(y, const(1.0)), givens={x: y})
    assert not is_same_graph(mul(x, mul(y, z)), mul(mul(x, y), z))
    assert is_same_graph(x, x)
    assert is_same_graph(mul(const(2.0), x), mul(const(2.0), x))
    # Substitutions apply in order: x -> y, then y -> z (Theano 1.0.5: True).
    assert is_same_graph(add(x, y), add(y, z), givens=[(x, y), (y, z)])
