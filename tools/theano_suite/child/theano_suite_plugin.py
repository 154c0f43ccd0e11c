"""pytest plugin loaded in every suite child (pytest 7.4 on Python 3.7, pytest 9 on 3.11).

It makes pytest collect Theano's nose-style tests the same way on both versions:
  * test modules are imported by their dotted Theano name through theano_suite_hook, so their
    imports of ``theano.*.tests.*`` helpers resolve to the same copied files;
  * nose-style yield tests are expanded into one item per yielded case (pytest dropped them);
  * return values of tests are ignored (pytest 8.4+ fails them, 7.4 only warns; nose ignored);
and it writes one JSON line per test outcome, and per collection error, to $THEANO_SUITE_OUT.
"""
from __future__ import absolute_import, division, print_function

import importlib
import inspect
import json
import os
import re
import traceback
import unittest

import pytest

import theano_suite_hook

TESTS_ROOT = os.environ["THEANO_SUITE_TESTS_ROOT"]    # copied theano/<pkg>/tests trees
COLLECT_ROOT = os.environ["THEANO_SUITE_COLLECT_ROOT"]  # the same test files, without packages
ALIAS = os.environ.get("THEANO_SUITE_ALIAS") or None  # 'pytheano' for the pytheano run
OUT_PATH = os.environ["THEANO_SUITE_OUT"]
# What-if names (run.py --provide), ';'-separated NAME=EXPR, e.g.
# "theano.tensor.verify_grad=theano.gradient.verify_grad"
PROVIDE = [p.split("=", 1) for p in os.environ.get("THEANO_SUITE_PROVIDE", "").split(";") if p]

_out = None
_results = {}

# Source markers of tests about Theano's optimizer or C-linker internals (see README).
INTERNAL_MARKERS = [
    ("optimizer module", re.compile(r"\b(gof\.opt|tensor\.opt|opt\.[a-z_]+|optdb|out2in|in2out"
                                    r"|[A-Z]\w*Optimizer|local_[a-z0-9_]+|register_(canonicalize"
                                    r"|specialize|stabilize|uncanonicalize)|OpSub|PatternSub"
                                    r"|OpRemove|check_stack_trace)\b")),
    ("C linker/c_code", re.compile(r"\b(c_code\w*|CLinker|OpWiseCLinker|DualLinker|cmodule"
                                   r"|c_support_code\w*|cthunk|CVM|lazylinker_c)\b")),
    ("mode including/excluding", re.compile(r"\.(including|excluding|requiring)\(")),
    ("graph structure after compilation",
     re.compile(r"(\.toposort\(\)|\.apply_nodes|topo\[|\.maker\.fgraph|assertFunctionContains)")),
]


def _write(record):
    global _out
    if _out is None:
        _out = open(OUT_PATH, "a")
    _out.write(json.dumps(record) + "\n")
    _out.flush()  # a timed-out or crashed child still leaves what it finished


def _norm(text):
    return re.sub(r"\bpytheano\b", "theano", text)


def _printable(exc):
    """str(exc), or a placeholder when the exception's own __str__ raises (one such test
    must not stop the whole file's run with an INTERNALERROR)."""
    try:
        return str(exc)
    except Exception as err:  # noqa: BLE001 - any failure of a foreign __str__
        return "<%s: str() raised %s>" % (type(exc).__name__, type(err).__name__)


def describe_exception(exc, tb=None):
    """Type, message and, for import/attribute errors, the missing module or name."""
    msg = _printable(exc)
    info = {"type": type(exc).__name__, "msg": _norm(msg)[:400]}
    missing = None
    option = re.search(r"config has no option '([\w.]+)'", msg)  # pytheano's config error
    if isinstance(exc, ModuleNotFoundError):
        missing = (getattr(exc, "name", None) or msg) + " (module)"
    elif isinstance(exc, ImportError):
        m = re.search(r"cannot import name '([\w.]+)' from '([\w.]+)'", msg)
        if m:
            missing = m.group(2) + "." + m.group(1)
    elif option:
        missing = "theano.config." + option.group(1)
    elif isinstance(exc, AttributeError):
        m = (re.search(r"module '([\w.]+)' has no attribute '(\w+)'", msg)
             or re.search(r"'(\w+)' object has no attribute '(\w+)'", msg)
             or re.search(r"type object '(\w+)' has no attribute '(\w+)'", msg))
        if m:
            missing = m.group(1) + "." + m.group(2)
    if missing:
        info["missing"] = _norm(missing)
    if tb is not None:
        frames = traceback.extract_tb(tb)
        if frames:
            last = frames[-1]
            info["where"] = "%s:%s %s" % (last.filename, last.lineno, last.name)
            info["raised_in_test"] = last.filename.startswith(TESTS_ROOT)
        # A different exception escaping assertRaises(X, f, ...) passes through unittest's handler.
        info["in_assert_raises"] = any(
            f.filename.endswith(os.path.join("unittest", "case.py")) and f.name == "handle"
            for f in frames)
    return info


def internal_markers(func):
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return []
    return [label for label, pattern in INTERNAL_MARKERS if pattern.search(source)]


