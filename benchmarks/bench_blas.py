"""An MLP training step (784-500-10, tanh, softmax cross-entropy, SGD updates) compiled
with FAST_RUN, with and without the BLAS rewrites (pytheano/rewriting/blas.py): step time,
compile time, and the ops of the compiled graph.

Run: OPENBLAS_NUM_THREADS=1 PYTHONPATH=. python benchmarks/bench_blas.py [batch] [dtype]
[hidden sizes] (default 100 float64 500; ``256 float32 1024,1024`` is the 784-1024-1024-10
step of benchmarks/README.md). The BLAS ops run from the C backend's BlasThunk (scipy's
BLAS called from Cython, _core/blas_thunk.pyx) with linker 'cvm' (FAST_RUN's), from their
perform (scipy's Python BLAS wrappers) with linker 'vm': the "with" rows are timed both
ways. The first line names the OpenBLAS kernel that ran (threadpoolctl; leave
OPENBLAS_CORETYPE unset to get the one OpenBLAS picks for this CPU). One BLAS thread: on a
shared, loaded machine a threaded BLAS makes the step times noise (2.7 to 117 ms for one
graph here, load average 8-10 on 2 cores).

"without" is ``FAST_RUN`` excluding the 'blas' phase: every dot stays a ``dot`` node (numpy's
dot, BLAS underneath too) and each weight update is dot, scale and subtract, in new memory.
"with" (FAST_RUN): the forward products and the backpropagated one are Dot22, and each
weight update ``W - lr * dot(a.T, g)`` is one ``Gemm{inplace}`` writing into W's own storage
(no DeepCopyOp after it). The bias gradients are sums, not products: no Gemv here.

This session, 2-core shared machine, OPENBLAS_NUM_THREADS=1, batch 100, minimum of 20 steps
(two runs agreed within 10%):

| dtype | BLAS rewrites | step (ms) | compile (ms) | Gemm | Gemv | Dot22 | dot |
| --- | --- | --- | --- | --- | --- | --- | --- |
| float64 | without | 14.3 | 12 | 0 | 0 | 0 | 5 |
| float64 | with | 9.3 | 20 | 2 | 0 | 3 | 0 |
| float32 | without | 2.4 | 12-21 | 0 | 0 | 0 | 5 |
| float32 | with | 2.2 | 14-21 | 2 | 0 | 3 | 0 |

The compile column moves with the machine's load; the rewrite phase itself (profiled with
``RewritePlan.rewrite(fgraph, profile=...)``) spends about 1 ms in the BLAS rules here.
"""
import os
import sys
import time

import numpy as np

try:
    import threadpoolctl
except ImportError:  # the kernel line is then left out
    threadpoolctl = None

import pytheano
import pytheano.tensor as T
from pytheano.tensor import blas


def mlp_step(batch, dtype, n_in=784, hidden=(500,), n_out=10, seed=0):
    """(inputs, cost, updates, values) of one SGD step of the MLP (tanh hidden layers)."""
    rng = np.random.default_rng(seed)
    x, t = T.matrix("x", dtype=dtype), T.ivector("t")

    def shared(shape, name, scale=0.0):
        value = (rng.standard_normal(shape) * scale).astype(dtype)
        return pytheano.shared(value, name=name)

    h, params, sizes = x, [], (n_in,) + tuple(hidden)
    for k, (n_a, n_b) in enumerate(zip(sizes[:-1], sizes[1:])):
        W, b = shared((n_a, n_b), "W%d" % k, 0.05), shared((n_b,), "b%d" % k)
        h = T.tanh(T.dot(h, W) + b)
        params += [W, b]
    W2, b2 = shared((sizes[-1], n_out), "Wout", 0.05), shared((n_out,), "bout")
    p = T.nnet.softmax(T.dot(h, W2) + b2)
    cost = T.nnet.categorical_crossentropy(p, t).mean()
    params += [W2, b2]
    lr = np.asarray(0.01, dtype=dtype)
    updates = [(q, q - lr * g) for q, g in zip(params, T.grad(cost, params))]
    values = [rng.standard_normal((batch, n_in)).astype(dtype),
              rng.integers(0, n_out, batch).astype("int32")]
    return [x, t], cost, updates, values


def count(f, kind):
    return sum(isinstance(n.op, kind) and (kind is not T.Dot or type(n.op) is T.Dot)
               for n in f.maker.fgraph.toposort())


def measure(mode, batch, dtype, hidden=(500,), steps=30):
    inputs, cost, updates, values = mlp_step(batch, dtype, hidden=hidden)
    t0 = time.perf_counter()
    f = pytheano.function(inputs, cost, updates=updates, mode=mode)
    compile_ms = (time.perf_counter() - t0) * 1e3
    f(*values)  # warm up
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        f(*values)
        times.append(time.perf_counter() - t0)
    return min(times) * 1e3, compile_ms, [count(f, k) for k in
                                          (blas.Gemm, blas.Gemv, blas.Dot22, T.Dot)]


def blas_kernel():
    """'OpenBLAS 0.3.30 SkylakeX, 1 thread(s)' for the BLAS scipy loaded, or '?'."""
    if threadpoolctl is None:
        return "?"
    for info in threadpoolctl.threadpool_info():
        if info.get("user_api") == "blas" and "scipy.libs" in info.get("filepath", ""):
            return "%s %s %s, %s thread(s)" % (info.get("internal_api"), info.get("version"),
                                               info.get("architecture"),
                                               info.get("num_threads"))
    return "?"


def main(batch=100, dtype="float64", hidden=(500,)):
    fast = pytheano.compile.mode.get_mode("FAST_RUN")
    print("MLP 784-%s-10, batch %d; BLAS: %s; OPENBLAS_CORETYPE=%s"
          % ("-".join(map(str, hidden)), batch, blas_kernel(),
             os.environ.get("OPENBLAS_CORETYPE", "(unset)")))
    print("| dtype | BLAS rewrites | linker | step (ms) | compile (ms) | Gemm | Gemv | Dot22 "
          "| dot |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, linker, mode in (
            ("without", "cvm", fast.excluding("blas")),
            ("with", "cvm", pytheano.Mode(linker="cvm", optimizer="fast_run")),
            ("with", "vm", pytheano.Mode(linker="vm", optimizer="fast_run"))):
        step, comp, counts = measure(mode, batch, dtype, hidden)
        print("| %s | %s | %s | %.1f | %.0f | %s |"
              % (dtype, label, linker, step, comp,
                 " | ".join(map(str, counts))))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100,
         sys.argv[2] if len(sys.argv) > 2 else "float64",
         tuple(int(n) for n in sys.argv[3].split(",")) if len(sys.argv) > 3 else (500,))
