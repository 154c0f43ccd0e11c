"""DebugMode runs each C node and checks it against the node's perform."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.compile.debugmode import BadThunkOutput, DebugMode
from pytheano.scalar import basic as S
from pytheano.tensor.elemwise import Elemwise

pytestmark = pytest.mark.skipif(not pytheano.config.cxx, reason="no C compiler (cxx='')")


class WrongC(Elemwise):
    """An Elemwise whose C adds one to what its perform computes."""

    def c_code_node(self, node):
        code = super().c_code_node(node)
        code.body = code.body.rstrip(";") + " + 1;"
        return code


def test_debugmode_accepts_c_that_agrees_with_perform():
    x, y = T.matrix(), T.lvector()
    f = pytheano.function([x, y], [T.exp(x) * 2 - x, y // 3], mode=DebugMode(optimizer=None))
    a = np.arange(6.0).reshape(2, 3)
    got = f(a, np.arange(-4, 4))
    np.testing.assert_allclose(got[0], np.exp(a) * 2 - a)
    np.testing.assert_array_equal(got[1], np.arange(-4, 4) // 3)


def test_debugmode_reports_c_that_disagrees_with_perform():
    x = T.vector()
    out = WrongC(S.neg)(x)
    f = pytheano.function([x], out, mode=DebugMode(optimizer=None))
    with pytest.raises(BadThunkOutput) as err:
        f(np.arange(3.0))
    text = str(err.value)
    assert text.startswith("BadThunkOutput") and "thunk1  : c_code" in text
    assert err.value.offending_op() is WrongC
    # The same graph in FAST_RUN's linker simply runs the (wrong) C: DebugMode caught it.
    g = pytheano.function([x], out, mode=pytheano.Mode(linker="c", optimizer=None))
    np.testing.assert_array_equal(g(np.arange(3.0)), -np.arange(3.0) + 1)
