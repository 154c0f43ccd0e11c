"""pytheano/updates.py: OrderedUpdates (behaviour recorded from Theano 1.0.5)."""
import warnings

import pytest

import pytheano as theano
from pytheano.updates import OrderedUpdates


def test_add_is_ordered_union():
    a, b = theano.shared(1.0), theano.shared(2.0)
    u = OrderedUpdates([(a, a + 1)]) + OrderedUpdates([(b, b * 2)])
    assert type(u) is OrderedUpdates
    assert list(u.keys()) == [a, b]
    f = theano.function([], [], updates=u)
    f()
    assert (a.get_value(), b.get_value()) == (2.0, 4.0)


def test_checks_and_warnings():
    a, b = theano.shared(1.0), theano.shared(2.0)
    with pytest.raises(TypeError, match="OrderedUpdates keys must inherit from SharedVariable"):
        OrderedUpdates([(1, 2)])
    with pytest.raises(KeyError, match="Collision"):
        OrderedUpdates([(a, a + 1)]) + OrderedUpdates([(a, a * 3)])
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        OrderedUpdates({a: 1, b: 2})
    assert len(w) == 1 and str(w[0].message).startswith("Initializing an `OrderedUpdates`")
