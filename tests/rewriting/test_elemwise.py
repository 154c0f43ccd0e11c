"""pytheano/rewriting/elemwise.py: DimShuffles composed and removed, casts to the same dtype
removed; graphs before and after, values exactly as optimizer=None."""
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.compile.mode import Mode
from pytheano.rewriting import elemwise as relem
from pytheano.tensor.elemwise import DimShuffle, Elemwise
from tests.helpers import assert_same_as_unrewritten, check_rewrite

NONE = Mode(optimizer=None)
SPECIAL = ("nan", "inf", "-inf")


def _names(fgraph):
    return [str(n.op) for n in fgraph.toposort()]




FIRES = [
    (relem.local_dimshuffle_dimshuffle, lambda x: x.T.T, [DimShuffle]),
    (relem.local_dimshuffle_dimshuffle, lambda x: x.dimshuffle(1, "x", 0).dimshuffle(2, 1, 0),
     [DimShuffle]),
    (relem.local_dimshuffle_identity, lambda x: x.dimshuffle(0, 1), []),
    (relem.local_cast_same_dtype, lambda x: Elemwise(pytheano.scalar.basic.Cast(
        pytheano.scalar.basic.float64))(x), []),
]


@pytest.mark.parametrize("row", FIRES, ids=lambda row: row[0].name)
def test_rule_fires(row):
    rewrite, build, expected = row
    x = T.dmatrix("x")
    fg = check_rewrite(build, rewrite, expected=expected, inputs=[x], special=SPECIAL)
    assert_same_as_unrewritten([x], build(x))
    if expected:
        # The two DimShuffles of x.T.T compose to the identity, which the next rule removes.
        assert fg.toposort()[0].inputs[0].name == "x"


def test_dimshuffles_compose_then_vanish_under_fast_run():
    x = T.dmatrix("x")
    f = pytheano.function([x], x.T.T.dimshuffle("x", 0, 1).dimshuffle(1, 2), mode="FAST_RUN")
    assert _names(f.maker.fgraph) == ["DeepCopyOp"]


def test_dropping_a_broadcastable_axis_is_kept():
    # row.dimshuffle('x', 0, 1).dimshuffle(2, 0) is DimShuffle{1, 0}: the composed order
    # drops the row's broadcastable axis 0 and reuses it as the 'x' in front; type (n, 1).
    x = T.row("x", dtype="float64")
    build = lambda x: x.dimshuffle("x", 0, 1).dimshuffle(2, 0)  # noqa: E731
    check_rewrite(build, relem.local_dimshuffle_dimshuffle, expected=[DimShuffle],
                  inputs=[x], special=SPECIAL)
    assert_same_as_unrewritten([x], build(x))


@pytest.mark.parametrize("build", [lambda x: x.dimshuffle(1, 0), lambda x: x.dimshuffle(0, "x", 1)])
def test_no_identity_no_removal(build):
    x = T.dmatrix("x")
    check_rewrite(build, relem.local_dimshuffle_identity, expected=[DimShuffle], inputs=[x])


def test_a_cast_that_changes_the_dtype_stays():
    x = T.dmatrix("x")
    check_rewrite(lambda x: T.cast(x, "float32"), relem.local_cast_same_dtype,
                  expected=lambda fg: _names(fg) == ["Elemwise{Cast{float32}}"], inputs=[x],
                  special=SPECIAL)
