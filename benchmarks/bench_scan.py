"""scan: a tanh RNN (forward, and forward + gradient) and the overhead per step of a trivial
loop, for pytheano against numpy by hand, a Python loop, JAX's ``lax.scan``, PyTorch's eager
loop (autograd for the gradient), PyTensor (its C backend) and Theano 1.0.5 where installed:
here, or in the peer venvs ``~/peers/{jax,torch,pytensor}`` that
``../shared/tools/setup_peers.sh`` builds, each then run as a subprocess of this file with
``--backend NAME`` (a row is left out when its library is absent).

Run from the repository root::

    python benchmarks/bench_scan.py            # the table
    python benchmarks/bench_scan.py --quick    # fewer repeats and steps, a smoke run
    python benchmarks/bench_scan.py --theano-c # Theano with its C backend
    python benchmarks/bench_scan.py --no-theano  # without Theano (A/B runs of two trees)

What is timed (best of the repeats of the process's CPU time, ``time.process_time``: the
shared machine's load counts less than in wall time; every library runs on one thread;
milliseconds per call unless said):

* ``rnn fwd`` / ``rnn fwd+grad``: h_t = tanh(x_t W + h_{t-1} U + b), 200 steps, batch 32, 256
  inputs and hidden units, float32; the cost is the sum of the last state; the gradient is
  with respect to W, U, b (backpropagation through time).
* ``step overhead``: microseconds per step of ``scan(lambda p: p + 1)`` over 10,000 steps of
  a float64 scalar, against a Python loop calling a compiled ``p + 1`` function, and plain
  Python ``p + 1`` on floats.
* ``compile``: seconds (wall) to compile the RNN with its gradient; for JAX, the first calls
  of the jitted forward and forward + gradient (tracing and XLA's compile); for PyTorch, the
  first calls (nothing is compiled).

Theano 1.0.5 (``~/peers/theano/bin/python``, without its C backend unless ``--theano-c``)
runs this same file as a subprocess with ``--backend theano``. Python 3.7 compatible for that
reason.
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false "
                      "intra_op_parallelism_threads=1")

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

PEER = os.path.expanduser("~/peers/theano/bin/python")


def _best(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def _rnn_data(steps, batch, n):
    rng = np.random.RandomState(0)
    x = rng.standard_normal((steps, batch, n)).astype("float32")
    w = (rng.standard_normal((n, n)) * 0.05).astype("float32")
    u = (rng.standard_normal((n, n)) * 0.05).astype("float32")
    b = np.zeros(n, dtype="float32")
    h0 = np.zeros((batch, n), dtype="float32")
    return x, w, u, b, h0


def run_theano_like(theano, T, quick):
    steps, batch, n = (20, 8, 32) if quick else (200, 32, 256)
    repeats = 2 if quick else 5
    x, w, u, b, h0 = _rnn_data(steps, batch, n)
    X, H0 = T.tensor3("X", dtype="float32"), T.matrix("H0", dtype="float32")
    W = theano.shared(w, name="W")
    U = theano.shared(u, name="U")
    B = theano.shared(b, name="B")
    hs, _ = theano.scan(lambda xt, h: T.tanh(T.dot(xt, W) + T.dot(h, U) + B), sequences=X,
                        outputs_info=H0)
    cost = hs[-1].sum()
    t0 = time.perf_counter()
    fwd = theano.function([X, H0], cost)
    grads = T.grad(cost, [W, U, B])
    both = theano.function([X, H0], [cost] + grads)
    compile_s = time.perf_counter() - t0
    fwd(x, h0)
    both(x, h0)
    out = {"rnn fwd": _best(lambda: fwd(x, h0), repeats) * 1e3,
           "rnn fwd+grad": _best(lambda: both(x, h0), repeats) * 1e3,
           "compile": compile_s}
    n_steps = 1000 if quick else 10000
    p0 = T.dscalar("p0")
    loop, _ = theano.scan(lambda p: p + 1, outputs_info=p0, n_steps=n_steps)
    f_loop = theano.function([p0], loop[-1])
    f_loop(0.0)
    out["step overhead (us)"] = _best(lambda: f_loop(0.0), repeats) / n_steps * 1e6
    inc = theano.function([p0], p0 + 1)
    a = np.asarray(0.0)

    def python_loop():
        v = a
        for _ in range(n_steps):
            v = inc(v)

    out["python loop of f (us)"] = _best(python_loop, repeats) / n_steps * 1e6
    return out


def run_numpy(quick):
    steps, batch, n = (20, 8, 32) if quick else (200, 32, 256)
    repeats = 2 if quick else 5
    x, w, u, b, h0 = _rnn_data(steps, batch, n)

    def fwd():
        h = h0
        for t in range(steps):
            h = np.tanh(x[t].dot(w) + h.dot(u) + b)
        return h.sum()

    def both():
        hs = [h0]
        for t in range(steps):
            hs.append(np.tanh(x[t].dot(w) + hs[-1].dot(u) + b))
        gh = np.ones_like(h0)
        gw, gu, gb = np.zeros_like(w), np.zeros_like(u), np.zeros_like(b)
        for t in range(steps - 1, -1, -1):
            ga = gh * (1 - hs[t + 1] ** 2)
            gw += x[t].T.dot(ga)
            gu += hs[t].T.dot(ga)
            gb += ga.sum(0)
            gh = ga.dot(u.T)
        return gw, gu, gb

    n_steps = 1000 if quick else 10000

    def py():
        v = 0.0
        for _ in range(n_steps):
            v = v + 1

    return {"rnn fwd": _best(fwd, repeats) * 1e3, "rnn fwd+grad": _best(both, repeats) * 1e3,
            "step overhead (us)": _best(py, repeats) / n_steps * 1e6}


def run_jax(quick):
    """JAX's lax.scan, jitted, on the CPU; None when JAX is not installed."""
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    steps, batch, n = (20, 8, 32) if quick else (200, 32, 256)
    repeats = 2 if quick else 5
    x, w, u, b, h0 = _rnn_data(steps, batch, n)

    def cost(w, u, b, x, h0):
        def step(h, xt):
            return jnp.tanh(xt @ w + h @ u + b), None

        return jax.lax.scan(step, h0, x)[0].sum()

    fwd = jax.jit(cost)
    both = jax.jit(jax.value_and_grad(cost, argnums=(0, 1, 2)))
    t0 = time.perf_counter()
    jax.block_until_ready(fwd(w, u, b, x, h0))
    jax.block_until_ready(both(w, u, b, x, h0))
    compile_s = time.perf_counter() - t0
    return {"rnn fwd": _best(lambda: jax.block_until_ready(fwd(w, u, b, x, h0)), repeats) * 1e3,
            "rnn fwd+grad": _best(lambda: jax.block_until_ready(both(w, u, b, x, h0)),
                                  repeats) * 1e3,
            "compile": compile_s}


