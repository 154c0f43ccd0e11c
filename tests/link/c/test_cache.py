"""The on-disk cache of compiled C modules (pytheano/link/c/cache.py): deterministic keys,
atomic publication, per-key locks, crashes mid-build, many processes on one cold
directory, the size cap and the command line."""
import fcntl
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import pytheano
from pytheano.link.c.cache import C_NAME, INFO_NAME, SO_NAME, ModuleCache
from pytheano.link.c.compiler import CompileError, get_compiler

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
needs_cc = pytest.mark.skipif(not pytheano.config.cxx, reason="no C compiler (cxx='')")

# A script compiling graph number ``which`` (0: the one all processes share) and checking
# its result; prints how many cache entries it added and whether it ran C.
SCRIPT = textwrap.dedent("""
    import sys, time
    import numpy as np
    import pytheano, pytheano.tensor as T
    from pytheano._core.cthunk import ElemwiseCThunk
    from pytheano.link.c.cache import get_cache
    which = int(sys.argv[1])
    before = len(get_cache().entries())
    x = T.lvector("x")
    out = x // 3
    v = np.arange(-20, 20)
    want = v // 3
    # Graph ``which`` has its own set of ops (constants are inputs of the C, and identical
    # node functions are emitted once: other constants or repeats give the same module).
    steps = [(lambda o: o % 5, lambda w: w % 5), (lambda o: o * x, lambda w: w * v),
             (lambda o: o - 7, lambda w: w - 7), (lambda o: T.maximum(o, x), np.maximum)]
    for graph_step, numpy_step in steps[:which]:
        out = graph_step(out)
        want = numpy_step(want) if numpy_step is not np.maximum else np.maximum(want, v)
    t0 = time.perf_counter()
    f = pytheano.function([x], out, mode=pytheano.Mode(linker="c", optimizer=None))
    seconds = time.perf_counter() - t0
    assert (f(v) == want).all()
    assert any(isinstance(t, ElemwiseCThunk) for t in f.vm.thunks)
    print(len(get_cache().entries()) - before, "%.4f" % seconds)
""")


