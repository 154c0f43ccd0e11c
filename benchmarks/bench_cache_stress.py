"""Many processes on one cold C cache directory (pytheano/link/c/cache.py).

N worker processes each compile a mix of graphs (some shared by all workers, some their own)
with the 'c' linker, ROUNDS times; one extra worker is killed with SIGKILL in the middle of
its builds. Afterwards every entry must be complete and load, every worker's results must be
right, and the report gives the cold run's wall time against its total CPU time / cores
(a global lock would serialise the compiles: wall ~ CPU; per-key locks: wall ~ CPU / cores).

    python benchmarks/bench_cache_stress.py [--workers 4] [--graphs 6] [--rounds 2]
"""
import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import textwrap
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

WORKER = textwrap.dedent("""
    import sys
    import numpy as np
    import time
    import pytheano, pytheano.tensor as T
    from pytheano.link.c import cache as cache_module
    worker, graphs, rounds = (int(a) for a in sys.argv[1:4])
    # Time spent waiting for key locks (another process building the same key).
    waited = [0.0]
    enter = cache_module._KeyLock.__enter__
    def timed_enter(self):
        t0 = time.perf_counter()
        try:
            return enter(self)
        finally:
            waited[0] += time.perf_counter() - t0
    cache_module._KeyLock.__enter__ = timed_enter
    started = time.perf_counter()
    v = np.arange(-50, 50)
    steps = [(lambda o, x: o % 5, lambda w: w % 5), (lambda o, x: o * x, lambda w: w * v),
             (lambda o, x: o - 7, lambda w: w - 7), (lambda o, x: T.maximum(o, x),
                                                     lambda w: np.maximum(w, v)),
             (lambda o, x: o // 2, lambda w: w // 2), (lambda o, x: T.minimum(o, 3),
                                                       lambda w: np.minimum(w, 3))]
    for r in range(rounds):
        for g in range(graphs):
            # Even graphs are shared by all workers, odd ones are this worker's own.
            which = g if g % 2 == 0 else g + 100 * (worker + 1)
            x = T.lvector()
            out, want = x // 3, v // 3
            for k in range(len(steps)):
                if (which >> k) & 1:
                    out, want = steps[k][0](out, x), steps[k][1](want)
            out = out + (which % 97)
            want = want + (which % 97)
            # The dtype makes odd graphs differ from each other in the C too.
            dtype = ["int64", "int32", "int16"][which % 3]
            f = pytheano.function([x], T.cast(out, dtype),
                                  mode=pytheano.Mode(linker="c", optimizer=None))
            assert (f(v) == want.astype(dtype)).all(), (worker, which)
    print("ok %.3f %.3f" % (waited[0], time.perf_counter() - started))
""")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--graphs", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    compiledir = tempfile.mkdtemp(prefix="pytheano-cache-stress-")
    env = dict(os.environ, THEANO_FLAGS="compiledir=%s" % compiledir, PYTHONPATH=HERE)

    def start(worker):
        return subprocess.Popen([sys.executable, "-c", WORKER, str(worker), str(args.graphs),
                                 str(args.rounds)], env=env, cwd=HERE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    procs = [start(w) for w in range(args.workers)]
    victim = start(args.workers)
    time.sleep(1.5)
    victim.send_signal(signal.SIGKILL)
    victim.communicate()
    failures = 0
    waits, spans = [], []
    for p in procs:
        out, err = p.communicate()
        words = out.decode().split()
        if p.returncode != 0 or not words or words[0] != "ok":
            failures += 1
            print(err.decode()[-2000:])
        else:
            waits.append(float(words[1]))
            spans.append(float(words[2]))
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    cores = os.cpu_count() or 1
    # Every entry complete and loadable, and the warm rerun right.
    check = subprocess.run([sys.executable, "-c", WORKER, "0", str(args.graphs), "1"],
                           env=env, cwd=HERE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    root = os.path.join(compiledir, "c")
    entries = [e for e in os.listdir(root) if e not in ("tmp", "locks")
               and os.path.isdir(os.path.join(root, e))]
    broken = [e for e in entries
              if sorted(os.listdir(os.path.join(root, e))) != ["info.json", "module.c",
                                                               "module.so"]]
    print("workers %d, graphs %d, rounds %d: %d entries, %d broken, %d worker failures, "
          "warm rerun %s" % (args.workers, args.graphs, args.rounds, len(entries),
                             len(broken), failures,
                             "ok" if check.returncode == 0 else "FAILED"))
    print("cold wall %.2f s, CPU %.2f s on %d cores: wall / (CPU / cores) = %.2f"
          % (wall, cpu, cores, wall / max(1e-9, cpu / cores)))
    # On a machine other processes load, wall / (CPU / cores) also counts the time the
    # workers waited for a core: the lock waits say how much the cache itself serialised.
    print("load average %.2f; key-lock waits %.2f s of %.2f s of compiling, all workers "
          "(%.0f%%)" % (os.getloadavg()[0], sum(waits), sum(spans),
                        100.0 * sum(waits) / max(1e-9, sum(spans))))
    return 1 if (broken or failures or check.returncode) else 0


if __name__ == "__main__":
    sys.exit(main())
