"""Cold and warm compile of the seeds' logistic regression (issue 11, "Measure").

The graph (shared/seeds/003): ``E = -sum(y log sigmoid(Xw) + (1-y) log(1 - sigmoid(Xw)))``
compiled as ``Efun = function([X, w, y], E)`` and ``gfun = function([X, w, y], [(y - mu)
.dot(X), grad(E, w)])``. Each run is a fresh process (the import is not timed):

- cold: a fresh, empty cache directory (pytheano: XDG_CACHE_HOME; Theano: compiledir), so
  the C compiler's time is included, and the compiler probe;
- warm: a second process on the directory the cold run filled.

Each cell: seconds for the two ``function`` calls, wall (min / median over the rounds) and
CPU (the process's and its children's, gcc included once waited for: what a loaded
machine distorts least); ``+call`` adds the first call of each function (pytheano's
``function`` returns while gcc still runs, the first call waits for it: the ``+call``
columns hold all of gcc's time). Trees run alternately, round by
round. Theano 1.0.5 (``--theano-python``, with cxx=g++) runs once: its cold compile takes
seconds.

    python benchmarks/bench_compile.py [--rounds 5] [--tree PATH ...] [--flags F ...]
                                       [--theano-python PATH]

``--flags``: PYTHEANO_FLAGS for a row of each tree (repeatable), e.g. ``--flags ''
--flags rewriting.cache=False`` for the warm compile with and without the rewrite cache.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CHILD = r"""
import json, resource, sys, time
import numpy as np
MODULE = sys.argv[1]
if MODULE == "theano":
    import theano
    import theano.tensor as T
    from theano.tensor.nnet import sigmoid
else:
    import pytheano as theano
    import pytheano.tensor as T
    from pytheano.tensor.nnet import sigmoid


def cpu():
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


c0, t0 = cpu(), time.perf_counter()
X = T.matrix(name="X"); y = T.vector(name="y"); w = T.vector(name="w")
eta = X.dot(w); mu = sigmoid(eta)
E = -(y * T.log(mu) + (1 - y) * T.log(1 - mu)).sum()
Efun = theano.function([X, w, y], E, allow_input_downcast=True)
g1 = (y - mu).dot(X); g2 = T.grad(E, w)
gfun = theano.function([X, w, y], [g1, g2], allow_input_downcast=True)
t1, c1 = time.perf_counter(), cpu()
rng = np.random.RandomState(0)
X_ = rng.randn(1000, 100); w_ = rng.randn(100); y_ = rng.rand(1000) > .5
Efun(X_, w_, y_); gfun(X_, w_, y_)
t2, c2 = time.perf_counter(), cpu()
print(json.dumps({"compile": t1 - t0, "cpu": c1 - c0, "call": t2 - t0, "cpu_call": c2 - c0}))
"""


def run_child(python, module, env, cwd):
    # cwd: not a source tree (``python -c`` imports from the working directory first).
    proc = subprocess.run([python, "-c", CHILD, module], env=env, cwd=cwd,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.decode()[-2000:])
    return json.loads(proc.stdout.decode().strip().splitlines()[-1])


def pytheano_env(tree, flags, cache):
    env = dict(os.environ, PYTHONPATH=tree, XDG_CACHE_HOME=cache, PYTHEANO_FLAGS=flags)
    env.pop("THEANO_FLAGS", None)
    return env


def cold_warm(python, module, make_env):
    """({cold}, {warm}) of one round, each in a fresh process."""
    cache = tempfile.mkdtemp(prefix="bench-compile-")
    try:
        env = make_env(cache)
        return run_child(python, module, env, cache), run_child(python, module, env, cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def cell(runs, key):
    values = [r[key] for r in runs]
    return "%.3f / %.3f" % (min(values), statistics.median(values))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tree", action="append", default=None,
                        help="a pytheano source tree (repeatable; default: this one)")
    parser.add_argument("--theano-python", default=os.path.expanduser(
        "~/peers/theano/bin/python"))
    parser.add_argument("--flags", action="append", default=None,
                        help="PYTHEANO_FLAGS of a row per tree (repeatable; default: none)")
    args = parser.parse_args()
    trees = [os.path.abspath(t) for t in args.tree] if args.tree else [HERE]
    variants = [(tree, flags) for tree in trees for flags in (args.flags or [""])]
    results = {variant: ([], []) for variant in variants}
    for _ in range(args.rounds):
        for tree, flags in variants:
            cold, warm = cold_warm(sys.executable, "pytheano",
                                   lambda cache, t=tree, f=flags: pytheano_env(t, f, cache))
            results[tree, flags][0].append(cold)
            results[tree, flags][1].append(warm)
    rows = []
    for tree, flags in variants:
        cold, warm = results[tree, flags]
        rows.append(("pytheano %s%s" % (tree, " " + flags if flags else ""), cold, warm))
    if args.theano_python and os.path.exists(args.theano_python):
        def theano_env(cache):
            env = dict(os.environ, THEANO_FLAGS="cxx=g++,device=cpu,compiledir=%s" % cache)
            env.pop("PYTHONPATH", None)
            return env
        cold, warm = cold_warm(args.theano_python, "theano", theano_env)
        rows.append(("Theano 1.0.5 (cxx=g++)", [cold], [warm]))
    else:
        print("(Theano 1.0.5 not found at %s: skipped)" % args.theano_python)
    print("load average at the end: %.2f %.2f %.2f" % os.getloadavg())
    print("| | cold wall (s) | cold CPU (s) | cold +call (s) | cold +call CPU (s) | warm wall (s) "
          "| warm CPU (s) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, cold, warm in rows:
        print("| %s | %s | %s | %s | %s | %s | %s |" % (
            name, cell(cold, "compile"), cell(cold, "cpu"), cell(cold, "call"),
            cell(cold, "cpu_call"), cell(warm, "compile"), cell(warm, "cpu")))


if __name__ == "__main__":
    main()
