"""Packaging: every Cython source is built, and the sources ship in the sdist and the wheel.

Building the sdist and the wheel takes a minute (an isolated build compiles the core), too slow
for the suite; these checks read the same configuration the build reads.
"""
import importlib
import importlib.machinery
import os
import sys

import pytest

import pytheano

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKG = os.path.dirname(os.path.abspath(pytheano.__file__))


def cython_modules():
    found = []
    for dirpath, _, files in os.walk(PKG):
        for f in files:
            if f.endswith(".pyx"):
                rel = os.path.relpath(os.path.join(dirpath, f[:-4]), os.path.dirname(PKG))
                found.append(rel.replace(os.sep, "."))
    return sorted(found)


def test_the_core_is_cython():
    assert "pytheano._core.graph" in cython_modules()


@pytest.mark.parametrize("name", cython_modules())
def test_every_pyx_is_built_as_an_extension(name):
    """A .pyx that setup.py does not compile would import as nothing (or fail) here."""
    mod = importlib.import_module(name)
    assert mod.__file__.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)), mod.__file__


@pytest.mark.parametrize("name", cython_modules())
def test_every_pyx_has_its_pxd(name):
    base = os.path.join(os.path.dirname(PKG), *name.split("."))
    assert os.path.exists(base + ".pxd"), "%s.pyx has no .pxd beside it" % name


def _manifest_lines():
    path = os.path.join(ROOT, "MANIFEST.in")
    if not os.path.exists(path):
        pytest.skip("not a source checkout")
    with open(path) as f:
        return [line.split() for line in f if line.strip() and not line.startswith("#")]


def test_sdist_manifest_ships_cython_sources_and_tests():
    lines = _manifest_lines()
    ships = {pattern for words in lines if words[0] == "recursive-include"
             and words[1] == "pytheano" for pattern in words[2:]}
    assert {"*.pyx", "*.pxd"} <= ships
    grafted = {words[1] for words in lines if words[0] == "graft"}
    assert {"tests", "examples", "benchmarks"} <= grafted
    # Generated C and built binaries never go in the sdist.
    excluded = {p for words in lines if words[0] == "global-exclude" for p in words[1:]}
    assert {"*.c", "*.so"} <= excluded


def test_wheel_package_data_ships_cython_sources():
    if sys.version_info < (3, 11):
        tomllib = pytest.importorskip("tomli")
    else:
        import tomllib
    path = os.path.join(ROOT, "pyproject.toml")
    if not os.path.exists(path):
        pytest.skip("not a source checkout")
    with open(path, "rb") as f:
        data = tomllib.load(f)["tool"]["setuptools"]["package-data"]
    packages = {name.rsplit(".", 1)[0] for name in cython_modules()}
    for pkg in packages:
        assert {"*.pyx", "*.pxd"} <= set(data.get(pkg, ())), pkg
