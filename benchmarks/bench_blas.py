"""An MLP training step (784-500-10 by default, tanh, softmax cross-entropy, SGD updates)
compiled with FAST_RUN, with and without the BLAS rewrites (pytheano/rewriting/blas.py),
against the same step written by hand in numpy and in JAX: step time (wall and CPU), compile
time, and the ops of the compiled graph.

Run: env -u OPENBLAS_CORETYPE PYTHONPATH=. python benchmarks/bench_blas.py [batch] [dtype]
[hidden sizes] [BLAS threads] (default 100 float64 500 1; ``256 float32 1024,1024 1,2`` is
the 784-1024-1024-10 step of benchmarks/README.md, with 1 and then 2 BLAS threads set by
threadpoolctl for scipy's and numpy's OpenBLAS alike). The first line names the OpenBLAS
kernel that ran; leave OPENBLAS_CORETYPE unset to get the one OpenBLAS picks for this CPU.

Rows, timed in alternating rounds (minimum over rounds and steps):
- "no BLAS rewrites": ``FAST_RUN`` excluding the 'blas' phase: every product a ``dot`` node,
  each weight update dot, scale and subtract in new memory.
- "FAST_RUN (cvm)": the forward and backpropagated products are Dot22 and each update
  ``W - lr * dot(a.T, g)`` one ``Gemm{inplace}`` into W's own storage, all run by the C
  backend's BlasThunk (scipy's BLAS called from Cython, _core/blas_thunk.pyx); "linker vm":
  the same graph with the BLAS ops' perform (scipy's Python BLAS wrappers).
- "numpy by hand": the step as one would write it (bias add and tanh in place on the
  product, weights updated in place); it is checked to compute what FAST_RUN computes.
- "the 8 products alone": only the step's matrix products, in numpy: the floor.
- "PyTorch eager": the step with autograd, the weights updated in place; its intra-op
  threads set to the row's BLAS threads. Left out when PyTorch is not installed.
- "JAX": ``jax.jit`` of value_and_grad and the updates, every call blocked on with
  ``block_until_ready`` (without it a call returns in about 30 us, before computing
  anything); XLA picks its own threads. Left out when JAX is not installed.
The CPU column (``time.process_time``, every thread of the process) is the steadier one on
a loaded machine; with 2 BLAS threads on a loaded 2-core machine the wall times are noise.
"""
import contextlib
import functools
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


def blas_kernel():
    """The BLAS libraries loaded ('numpy.libs: openblas 0.3.31.188.0 SkylakeX, ...') and the
    one BlasThunk's products call."""
    from pytheano._core.blas_thunk import GEMM_BLAS
    libs = []
    if threadpoolctl is not None:
        for info in threadpoolctl.threadpool_info():
            if info.get("user_api") == "blas":
                folder = os.path.basename(os.path.dirname(info.get("filepath", "")))
                libs.append("%s: %s %s %s" % (folder, info.get("internal_api"),
                                              info.get("version"), info.get("architecture")))
    return "%s; BlasThunk's ?gemm: %s" % (", ".join(libs) or "?", GEMM_BLAS)


def blas_threads(n):
    """A context limiting every loaded BLAS (scipy's, numpy's) to ``n`` threads."""
    if threadpoolctl is None:
        return contextlib.nullcontext()
    return threadpoolctl.threadpool_limits(n, user_api="blas")


def _initial_values(updates):
    return [np.array(q.get_value()) for q, _ in updates]


