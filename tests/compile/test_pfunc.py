"""pytheano/compile/pfunc.py: theano.compile.pfunc, and explicit updates against default ones."""
import numpy as np

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
