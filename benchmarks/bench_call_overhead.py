"""Call overhead and one training step: pytheano against Python, numpy, Theano 1.0.5, PyTensor.

Run from the repository root (pytheano installed, e.g. ``pip install -e .``)::

    python benchmarks/bench_call_overhead.py            # prints the table
    python benchmarks/bench_call_overhead.py --quick    # fewer repeats, for a smoke run

What is timed (``timeit``, many calls per repeat; the table shows the min and the median over
repeats, in microseconds per call):

* ``add 0-d``: ``f(a, b)`` for ``f = function([x, y], x + y)`` with x, y float64 scalars and
  a, b 0-d float64 ndarrays; the same with Python floats and with numpy float64 scalars; then
  with 0-d arrays and ``f.trust_input = True`` (no input checks);
  against the plain Python function ``lambda a, b: a + b`` and ``numpy.add(a, b)`` on the same
  0-d arrays.
* ``logreg step``: one minibatch SGD step of softmax regression on digits-sized data (64
  features, 10 classes; the examples/logistic_regression.py model: softmax, -mean(log p[y]),
  grad, updates of the shared W and b), on a minibatch of 20 rows and on the full 1797 rows.
  The numpy row is the same step written by hand.
* ``compile``: seconds to build each function once (Theano: with its C cache already warm).

Theano 1.0.5 (``~/peers/theano/bin/python``) and PyTensor (``~/peers/pytensor/bin/python``)
run this same file as a subprocess with ``--backend``; they are skipped when absent. Every
backend runs with its default mode. The file stays Python 3.7 compatible for that reason.

BLAS runs single-threaded (OPENBLAS_NUM_THREADS=1 etc. unless already set, for every backend
alike): these sizes are far too small for threads to help, and on a busy machine idle BLAS
threads spinning make the timings erratic.
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy loads its BLAS; subprocesses inherit it

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import timeit  # noqa: E402

import numpy as np  # noqa: E402

PEERS = {
    "theano": os.path.expanduser("~/peers/theano/bin/python"),
    "pytensor": os.path.expanduser("~/peers/pytensor/bin/python"),
}
MARK = "BENCH_JSON "
N_FEATURES, N_CLASSES, N_ROWS = 64, 10, 1797  # sklearn's digits


def per_call_us(fn, repeat, target_s):
    """(min, median) microseconds per call of fn() over `repeat` timed runs of n calls."""
    timer = timeit.Timer(fn)
    n = 1
    while True:  # pick n so one timed run takes about target_s
        t = timer.timeit(n)
        if t >= target_s / 4 or n >= 10 ** 7:
            break
        n *= 4
    n = max(1, int(n * target_s / max(t, 1e-9)))
    runs = [t / n * 1e6 for t in timer.repeat(repeat=repeat, number=n)]
    return min(runs), float(np.median(runs))


def digits_like(rows, rng):
    x = rng.uniform(0.0, 1.0, size=(rows, N_FEATURES))
    y = rng.randint(0, N_CLASSES, size=rows).astype("int32")
    return x, y


def import_backend(name):
    """(theano-like module, tensor module, softmax) for `name`."""
    if name == "pytheano":
        import pytheano as th
        import pytheano.tensor as T
    elif name == "theano":
        import theano as th
        import theano.tensor as T
    elif name == "pytensor":
        import pytensor as th
        import pytensor.tensor as T
    else:
        raise SystemExit("unknown backend %r" % name)
    nnet = getattr(T, "nnet", None)
    softmax = getattr(nnet, "softmax", None)
    if softmax is None:  # PyTensor moved it
        from pytensor.tensor.special import softmax as _softmax

        def softmax(z):
            return _softmax(z, axis=-1)
    return th, T, softmax


def bench_backend(name, repeat, target_s):
    th, T, softmax = import_backend(name)
    results = {"version": getattr(th, "__version__", "?"),
               "env": "python %s, numpy %s" % (sys.version.split()[0], np.__version__)}

    x, y = T.dscalar("x"), T.dscalar("y")
    t0 = time.perf_counter()
    f = th.function([x, y], x + y)
    results["compile add"] = time.perf_counter() - t0
    a, b = np.array(1.5), np.array(2.25)
    assert float(f(a, b)) == 3.75
    results["add 0-d"] = per_call_us(lambda: f(a, b), repeat, target_s)
    # The other argument kinds users pass: Python floats, and numpy scalars (what reductions
    # return). The goal: at most 1.5x the 0-d array row.
    results["add, Python floats"] = per_call_us(lambda: f(1.5, 2.25), repeat, target_s)
    sa, sb = np.float64(1.5), np.float64(2.25)
    results["add, numpy float64 scalars"] = per_call_us(lambda: f(sa, sb), repeat, target_s)
    f.trust_input = True
    results["add 0-d, trust_input"] = per_call_us(lambda: f(a, b), repeat, target_s)

    rng = np.random.RandomState(0)
    W = th.shared(np.zeros((N_FEATURES, N_CLASSES)), name="W")
    bias = th.shared(np.zeros(N_CLASSES), name="b")
    xm, yv = T.dmatrix("x"), T.ivector("y")
    p = softmax(T.dot(xm, W) + bias)
    cost = -T.mean(T.log(p)[T.arange(yv.shape[0]), yv])
    gW, gb = T.grad(cost, [W, bias])
    t0 = time.perf_counter()
    step = th.function([xm, yv], cost, updates=[(W, W - 0.1 * gW), (bias, bias - 0.1 * gb)])
    results["compile logreg step"] = time.perf_counter() - t0
    for rows in (20, N_ROWS):
        xb, yb = digits_like(rows, rng)
        step(xb, yb)
        results["logreg step, batch %d" % rows] = per_call_us(
            lambda xb=xb, yb=yb: step(xb, yb), repeat, target_s)
    return results


def bench_reference(repeat, target_s):
    """Plain Python and numpy versions of the same work."""
    a, b = np.array(1.5), np.array(2.25)

    def py_add(u, v):
        return u + v

    results = {
        "add 0-d": per_call_us(lambda: py_add(a, b), repeat, target_s),
        "add 0-d, numpy.add": per_call_us(lambda: np.add(a, b), repeat, target_s),
    }
    W, bias = np.zeros((N_FEATURES, N_CLASSES)), np.zeros(N_CLASSES)

    def np_step(xb, yb):
        z = xb.dot(W) + bias
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        p = e / e.sum(axis=1, keepdims=True)
        rows = np.arange(len(yb))
        cost = -np.mean(np.log(p[rows, yb]))
        d = p
        d[rows, yb] -= 1.0
        d /= len(yb)
        W[...] -= 0.1 * xb.T.dot(d)
        bias[...] -= 0.1 * d.sum(axis=0)
        return cost

    rng = np.random.RandomState(0)
    for rows in (20, N_ROWS):
        xb, yb = digits_like(rows, rng)
        results["logreg step, batch %d" % rows] = per_call_us(
            lambda xb=xb, yb=yb: np_step(xb, yb), repeat, target_s)
    return results


def run_peer(name, python, repeat, target_s):
    if not os.path.exists(python):
        return None, "skipped: %s not found" % python
    cmd = [python, os.path.abspath(__file__), "--backend", name, "--repeat", str(repeat),
           "--target", str(target_s)]
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                             universal_newlines=True, timeout=1800)
    except subprocess.TimeoutExpired:
        return None, "skipped: timed out"
    for line in out.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK):]), None
    tail = (out.stderr.strip().splitlines() or ["no output"])[-1]
    return None, "failed: %s" % tail


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, float):  # compile time, seconds
        return "%.3f s" % v
    return "%.2f / %.2f" % (v[0], v[1])


def print_table(columns):
    rows = ["add 0-d", "add, Python floats", "add, numpy float64 scalars",
            "add 0-d, trust_input", "add 0-d, numpy.add", "logreg step, batch 20",
            "logreg step, batch %d" % N_ROWS, "compile add", "compile logreg step"]
    names = [c[0] for c in columns]
    width = max(len(r) for r in rows) + 2
    colw = max(22, max(len(n) for n in names) + 2)
    print("microseconds per call, min / median over repeats (compile rows: seconds, once)")
    print("".ljust(width) + "".join(n.rjust(colw) for n in names))
    for r in rows:
        print(r.ljust(width) + "".join(fmt(c[1].get(r)).rjust(colw) for c in columns))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", help="worker mode: time one backend, print JSON")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per measurement")
    parser.add_argument("--target", type=float, default=0.05, help="seconds per timed run")
    parser.add_argument("--quick", action="store_true", help="3 repeats of 0.01 s")
    parser.add_argument("--no-peers", action="store_true", help="skip Theano and PyTensor")
    for name, python in sorted(PEERS.items()):
        parser.add_argument("--%s-python" % name, default=python,
                            help="interpreter with %s installed (default: %%(default)s)" % name)
    args = parser.parse_args()
    if args.quick:
        args.repeat, args.target = 3, 0.01

    if args.backend:
        print(MARK + json.dumps(bench_backend(args.backend, args.repeat, args.target)))
        return

    columns = []
    notes = []
    res = bench_backend("pytheano", args.repeat, args.target)
    columns.append(("pytheano %s" % res.pop("version"), res))
    notes.append("pytheano on %s" % res.pop("env"))
    if not args.no_peers:
        for name in sorted(PEERS, reverse=True):
            python = getattr(args, "%s_python" % name)
            res, why = run_peer(name, python, args.repeat, args.target)
            if res is None:
                notes.append("%s %s" % (name, why))
            else:
                columns.append(("%s %s" % (name, res.pop("version")), res))
                notes.append("%s on %s (%s)" % (name, res.pop("env"), python))
    columns.append(("Python / numpy", bench_reference(args.repeat, args.target)))
    print("%s, %d CPUs, BLAS threads: OPENBLAS_NUM_THREADS=%s"
          % (os.uname().machine, os.cpu_count(), os.environ.get("OPENBLAS_NUM_THREADS")))
    print_table(columns)
    for n in notes:
        print(n)


if __name__ == "__main__":
    main()
