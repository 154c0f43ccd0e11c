"""The C backend against the numpy paths, in one run (ratios, never asserted).

Rows:
- ``fused 10M f32``: exp(-x)*sin(y) + x*y/(1+x*x) over 10M float32 (per call, ms), with the
  'c' linker, the 'vm' linker (numpy ufuncs), and numpy by hand.
- ``fused ... openmp``: the same with config.openmp (threads above
  openmp_elemwise_minsize; OMP_NUM_THREADS as set, default one per core).
- ``logreg step b=20``: the digits softmax-regression SGD step (64 features, 10 classes,
  minibatch 20), per call in us, FAST_RUN with linker 'cvm' vs 'vm', and numpy by hand.
- ``logreg step 1000x100``: the same step on a minibatch of 1000 rows of 100 features.
- ``C nodes``: how the cvm step's nodes run (C thunks by kind, the rest by perform).
- ``logreg 1000x100 f64``: Theano's tutorial logistic regression step (1000 examples, 100
  features, float64: sigmoid cross-entropy, L2 term, SGD on w, b; Gemv in the graph), per
  call in us, 'cvm' vs 'vm', and numpy by hand.
- ``view nodes``: a function of only shape and view nodes (transpose, slices, reshape,
  ScalarFromTensor, Shape, Shape_i, ARange, the output copies) on a small matrix, per call
  and per node in us: 'cvm' (each a precompiled C thunk, _core/view_thunk.pyx) vs 'vm'
  (each a Python perform).
- ``inc_subtensor1 int64``: ``inc_subtensor(z[idx], y)`` on an int64 1000x10 matrix, 1000
  repeated rows (AdvancedIncSubtensor1{inplace} in C vs perform's np.add.at), per call in us,
  and np.add.at by hand.
- ``cold / warm compile``: seconds to compile the fused expression into a fresh cache
  directory, then again in a fresh process on that warm directory.

    python benchmarks/bench_c.py [--quick]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import timeit

import numpy as np

import pytheano
import pytheano.tensor as T

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def per_call(fn, repeat):
    n = max(1, int(0.2 / max(1e-7, min(timeit.repeat(fn, number=1, repeat=3)))))
    return min(timeit.repeat(fn, number=n, repeat=repeat)) / n


def fused(n, repeat):
    x, y = T.fvector(), T.fvector()
    expr = T.exp(-x) * T.sin(y) + x * y / (1 + x * x)
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, n)).astype(np.float32)
    rows = {}
    for linker in ("c", "vm"):
        f = pytheano.function([x, y], expr, mode=pytheano.Mode(linker=linker,
                                                               optimizer="fast_run"))
        rows[linker] = per_call(lambda f=f: f(a, b), repeat)
    rows["numpy"] = per_call(lambda: np.exp(-a) * np.sin(b) + a * b / (1 + a * a), repeat)
    return rows


def logreg(batch, repeat, n_in=64, n_out=10):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((batch, n_in))
    Y = rng.integers(0, n_out, batch)
    x, y = T.dmatrix(), T.lvector()
    rows = {}
    for linker in ("cvm", "vm"):
        W = pytheano.shared(np.zeros((n_in, n_out)))
        b = pytheano.shared(np.zeros(n_out))
        p = T.nnet.softmax(T.dot(x, W) + b)
        cost = -T.mean(T.log(p)[T.arange(y.shape[0]), y])
        gW, gb = pytheano.grad(cost, [W, b])
        f = pytheano.function([x, y], cost, updates=[(W, W - 0.1 * gW), (b, b - 0.1 * gb)],
                              mode=pytheano.Mode(linker=linker, optimizer="fast_run"))
        rows[linker] = per_call(lambda f=f: f(X, Y), repeat)
        if linker == "cvm":
            kinds = {}
            for t in f.vm.thunks:
                kinds[type(t).__name__] = kinds.get(type(t).__name__, 0) + 1
            rows["thunks"] = kinds
    Wn, bn = np.zeros((n_in, n_out)), np.zeros(n_out)

    def by_hand():
        z = X @ Wn + bn
        e = np.exp(z - z.max(axis=1, keepdims=True))
        sm = e / e.sum(axis=1, keepdims=True)
        cost = -np.mean(np.log(sm[np.arange(batch), Y]))
        g = sm.copy()
        g[np.arange(batch), Y] -= 1
        g /= batch
        Wn[...] -= 0.1 * (X.T @ g)
        bn[...] -= 0.1 * g.sum(axis=0)
        return cost

    rows["numpy"] = per_call(by_hand, repeat)
    return rows


def logreg_tutorial(n, feats, repeat):
    rng = np.random.default_rng(0)
    D = rng.standard_normal((n, feats)), rng.integers(0, 2, n).astype("float64")
    x, y = T.dmatrix("x"), T.dvector("y")
    rows = {}
    for linker in ("cvm", "vm"):
        w = pytheano.shared(rng.standard_normal(feats) * 0.01, name="w")
        b = pytheano.shared(0.0, name="b")
        p_1 = 1 / (1 + T.exp(-T.dot(x, w) - b))
        xent = -y * T.log(p_1) - (1 - y) * T.log(1 - p_1)
        cost = xent.mean() + 0.01 * (w ** 2).sum()
        gw, gb = pytheano.grad(cost, [w, b])
        f = pytheano.function([x, y], [p_1 > 0.5, xent],
                              updates=[(w, w - 0.1 * gw), (b, b - 0.1 * gb)],
                              mode=pytheano.Mode(linker=linker, optimizer="fast_run"))
        rows[linker] = per_call(lambda f=f: f(*D), repeat)
    X, Y = D
    wn, bn = rng.standard_normal(feats) * 0.01, np.zeros(())

    def by_hand():
        p = 1 / (1 + np.exp(-(X @ wn) - bn))
        xent = -Y * np.log(p) - (1 - Y) * np.log(1 - p)
        g = (p - Y) / n
        wn[...] -= 0.1 * (X.T @ g + 0.02 * wn)
        bn[...] -= 0.1 * g.sum()
        return p > 0.5, xent

    rows["numpy"] = per_call(by_hand, repeat)
    return rows


def view_nodes(repeat):
    x, i = T.dmatrix(), T.lscalar()
    v = x.T[1:, ::-1].reshape((-1,))[i:]             # DimShuffle, Subtensor, Reshape, ...
    out = [v.dimshuffle("x", 0)[:, ::2], x.shape, T.arange(x.shape[0])]
    a = np.arange(30.0).reshape(5, 6)
    rows = {}
    for linker in ("cvm", "vm"):
        f = pytheano.function([x, i], out, mode=pytheano.Mode(linker=linker,
                                                             optimizer="fast_run"))
        rows[linker] = per_call(lambda f=f: f(a, 1), repeat)
        rows["nodes"] = len(f.vm.nodes)
    return rows


def inc_subtensor1(repeat, rows_=1000, cols=10):
    rng = np.random.default_rng(0)
    Z = rng.integers(0, 100, (rows_, cols))
    Y = rng.integers(0, 100, (rows_, cols))
    idx = rng.integers(0, rows_, rows_)
    z, y, i = T.lmatrix(), T.lmatrix(), T.lvector()
    out = T.inc_subtensor((z * 1)[i], y)
    rows = {}
    for linker in ("cvm", "vm"):
        f = pytheano.function([z, y, i], out, mode=pytheano.Mode(linker=linker,
                                                                optimizer="fast_run"))
        rows[linker] = per_call(lambda f=f: f(Z, Y, idx), repeat)

    def by_hand():
        r = Z * 1
        np.add.at(r, idx, Y)
        return r

    rows["numpy"] = per_call(by_hand, repeat)
    return rows


COMPILE = """
import time, pytheano, pytheano.tensor as T
x, y = T.fvector(), T.fvector()
t0 = time.perf_counter()
pytheano.function([x, y], T.exp(-x) * T.sin(y) + x * y / (1 + x * x),
                  mode=pytheano.Mode(linker="c", optimizer="fast_run"))
