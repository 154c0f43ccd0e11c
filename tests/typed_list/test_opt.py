"""The typed-list inplace rewrite (pytheano/typed_list/opt.py)."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
import pytheano.typed_list as tl
from pytheano import In
from pytheano.compile.mode import get_default_mode

MATRIX = T.TensorType("float64", (False, False))


@pytest.mark.parametrize("op, extra", [(tl.Append, "m"), (tl.Extend, "L2"),
                                       (tl.Insert, "im"), (tl.Remove, "m"), (tl.Reverse, "")])
def test_typed_list_inplace_opt(op, extra):
    L, L2, m, i = tl.TypedListType(MATRIX)(), tl.TypedListType(MATRIX)(), T.dmatrix(), \
        T.lscalar()
    args = {"m": [m], "L2": [L2], "im": [i, m], "": []}[extra]
    values = {"m": [np.ones((2, 2))], "L2": [[np.ones((2, 2))]], "im": [0, np.ones((2, 2))],
              "": []}[extra]
    out = op()(L, *args)
    before = [n.op for n in pytheano.function([L] + args, out).maker.fgraph.toposort()]
    assert op() in before  # L is not mutable: no in-place update
    f = pytheano.function([In(L, mutable=True)] + args, out)
    after = [n.op for n in f.maker.fgraph.toposort()]
    assert op(inplace=True) in after and op() not in after
    g = pytheano.function([In(L, mutable=True)] + args, out,
                          mode=get_default_mode().excluding("typed_list_inplace_opt"))
    assert op() in [n.op for n in g.maker.fgraph.toposort()]
    x = [np.ones((2, 2)), np.zeros((2, 2))]
    want = g(list(x), *values)
    got = f(list(x), *values)
    assert len(got) == len(want)
    for a, b in zip(got, want):
        np.testing.assert_array_equal(a, b)
