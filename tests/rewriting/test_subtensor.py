"""pytheano/rewriting/subtensor.py: set/inc_subtensor in place where the graph allows it."""
import numpy as np
from hypothesis import given, strategies as st

import pytheano
import pytheano.tensor as T
from helpers import assert_same_as_unrewritten
from pytheano.tensor.slicing import IncSubtensor
from pytheano.tensor.subtensor import AdvancedIncSubtensor1


def _ops(f, cls):
    return [n.op for n in f.maker.fgraph.toposort() if isinstance(n.op, cls)]


def test_set_subtensor_of_a_computed_value_runs_in_place():
    x, y = T.dvector("x"), T.dscalar("y")
    f = pytheano.function([x, y], T.set_subtensor((x * 2)[1:], y))
    (op,) = _ops(f, IncSubtensor)
    assert op.inplace and str(op) == "IncSubtensor{InplaceSet;int64::}"
    np.testing.assert_array_equal(f([1.0, 2.0, 3.0], 9.0), [2.0, 9.0, 9.0])


def test_an_input_is_never_overwritten():
    x, y, i = T.dvector("x"), T.dscalar("y"), T.lvector("i")
    f = pytheano.function([x, y], T.set_subtensor(x[1:], y))
    assert not _ops(f, IncSubtensor)[0].inplace
    a = np.array([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(f(a, 9.0), [1.0, 9.0, 9.0])
    np.testing.assert_array_equal(a, [1.0, 2.0, 3.0])
    g = pytheano.function([x, i], T.inc_subtensor(x[i], 1.0))
    assert not _ops(g, AdvancedIncSubtensor1)[0].inplace
    h = pytheano.function([x, i], T.inc_subtensor((x * 2)[i], 1.0))
    assert _ops(h, AdvancedIncSubtensor1)[0].inplace
    np.testing.assert_array_equal(h(a, [0, 0]), [4.0, 4.0, 6.0])
    mode = pytheano.compile.mode.get_mode("FAST_RUN").excluding("inplace")
    k = pytheano.function([x, y], T.set_subtensor((x * 2)[1:], y), mode=mode)
    assert not _ops(k, IncSubtensor)[0].inplace


@given(st.integers(-3, 3), st.booleans())
def test_results_do_not_change(start, set_instead):
    x, y = T.dvector("x"), T.dvector("y")
    base = T.exp(x)
    sub = base[start:]
    out = T.set_subtensor(sub, y[:1]) if set_instead else T.inc_subtensor(sub, y[:1])
    # The value read after the in-place write must be the old one: base is read again.
    assert_same_as_unrewritten([x, y], out.sum() * 1000 + base.sum())


def test_subtensor_lift_through_a_unary_elemwise():
    from helpers import check_rewrite
    from pytheano.rewriting.subtensor import local_subtensor_lift

    x = T.dmatrix("x")
    # T.mean's divisor: cast(shape(x))[0] -> cast(shape(x)[0]).
    fg = check_rewrite(lambda x: T.cast(x.shape, "float64")[0], local_subtensor_lift,
                       inputs=[x], values=[np.zeros((3, 2))])
    assert type(fg.outputs[0].owner.op).__name__ == "Elemwise"
    check_rewrite(lambda x: T.exp(x)[1:, 0], local_subtensor_lift, inputs=[x],
                  expected=lambda fg: type(fg.outputs[0].owner.op).__name__ == "Elemwise")
    # Out of range: the IndexError of the subtensor stays.
    y = T.dvector("y")
    for mode in (pytheano.Mode(optimizer=None), "FAST_RUN"):
        f = pytheano.function([y], T.exp(y)[5], mode=mode)
        with np.testing.assert_raises(IndexError):
            f(np.zeros(3))
    # Read twice, exp(x) is computed once and stays.
    def twice(x):
        e = T.exp(x)
        return [e[0], e.sum()]

    check_rewrite(twice, local_subtensor_lift, inputs=[x],
                  expected=lambda fg: type(fg.outputs[0].owner.op).__name__ == "Subtensor")


def test_mean_divides_by_the_cast_length():
    x = T.dmatrix("x")
    f = pytheano.function([x], x.mean(axis=0))
    names = [type(n.op).__name__ for n in f.maker.fgraph.toposort()]
    assert "MakeVector" not in names and "Subtensor" not in names, names
    assert_same_as_unrewritten([x], x.mean(axis=0))
