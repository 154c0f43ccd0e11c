"""Tests of pytheano/scalar/kernel.py: every scalar op in pytheano declares a complete kernel,
and its C template (through the real renderer, ``Kernel.render_c``) computes what its numpy
implementation computes, up to the differences the kernel declares.

The C harness is test-only: every (op, input dtypes) pair becomes one loop over 1-d
contiguous arrays, all in one .c file compiled once per session (cached by source hash in the
temp dir) and called through ctypes.
"""
import ctypes
import hashlib
import os
import re
import shutil
import subprocess
import tempfile

import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.tensor import xlogx
import pytheano.tensor.nnet  # noqa: F401  (its scalar ops)
from pytheano.scalar import basic as S
from pytheano.scalar import kernel as K
from pytheano.scalar import logic, math as SM
from pytheano.scalar.op import ScalarOp
from pytheano.tensor import reduction
from pytheano.tensor.elemwise import Elemwise
from pytheano.tensor.nnet import nnet, sigm

# Classes that only group a family: they have no instance of their own.
ABSTRACT = {"ScalarOp", "UnaryScalarOp", "BinaryScalarOp", "LogicalComparison",
            "FixedLogicalComparison", "UnaryBitOp", "BinaryBitOp", "_Extremum",
            "_FlooredDivision", "_ZeroGradUnaryOp", "UnaryFloatOp", "_ScipyOp",
            "_ScipyBinaryOp"}
# Composite is built per expression; tests/scalar/test_composite.py checks its kernel.
COMPOSED = {"Composite"}
MODULES = (S, logic, SM, reduction, sigm, nnet, T, pytheano.tensor.math, xlogx)


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def _instances():
    """Every scalar op instance pytheano exports, directly or as an Elemwise's scalar op."""
    found = {}
    for module in MODULES:
        for value in vars(module).values():
            op = value.scalar_op if isinstance(value, Elemwise) else value
            if isinstance(op, ScalarOp):
                found.setdefault((type(op), str(op)), op)
    found.update({(S.Cast, d): op for d, op in S._cast_mapping.items()})
    return list(found.values())


INSTANCES = _instances()


def test_every_scalar_op_class_has_an_instance_or_is_a_family_base():
    classes = {c for c in _all_subclasses(ScalarOp) if c.__module__.startswith("pytheano.")}
    with_instance = {type(op) for op in INSTANCES}
    missing = sorted(c.__name__ for c in classes - with_instance
                     if c.__name__ not in ABSTRACT | COMPOSED)
    assert not missing, missing
    assert len(with_instance) > 80


@pytest.mark.parametrize("op", INSTANCES, ids=str)
def test_kernel_is_complete(op):
    k = op.kernel
    assert isinstance(k, K.Kernel)
    assert (k.c is None) != (k.numpy_only is None), "C template xor numpy_only reason"
    if k.numpy_only is not None:
        assert isinstance(k.numpy_only, str) and k.numpy_only
        assert k.c_version is None
    else:
        assert k.c_version == k.version and isinstance(k.version, int)
    assert callable(k.numpy)
    assert isinstance(k.has_grad, bool)
    assert not hasattr(op, "nfunc") and not hasattr(op, "vm_ufunc")
    assert not hasattr(op, "c_code_cache_version")


def test_kernel_requires_c_or_a_reason():
    with pytest.raises(TypeError, match="numpy_only"):
        K.Kernel(ufunc=np.add)
    with pytest.raises(TypeError, match="numpy_only"):
        K.Kernel(ufunc=np.add, c="%(i0)s + %(i1)s", numpy_only="no")


