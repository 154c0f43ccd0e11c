"""tools/theano_suite: the import-hook mapping, the failure categories and the Theano-side
fixture (no peer venv needed)."""
import json
import sys
import types
from pathlib import Path

import pytest

SUITE = Path(__file__).resolve().parents[2] / "tools" / "theano_suite"
if not (SUITE / "child" / "theano_suite_hook.py").exists():
    pytest.skip("tools/theano_suite is not in this checkout", allow_module_level=True)
sys.path[:0] = [str(SUITE / "child"), str(SUITE)]

import fixture  # noqa: E402
import report  # noqa: E402
import theano_suite_hook as hook  # noqa: E402


@pytest.fixture
def finder(tmp_path, monkeypatch):
    """A fake stand-in package `fakeano` and a copied Theano test tree."""
    (tmp_path / "fakeano").mkdir()
    (tmp_path / "fakeano" / "__init__.py").write_text("")
    (tmp_path / "fakeano" / "tensor.py").write_text("WHO = 'stand-in'\n")
    tests = tmp_path / "copied" / "theano" / "tests"
    tests.mkdir(parents=True)
    (tests / "__init__.py").write_text("")
    (tests / "helpers.py").write_text("from theano.tensor import WHO\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    f = hook.TheanoFinder(str(tmp_path / "copied"), alias="fakeano")
    sys.meta_path.insert(0, f)
    yield f
    sys.meta_path.remove(f)
    for name in set(sys.modules) - before:
        del sys.modules[name]


def test_library_modules_are_the_stand_in(finder):
    import fakeano.tensor
    import theano.tensor

    assert theano.tensor is fakeano.tensor
    assert fakeano.tensor.__spec__.name == "fakeano.tensor"  # its own spec is kept


def test_test_helpers_come_from_the_copy(finder):
    from theano.tests import helpers

    assert helpers.WHO == "stand-in"
    assert "copied" in helpers.__file__


def test_missing_module_fails_under_the_theano_name(finder):
    with pytest.raises(ModuleNotFoundError, match="theano.sparse"):
        import theano.sparse  # noqa: F401


def test_is_test_module():
    assert hook.is_test_module("theano.tensor.tests.test_basic")
    assert hook.is_test_module("theano.tests")
    assert not hook.is_test_module("theano.tensor.basic")


def test_categories():
    assert report.categorize({"type": "ModuleNotFoundError", "missing": "theano.sparse (module)"}) \
        == ("missing module", "theano.sparse (module)")
    assert report.categorize({"type": "AttributeError", "missing": "theano.tensor.topk"})[0] \
        == "missing name (module attribute)"
    assert report.categorize({"type": "AssertionError", "msg": "", "raised_in_test": True})[0] \
        == "wrong value (AssertionError)"
    assert report.categorize({"type": "TypeError", "msg": "", "in_assert_raises": True})[0] \
        == "wrong exception type"


def _fake_run(workdir, side, records, statuses):
    raw = workdir / "raw" / side
    raw.mkdir(parents=True, exist_ok=True)
    for rel, lines in records.items():
        (raw / fixture.raw_name(rel)).write_text("".join(json.dumps(x) + "\n" for x in lines))
    args = types.SimpleNamespace(runs=side, provide=[], flags="cxx=", timeout=300, jobs=1)
    report.save_statuses(workdir, statuses, sorted(records), 1.0, args)


def test_fixture_round_trip_gives_the_same_report(tmp_path):
    """A report built from a saved Theano side equals the one built from the run itself."""
    theano = {
        "a/tests/test_x.py": [
            {"start": "theano/a/tests/test_x.py::t1"},
            {"id": "theano/a/tests/test_x.py::t1", "outcome": "passed", "marks": [], "dur": 1},
            {"id": "theano/a/tests/test_x.py::t2", "outcome": "failed", "marks": ["C linker"],
             "exc": {"type": "ValueError", "msg": "Theano's words"}, "dur": 1},
            {"start": "theano/a/tests/test_x.py::t3"}],  # cut off by the timeout
        "b/tests/test_y.py": [{"collect_error": "theano/b/tests/test_y.py",
                               "exc": {"type": "ImportError", "msg": "no scipy"}}]}
    pytheano = {"a/tests/test_x.py": [
        {"id": "theano/a/tests/test_x.py::t1", "outcome": "failed", "marks": [],
         "exc": {"type": "TypeError", "msg": "x"}, "dur": 1},
        {"id": "theano/a/tests/test_x.py::t2", "outcome": "passed", "marks": [], "dur": 1}]}
    ran = tmp_path / "ran"
    _fake_run(ran, "theano", theano, {("theano", "a/tests/test_x.py"): ("timeout", 300.0),
                                      ("theano", "b/tests/test_y.py"): ("ok", 2.0)})
    _fake_run(ran, "pytheano", pytheano, {("pytheano", "a/tests/test_x.py"): ("ok", 1.0)})
    saved = tmp_path / "theano.json.gz"
    info = fixture.save(ran, saved, ["a/tests/test_x.py", "b/tests/test_y.py", "c/tests/t.py"])
    assert info["tests"] == 2 and info["passed"] == 1
    assert info["partial"] and info["missing"] == ["c/tests/t.py"]
    assert info["stopped_early"] == ["a/tests/test_x.py"]
    assert b"Theano's words" not in __import__("gzip").decompress(saved.read_bytes())

    fresh = tmp_path / "fresh"
    _fake_run(fresh, "pytheano", pytheano, {("pytheano", "a/tests/test_x.py"): ("ok", 1.0)})
    statuses, data = fixture.load(saved, fresh)
    args = types.SimpleNamespace(theano_from=saved, runs="pytheano")
    report.save_statuses(fresh, statuses, sorted(data["files"]), None, args, theano_from=data)
    report.build(ran), report.build(fresh)
    rows = [json.loads((d / "results/tests.json").read_text()) for d in (ran, fresh)]
    assert rows[0] == rows[1]
    assert [(r["test"], r["theano"], r["pytheano"], r["category"]) for r in rows[1]] == [
        ("t1", "passed", "failed", "TypeError"), ("t2", "failed", "passed", "")]
    summary = (fresh / "results/summary.md").read_text()
    assert "Theano side from the fixture" in summary and "**partial**" in summary
    # a later pytheano run in that work dir keeps saying where the Theano side came from
    _fake_run(fresh, "pytheano", pytheano, {("pytheano", "a/tests/test_x.py"): ("ok", 1.0)})
    report.build(fresh)
    assert "Theano side from the fixture" in (fresh / "results/summary.md").read_text()
    # the collection error of b/ survives (counted as Theano's collection error)
    assert fixture.read(saved)["files"]["b/tests/test_y.py"]["collect_errors"]


def test_an_exception_whose_str_raises_is_still_described(tmp_path, monkeypatch):
    for name in ("TESTS_ROOT", "COLLECT_ROOT", "OUT"):  # what run.py gives the child
        monkeypatch.setenv("THEANO_SUITE_" + name, str(tmp_path / name))
    import theano_suite_plugin as plugin

    class Unprintable(Exception):
        def __str__(self):
            raise TypeError("only 0-dimensional arrays can be converted")

    info = plugin.describe_exception(Unprintable())
    assert info["type"] == "Unprintable"
    assert "str() raised TypeError" in info["msg"]
    assert plugin.describe_exception(ValueError("plain"))["msg"] == "plain"
