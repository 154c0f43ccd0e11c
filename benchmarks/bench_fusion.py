"""Elementwise fusion and in-place: step times before and after, against numpy and Theano 1.0.5.

Run from the repository root::

    python benchmarks/bench_fusion.py            # prints the tables (about a minute)
    python benchmarks/bench_fusion.py --quick    # smaller sizes, for a smoke run

What is timed (the min and the median over ``--repeat`` calls, in milliseconds per call):

* ``expr``: ``exp(-x) * sin(y) + x * y / (1 + x * x)`` over two float32 vectors of 10M
  elements (``--n``). The numpy row is the same expression written with numpy operators.
* ``logreg``: one SGD step of Theano's tutorial logistic regression (400 x 784 float32
  inputs, the cost with its L2 term, grad, updates of the shared w and b). The numpy row is
  the same step written by hand.

pytheano runs with FAST_RUN (fusion and in-place on), FAST_RUN without fusion, FAST_RUN
without in-place, and optimizer=None; for each, the table also shows the number of nodes and
of in-place nodes of the compiled graph. Theano 1.0.5 (``~/peers/theano/bin/python``) runs
this same file as a subprocess with ``--backend theano``, with and without its C compiler
(cxx: without it, its expr rows only run for small n); it is skipped when absent. The file
stays Python 3.7 compatible for that reason.

Results on the shared 2-core machine of this session (min ms; noisy, medians vary more):
expr over 10M float32: pytheano fused 106 (one node; its numpy evaluation writes into dead
intermediates' buffers), unfused with in-place 90, optimizer=None 219, numpy 256, Theano
1.0.5 with C 319 (fused). Theano without C runs the fused node element by element in Python
(12 s for 10**5 elements). The logreg step: pytheano 0.17 FAST_RUN, 0.11 optimizer=None
(each fused node is a Python perform with one numpy call per inner node, where the unfused
nodes are ufuncs the VM calls directly: the C backend's fused loops are what makes fusion
pay at this size), Theano 1.0.5 with C 0.30, numpy by hand 0.06. These are before the C
backend's merge; with it, the fused node runs as one C loop built from Composite's
render_c (ElemwiseCThunk): 167 ms for expr on a loaded machine, where the numpy evaluation
(linker 'py') took 70 and numpy 58: numpy's vectorized float32 exp/sin beat a libm call
per element. With the loops calling glibc's vector math (libmvec, link/c/elemwise.py): expr
FAST_RUN 25.7 ms, numpy 143.5 (load average 8), 0.18x numpy.
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one thread for every backend alike

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

THEANO = os.path.expanduser("~/peers/theano/bin/python")
MARK = "BENCH_JSON "


def timed(fn, repeat):
    """(min, median) milliseconds of fn() over ``repeat`` calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return min(times), float(np.median(times))


def expr_numpy(x, y):
    return np.exp(-x) * np.sin(y) + x * y / (1 + x * x)