def test_render_c_substitutes_types_libm_and_folds_variadic_ops():
    c = S.exp.kernel.render_c(["x"], ["z"], ["float32"], ["float32"])
    assert c.code == "z = (float)(expf(x));" and c.support == "" and c.checks == ()
    c = S.exp.kernel.render_c(["x"], ["z"], ["int32"], ["float64"])
    assert c.code == "z = (double)(exp(((double)x)));"
    c = S.add.kernel.render_c(["a", "b", "c"], ["z"], ["float64"] * 3, ["float64"])
    assert c.code == "z = (double)(((a + b) + c));"
    c = S.add.kernel.render_c(["a", "b"], ["z"], ["int32", "int32"], ["int32"])
    assert "(uint32_t)a + (uint32_t)b" in c.code
    c = S.int_div.kernel.render_c(["a", "b"], ["z"], ["int64", "int64"], ["int64"])
    assert c.code == "z = (int64_t)(pt_IntDiv_int64_int64_int64(a, b));"
    assert "static inline int64_t pt_IntDiv_int64_int64_int64" in c.support
    assert [ch.input for ch in c.checks] == [1]
    assert S.int_div.kernel.render_c(["a", "b"], ["z"], ["float64", "int64"],
                                     ["float64"]).checks == ()
    # No C for float16 or complex: numpy computes those.
    assert S.exp.kernel.render_c(["x"], ["z"], ["float16"], ["float16"]) is None
    assert S.abs_.kernel.render_c(["x"], ["z"], ["complex64"], ["float32"]) is None
    assert SM.psi.kernel.render_c(["x"], ["z"], ["float64"], ["float64"]) is None


def test_scalar_layer_imports_nothing_above_it():
    root = os.path.join(os.path.dirname(pytheano.__file__), "scalar")
    upward = re.compile(r"pytheano\.(tensor|gradient|compile|printing)\b|from pytheano import")
    for name in os.listdir(root):
        if name.endswith(".py"):
            with open(os.path.join(root, name)) as f:
                assert not upward.search(f.read()), name


# --------------------------------------------------------------------------- C against numpy

C_DTYPES = tuple(K.C_TYPES)
_MIXED = [("int8", "uint8"), ("uint8", "int16"), ("int32", "float32"), ("int64", "uint64"),
          ("uint64", "int8"), ("bool", "int8"), ("int16", "float64"), ("uint32", "int32"),
          ("float32", "float64"), ("bool", "float32"), ("int64", "float64")]


def _dtype_combos(op):
    nin = op.nin if op.nin > 0 else 2
    if nin == 1:
        combos = [(d,) for d in C_DTYPES]
    elif nin == 2:
        combos = [(d, d) for d in C_DTYPES] + _MIXED + [(b, a) for a, b in _MIXED]
    else:
        combos = [(d,) * nin for d in C_DTYPES]
        if isinstance(op, logic.Switch):
            combos += [("bool", d, d) for d in C_DTYPES] + [("float64", "int8", "uint8")]
    if op.nin == -1:
        combos += [("int8", "int8", "float32"), ("uint8",) * 3, ("float64",) * 4]
    out = []
    for dtypes in combos:
        try:
            out_types = op.output_types([S.get_scalar_type(d) for d in dtypes])
        except (TypeError, NotImplementedError):
            continue
        out_dtypes = tuple(t.dtype for t in out_types)
        if isinstance(op, S.UnaryFloatOp) and out_dtypes[0] not in S.float_types:
            continue  # an inplace float function on integers (transfer_type): rounding only
        if op.kernel.render_c(["x"] * len(dtypes), ["z"], dtypes, out_dtypes) is not None:
            out.append((dtypes, out_dtypes))
    return out


def _cases():
    cases = []
    for op in INSTANCES:
        if op.kernel.c is None:
            continue
        for dtypes, out_dtypes in _dtype_combos(op):
            cases.append((op, dtypes, out_dtypes))
    return cases


CASES = _cases()


def _loop_source(index, op, dtypes, out_dtypes):
    names = ["v%d" % k for k in range(len(dtypes))]
    code = op.kernel.render_c(names, ["r"], dtypes, out_dtypes)
    args = ", ".join("const %s *a%d" % (K.C_TYPES[d], k) for k, d in enumerate(dtypes))
    loads = " ".join("%s v%d = a%d[k];" % (K.C_TYPES[d], k, k) for k, d in enumerate(dtypes))
    loop = ("void loop%d(int64_t n, %s, %s *out) {\n  for (int64_t k = 0; k < n; k++) {\n"
            "    %s %s r;\n    %s\n    out[k] = r;\n  }\n}\n"
            % (index, args, K.C_TYPES[out_dtypes[0]], loads, K.C_TYPES[out_dtypes[0]],
               code.code))
    return code, loop