def run_torch(quick):
    """PyTorch eager: a Python loop over the steps, the gradient by autograd; None when
    PyTorch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    steps, batch, n = (20, 8, 32) if quick else (200, 32, 256)
    repeats = 2 if quick else 5
    x, w, u, b, h0 = (torch.from_numpy(a) for a in _rnn_data(steps, batch, n))
    params = [t.clone().requires_grad_() for t in (w, u, b)]

    def cost(w, u, b):
        h = h0
        for t in range(steps):
            h = torch.tanh(x[t] @ w + h @ u + b)
        return h.sum()

    def fwd():
        with torch.no_grad():
            return float(cost(*params))

    def both():
        out = cost(*params)
        grads = torch.autograd.grad(out, params)
        return out.item(), grads  # item(): a float without the autograd warning

    t0 = time.perf_counter()
    fwd()
    both()
    compile_s = time.perf_counter() - t0
    return {"rnn fwd": _best(fwd, repeats) * 1e3, "rnn fwd+grad": _best(both, repeats) * 1e3,
            "compile": compile_s}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--backend", default=None)
    parser.add_argument("--theano-c", action="store_true",
                        help="run Theano with its C backend (it compiles for minutes cold)")
    parser.add_argument("--no-theano", action="store_true",
                        help="leave Theano 1.0.5 out (an A/B run of two trees)")
    args = parser.parse_args()
    if args.backend == "theano":
        import theano
        import theano.tensor as T

        print(json.dumps(run_theano_like(theano, T, args.quick)))
        return
    if args.backend == "pytensor":  # Theano's successor, run in its peer venv
        import pytensor
        import pytensor.tensor as PTT

        print(json.dumps(run_theano_like(pytensor, PTT, args.quick)))
        return
    if args.backend in ("jax", "torch"):  # run in a peer venv (below)
        print(json.dumps((run_jax if args.backend == "jax" else run_torch)(args.quick)))
        return
    # This tree's pytheano, not an installed one.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import pytheano
    import pytheano.tensor as PT

    rows = {"pytheano": run_theano_like(pytheano, PT, args.quick), "numpy": run_numpy(args.quick)}
    for name, backend, run in (("jax lax.scan", "jax", run_jax),
                               ("pytorch eager", "torch", run_torch),
                               ("pytensor (C)", "pytensor", None)):
        row = run(args.quick) if run is not None else None
        peer = os.path.expanduser("~/peers/%s/bin/python" % backend)
        if row is None and os.path.exists(peer):  # not installed here: its peer venv's
            proc = subprocess.run([peer, os.path.abspath(__file__), "--backend", backend] +
                                  (["--quick"] if args.quick else []), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, universal_newlines=True)
            out = proc.stdout.strip().splitlines()
            row = json.loads(out[-1]) if proc.returncode == 0 and out else None
            if row is None:
                print("%s failed:" % backend, proc.stderr[-2000:], file=sys.stderr)
        if row is not None:
            rows[name] = row
    if os.path.exists(PEER) and not args.no_theano:
        cmd = [PEER, os.path.abspath(__file__), "--backend", "theano"] + \
            (["--quick"] if args.quick else [])
        flags = "device=cpu,compiledir=/tmp/th_bench_scan" + ("" if args.theano_c else ",cxx=")
        env = dict(os.environ, THEANO_FLAGS=flags)
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                              universal_newlines=True)
        if proc.returncode == 0:
            name = "theano 1.0.5" + ("" if args.theano_c else " (no cxx)")
            rows[name] = json.loads(proc.stdout.strip().splitlines()[-1])
        else:
            print("theano failed:", proc.stderr[-2000:], file=sys.stderr)
    keys = ["rnn fwd", "rnn fwd+grad", "step overhead (us)", "python loop of f (us)",
            "compile"]
    print("%-24s" % "" + "".join("%22s" % k for k in keys))
    for name, row in rows.items():
        print("%-24s" % name + "".join("%22s" % ("%.3f" % row[k] if k in row else "-")
                                       for k in keys))


if __name__ == "__main__":
    main()