def numpy_step(updates, values):
    """The same SGD step written by hand in numpy (float32 kept float32, weights updated in
    place, each bias add and tanh in place on the product): the reference to beat."""
    params = _initial_values(updates)
    x, t = values
    dtype = x.dtype
    lr = np.asarray(0.01, dtype=dtype)
    n = x.shape[0]
    rows = np.arange(n)

    def step():
        hs = [x]
        for W, b in zip(params[:-2:2], params[1:-2:2]):
            z = hs[-1] @ W
            z += b
            hs.append(np.tanh(z, out=z))
        z = hs[-1] @ params[-2]
        z += params[-1]
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        cost = -np.log(z[rows, t]).mean(dtype=dtype)
        g = z  # d cost / d logits = (softmax - onehot) / n
        g[rows, t] -= 1
        g /= dtype.type(n)
        for k in range(len(hs) - 1, -1, -1):
            W, b = params[2 * k], params[2 * k + 1]
            gh = g @ W.T if k else None  # before W changes
            W -= lr * (hs[k].T @ g)
            b -= lr * g.sum(axis=0)
            if k:
                h = hs[k]
                gh *= 1 - h * h
                g = gh
        return cost

    return step, params


def products_only(updates, values):
    """Only the step's matrix products (numpy, the same shapes and operand layouts as
    numpy_step's): the floor that the whole step sits above."""
    params = _initial_values(updates)
    x = values[0]
    n, sizes = x.shape[0], [W.shape[0] for W in params[::2]] + [params[-2].shape[1]]
    acts = [x] + [np.ones((n, m), x.dtype) for m in sizes[1:]]

    def step():
        for k, W in enumerate(params[::2]):
            acts[k] @ W
        for k, W in reversed(list(enumerate(params[::2]))):
            g = acts[k + 1]
            acts[k].T @ g
            if k:
                g @ W.T

    return step, params


def jax_step(updates, values):
    """The same step in JAX (jit; the call blocks until the result is ready), or None
    when JAX is not installed."""
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    x, t = values
    dtype = x.dtype
    lr = np.asarray(0.01, dtype=dtype)
    n = x.shape[0]

    def cost_of(params, x, t):
        h = x
        for W, b in zip(params[:-2:2], params[1:-2:2]):
            h = jnp.tanh(h @ W + b)
        logp = jax.nn.log_softmax(h @ params[-2] + params[-1])
        return -jnp.mean(logp[jnp.arange(n), t])

    @jax.jit
    def sgd(params, x, t):
        cost, grads = jax.value_and_grad(cost_of)(params, x, t)
        return cost, [p - lr * g for p, g in zip(params, grads)]

    state = [[jnp.asarray(p) for p in _initial_values(updates)]]
    xs, ts = jnp.asarray(x), jnp.asarray(t)

    def step():
        cost, state[0] = sgd(state[0], xs, ts)
        jax.block_until_ready(state[0])
        return cost

    return step, state


def torch_step(updates, values):
    """The same step in PyTorch, eager (autograd, weights updated in place under no_grad),
    or None when PyTorch is not installed. Its threads follow BLAS threads (set_num_threads)."""
    try:
        import torch
    except ImportError:
        return None
    x, t = values
    n = x.shape[0]
    params = [torch.tensor(p, requires_grad=True) for p in _initial_values(updates)]
    xs, ts = torch.from_numpy(x), torch.from_numpy(np.asarray(t, dtype="int64"))
    lr = 0.01

    def step():
        h = xs
        for W, b in zip(params[:-2:2], params[1:-2:2]):
            h = torch.tanh(h @ W + b)
        logp = torch.log_softmax(h @ params[-2] + params[-1], dim=1)
        cost = -logp[torch.arange(n), ts].mean()
        grads = torch.autograd.grad(cost, params)
        with torch.no_grad():
            for p, g in zip(params, grads):
                p.sub_(lr * g)
        return cost

    return step, params, torch


def min_time(step, steps):
    """(wall, CPU) milliseconds of one step, the minimum over ``steps``: the CPU time (of
    every thread) is the steadier one on a loaded machine."""
    step()  # warm up (and JAX's compile)
    wall, cpu = [], []
    for _ in range(steps):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return min(wall) * 1e3, min(cpu) * 1e3


