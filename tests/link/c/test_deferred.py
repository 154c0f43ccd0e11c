"""theano.function returns while the C compiler still runs (linker.make_all's ``defer``):
two functions compiled one after the other build their modules at once; the first call (or
reading the VM from Python) waits and links the C nodes; a compiler error surfaces there,
as a CompileError with the compiler's message and the generated file's path; the system
headers the generated code no longer includes are declared by its preamble."""
import os
import re
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano._core.cthunk import ElemwiseCThunk
from pytheano._core.vm import CallableThunk
from pytheano.compile.mode import Mode
from pytheano.link.c import cache as cache_module
from pytheano.link.c import compiler as compiler_module
from pytheano.link.c import module as module_module
from pytheano.link.c.compiler import CompileError, get_compiler
from pytheano.link.c.module import PREAMBLE, c_backend_available
from pytheano.link.linkers import finish_pending

pytestmark = pytest.mark.skipif(not c_backend_available(), reason="no C compiler")


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty compile directory: every module is built, none found (and no build of an
    earlier test still running)."""
    cache_module._publish_in_flight()
    cache = cache_module.ModuleCache(str(tmp_path / "c"))
    monkeypatch.setattr(module_module, "get_cache", lambda: cache)
    yield cache
    cache_module._publish_in_flight()


FUNCTIONS = [(T.tanh, np.tanh), (T.sin, np.sin), (T.cos, np.cos), (T.arctan, np.arctan),
             (T.sinh, np.sinh), (T.cosh, np.cosh), (T.expm1, np.expm1)]


def _graph(k):
    # A module of its own per k (one fused loop around function k; constants are inputs of
    # the C, not its source).
    x = T.dvector("x")
    return x, FUNCTIONS[k][0](x * 2) + 1


def _want(k, v):
    return FUNCTIONS[k][1](v * 2) + 1


def _check(f, k):
    v = np.linspace(-3, 3, 101)
    np.testing.assert_allclose(f(v), _want(k, v), rtol=1e-13, atol=1e-15)


@pytest.fixture
def gate(monkeypatch):
    """Compilers that end only when the test opens the gate (``gate.set()``), and the
    number of them running at once at most (``gate.most``)."""
    real_start = compiler_module.Compiler.start
    event = threading.Event()
    running = []
    event.most = 0

    class Gated:
        def __init__(self, job):
            self.job = job

        def wait(self):
            event.wait()
            try:
                self.job.wait()
            finally:
                running.remove(self)

    def start(self, c_path, so_path):
        job = Gated(real_start(self, c_path, so_path))
        running.append(job)
        event.most = max(event.most, len(running))
        return job

    monkeypatch.setattr(compiler_module.Compiler, "start", start)
    yield event
    event.set()


def _raw_thunks(f):
    # The VM's thunk list as the call path sees it, without waiting for the compiler.
    return pytheano._core.function.FunctionCore.vm.__get__(f).thunks


def test_two_functions_compile_at_once_and_link_on_first_call(fresh_cache, gate):
    x0, y0 = _graph(0)
    x1, y1 = _graph(1)
    f0 = pytheano.function([x0], y0, mode=Mode(linker="cvm"))
    f1 = pytheano.function([x1], y1, mode=Mode(linker="cvm"))
    # Both compilers started: neither function waited for its module.
    assert len(cache_module._in_flight) == 2 and gate.most == 2
    assert all(isinstance(t, CallableThunk) for t in _raw_thunks(f0))
    gate.set()
    _check(f0, 0)
    assert all(isinstance(t, ElemwiseCThunk) for t in _raw_thunks(f0))
    # Reading the VM from Python waits too: f1's thunks are its C ones.
    assert all(isinstance(t, ElemwiseCThunk) for t in f1.fn.thunks)
    assert cache_module._in_flight == []
    _check(f1, 1)
    # A second process (or function) finds both modules published.
    assert len(fresh_cache.entries()) == 2


def test_no_more_compilers_at_once_than_cpus(fresh_cache, gate, monkeypatch):
    monkeypatch.setattr(cache_module.os, "cpu_count", lambda: 1)
    gate.set()
    fs = [pytheano.function(*([g[0]], g[1]), mode=Mode(linker="cvm"))
          for g in (_graph(k) for k in range(3))]
    assert gate.most == 1  # each start waited for the previous one
    for k, f in enumerate(fs):
        _check(f, k)


def test_same_module_twice_in_one_process_shares_the_build(fresh_cache, gate):
    x, y = _graph(2)
    f = pytheano.function([x], y, mode=Mode(linker="cvm"))
    g = pytheano.function([x], y, mode=Mode(linker="cvm"))  # no wait on its own lock
    assert len(cache_module._in_flight) == 1 and gate.most == 1
    gate.set()
    _check(g, 2)
    _check(f, 2)


def test_compile_error_surfaces_at_the_first_call(fresh_cache, monkeypatch):
    real_start = compiler_module.Compiler.start

    def broken(self, c_path, so_path):
        with open(c_path, "a") as f:
            f.write("int PT_NODE_BROKEN = ;\n")
        return real_start(self, c_path, so_path)

    monkeypatch.setattr(compiler_module.Compiler, "start", broken)
    monkeypatch.setattr(pytheano.config, "nocleanup", True)
    x, y = _graph(3)
    f = pytheano.function([x], y, mode=Mode(linker="cvm"))  # returns: gcc still runs
    for _ in range(2):  # every call says it again
        with pytest.raises(CompileError) as info:
            f(np.arange(3.0))
        message = str(info.value)
        assert "Compilation failed" in message and "PT_NODE_BROKEN" in message
        path = re.search(r"The generated code is in (\S+)", message).group(1)
        assert path.endswith("module.c") and "PT_NODE_BROKEN" in open(path).read()
    assert fresh_cache.entries() == []  # nothing published


def test_profiled_and_guarded_functions_link_before_returning(fresh_cache):
    x, y = _graph(4)
    f = pytheano.function([x], y, mode=Mode(linker="cvm"), profile=True)
    assert all(isinstance(t, ElemwiseCThunk) for t in _raw_thunks(f))
    assert cache_module._in_flight == []


def test_finish_pending_on_a_linked_vm_does_nothing(fresh_cache):
    x, y = _graph(5)
    f = pytheano.function([x], y, mode=Mode(linker="cvm"))
    vm = finish_pending(f.fn)
    assert finish_pending(vm) is vm and isinstance(vm.thunks[0], ElemwiseCThunk)


def test_preamble_includes_no_system_header_but_features():
    # <features.h> only (glibc's version macros); the rest is declared (module.py).
    assert re.findall(r"#include <([^>]+)>", PREAMBLE) == ["features.h"]
    from pytheano.scalar.kernel import LIBM
    for name in LIBM:  # every function a scalar template may call, in both precisions
        for suffix in ("", "f"):
            assert re.search(r"\b%s%s\(" % (name, suffix), PREAMBLE), name + suffix


def test_an_undeclared_function_is_a_compile_error(tmp_path):
    compiler = get_compiler(str(tmp_path))
    c_path = tmp_path / "m.c"
    c_path.write_text(PREAMBLE + "double f(double x) { return j0(x); }\n")
    with pytest.raises(CompileError, match="j0"):
        compiler.compile(str(c_path), str(tmp_path / "m.so"))


LOCKED = """
import sys
from pytheano.link.c.cache import ModuleCache
cache = ModuleCache(sys.argv[1])
print(cache.get_or_build(sys.argv[2], sys.argv[3], lambda c, so: open(so, "wb").write(b"x")))
"""


def test_the_key_lock_is_released_when_the_compiler_ends_not_at_the_first_call(fresh_cache):
    # A process waiting on the key (here: building the same source) gets the entry as soon
    # as the compiler is done, while this one has not called its function yet.
    x, y = _graph(6)
    f = pytheano.function([x], y, mode=Mode(linker="cvm"))
    (build,) = cache_module._in_flight or [None]
    assert build is not None, "published before theano.function returned"
    try:
        source = open(os.path.join(build.work, "module.c")).read()
    except FileNotFoundError:  # published meanwhile: the same file, in its entry
        source = open(os.path.join(fresh_cache.entry(build.key), "module.c")).read()
    proc = subprocess.run([sys.executable, "-c", LOCKED, fresh_cache.root, source,
                           build.description], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "False" in proc.stdout  # found, published meanwhile: not built again
    _check(f, 6)


def test_a_child_forked_during_a_build_waits_for_the_parents_entry(fresh_cache, gate):
    # The child has neither the compiler process nor the thread that publishes: it waits
    # on the key's lock like any other process, then loads the parent's entry.
    x, y = _graph(5)
    f = pytheano.function([x], y, mode=Mode(linker="cvm"))
    assert len(cache_module._in_flight) == 1
    pid = os.fork()
    if pid == 0:  # the child: no pytest teardown here, only an exit status
        status = 1
        try:
            _check(f, 5)
            status = 0 if not cache_module._in_flight else 2
        finally:
            os._exit(status)
    gate.set()
    deadline = time.monotonic() + 120
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("the forked child hung waiting for its parent's build")
        time.sleep(0.02)
    assert os.waitstatus_to_exitcode(status) == 0
    _check(f, 5)
    assert len(fresh_cache.entries()) == 1  # built once, by the parent
