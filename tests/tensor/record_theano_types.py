"""Record what Theano 1.0.5 makes of the tensor type constructors into theano_types.json.

Run with the Theano peer (Python 3.7):

    THEANO_FLAGS='cxx=,device=cpu' ~/peers/theano/bin/python tests/tensor/record_theano_types.py

test_type.py compares pytheano against the fixture (CI has no Theano).
"""
import json
import os
import re

CALLS = [
    "scalars('xy')", "scalars('x')", "scalars('xyz')", "scalars('x', 'y')", "scalars('ab', 'c')",
    "scalars(['a', 'b'])", "scalars(('a', 'b'))", "scalars(2)", "scalars(1)", "scalars(0)",
    "scalars()", "scalars(2, 5)", "scalars('')", "scalars(['ab'])",
    "vectors('ab')", "vectors(3)", "matrices('ABC')", "matrices('W', 'b')", "rows('xy')",
    "cols(2)", "tensor3s('ab')", "tensor4s('a')", "tensor7s(2)",
    "dscalars('xy')", "dscalars(3)", "dscalars('a', 'bc')", "dscalars(['u', 'v'])",
    "fvectors('ab')", "ivectors(2)", "lmatrices('AB')", "dmatrices('x')", "frows('ab')",
    "icols('ab')", "dtensor3s('ab')", "ltensor5s(2)", "ftensor7s('ab')",
    "scalars('xy', dtype='int32')", "scalar('x', dtype='int32')", "dscalar('x')",
    "dscalar()", "dscalar(name='n')", "matrix('m', 'float32')", "tensor3(dtype='int8')",
    "tensor7('t')",
]


def describe(v):
    if isinstance(v, list):
        return {"list": [describe(x) for x in v]}
    return {"name": v.name if v.name is None or isinstance(v.name, str) else repr(v.name),
            "type": str(v.type), "dtype": v.type.dtype,
            "broadcastable": list(v.type.broadcastable)}


def constructor_names(T):
    """The constructor names Theano's tensor module has, and what each is."""
    out = {}
    for n in dir(T):
        if re.match(r"^[a-z]*(scalar|vector|row|col|matrix|matrice|tensor\d)s?$", n):
            o = getattr(T, n)
            kind = type(o).__name__
            out[n] = {"kind": "TensorType" if kind == "TensorType" else
                      "function" if kind in ("function", "partial") else kind,
                      "repr": repr(o) if kind == "TensorType" else None}
    return out


def record(T):
    results = {}
    for call in CALLS:
        try:
            results[call] = describe(eval("T." + call, {"T": T}))
        except Exception as e:  # noqa: BLE001 - the class is what we record
            results[call] = {"raises": type(e).__name__}
    return {"calls": results, "names": constructor_names(T)}


if __name__ == "__main__":
    import theano.tensor as T

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "theano_types.json")
    with open(path, "w") as f:
        json.dump(record(T), f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", path)