def check_numpy_reference(batch, dtype, hidden):
    """The hand-written step computes the compiled one: costs and updated weights agree."""
    inputs, cost, updates, values = mlp_step(batch, dtype, hidden=hidden)
    step, params = numpy_step(updates, values)
    f = pytheano.function(inputs, cost, updates=updates)
    for _ in range(2):
        c_np, c_f = step(), f(*values)
    err = max(float(np.max(np.abs(p - q.get_value()))) for p, (q, _) in zip(params, updates))
    return abs(float(c_np) - float(c_f)), err


def main(batch=100, dtype="float64", hidden=(500,), threads=(1,), rounds=2, steps=20):
    fast = pytheano.compile.mode.get_mode("FAST_RUN")
    print("MLP 784-%s-10, batch %d; BLAS: %s; OPENBLAS_CORETYPE=%s; load average %.1f"
          % ("-".join(map(str, hidden)), batch, blas_kernel(),
             os.environ.get("OPENBLAS_CORETYPE", "(unset)"), os.getloadavg()[0]))
    print("numpy by hand vs FAST_RUN after 2 steps: |cost diff| %.2g, max |weight diff| %.2g"
          % check_numpy_reference(batch, dtype, hidden))
    rows = {}
    for label, _linker, mode in (
            ("pytheano, no BLAS rewrites", "cvm", fast.excluding("blas")),
            ("pytheano FAST_RUN (cvm)", "cvm", pytheano.Mode(linker="cvm",
                                                             optimizer="fast_run")),
            ("pytheano FAST_RUN, linker vm", "vm", pytheano.Mode(linker="vm",
                                                                 optimizer="fast_run"))):
        inputs, cost, updates, values = mlp_step(batch, dtype, hidden=hidden)
        t0 = time.perf_counter()
        f = pytheano.function(inputs, cost, updates=updates, mode=mode)
        comp = (time.perf_counter() - t0) * 1e3
        counts = [count(f, k) for k in (blas.Gemm, blas.Gemv, blas.Dot22, T.Dot)]
        rows[label] = (functools.partial(f, *values), "%.0f" % comp,
                       " | ".join(map(str, counts)))
    _, _, updates, values = mlp_step(batch, dtype, hidden=hidden)
    rows["numpy by hand"] = (numpy_step(updates, values)[0], "", " |  |  | ")
    rows["numpy, the 8 products alone"] = (products_only(updates, values)[0], "", " |  |  | ")
    reference = jax_step(updates, values)
    if reference is not None:
        rows["JAX jit (XLA's own threads)"] = (reference[0], "", " |  |  | ")
    torch_row = torch_step(updates, values)
    if torch_row is not None:
        rows["PyTorch eager"] = (torch_row[0], "", " |  |  | ")
    best = {}
    for _ in range(rounds):  # alternating: the load moves under all rows alike
        for n in threads:
            if torch_row is not None:
                torch_row[2].set_num_threads(n)
            with blas_threads(n):
                for label, (step, _, _) in rows.items():
                    if label.startswith("JAX") and n != threads[0]:
                        continue  # XLA's threads are its own: timed once
                    wall, cpu = min_time(step, steps)
                    old = best.get((label, n), (wall, cpu))
                    best[label, n] = (min(old[0], wall), min(old[1], cpu))
    print("| dtype | step | BLAS threads | step (ms) | CPU (ms) | compile (ms) | Gemm | Gemv "
          "| Dot22 | dot |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for n in threads:
        for label, (_, comp, counts) in rows.items():
            if (label, n) not in best:
                continue
            print("| %s | %s | %s | %.1f | %.1f | %s | %s |"
                  % ((dtype, label, n if "JAX" not in label else "-") + best[label, n]
                     + (comp, counts)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100,
         sys.argv[2] if len(sys.argv) > 2 else "float64",
         tuple(int(n) for n in sys.argv[3].split(",")) if len(sys.argv) > 3 else (500,),
         tuple(int(n) for n in sys.argv[4].split(",")) if len(sys.argv) > 4 else (1,))
