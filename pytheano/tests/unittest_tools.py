"""Theano 1.0's ``theano.tests.unittest_tools`` (``utt``): seeding, verify_grad,
assert_allclose with Theano's tolerances, and the InferShapeTester base class that Theano's
test files (and tests written in their style) use."""
import logging
import sys
import unittest
from io import StringIO
from unittest import SkipTest  # noqa: F401

import numpy as np

from pytheano.compile.function import function
from pytheano.compile.mode import get_default_mode
from pytheano.configparser import config
from pytheano.gradient import verify_grad as _verify_grad
from pytheano.tensor.basic import _allclose, _get_atol_rtol

_logger = logging.getLogger("theano.tests.unittest_tools")


def attr(*tags):
    """nose's ``@attr('slow')``: tags nothing here (pytest selects tests by other means)."""
    def decorate(f):
        return f

    return decorate


class _Param:
    __slots__ = ("args", "kwargs")

    def __init__(self, args, kwargs=None):
        self.args = tuple(args)
        self.kwargs = kwargs or {}


class parameterized:
    """``@parameterized.expand([...])`` for the Theano tests that use it: the ``parameterized``
    package when installed, else this small stand-in (one test method per parameter set,
    added to the class being defined)."""

    @staticmethod
    def to_safe_name(s):
        return "".join(c if c.isalnum() else "_" for c in str(s))

    @staticmethod
    def expand(params, name_func=None):
        def decorate(f):
            namespace = sys._getframe(1).f_locals  # the class body being executed
            for num, p in enumerate(params):
                param = p if isinstance(p, _Param) else _Param(
                    p if isinstance(p, (tuple, list)) else (p,))
                name = (name_func(f, num, param) if name_func is not None
                        else "%s_%d" % (f.__name__, num))

                def test(self, _param=param):
                    return f(self, *_param.args, **_param.kwargs)

                test.__name__ = name
                namespace[name] = test
            return None

        return decorate


try:
    from parameterized import parameterized  # noqa: F811
except ImportError:
    pass


def custom_name_func(testcase_func, param_num, param):
    return "%s_%s" % (testcase_func.__name__,
                      parameterized.to_safe_name("_".join(str(x) for x in param.args)))


def fetch_seed(pseed=None):
    """The seed for a test: ``pseed``, else config.unittests.rseed (666; 'random' is None)."""
    seed = pseed or config.unittests.rseed
    if seed == "random":
        return None
    try:
        return int(seed) if seed else None
    except ValueError:
        print("Error: config.unittests.rseed contains invalid seed, using None instead",
              file=sys.stderr)
        return None


def seed_rng(pseed=None):
    """Seed numpy's global generator with ``fetch_seed(pseed)``; returns the seed."""
    seed = fetch_seed(pseed)
    np.random.seed(seed)
    return seed


def verify_grad(op, pt, n_tests=2, rng=None, *args, **kwargs):
    """``theano.gradient.verify_grad``, seeding numpy's generator when ``rng`` is None."""
    if rng is None:
        seed_rng()
        rng = np.random
    _verify_grad(op, pt, n_tests, rng, *args, **kwargs)


verify_grad.E_grad = getattr(_verify_grad, "E_grad", None)


class MockRandomState:
    """A RandomState stand-in returning one value (to test values at the boundaries)."""

    def __init__(self, val):
        self.val = val

    def rand(self, *shape):
        return np.zeros(shape, dtype="float64") + self.val

    def randint(self, minval, maxval=None, size=1):
        if maxval is None:
            minval, maxval = 0, minval
        out = np.zeros(size, dtype="int64")
        if self.val == 0:
            return out + minval
        return out + maxval - 1


