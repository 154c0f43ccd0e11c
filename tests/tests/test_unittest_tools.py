"""pytheano/tests/unittest_tools.py: Theano's `utt` helpers (defaults as Theano 1.0.5)."""
import numpy as np
import pytest

import pytheano.tensor as T
from pytheano.gradient import zero_grad
from pytheano.tests import unittest_tools as utt


def test_seeds():
    assert utt.fetch_seed() == 666 and utt.fetch_seed(42) == 42
    assert utt.seed_rng() == 666
    a = np.random.rand()
    utt.seed_rng()
    assert np.random.rand() == a


def test_assert_allclose_uses_theano_tolerances():
    utt.assert_allclose(np.float32(1), np.float32(1 + 5e-6))
    with pytest.raises(utt.WrongValue, match="rtol, atol"):
        utt.assert_allclose(np.ones(2), np.ones(2) + 1e-4)


def test_verify_grad_and_infer_shape_tester():
    utt.verify_grad(lambda x: T.sum(x ** 2), [np.random.rand(3)])
    with pytest.raises(utt.verify_grad.E_grad):
        # zero_grad hides half of the gradient, so the check fails.
        utt.verify_grad(lambda x: zero_grad(x) * x, [np.random.rand(3) + 1])

    class Case(utt.InferShapeTester):
        def runTest(self):
            x = T.dmatrix("x")
            from pytheano.tensor.extra_ops import CumOp

            # check_topo=False: the shape graph keeps CumOp until the shape rewrites exist
            # in this tree (Theano's check that infer_shape removed the op).
            self._compile_and_check([x], [T.cumsum(x, axis=1)], [np.ones((2, 3))], CumOp,
                                    check_topo=False)

    case = Case()
    case.setUp()
    case.runTest()
