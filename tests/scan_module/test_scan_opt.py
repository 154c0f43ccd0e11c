"""``theano.scan_module.scan_opt.ScanMerge`` (pytheano/scan_module/scan_opt.py): Theano's
test of its set rule, and its apply merging two loops."""
import numpy as np

import pytheano as theano
import pytheano.tensor as T
from pytheano.scan.op import Scan
from pytheano.scan_module.scan_opt import ScanMerge


def test_for_and_while_loops_are_not_merged():
    inps, state = T.vector(), T.scalar()
    y1, _ = theano.scan(lambda x, y: x * y, sequences=inps, outputs_info=state, n_steps=5)
    y2, _ = theano.scan(lambda x, y: (x + y, theano.scan_module.until(x > 0)),
                        sequences=inps, outputs_info=state, n_steps=5)
    node1, node2 = y1.owner.inputs[0].owner, y2.owner.inputs[0].owner
    assert not ScanMerge().belongs_to_set(node1, [node2])
    assert not ScanMerge().belongs_to_set(node2, [node1])


def test_apply_merges_two_loops_of_five_steps():
    inps, state = T.vector(), T.scalar()
    y1, _ = theano.scan(lambda x, y: x * y, sequences=inps, outputs_info=state, n_steps=5)
    y2, _ = theano.scan(lambda x, y: x + y, sequences=inps, outputs_info=state, n_steps=5)
    fgraph = theano.graph.fg.FunctionGraph([inps, state], [y1, y2])
    nodes = [n for n in fgraph.toposort() if isinstance(n.op, Scan)]
    assert ScanMerge().belongs_to_set(nodes[1], [nodes[0]])
    assert ScanMerge().apply(fgraph) == 1
    (merged,) = [n for n in fgraph.toposort() if isinstance(n.op, Scan)]
    assert merged.op.name == "scan_fn&scan_fn"
    f = theano.function(fgraph.inputs, fgraph.outputs)
    got1, got2 = f(np.arange(1.0, 6.0), 2.0)
    np.testing.assert_allclose(got1, 2.0 * np.cumprod(np.arange(1.0, 6.0)))
    np.testing.assert_allclose(got2, 2.0 + np.cumsum(np.arange(1.0, 6.0)))