def logreg_data(rows=400, feats=784, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(rows, feats).astype("float32")
    y = rng.randint(0, 2, rows).astype("float32")
    return x, y, rng.randn(feats).astype("float32")


def logreg_numpy_step(x, y, w, b, lr=np.float32(0.1)):
    z = x.dot(w) + b
    p = 1 / (1 + np.exp(-z))
    gz = (p - y) / np.float32(len(y))
    w -= lr * (x.T.dot(gz) + np.float32(0.02) * w)
    b -= lr * gz.sum()
    return p > 0.5


def build(T, shared, x_var, y_var, w0):
    """The tutorial's graph: returns (outputs, updates)."""
    w = shared(w0.copy(), name="w")
    b = shared(np.float32(0.0), name="b")
    p_1 = 1 / (1 + T.exp(-T.dot(x_var, w) - b))
    xent = -y_var * T.log(p_1) - (1 - y_var) * T.log(1 - p_1)
    cost = xent.mean() + 0.01 * (w ** 2).sum()
    gw, gb = T.grad(cost, [w, b])
    return [p_1 > 0.5, xent], [(w, w - 0.1 * gw), (b, b - 0.1 * gb)]


def graph_stats(f):
    nodes = f.maker.fgraph.toposort()
    inplace = sum(1 for n in nodes if getattr(n.op, "destroy_map", None))
    return len(nodes), inplace


def run_backend(backend, n, repeat, expr=True):
    """Times for one backend: {row: [min, median, nodes, in-place nodes]}."""
    if backend == "pytheano":
        sys.path.insert(0, os.getcwd())
        import pytheano as theano
        theano.config.floatX = "float32"  # as the Theano run (its THEANO_FLAGS)
        modes = {"FAST_RUN": "FAST_RUN",
                 "no fusion": theano.compile.get_mode("FAST_RUN").excluding("fusion"),
                 "no in-place": theano.compile.get_mode("FAST_RUN").excluding("inplace"),
                 "optimizer=None": theano.compile.mode.Mode(optimizer=None)}
    else:
        import theano
        modes = {"FAST_RUN": "FAST_RUN",
                 "no fusion": theano.compile.get_mode("FAST_RUN").excluding("fusion"),
                 "no in-place": theano.compile.get_mode("FAST_RUN").excluding("inplace")}
    T = theano.tensor
    rng = np.random.RandomState(1)
    xv, yv = rng.randn(n).astype("float32"), rng.randn(n).astype("float32")
    data = logreg_data()
    out = {}
    for name, mode in modes.items():
        x, y = T.fvector("x"), T.fvector("y")
        f = theano.function([x, y], T.exp(-x) * T.sin(y) + x * y / (1 + x * x), mode=mode)
        if expr:
            out["expr " + name] = list(timed(lambda f=f: f(xv, yv), repeat)) + list(
                graph_stats(f))
        xm, ym = T.fmatrix("x"), T.fvector("y")
        outs, updates = build(T, theano.shared, xm, ym, data[2])
        step = theano.function([xm, ym], outs, updates=updates, mode=mode)
        out["logreg " + name] = list(timed(lambda step=step: step(data[0], data[1]),
                                           repeat * 5)) + list(graph_stats(step))
    return out


def run_numpy(n, repeat):
    rng = np.random.RandomState(1)
    xv, yv = rng.randn(n).astype("float32"), rng.randn(n).astype("float32")
    x, y, w = logreg_data()
    b = np.zeros((), dtype="float32")
    return {"expr numpy": list(timed(lambda: expr_numpy(xv, yv), repeat)) + ["", ""],
            "logreg numpy": list(timed(lambda: logreg_numpy_step(x, y, w, b), repeat * 5))
            + ["", ""]}


def run_peer(n, repeat, cxx):
    if not os.path.exists(THEANO):
        return {}
    env = dict(os.environ)
    env["THEANO_FLAGS"] = "device=cpu,floatX=float32,compiledir=/tmp/th_bench_fusion%s%s" % (
        "" if cxx else "_nocxx", "" if cxx else ",cxx=")
    # Without C, Theano runs a fused node element by element in Python (about 0.1 ms per
    # element): its expr rows are left out past 10**5 elements.
    skip = [] if cxx or n <= 10 ** 5 else ["--no-expr"]
    proc = subprocess.run([THEANO, os.path.abspath(__file__), "--backend", "theano",
                           "--n", str(n), "--repeat", str(repeat)] + skip,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                          universal_newlines=True)
    for line in proc.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK):])
    sys.stderr.write("Theano run failed:\n%s\n" % proc.stderr[-2000:])
    return {}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default=None)
    parser.add_argument("--n", type=int, default=10 ** 7)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-expr", action="store_true", help="only the logreg rows")
    args = parser.parse_args()
    if args.quick:
        args.n, args.repeat = 10 ** 5, 2
    if args.backend:
        print(MARK + json.dumps(run_backend(args.backend, args.n, args.repeat,
                                            not args.no_expr)))
        return
    columns = [("pytheano", run_backend("pytheano", args.n, args.repeat)),
               ("Theano 1.0.5 (C)", run_peer(args.n, args.repeat, True)),
               ("Theano 1.0.5 (cxx='')", run_peer(args.n, args.repeat, False)),
               ("numpy", run_numpy(args.n, args.repeat))]
    print("n = %d float32 elements for expr; logreg 400 x 784 float32; ms per call "
          "(min / median), nodes, in-place nodes\n" % args.n)
    print("| backend | row | min ms | median ms | nodes | in-place |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for backend, rows in columns:
        for row, (lo, med, nodes, inplace) in rows.items():
            print("| %s | %s | %.2f | %.2f | %s | %s |" % (backend, row, lo, med, nodes,
                                                         inplace))


if __name__ == "__main__":
    main()
