"""One training step of a LeNet-5-like convnet, pytheano against Theano 1.0.5.

The model (Theano's deep learning tutorial, float32): conv 20x5x5 -> tanh -> 2x2 max pool
-> conv 50x5x5 -> tanh -> 2x2 max pool -> dense 800-500 tanh -> softmax 10, the mean
negative log-likelihood, SGD updates of the four filters and weights, a batch of 100 28x28
images. Each row runs in a fresh process: the step's best time over ROUNDS loops of STEPS
steps (milliseconds), its cost after the timed steps (the same for all rows: the same
seeded weights and data), and the ``function`` call's wall time (a warm C cache for
pytheano). ``--tree`` (repeatable) times other pytheano source trees (A/B); Theano runs
with its C backend (``cxx=g++``, a compiledir kept in /tmp between runs: the first run
compiles for about 30 s) when the peer venv exists.

    python benchmarks/bench_convnet.py [--tree PATH ...] [--theano-python PATH]
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CHILD = r"""
import json, sys, time
import numpy as np
if sys.argv[1] == "theano":
    import theano
    import theano.tensor as T
    from theano.tensor.nnet import conv2d
    from theano.tensor.signal.pool import pool_2d
else:
    import pytheano as theano
    import pytheano.tensor as T
    from pytheano.tensor.nnet import conv2d
    from pytheano.tensor.signal.pool import pool_2d
STEPS, ROUNDS = 10, 3
rng = np.random.RandomState(0)


def shared(*shape, scale):
    return theano.shared((rng.randn(*shape) * scale).astype("float32"))


x, y = T.tensor4("x", dtype="float32"), T.ivector("y")
params = [shared(20, 1, 5, 5, scale=0.1), shared(50, 20, 5, 5, scale=0.1),
          shared(800, 500, scale=0.01), shared(500, 10, scale=0.01)]
W1, W2, W3, W4 = params
h1 = pool_2d(T.tanh(conv2d(x, W1)), (2, 2), ignore_border=True)
h2 = pool_2d(T.tanh(conv2d(h1, W2)), (2, 2), ignore_border=True)
h3 = T.tanh(T.dot(h2.flatten(2), W3))
p = T.nnet.softmax(T.dot(h3, W4))
cost = -T.mean(T.log(p)[T.arange(y.shape[0]), y])
t0 = time.perf_counter()
step = theano.function([x, y], cost, updates=[(w, w - np.float32(0.01) * g)
                                             for w, g in zip(params, T.grad(cost, params))])
compile_s = time.perf_counter() - t0
xv = rng.randn(100, 1, 28, 28).astype("float32")
yv = rng.randint(0, 10, 100).astype("int32")
step(xv, yv)
best = float("inf")
for _ in range(ROUNDS):
    t0 = time.perf_counter()
    for _ in range(STEPS):
        c = step(xv, yv)
    best = min(best, (time.perf_counter() - t0) / STEPS)
print(json.dumps({"step_ms": best * 1e3, "cost": float(c), "compile_s": compile_s}))
"""


def run(python, module, env):
    proc = subprocess.run([python, "-c", CHILD, module], env=env, cwd="/tmp",
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=1200)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.decode()[-2000:])
    return json.loads(proc.stdout.decode().strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", default=None,
                        help="a pytheano source tree (repeatable; default: this one)")
    parser.add_argument("--theano-python", default=os.path.expanduser(
        "~/peers/theano/bin/python"))
    args = parser.parse_args()
    rows = []
    for tree in [os.path.abspath(t) for t in args.tree] if args.tree else [HERE]:
        env = dict(os.environ, PYTHONPATH=tree)
        env.pop("PYTHEANO_FLAGS", None)
        env.pop("THEANO_FLAGS", None)
        run(sys.executable, "pytheano", env)  # warms the C cache
        rows.append(("pytheano %s" % tree, run(sys.executable, "pytheano", env)))
    if args.theano_python and os.path.exists(args.theano_python):
        env = dict(os.environ, THEANO_FLAGS="cxx=g++,device=cpu,floatX=float32,"
                   "compiledir=/tmp/bench_convnet_theano")
        env.pop("PYTHONPATH", None)
        rows.append(("Theano 1.0.5 (cxx=g++)", run(args.theano_python, "theano", env)))
    else:
        print("(Theano 1.0.5 not found at %s: skipped)" % args.theano_python)
    print("load average at the end: %.2f %.2f %.2f" % os.getloadavg())
    print("| | step (ms) | cost after the steps | compile (s) |")
    print("| --- | ---: | ---: | ---: |")
    for name, r in rows:
        print("| %s | %.1f | %.6f | %.3f |" % (name, r["step_ms"], r["cost"], r["compile_s"]))


if __name__ == "__main__":
    main()
