"""The compiler driver: OpenMP detection and the flags it puts in the cache key."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.compile.mode import Mode
from pytheano.configparser import config
from pytheano.link.c import compiler as compiler_module
from pytheano.link.c.cache import get_cache
from pytheano.link.c.compiler import (_accepts, _OPENMP_PROBE, _probe, _probe_at_once,
                                      _probe_one_by_one, _probe_openmp, get_compiler)
from pytheano.link.c.module import module_source

pytestmark = pytest.mark.skipif(not config.cxx, reason="no C compiler (cxx='')")


def compiler(openmp):
    old = config.openmp
    config.openmp = openmp
    try:
        return get_compiler(get_cache().root)
    finally:
        config.openmp = old


def test_openmp_support_is_probed_and_recorded():
    c = compiler(False)
    version, arch, has_simd = _probe(c.path, get_cache().root)
    assert has_simd == _accepts(c.path, ["-fopenmp-simd"], "int f(int x) { return x; }\n")
    assert _probe_openmp(c.path, get_cache().root) == _accepts(c.path, ["-fopenmp"],
                                                               _OPENMP_PROBE)
    assert not _accepts(c.path, ["-fno-such-flag-at-all"], "int f(void) { return 0; }\n")


def test_one_run_probe_agrees_with_the_questions_asked_one_by_one(tmp_path, monkeypatch):
    path = compiler(False).path
    at_once = _probe_at_once(path)
    one_by_one = _probe_one_by_one(path)
    if at_once is None:  # not gcc: the one-by-one answers are the probe's
        assert _probe(path, str(tmp_path)) == one_by_one
        return
    assert at_once[1:] == one_by_one[1:]  # -march=native, -fopenmp-simd
    assert at_once[0] and one_by_one[0] != "unknown"
    # Recorded beside the cache: a second probe reads the file and runs nothing.
    assert _probe(path, str(tmp_path)) == at_once
    assert (tmp_path / "compiler-info.json").exists()

    def no_subprocess(cmd):
        raise AssertionError("probed again: %s" % cmd)

    monkeypatch.setattr(compiler_module, "_run", no_subprocess)
    assert _probe(path, str(tmp_path)) == at_once


def test_openmp_flag_is_in_the_cache_key_only_when_asked_and_supported():
    off, on = compiler(False), compiler(True)
    has_openmp = _probe_openmp(off.path, get_cache().root)
    assert "-fopenmp" not in off.flags
    assert ("-fopenmp" in on.flags) == has_openmp
    if has_openmp:
        assert on.description != off.description


def test_openmp_elemwise_splits_big_loops_and_agrees(monkeypatch):
    monkeypatch.setattr(config, "openmp", True)
    monkeypatch.setattr(config, "openmp_elemwise_minsize", 1000)
    x = T.vector(dtype="float64")
    f = pytheano.function([x], T.tanh(x) * 2 + 1, mode=Mode(linker="c"))
    (thunk,) = f.fn.thunks
    source, _ = module_source([thunk.node.op.c_code_node(thunk.node)])
    assert "#pragma omp parallel for simd if(n >= 1000)" in source
    assert thunk.c_calls == 0
    for n in (10, 5000, 100003):
        X = np.random.default_rng(n).standard_normal(n)
        # atol: near tanh(x) = -1/2 the sum cancels, and libmvec's tanh (within a few ulp of
        # numpy's) leaves a 2e-16 absolute difference that is a large relative one.
        np.testing.assert_allclose(f(X), np.tanh(X) * 2 + 1, rtol=1e-14, atol=1e-15)
    assert thunk.c_calls == 3
