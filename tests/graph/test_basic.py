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
