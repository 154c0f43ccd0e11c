"""The compiler driver: OpenMP detection and the flags it puts in the cache key."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.compile.mode import Mode
from pytheano.configparser import config
from pytheano.link.c.cache import get_cache
from pytheano.link.c.compiler import _accepts, _OPENMP_PROBE, _probe, get_compiler
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
    version, arch, has_simd, has_openmp = _probe(c.path, get_cache().root)
    assert has_simd == _accepts(c.path, ["-fopenmp-simd"], "int f(int x) { return x; }\n")
    assert has_openmp == _accepts(c.path, ["-fopenmp"], _OPENMP_PROBE)
    assert not _accepts(c.path, ["-fno-such-flag-at-all"], "int f(void) { return 0; }\n")


def test_openmp_flag_is_in_the_cache_key_only_when_asked_and_supported():
    off, on = compiler(False), compiler(True)
    has_openmp = _probe(off.path, get_cache().root)[3]
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
        np.testing.assert_allclose(f(X), np.tanh(X) * 2 + 1, rtol=1e-14)
    assert thunk.c_calls == 3