def _run(compiledir, *args, script=SCRIPT, wait=True):
    env = dict(os.environ, THEANO_FLAGS="compiledir=%s" % compiledir, PYTHONPATH=ROOT)
    env.pop("PYTHEANO_FLAGS", None)  # it would override THEANO_FLAGS
    proc = subprocess.Popen([sys.executable, "-c", script] + [str(a) for a in args], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if not wait:
        return proc
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()
    return out.decode().split()


def _complete(root):
    cache = ModuleCache(os.path.join(root, "c"))
    for key, _, _ in cache.entries():
        names = set(os.listdir(cache.entry(key)))
        assert names == {SO_NAME, C_NAME, INFO_NAME}, (key, names)
        json.load(open(os.path.join(cache.entry(key), INFO_NAME)))
    return cache


def test_key_is_deterministic_and_depends_on_everything():
    k = ModuleCache.key("int f(void);", "compiler=cc\nflags=-O3")
    assert k == ModuleCache.key("int f(void);", "compiler=cc\nflags=-O3")
    assert k != ModuleCache.key("int f(void); ", "compiler=cc\nflags=-O3")
    assert k != ModuleCache.key("int f(void);", "compiler=cc\nflags=-O2")


@needs_cc
def test_compiler_description_names_compiler_version_flags_and_abi(tmp_path):
    compiler = get_compiler(str(tmp_path))
    for field in ("compiler=", "version=", "flags=", "python=", "numpy_abi=", "cpu="):
        assert field in compiler.description
    assert "-O2" in compiler.description
    # The probe is kept beside the cache: a second process reads it, runs no subprocess.
    assert os.path.exists(tmp_path / "compiler-info.json")


@needs_cc
def test_same_graph_in_a_second_process_hits_the_cache(tmp_path):
    added, _ = _run(tmp_path, 0)
    assert added == "1"
    added, _ = _run(tmp_path, 0)
    assert added == "0"  # no new entry: the same key
    _complete(tmp_path)


def test_build_publishes_atomically_and_a_failed_build_leaves_nothing(tmp_path):
    cache = ModuleCache(str(tmp_path))

    def failing(c_path, so_path):
        open(so_path, "wb").write(b"half")
        raise CompileError("boom")

    with pytest.raises(CompileError):
        cache.get_or_build("src", "desc", failing)
    assert cache.entries() == [] and os.listdir(cache.tmp) == []

    def ok(c_path, so_path):
        assert not os.path.exists(cache.entry(cache.key("src", "desc")))  # not yet visible
        open(so_path, "wb").write(b"lib")

    path, built = cache.get_or_build("src", "desc", ok)
    assert built and open(path, "rb").read() == b"lib"
    path2, built2 = cache.get_or_build("src", "desc", ok)
    assert path2 == path and not built2


KILLED_BUILD = textwrap.dedent("""
    import os, signal, sys
    from pytheano.link.c.cache import ModuleCache
    cache = ModuleCache(sys.argv[1])
    def build(c_path, so_path):
        open(so_path, "wb").write(b"half-written")
        os.kill(os.getpid(), signal.SIGKILL)
    cache.get_or_build("killed source", "desc", build)
""")


def test_sigkill_mid_build_leaves_no_entry_and_no_stale_lock(tmp_path):
    root = str(tmp_path / "c")
    proc = _run(root, root, script=KILLED_BUILD, wait=False)
    proc.communicate(timeout=600)
    assert proc.returncode == -signal.SIGKILL
    cache = ModuleCache(root)
    assert cache.entries() == []  # nothing half-written is visible
    leftovers = os.listdir(cache.tmp)
    assert len(leftovers) == 1
    # The kernel released the dead process's lock: it can be taken at once.
    key = cache.key("killed source", "desc")
    fd = os.open(os.path.join(cache.locks, key + ".lock"), os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError if it were held
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
    path, built = cache.get_or_build("killed source", "desc",
                                     lambda c, so: open(so, "wb").write(b"ok"))
    assert built and open(path, "rb").read() == b"ok"
    # prune removes a crashed build's directory once it is old.
    old = time.time() - 2 * 3600
    os.utime(os.path.join(cache.tmp, leftovers[0]), (old, old))
    cache.prune()
    assert os.listdir(cache.tmp) == []


@needs_cc
def test_sigkill_during_a_real_compile_leaves_a_loadable_cache(tmp_path):
    proc = _run(tmp_path, 5, wait=False)
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=600)
    _complete(tmp_path)
    _run(tmp_path, 5)  # builds (or loads) and checks the result
    assert len(_complete(tmp_path).entries()) == 1


@needs_cc
def test_processes_on_one_cold_cache_all_get_right_results(tmp_path):
    # Four processes: two share graph 0, two have their own graph.
    procs = [_run(tmp_path, which, wait=False) for which in (0, 0, 1, 2)]
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()
    cache = _complete(tmp_path)
    assert len(cache.entries()) == 3
    assert os.listdir(cache.tmp) == []
    for which in (0, 1, 2):
        assert _run(tmp_path, which)[0] == "0"  # every entry loads and computes right


def test_size_cap_prunes_least_recently_used(tmp_path):
    cache = ModuleCache(str(tmp_path))

    def build(c_path, so_path):
        open(so_path, "wb").write(b"x" * 4000)

    paths = []
    for k in range(3):
        paths.append(cache.get_or_build("src%d" % k, "d", build)[0])
        t = time.time() - 100 + k  # entry k used at time k
        os.utime(os.path.dirname(paths[-1]), (t, t))
    assert cache.lookup(cache.key("src0", "d"))  # a use: entry 0 is now the most recent
    cache.prune(max_bytes=2 * 4100)
    left = {k for k, _, _ in cache.entries()}
    assert left == {cache.key("src0", "d"), cache.key("src2", "d")}
    capped = ModuleCache(str(tmp_path), max_bytes=1)
    capped.get_or_build("src9", "d", build)  # the new entry is kept, the others go
    assert {k for k, _, _ in capped.entries()} == {capped.key("src9", "d")}


def test_builds_below_the_cap_do_not_rescan_but_reaching_it_prunes(tmp_path, monkeypatch):
    cache = ModuleCache(str(tmp_path), max_bytes=3 * 4200)

    def build(c_path, so_path):
        open(so_path, "wb").write(b"x" * 4000)

    scans = []
    entries = cache.entries
    monkeypatch.setattr(cache, "entries", lambda: scans.append(1) or entries())
    for k in range(3):
        cache.get_or_build("src%d" % k, "d", build)
    assert len(scans) == 1  # the first build scanned; the next two were counted
    cache.get_or_build("src3", "d", build)  # over the cap: scanned and pruned
    assert len(scans) == 2
    assert len(entries()) == 3 and cache.lookup(cache.key("src3", "d"))


def test_graphs_are_kept_apart_per_version_and_capped(tmp_path, monkeypatch):
    from pytheano.link.c import cache as cache_module

    monkeypatch.setattr(cache_module, "MAX_GRAPHS", 10)
    monkeypatch.setattr(cache_module, "GRAPH_COUNT_EVERY", 1)
    cache = ModuleCache(str(tmp_path), max_bytes=1)
    scans = []
    entries = cache.entries
    monkeypatch.setattr(cache, "entries", lambda: scans.append(1) or entries())
    for k in range(11):
        cache.store_graph("v1", "g%02d" % k, b"graph %d" % k)
        t = time.time() - 100 + k
        os.utime(cache.graph_path("v1", "g%02d" % k), (t, t))
    assert cache.load_graph("v1", "g00") is None  # past the count: the oldest went
    assert cache.load_graph("v1", "g10") == b"graph 10"
    assert len(cache.graph_entries()) == 9 and not scans  # the modules' scan: never
    assert cache.entries() == []  # graphs are not module entries
    # A new pytheano version's first store drops the folders of all but the last three.
    for k, version in enumerate(["v2", "v3", "v4"]):
        fresh = ModuleCache(str(tmp_path))
        fresh.store_graph(version, "g", b"x")
        t = time.time() - 50 + k
        os.utime(os.path.join(fresh.graphs, version), (t, t))
    os.utime(os.path.join(cache.graphs, "v1"), (time.time() - 200,) * 2)
    ModuleCache(str(tmp_path)).store_graph("v5", "g", b"x")
    assert sorted({v for v, _, _, _ in cache.graph_entries()}) == ["v3", "v4", "v5"]


@needs_cc
@pytest.mark.parametrize("module", ["pytheano.cache", "pytheano.link.c.cache"])
def test_command_line_lists_prunes_and_clears(tmp_path, module):
    _run(tmp_path, 3)
    env = dict(os.environ, THEANO_FLAGS="compiledir=%s" % tmp_path, PYTHONPATH=ROOT)
    env.pop("PYTHEANO_FLAGS", None)  # it would override THEANO_FLAGS

    def cli(*args):
        return subprocess.run([sys.executable, "-m", module] + list(args),
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, check=True,
                              timeout=600).stdout.decode()

    ModuleCache(os.path.join(str(tmp_path), "c")).store_graph("v", "g", b"a graph")
    graphs = 1
    assert "1 entries" in cli("list")
    info = cli("info")
    assert "entries: 1" in info and "rewritten graphs: %d" % graphs in info
    assert "removed 0" in cli("prune", "--older-than", "1")
    assert "removed %d" % (1 + graphs) in cli("clear")
    listed = cli("list")
    assert "0 entries" in listed and "rewritten graphs: 0" in listed


@needs_cc
def test_compile_error_shows_the_message_and_the_file(tmp_path):
    compiler = get_compiler(str(tmp_path))
    c_path = str(tmp_path / "bad.c")
    open(c_path, "w").write("int f(void) { return undefined_name; }\n")
    with pytest.raises(CompileError) as err:
        compiler.compile(c_path, str(tmp_path / "bad.so"))
    assert "undefined_name" in str(err.value) and c_path in str(err.value)


NO_COMPILER = textwrap.dedent("""
    import warnings
    import numpy as np
    import pytheano, pytheano.tensor as T
    from pytheano._core.cthunk import ElemwiseCThunk
    x = T.lvector()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fs = [pytheano.function([x], x // k, mode=pytheano.Mode(linker="c", optimizer=None))
              for k in (2, 3)]
    assert [f(np.arange(6)).tolist() for f in fs] == [[0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1, 1]]
    assert not any(isinstance(t, ElemwiseCThunk) for f in fs for t in f.vm.thunks)
    print(sum("No C compiler" in str(w.message) for w in caught))
""")


def test_no_compiler_warns_once_and_runs_perform(tmp_path):
    env = dict(os.environ, THEANO_FLAGS="cxx=,compiledir=%s" % tmp_path, PYTHONPATH=ROOT)
    env.pop("PYTHEANO_FLAGS", None)  # it would override THEANO_FLAGS
    out = subprocess.run([sys.executable, "-c", NO_COMPILER], cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout.decode().split() == ["1"]
