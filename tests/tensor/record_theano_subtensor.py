"""Record Theano 1.0.5's broadcastable pattern and run-time shape for slices of broadcastable
dimensions into theano_subtensor_bcast.json.

Run with the Theano peer (Python 3.7), from the repository root:

    THEANO_FLAGS='cxx=,device=cpu' ~/peers/theano/bin/python tests/tensor/record_theano_subtensor.py

test_subtensor.py compares pytheano against the fixture (CI has no Theano). ``"s"`` in a slice
bound is a symbolic int64 scalar, given the value in SYMBOLIC_VALUES at run time.
"""
import itertools
import json
import os

STARTS = [None, 0, 1, -1, 2, "s"]
STOPS = [None, 0, 1, 2, -1, -2, "s"]
STEPS = [None, 1, 2, -1, -2, "s"]
# Values of the symbolic bounds at run time: (start, stop, step), each tried.
SYMBOLIC_VALUES = [(0, 1, 1), (0, 1, -1), (-1, 5, -2)]


def cases():
    for start, stop, step in itertools.product(STARTS, STOPS, STEPS):
        yield "%s:%s:%s" % tuple("" if b is None else b for b in (start, stop, step)), \
            (start, stop, step)


def record_one(theano, bounds):
    """{'row': bcast of r[slc], 'col': bcast of c[:, slc], 'runs': [shape or error class for
    each SYMBOLIC_VALUES row]} for r a (1, 3) row and c a (3, 1) col."""
    T = theano.tensor
    import numpy as np

    syms = [T.lscalar("start"), T.lscalar("stop"), T.lscalar("step")]
    slc = slice(*[syms[i] if b == "s" else b for i, b in enumerate(bounds)])
    r, c = T.drow("r"), T.dcol("c")
    out_r, out_c = r[slc], c[:, slc]
    used = [s for s, b in zip(syms, bounds) if b == "s"]
    f = theano.function([r, c] + used, [out_r, out_c], on_unused_input="ignore")
    runs = []
    for values in SYMBOLIC_VALUES if used else SYMBOLIC_VALUES[:1]:
        args = [v for v, b in zip(values, bounds) if b == "s"]
        try:
            vr, vc = f(np.ones((1, 3)), np.ones((3, 1)), *args)
            runs.append([list(vr.shape), list(vc.shape)])
        except Exception as e:  # noqa: BLE001 - the class is what we record
            runs.append(type(e).__name__)
    return {"row": list(out_r.broadcastable), "col": list(out_c.broadcastable), "runs": runs}


def record(theano):
    return {case: record_one(theano, bounds) for case, bounds in cases()}


if __name__ == "__main__":
    import theano

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "theano_subtensor_bcast.json")
    with open(path, "w") as f:
        json.dump(record(theano), f, indent=0, sort_keys=True)
        f.write("\n")
    print("wrote", path)
