"""Theano's linker API under its gof names: accept(fgraph).make_function() / make_thunk()."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano import gof


@pytest.mark.parametrize("linker", [gof.PerformLinker, gof.OpWiseCLinker, gof.CLinker])
def test_make_function_and_make_thunk(linker):
    x, y = T.dvectors("x", "y")
    f = linker().accept(gof.FunctionGraph([x, y], [x + y, x * 2])).make_function()
    a, b = f(np.ones(2), np.array([1.0, 2.0]))
    assert a.tolist() == [2.0, 3.0] and b.tolist() == [2.0, 2.0]
    single = linker().accept(gof.FunctionGraph([x], [x * 2])).make_function()
    assert isinstance(single(np.ones(2)), np.ndarray)
    fn, inputs, outputs = linker().accept(gof.FunctionGraph([x], [x * 3])).make_thunk()
    inputs[0].data = np.ones(2)
    fn()
    assert outputs[0].data.tolist() == [3.0, 3.0]
    with pytest.raises(TypeError, match="expected 2 inputs"):
        f(np.ones(2))


def test_top_level_names():
    assert pytheano.PerformLinker is gof.PerformLinker
    assert pytheano.InconsistencyError is gof.InconsistencyError
    assert pytheano.Container is gof.Container