class InferShapeTester(unittest.TestCase):
    """Base class whose ``_compile_and_check`` checks an op's infer_shape: the shapes
    computed without running ``cls`` equal the real output shapes."""

    def setUp(self):
        seed_rng()
        mode = getattr(self, "mode", None)
        if mode is None:
            mode = get_default_mode()
        self.mode = mode.including("canonicalize")

    def _compile_and_check(self, inputs, outputs, numeric_inputs, cls, excluding=None,
                           warn=True, check_topo=True):
        mode = self.mode
        if excluding:
            mode = mode.excluding(*excluding)
        if warn:
            for var, inp in zip(inputs, numeric_inputs):
                if isinstance(inp, (int, float, list, tuple)):
                    inp = var.type.filter(inp)
                if not hasattr(inp, "shape"):
                    continue
                bc = getattr(var.type, "broadcastable", (False,) * inp.ndim)
                shp = [inp.shape[i] for i in range(inp.ndim) if not bc[i]]
                if len(set(shp)) != len(shp):
                    _logger.warning("While testing shape inference for %r, we received an "
                                    "input with a shape that has some repeated values: %r, "
                                    "like a square matrix. This makes it impossible to check "
                                    "if the values for these dimensions have been correctly "
                                    "used, or if they have been mixed up.", cls, inp.shape)
                    break
        outputs_function = function(inputs, outputs, mode=mode)
        shapes_function = function(inputs, [o.shape for o in outputs], mode=mode)
        if check_topo:
            topo_shape = shapes_function.maker.fgraph.toposort()
            assert not any(isinstance(t.op, cls) for t in topo_shape)
        topo_out = outputs_function.maker.fgraph.toposort()
        assert any(isinstance(t.op, cls) for t in topo_out)
        numeric_outputs = outputs_function(*numeric_inputs)
        numeric_shapes = shapes_function(*numeric_inputs)
        for out, shape in zip(numeric_outputs, numeric_shapes):
            assert np.all(out.shape == shape), (out.shape, shape)


def str_diagnostic(expected, value, rtol, atol):
    """A multi-line description of how ``value`` differs from ``expected``."""
    sio = StringIO()
    for label, arr in (("  Expected :", expected), ("  Value    :", value)):
        try:
            print(label, arr.shape, arr.dtype, arr.strides, arr.min(), arr.max(),
                  np.isinf(arr).sum(), np.isnan(arr).sum(), file=sio)
        except Exception:  # not an array: the plain values below say enough
            pass
    print("  expected    :", expected, file=sio)
    print("  value    :", value, file=sio)
    try:
        ov, nv = np.asarray(expected), np.asarray(value)
        absdiff = np.absolute(nv - ov)
        print("  Max Abs Diff: ", np.max(absdiff), file=sio)
        print("  Mean Abs Diff: ", np.mean(absdiff), file=sio)
        with np.errstate(divide="ignore", invalid="ignore"):
            reldiff = absdiff / np.absolute(ov)
        print("  Max Rel Diff: ", np.max(reldiff), file=sio)
        print("  Mean Rel Diff: ", np.mean(reldiff), file=sio)
    except Exception:
        pass
    atol_, rtol_ = _get_atol_rtol(np.asarray(expected), np.asarray(value))
    print("  rtol, atol:", rtol_ if rtol is None else rtol, atol_ if atol is None else atol,
          file=sio)
    return sio.getvalue()


class WrongValue(Exception):
    def __init__(self, expected_val, val, rtol, atol):
        super().__init__()
        self.val1, self.val2, self.rtol, self.atol = expected_val, val, rtol, atol

    def __str__(self):
        return "WrongValue\n" + str_diagnostic(self.val1, self.val2, self.rtol, self.atol)


def assert_allclose(expected, value, rtol=None, atol=None):
    """Raise WrongValue unless ``value`` is close to ``expected`` with Theano's dtype-based
    tolerances (tensor.basic._allclose)."""
    if not _allclose(expected, value, rtol, atol):
        raise WrongValue(expected, value, rtol, atol)


def assertFailure_fast(f):
    """Decorator: expect ``f`` to fail when config.cycle_detection is 'fast'."""
    def test_with_assert(*args, **kwargs):
        if config.cycle_detection == "fast":
            try:
                f(*args, **kwargs)
            except Exception:
                return
            raise AssertionError("expected a failure with cycle_detection='fast'")
        return f(*args, **kwargs)

    return test_with_assert
