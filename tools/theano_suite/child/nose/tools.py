"""nose.tools: unittest's assert methods under pep8 names, plus nose's decorators."""
import re
import unittest
from functools import wraps

_case = unittest.TestCase("__init__")
_case.maxDiff = None


def _pep8(name):
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


# nose.tools exported every assert* method of TestCase this way (assertEqual -> assert_equal).
for _name in dir(_case):
    if _name.startswith("assert") and "_" not in _name:
        globals()[_pep8(_name)] = getattr(_case, _name)
assert_equals = _case.assertEqual
assert_not_equals = _case.assertNotEqual
assert_raises_regexp = _case.assertRaisesRegex


def ok_(expr, msg=None):
    if not expr:
        raise AssertionError(msg)


def eq_(a, b, msg=None):
    if not a == b:
        raise AssertionError(msg or "%r != %r" % (a, b))


def make_decorator(func):
    def decorate(newfunc):
        newfunc = wraps(func)(newfunc)
        newfunc.compat_func_name = func.__name__
        return newfunc
    return decorate


def raises(*exceptions):
    """The test passes if it raises one of `exceptions`."""
    def decorate(func):
        @make_decorator(func)
        def newfunc(*args, **kw):
            try:
                func(*args, **kw)
            except exceptions:
                return
            raise AssertionError("%s() did not raise %s" % (
                func.__name__, " or ".join(e.__name__ for e in exceptions)))
        return newfunc
    return decorate


def with_setup(setup=None, teardown=None):
    def decorate(func):
        @make_decorator(func)
        def newfunc(*args, **kw):
            if setup:
                setup()
            try:
                return func(*args, **kw)
            finally:
                if teardown:
                    teardown()
        return newfunc
    return decorate


def nottest(func):
    func.__test__ = False
    return func


def istest(func):
    func.__test__ = True
    return func


def timed(limit):
    def decorate(func):
        return func
    return decorate
