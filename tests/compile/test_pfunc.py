"""pytheano/compile/pfunc.py: theano.compile.pfunc, and explicit updates against default ones."""
import numpy as np
import pytest

import pytheano as theano
import pytheano.compile
import pytheano.tensor as T
from pytheano.tensor.shared_randomstreams import RandomStreams


def test_pfunc_is_the_function():
    # In Theano 1.0.5 theano.compile.pfunc is the function; the module path still imports.
    from pytheano.compile.pfunc import rebuild_collect_shared  # noqa: F401

    assert callable(pytheano.compile.pfunc) and pytheano.compile.pfunc.__name__ == "pfunc"
    x = T.dscalar()
    assert pytheano.compile.pfunc([x], x * 2)(3) == 6.0


def test_explicit_updates_take_precedence_over_default_updates():
    # Theano 1.0.5 accepts updates=rs.updates(); values recorded from it for seed 123.
    rs = RandomStreams(123)
    u = rs.uniform((2,))
    f = theano.function([], u, updates=rs.updates())
    np.testing.assert_allclose(f(), [0.72803009, 0.59044123])
    np.testing.assert_allclose(f(), [0.23715077, 0.69958932])


def test_theano_paths_of_small_names():
    from pytheano.compile.pfunc import pfunc
    from pytheano.compile.sharedvalue import generic
    from pytheano.gof.fg import InconsistencyError
    from pytheano.gof.op import PureOp
    from pytheano.graph.op import Op

    assert pfunc is pytheano.compile.pfunc and PureOp is Op
    assert generic is theano.Generic() or str(generic) == str(theano.Generic())
    assert issubclass(InconsistencyError, Exception)


def test_default_updates_as_theano_test_pfunc():
    # Cases from Theano 1.0.5's compile/tests/test_pfunc.py (the values it asserts).
    from pytheano.compile import pfunc

    x = theano.shared(0)
    x.default_update = x + 1
    f = pfunc([], [x])
    f()
    assert x.get_value() == 1
    del x.default_update  # Theano read it with hasattr
    f()
    assert x.get_value() == 2
    pfunc([], [x])()
    assert x.get_value() == 2

    x, y = theano.shared(0), theano.shared(1)
    x.default_update = x + 2
    for flag, expected in ((True, 0), ([x], 0), ([x, y], 0), ([y], 2), ([], 4), (False, 6)):
        pfunc([], [x], no_default_updates=flag)()
        assert x.get_value() == expected
    for bad in (x, (x,), "canard"):
        with pytest.raises(TypeError):
            pfunc([], [x], no_default_updates=bad)


def test_givens_replacing_a_shared_variable_keep_its_default_update():
    from pytheano.compile import pfunc

    a = theano.shared(1.0, "a")
    a.default_update = a + 3
    f = pfunc([], a + 10, givens={a: (a + 10)})
    assert f() == 21 and f() == 34


def test_rebuild_strict_false_lets_givens_change_the_type():
    w = T.imatrix()
    x, y = T.ivectors("x", "y")
    f = theano.function([w, y], x * y, givens=[(x, w)], rebuild_strict=False)
    z = f(np.ones((3, 5), dtype="int32"), np.arange(5, dtype="int32"))
    assert z.ndim == 2 and np.all(z == np.ones((3, 5)) * np.arange(5))


def test_givens_do_not_retarget_updates():
    # Theano 1.0.5: f(10) -> 0, state 10, new 0 (the update still targets `state`).
    state, new, inc = theano.shared(0), theano.shared(0), T.iscalar("inc")
    f = theano.function([inc], state, updates=[(state, state + inc)], givens={state: new})
    assert f(10) == 0 and state.get_value() == 10 and new.get_value() == 0
