"""tools/theano_suite: the import-hook mapping and the failure categories (no peer venv needed)."""
import sys
from pathlib import Path

import pytest

SUITE = Path(__file__).resolve().parents[2] / "tools" / "theano_suite"
if not (SUITE / "child" / "theano_suite_hook.py").exists():
    pytest.skip("tools/theano_suite is not in this checkout", allow_module_level=True)
sys.path[:0] = [str(SUITE / "child"), str(SUITE)]

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