print(time.perf_counter() - t0)
"""


def compile_times():
    d = tempfile.mkdtemp(prefix="pytheano-bench-c-")
    env = dict(os.environ, THEANO_FLAGS="compiledir=%s" % d, PYTHONPATH=HERE)
    out = []
    for _ in range(2):
        r = subprocess.run([sys.executable, "-c", COMPILE], env=env, cwd=HERE,
                           stdout=subprocess.PIPE, check=True)
        out.append(float(r.stdout))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    n = 1_000_000 if args.quick else 10_000_000
    rows = fused(n, repeat)
    print("fused %dM f32 (ms): c %.2f | vm %.2f | numpy %.2f | c/numpy %.2f"
          % (n // 1_000_000, rows["c"] * 1e3, rows["vm"] * 1e3, rows["numpy"] * 1e3,
             rows["c"] / rows["numpy"]))
    pytheano.config.openmp = True
    rows = fused(n, repeat)
    pytheano.config.openmp = False
    print("fused %dM f32 openmp (ms): c %.2f | numpy %.2f | c/numpy %.2f"
          % (n // 1_000_000, rows["c"] * 1e3, rows["numpy"] * 1e3, rows["c"] / rows["numpy"]))
    rows = logreg_tutorial(1000, 100, repeat)
    print("logreg 1000x100 f64 (us): cvm %.1f | vm %.1f | numpy %.1f"
          % (rows["cvm"] * 1e6, rows["vm"] * 1e6, rows["numpy"] * 1e6))
    rows = logreg(20, repeat)
    print("logreg step b=20 (us): cvm %.1f | vm %.1f | numpy %.1f"
          % (rows["cvm"] * 1e6, rows["vm"] * 1e6, rows["numpy"] * 1e6))
    print("  cvm thunks: %s" % ", ".join("%s %d" % kv for kv in sorted(rows["thunks"].items())))
    rows = logreg(1000, repeat, n_in=100)
    print("logreg step 1000x100 (us): cvm %.1f | vm %.1f | numpy %.1f"
          % (rows["cvm"] * 1e6, rows["vm"] * 1e6, rows["numpy"] * 1e6))
    rows = view_nodes(repeat)
    print("view nodes, %d (us per call): cvm %.2f | vm %.2f | per node: cvm %.2f | vm %.2f"
          % (rows["nodes"], rows["cvm"] * 1e6, rows["vm"] * 1e6,
             rows["cvm"] * 1e6 / rows["nodes"], rows["vm"] * 1e6 / rows["nodes"]))
    rows = inc_subtensor1(repeat)
    print("inc_subtensor1 int64 1000x10 (us): cvm %.1f | vm %.1f | numpy add.at %.1f"
          % (rows["cvm"] * 1e6, rows["vm"] * 1e6, rows["numpy"] * 1e6))
    cold, warm = compile_times()
    print("compile fused (s): cold %.3f | warm (second process) %.4f" % (cold, warm))


if __name__ == "__main__":
    main()