def provide(name, expr):
    """Set NAME (a dotted attribute under theano) to the value of the Python expression EXPR."""
    import types

    owner, _, attr = name.rpartition(".")
    theano = importlib.import_module("theano")
    obj = eval(owner, {"theano": theano})
    value = eval(expr, {"theano": theano, "types": types})
    try:
        setattr(obj, attr, value)
    except AttributeError:
        object.__setattr__(obj, attr, value)  # e.g. a config section that refuses new names


def pytest_configure(config):
    theano_suite_hook.install(TESTS_ROOT, ALIAS)
    import numpy.testing
    import numpy_testing_dec
    numpy.testing.dec = numpy_testing_dec  # gone in numpy 1.25; the same one for both runs
    import numpy_removed
    numpy_removed.install()  # np.find_common_type & co., gone in numpy 2, only where missing
    for name, expr in PROVIDE:
        provide(name, expr)


def dotted_name(path):
    rel = os.path.relpath(str(path), COLLECT_ROOT)
    return os.path.splitext(rel)[0].replace(os.sep, ".")


class TheanoModule(pytest.Module):
    """Imports the test file by its Theano name, through the finder, not by file path."""

    def _getobj(self):
        name = dotted_name(self.path)
        try:
            return __import__(name, fromlist=["*"])
        except unittest.SkipTest as exc:
            raise pytest.skip.Exception(str(exc), allow_module_level=True) from None
        except Exception as exc:
            _write({"collect_error": self.nodeid,
                    "exc": describe_exception(exc, exc.__traceback__)})
            raise self.CollectError("%s: %s\n%s" % (type(exc).__name__, exc,
                                                    traceback.format_exc())) from None


def pytest_pycollect_makemodule(module_path, parent):
    return TheanoModule.from_parent(parent, path=module_path)


class YieldCase(pytest.Item):
    """One case of a nose yield test: call(*args), with the class's setup/teardown around."""

    def __init__(self, *, call, args, instance=None, **kw):
        super().__init__(**kw)
        self.call, self.args, self.instance = call, args, instance

    def runtest(self):
        setup = getattr(self.instance, "setup", None) or getattr(self.instance, "setUp", None)
        teardown = (getattr(self.instance, "teardown", None)
                    or getattr(self.instance, "tearDown", None))
        if setup:
            setup()
        try:
            self.call(*self.args)
        finally:
            if teardown:
                teardown()

    def reportinfo(self):
        return self.path, None, self.name


class YieldTest(pytest.Collector):
    """A generator test: running it at collection time yields (callable, *args) cases."""

    def __init__(self, *, gen, **kw):
        super().__init__(**kw)
        self.gen = gen

    def collect(self):
        owner = self.parent.obj
        instance = None
        gen = self.gen
        if inspect.isclass(owner):
            # nose ran setup_class before a class's generators; do it once per class.
            if hasattr(owner, "setup_class") and not owner.__dict__.get("_suite_set_up"):
                owner.setup_class()
                owner._suite_set_up = True
            instance = owner()
            if hasattr(instance, "setup"):
                instance.setup()
            gen = getattr(instance, self.name)
        try:
            cases = list(gen())
        except unittest.SkipTest:
            raise
        except Exception as exc:
            _write({"collect_error": self.nodeid,
                    "exc": describe_exception(exc, exc.__traceback__)})
            raise
        items = []
        for i, case in enumerate(cases):
            if not isinstance(case, tuple):
                case = (case,)
            item = YieldCase.from_parent(self, name="%s[%d]" % (self.name, i),
                                         call=case[0], args=case[1:], instance=instance)
            item.theano_markers = internal_markers(self.gen)
            items.append(item)
        return items


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector, name, obj):
    if name.startswith("_"):
        return []  # nose never collected private names
    if inspect.isgeneratorfunction(obj) and collector.funcnamefilter(name):
        if getattr(obj, "__test__", True):
            return YieldTest.from_parent(collector, name=name, gen=obj)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    funcargs = pyfuncitem.funcargs
    args = {arg: funcargs[arg] for arg in pyfuncitem._fixtureinfo.argnames}
    pyfuncitem.obj(**args)  # nose ignored return values; so do we, on every pytest
    return True


def pytest_collection_modifyitems(items):
    for item in items:
        if not hasattr(item, "theano_markers"):
            item.theano_markers = internal_markers(getattr(item, "obj", None))


def pytest_runtest_logstart(nodeid, location):
    _write({"start": nodeid})


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    rec = _results.setdefault(item.nodeid, {"id": item.nodeid, "outcome": "passed",
                                            "marks": item.theano_markers, "dur": 0.0})
    rec["dur"] += call.duration
    if report.failed and rec["outcome"] != "failed":
        rec["outcome"] = "failed"
        rec["when"] = call.when
        if call.excinfo is not None:
            rec["exc"] = describe_exception(call.excinfo.value, call.excinfo.tb)
    elif report.skipped and rec["outcome"] == "passed":
        rec["outcome"] = "skipped"


def pytest_runtest_logfinish(nodeid, location):
    rec = _results.pop(nodeid, None)
    if rec is not None:
        _write(rec)
