"""``theano.scan_module.scan_utils.map_variables`` (pytheano/scan_module/scan_utils.py):
the cases of Theano 1.0's own tests (leaves, inside scan, outer variables brought into a
scan or an OpFromGraph, shared variables with updates refused), values against numpy."""
import itertools

import numpy as np
import pytest

import pytheano as theano
import pytheano.tensor as T
from pytheano.scan_module.scan_utils import map_variables


def replacer(var):
    return getattr(var.tag, "replacement", var)


def test_leaf():
    a, b, c = T.scalar("a"), T.scalar("b"), T.scalar("c")
    b.tag.replacement = c
    u = a + b
    v, = map_variables(replacer, [u])
    assert u.owner.inputs == [a, b]
    assert v.owner.inputs == [a, c]


def test_inner_variable_replaced():
    a, b = T.scalar("a"), T.scalar("b")
    ab = a + b
    ab.tag.replacement = a * b
    v, = map_variables(replacer, [ab + 1])
    assert theano.function([a, b], v)(3.0, 4.0) == 13.0


def test_leaf_inside_scan():
    x, y, z = T.vector("x"), T.scalar("y"), T.scalar("z")
    y.tag.replacement = z
    s, _ = theano.scan(lambda x: x * y, sequences=x)
    s2, = map_variables(replacer, [s])
    f = theano.function([x, y, z], [s, s2])
    got = f(np.array([1, 2, 3], dtype=theano.config.floatX), 1, 2)
    np.testing.assert_array_equal(got, [[1, 2, 3], [2, 4, 6]])


def _outer_z():
    outer = T.scalar("outer")
    shared = theano.shared(np.array(1.0, dtype=theano.config.floatX), name="shared")
    return outer, shared, outer * (shared + T.constant(1.0, name="constant"))


def test_scan_gets_the_outer_variables_as_non_sequences():
    x = T.vector("x")
    outer, _, z = _outer_z()

    def step(x, a):
        r = a + x
        r.tag.replacement = z * (a - x)
        return r

    s, _ = theano.scan(step, sequences=x, outputs_info=[np.array(0.0)])
    t = z * s
    s2, = map_variables(replacer, [t])
    f = theano.function([x, outer], [t, z * s2])
    got = f(np.array([1, 2, 3], dtype=theano.config.floatX), 0.5)
    np.testing.assert_array_equal(got, [[1, 3, 6], [-1, -3, -6]])


@pytest.mark.parametrize("also_used", [False, True])
def test_scan_refuses_a_shared_variable_with_an_update(also_used):
    x = T.vector("x")
    counter = theano.shared(0, name="counter")
    counter.update = counter + 1

    def step(x, a):
        r = a + x
        r.tag.replacement = counter * (a - x)
        return r + counter if also_used else r

    s, _ = theano.scan(step, sequences=x, outputs_info=[np.array(0.0)])
    with pytest.raises(NotImplementedError, match="Replacement introduces shared variable"):
        map_variables(replacer, [s])


def test_opfromgraph():
    outer, shared, z = _outer_z()
    a, b = T.scalar(), T.scalar()
    r = a + b
    r.tag.replacement = z * (a - b)
    c, d = T.scalar(), T.scalar()
    u = theano.OpFromGraph([a, b], [r])(c, d)
    t = z * u
    v, = map_variables(replacer, [t])
    f = theano.function([c, d, outer], [t, z * v])
    for m, n in itertools.combinations(range(10), 2):
        assert f(m, n, 0.5) == [m + n, m - n]
    shared.update = shared + 1
    with pytest.raises(NotImplementedError):
        map_variables(replacer, [t])