@pytest.fixture(scope="session")
def c_library():
    """All loops in one shared library, built once (and reused while the source is the same)."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler (cc) on this machine: the C templates are not checked")
    supports, loops = {}, []
    for index, (op, dtypes, out_dtypes) in enumerate(CASES):
        code, loop = _loop_source(index, op, dtypes, out_dtypes)
        if code.support:
            supports.setdefault(code.support, None)
        loops.append(loop)
    source = K.C_PREAMBLE + "".join(supports) + "".join(loops)
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    path = os.path.join(tempfile.gettempdir(), "pytheano-kernel-test-%s.so" % digest)
    if not os.path.exists(path):
        workdir = tempfile.mkdtemp(prefix="pytheano-kernel-test-")
        c_file = os.path.join(workdir, "kernels.c")
        with open(c_file, "w") as f:
            f.write(source)
        # -O2 without fast-math: IEEE semantics kept, as the real backend will compile.
        subprocess.run([compiler, "-std=c99", "-O2", "-fPIC", "-shared", "-w", c_file, "-o",
                        c_file[:-2] + ".so", "-lm"], check=True)
        os.replace(c_file[:-2] + ".so", path)  # atomic: parallel sessions share the cache
        shutil.rmtree(workdir, ignore_errors=True)
    return ctypes.CDLL(path), source


def _edges(dtype):
    if dtype == "bool":
        return np.array([0, 1], dtype=bool)
    if dtype.startswith("float"):
        info = np.finfo(dtype)
        return np.array([0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.0, -7.0, np.nan,
                         np.inf, -np.inf, info.tiny, info.max, -info.max, 1e-3, 0.99],
                        dtype=dtype)
    info = np.iinfo(dtype)
    values = [0, 1, 2, 3, 7, info.max, info.max - 1, 100 % (info.max + 1)]
    if info.min < 0:
        values += [-1, -2, -3, -7, info.min, info.min + 1]
    return np.array(values, dtype=dtype)


def _random(dtype, n, rng):
    if dtype == "bool":
        return rng.integers(0, 2, n).astype(bool)
    if dtype.startswith("float"):
        return (rng.standard_normal(n) * rng.choice([1, 10, 1000], n)).astype(dtype)
    info = np.iinfo(dtype)
    wide = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
    small = rng.integers(max(info.min, -20), 21, n).astype(dtype)
    return np.where(rng.random(n) < 0.5, wide, small)


def _inputs(dtypes, rng):
    """Every pair of edge values (for the first two inputs), then random values."""
    edges = [_edges(d) for d in dtypes]
    grid = np.meshgrid(*edges[:2], indexing="ij")
    cols = [g.ravel() for g in grid]
    m = cols[0].size
    cols += [np.resize(e, m) for e in edges[2:]]
    return [np.concatenate([c.astype(d), _random(d, 200, rng)])
            for c, d in zip(cols, dtypes)]


# Looser tolerances where numpy/scipy and libm use different algorithms.
_SPECIAL = (SM.Gamma, SM.GammaLn, SM.Erf, SM.Erfc, SM.Tan, SM.ArcTanh, SM.ArcCosh, SM.Cosh,
            SM.Sinh, SM.Exp2)


def _tolerance(op, dtype):
    if dtype == "float32":
        return 1e-5 if not isinstance(op, _SPECIAL) else 1e-4
    return 1e-13 if not isinstance(op, _SPECIAL) else 1e-11


def _declared_differences(op, inputs, dtypes, out_dtype):
    """Where the C may legitimately differ from numpy, as the kernel declares: a mask of the
    elements and the value C gives there."""
    if isinstance(op, S.Cast) and dtypes[0].startswith("float") and \
            op.o_type.dtype in S.integer_types:
        info = np.iinfo(op.o_type.dtype)
        x = inputs[0].astype(np.float64)
        with np.errstate(invalid="ignore"):
            ok = (x >= info.min if info.min else x > -1) & (x < float(info.max) + 1)
        return ~ok, 0  # C: 0 for NaN, inf, out of range (numpy: the platform's value)
    if isinstance(op, S.Pow) and out_dtype in S.integer_types:
        x, y = inputs
        return (x == 0) & (y < 0), 0  # C: 0 ** -n is 0 (numpy: int of inf)
    return None, None


@pytest.mark.parametrize("op,dtypes,out_dtypes", CASES,
                         ids=["%s-%s" % (op, ",".join(d)) for op, d, _ in CASES])
def test_c_template_agrees_with_numpy(c_library, op, dtypes, out_dtypes):
    lib, source = c_library
    index = CASES.index((op, dtypes, out_dtypes))
    rng = np.random.default_rng(index)
    inputs = [np.ascontiguousarray(x) for x in _inputs(dtypes, rng)]
    n = inputs[0].size
    out_dtype = out_dtypes[0]
    c_out = np.empty(n, dtype=out_dtype)
    getattr(lib, "loop%d" % index)(ctypes.c_int64(n),
                                   *[ctypes.c_void_p(x.ctypes.data) for x in inputs],
                                   ctypes.c_void_p(c_out.ctypes.data))
    code = op.kernel.render_c(["x"] * len(dtypes), ["z"], dtypes, out_dtypes)
    defined = set(re.findall(r"static inline \w+ (\w+)\(", code.support))
    allowed = K.LIBM | {f + "f" for f in K.LIBM} | K.LIBM_MACROS | defined
    assert K.called_functions(code.code + code.support) <= allowed

    keep = np.ones(n, dtype=bool)
    for check in code.checks:
        # Declared: numpy raises; the C never traps (integer results are 0) and the loop
        # must check.
        zero = inputs[check.input] == 0
        if zero.any():
            with pytest.raises(ZeroDivisionError, match=check.message):
                op.kernel.numpy(*inputs)
            if out_dtype not in S.float_types:
                assert (c_out[zero] == 0).all()
        keep &= ~zero
    differs, c_value = _declared_differences(op, inputs, dtypes, out_dtype)
    if differs is not None:
        assert (c_out[differs] == c_value).all()
        keep &= ~differs
    inputs = [x[keep] for x in inputs]
    c_out = c_out[keep]
    with np.errstate(all="ignore"):
        expected = np.asarray(op.kernel.numpy(*inputs), dtype=out_dtype)
    expected = np.broadcast_to(expected, c_out.shape)
    if out_dtype.startswith("float"):
        tol = _tolerance(op, out_dtype)
        with np.errstate(all="ignore"):
            close = np.isclose(c_out, expected, rtol=tol, atol=tol * 1e-3, equal_nan=True)
        bad = ~close
    else:
        bad = c_out != expected
    assert not bad.any(), "inputs %s: C %s, numpy %s" % (
        [x[bad][:4].tolist() for x in inputs], c_out[bad][:4], expected[bad][:4])


def test_every_c_op_is_checked_for_some_dtype():
    checked = {type(op) for op, _, _ in CASES}
    with_c = {type(op) for op in INSTANCES if op.kernel.c is not None}
    assert with_c == checked


@pytest.mark.parametrize("op", INSTANCES, ids=str)
def test_has_grad_matches_the_op(op):
    from pytheano.errors import MethodNotDefined
    from pytheano.graph.grad_types import NullType

    nin = op.nin if op.nin > 0 else 2
    inputs = [S.get_scalar_type("float64")() for _ in range(nin)]
    try:
        outputs = op.make_node(*inputs).outputs
    except TypeError:
        pytest.skip("%s takes no float64 inputs" % op)
    gz = [S.get_scalar_type(o.type.dtype)() for o in outputs]
    try:
        grads = op.L_op(inputs, outputs, gz)
        defined = not all(isinstance(g.type, NullType) for g in grads)
    except (NotImplementedError, MethodNotDefined):
        defined = False
    assert defined == op.kernel.has_grad


def test_render_c_of_a_multi_output_statement_template():
    divmod_kernel = K.Kernel(numpy=np.divmod, c="%(o0)s = %(i0)s / %(i1)s; "
                                                "%(o1)s = %(i0)s - %(o0)s * %(i1)s;",
                             name="DivMod")
    c = divmod_kernel.render_c(["a", "b"], ["q", "r"], ["int16", "int16"], ["int16", "int16"])
    assert c.code == "q = a / b; r = a - q * b;"
    c = divmod_kernel.render_c(["a", "b"], ["q", "r"], ["int8", "int8"], ["int16", "int16"])
    assert c.code == "q = ((int16_t)a) / ((int16_t)b); r = ((int16_t)a) - q * ((int16_t)b);"
