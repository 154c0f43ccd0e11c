"""``numpy.testing.dec`` as Theano's tests use it (numpy < 1.25 had it, built on nose).

Installed as numpy.testing.dec in both runs, so a skip means the same thing on either side.
"""
import functools
import inspect
import unittest


def skipif(skip_condition, msg=None):
    def decorate(func):
        def should_skip():
            return skip_condition() if callable(skip_condition) else skip_condition

        reason = "Skipping test: %s: %s" % (func.__name__,
                                            msg or "Test skipped due to test condition")
        if inspect.isgeneratorfunction(func):
            @functools.wraps(func)
            def skipper(*args, **kwargs):
                if should_skip():
                    raise unittest.SkipTest(reason)
                for case in func(*args, **kwargs):
                    yield case
        else:
            @functools.wraps(func)
            def skipper(*args, **kwargs):
                if should_skip():
                    raise unittest.SkipTest(reason)
                return func(*args, **kwargs)
        return skipper
    return decorate


def knownfailureif(fail_condition, msg=None):
    return skipif(fail_condition, msg or "Test skipped due to known failure")


def slow(func):
    func.slow = True
    return func
