"""pytheano/rewriting/shape.py: reshape to the own shape, a Rebroadcast that changes no
flag and the full slice removed; the ones that change the type (and check at run time) stay."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.compile.mode import Mode
from pytheano.rewriting import shape as rshape
from pytheano.tensor.basic import Rebroadcast
from pytheano.tensor.shape import Reshape
from pytheano.tensor.slicing import Subtensor
from tests.helpers import assert_same_as_unrewritten, check_rewrite

NONE = Mode(optimizer=None)
SPECIAL = ("nan", "inf", "-inf")




def _ops_of(cls):
    return lambda fg: any(isinstance(n.op, cls) for n in fg.apply_nodes)


FIRES = [
    (rshape.local_reshape_own_shape, lambda x: x.reshape(x.shape)),
    (rshape.local_reshape_own_shape, lambda x: x.reshape((x.shape[0], x.shape[1]))),
    (rshape.local_useless_rebroadcast, lambda x: Rebroadcast((0, False))(x)),
    (rshape.local_full_subtensor, lambda x: x[:]),
    (rshape.local_full_subtensor, lambda x: x[::1, :]),
]


@pytest.mark.parametrize("row", FIRES, ids=lambda row: row[0].name)
def test_rule_fires(row):
    rewrite, build = row
    x = T.dmatrix("x")
    check_rewrite(build, rewrite, expected=lambda fg: fg.outputs[0] is fg.inputs[0],
                  inputs=[x], special=SPECIAL)
    assert_same_as_unrewritten([x], build(x))


SKIPS = [
    (rshape.local_reshape_own_shape, lambda x: x.reshape((x.shape[1], x.shape[0])), Reshape),
    (rshape.local_useless_rebroadcast, lambda x: T.addbroadcast(x[:1], 0), Rebroadcast),
    (rshape.local_full_subtensor, lambda x: x[1:], Subtensor),
    (rshape.local_full_subtensor, lambda x: x[::-1], Subtensor),
    (rshape.local_full_subtensor, lambda x: x[0], Subtensor),
]


@pytest.mark.parametrize("row", SKIPS, ids=lambda row: row[0].name)
def test_rule_skips(row):
    rewrite, build, cls = row
    x = T.dmatrix("x")
    check_rewrite(build, rewrite, expected=_ops_of(cls), inputs=[x], special=SPECIAL)
    assert_same_as_unrewritten([x], build(x))


def test_a_rebroadcast_that_checks_a_size_still_raises():
    x = T.dmatrix("x")
    f = pytheano.function([x], T.addbroadcast(x, 0), mode="FAST_RUN")
    with pytest.raises(ValueError):
        f(np.zeros((2, 3)))
