"""pytheano/compile/monitormode.py: MonitorMode's pre_func/post_func (the call sequence was
recorded from Theano 1.0.5 on the same graph with optimizer=None)."""
import numpy as np

import pytheano as theano
import pytheano.tensor as T
from pytheano.compile.monitormode import MonitorMode


def test_pre_and_post_func_around_each_node():
    x = T.dscalar("x")
    seen = []

    def pre(i, node, fn):
        seen.append(("pre", i, str(node.op), [float(c[0]) for c in fn.inputs]))

    def post(i, node, fn):
        seen.append(("post", i, str(node.op), [float(c[0]) for c in fn.outputs]))

    f = theano.function([x], [T.log(x) * x],
                        mode=MonitorMode(pre_func=pre, post_func=post, optimizer=None))
    assert np.isnan(f(0.0)[0])
    assert seen == [
        ("pre", 0, "Elemwise{log,no_inplace}", [0.0]),
        ("post", 0, "Elemwise{log,no_inplace}", [-np.inf]),
        ("pre", 1, "Elemwise{mul,no_inplace}", [-np.inf, 0.0]),
        ("post", 1, "Elemwise{mul,no_inplace}", [seen[3][3][0]]),
    ]
    assert np.isnan(seen[3][3][0])


def test_detect_nan_and_clone():
    x = T.dscalar("x")
    found = []

    def detect(i, node, fn):
        if any(np.isnan(o[0]).any() for o in fn.outputs):
            found.append(node)

    f = theano.function([x], [T.log(x) * x], mode=MonitorMode(post_func=detect))
    f(0)
    assert len(found) == 1
    m = MonitorMode(post_func=detect).including("fast_run")
    assert type(m) is MonitorMode and m.post_func is detect
    assert theano.compile.MonitorMode is MonitorMode
