"""pytheano/scalar/composite.py: Composite prints, compares and computes as Theano 1.0.5's;
Elemwise(Composite) gives exactly what the unfused Elemwise nodes give; its C block (rendered
from the inner templates, compiled with cc) agrees with its numpy evaluation."""
import ctypes
import hashlib
import os
import pickle
import shutil
import subprocess
import tempfile

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

import pytheano
import pytheano.scalar as s
import pytheano.tensor as T
from pytheano.compile.mode import Mode
from pytheano.scalar import kernel as K
from pytheano.scalar.composite import Composite, renders_c
from pytheano.tensor.elemwise import Elemwise
from tests.helpers import check_op_contract

NONE = Mode(optimizer=None)
# numpy's perform for every node: "bit for bit" compares the same numpy calls (the C
# backend's libm may differ from numpy by an ulp).
PY = Mode(linker="py", optimizer=None)


def test_the_theano_import_paths():
    assert s.Composite is Composite
    assert pytheano.scalar.basic.Composite is Composite


# Printed by Theano 1.0.5 on the peer for the same expressions.
x, y, z = s.floats("xyz")
_t = x * y
_u = s.exp(x)
PRINTED = [
    ([x, y, z], [x + y * z], "Composite{(i0 + (i1 * i2))}"),
    ([x, y], [x + y, x * y, s.exp(x)], "Composite{(i0 + i1), (i0 * i1), exp(i0)}"),
    ([x, y], [s.exp(-x) * s.sin(y) + x * y / (1 + x * x)],
     "Composite{((exp((-i0)) * sin(i1)) + ((i0 * i1) / (Constant{1} + (i0 * i0))))}"),
    ([x], [s.identity(x)], "Composite{identity(i0)}"),
    ([x, y], [s.cast(x, "int32") + y, s.switch(x > y, x, y), s.second(x, y)],
     "Composite{(Cast{int32}(i0) + i1), Switch(GT(i0, i1), i0, i1), second(i0, i1)}"),
    ([x, y], [_t + _t * 2, _t], "Composite{((i0 * i1) + ((i0 * i1) * Constant{2})), (i0 * i1)}"),
    ([x, y], [_u + _u * y, _u * 2],
     "Composite{(exp(i0) + (exp(i0) * i1)), (exp(i0) * Constant{2})}"),
    ([x, y, z], [x + y + z, x + y * z, x / y, x // 5, -x, x - y, x ** y + (-z), x % 3],
     "Composite{((i0 + i1) + i2), (i0 + (i1 * i2)), (i0 / i1), (i0 // Constant{5}), (-i0), "
     "(i0 - i1), ((i0 ** i1) + (-i2)), (i0 % Constant{3})}"),
]


@pytest.mark.parametrize("inputs,outputs,text", PRINTED, ids=[r[2] for r in PRINTED])
def test_str_is_theanos(inputs, outputs, text):
    op = Composite(inputs, outputs)
    assert str(op) == text
    assert str(pickle.loads(pickle.dumps(op))) == text


def test_eq_hash_by_the_inner_graph_and_the_op_contract():
    a = Composite([x, y], [x + y * 2])
    x2, y2 = s.floats("pq")
    assert a == Composite([x2, y2], [x2 + y2 * 2]) and hash(a) == hash(Composite(
        [x2, y2], [x2 + y2 * 2]))
    assert a != Composite([x, y], [x + y * 3])           # another constant
    assert a != Composite([y, x], [x + y * 2])           # inputs in another order
    xf = s.float32("xf")
    assert a != Composite([xf, y], [xf + y * 2])         # another input dtype
    check_op_contract(a, inputs=[s.float64(), s.float64()],
                      bad_inputs=[[s.float64()], [T.dvector(), T.dvector()]])


def test_inputs_nodes_made_one_and_graph_cloned():
    op = Composite([x, y], [(x * y) + (x * y)])
    assert len(op.nodes) == 2                             # the two x * y are one node
    assert op.inputs[0] is not x and op.outputs[0].owner.op == s.add
    assert len(op.fgraph.apply_nodes) == 2 and set(op.fgraph.inputs) == set(op.inputs)


def test_refuses_an_input_as_output_and_free_variables():
    with pytest.raises(ValueError, match="identity"):
        Composite([x], [x])
    with pytest.raises(ValueError, match="Constant"):
        Composite([x], [x + y])


def test_flattens_a_single_composite_output_only():
    c = Composite([x, y], [x + y])
    cc = Composite([x, y], [c(x * y, y)])
    assert not isinstance(cc.outputs[0].owner.op, Composite)
    assert str(cc) == "Composite{((i0 * i1) + i1)}"
    assert cc.impl(2.0, 3.0) == 9.0
    cc2 = Composite([x, y, z], [c(x * y, y), c(x * z, y)])
    assert isinstance(cc2.outputs[0].owner.op, Composite)  # as Theano: not flattened
    assert cc2.impl(2.0, 3.0, 4.0) == (9.0, 11.0)


def test_make_node_on_other_types_builds_the_composite_of_those():
    i0, i1, f2 = s.int8(), s.int8(), s.float32()
    op = Composite([i0, i1, f2], [(i0 * i1) / f2])
    assert op.output_types([s.int8, s.int8, s.float32]) == (s.float32,)
    with pytest.raises(TypeError, match="Wrong types for Composite"):
        op.output_types([s.float32] * 3)
    node = op.make_node(s.float32() * s.float32(), s.int8(), s.float32())
    assert node.op != op and node.op.inputs_type == (s.float32, s.int8, s.float32)
    assert str(node.op) == str(op) and node.outputs[0].type == s.float32


def test_values_of_impl():
    op = Composite([x, y], [s.exp(-x) * s.sin(y) + x * y / (1 + x * x), x - y])
    r0, r1 = op.impl(0.5, 2.0)
    assert r0 == pytest.approx(np.exp(-0.5) * np.sin(2.0) + 1.0 / 1.25)
    assert r1 == -1.5
    c = Composite([x, y], [s.mul(s.add(70.0, y), x / y)])
    assert c.impl(1.0, 2.0) == 36.0
    node = c.make_node(x, y)
    assert "70.0" in c.c_code(node, "dummy", ["x", "y"], ["z"], dict(id=0))


def test_no_gradient_as_in_theano():
    op = Composite([x], [s.exp(x)])
    assert not op.kernel.has_grad
    with pytest.raises(NotImplementedError, match="grad is not implemented for Composite"):
        op.grad([x], [s.float64()])


def test_clone_float32_removes_float16():
    w, h, f = s.int8(), s.float16(), s.float32()
    cz = Composite([h, f], [s.tanh(h + s.cast(f, "float16"))])
    c = Composite([w, h, f], [cz(h, f) - cz(h, f) ** 2 + s.cast(h, "int16")
                              + s.cast(w, "float16") - s.constant(np.float16(1.0))])
    assert any(v.type == s.float16 for v in c.fgraph.variables)
    nc = c.clone_float32()
    assert not any(v.type == s.float16 for v in nc.fgraph.variables)
    assert nc.impl(np.int8(2), np.float32(0.5), np.float32(0.25)) == pytest.approx(
        c.impl(np.int8(2), np.float16(0.5), np.float32(0.25)), rel=1e-2)


# --------------------------------------------------------------------------- Elemwise

DTYPES = ["bool", "int8", "uint8", "int16", "int32", "int64", "float32", "float64"]


# Scalar expressions of three scalar variables, mixing dtypes, casts and constants.
EXPRESSIONS = [
    lambda a, b, c: [s.exp(-a) * s.sin(b) + a * b / (1 + a * a)],
    lambda a, b, c: [(a + b) * a, a - b, s.maximum(a, c)],
    lambda a, b, c: [s.switch(a > b, a * 2, c), s.cast(a, "int16") + b],
    lambda a, b, c: [a + a + c],                # Theano 1.0.5 got bool z + z + d wrong
    lambda a, b, c: [s.sqr(b) - s.abs_(a) * c, s.tanh(s.true_div(a, 3))],
]


def _expression(which, sv):
    """The outputs of expression ``which`` over ``sv``; None where a dtype refuses an op."""
    try:
        return EXPRESSIONS[which](*sv)
    except TypeError:
        return None


def _unfused(tensor_inputs, scalar_inputs, outputs):
    """The same expressions over tensors, one Elemwise per scalar node (as users write)."""
    memo = dict(zip(scalar_inputs, tensor_inputs))
    for node in pytheano.graph.basic.io_toposort(scalar_inputs, outputs):
        args = [memo[i] if i in memo else T.constant(np.asarray(i.data)) for i in node.inputs]
        memo.update(zip(node.outputs, Elemwise(node.op)(*args, return_list=True)))
    return [memo[o] for o in outputs]


def _value(dtype, shape, rng):
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.startswith("float"):
        return (rng.standard_normal(shape) * 3).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(max(info.min, -50), min(info.max, 50), shape).astype(dtype)


@settings(max_examples=40, deadline=None)
@given(dtypes=st.lists(st.sampled_from(DTYPES), min_size=3, max_size=3),
       pattern=st.lists(st.booleans(), min_size=3, max_size=3),
       which=st.integers(0, 4), n=st.sampled_from([0, 1, 3]), seed=st.integers(0, 99))
def test_elemwise_composite_equals_the_unfused_nodes_bit_for_bit(dtypes, pattern, which, n,
                                                                 seed):
    sv = [s.get_scalar_type(d)() for d in dtypes]
    outputs = _expression(which, sv)
    assume(outputs is not None)
    op = Composite(sv, outputs)
    # A row or a matrix per input: broadcasting across inputs of one node.
    tv = [T.TensorType(d, (b, False))() for d, b in zip(dtypes, pattern)]
    fused = Elemwise(op)(*tv, return_list=True)
    plain = _unfused(tv, sv, outputs)
    # An output that reads fewer inputs is broadcast to the node's full pattern.
    assert [o.type.dtype for o in fused] == [o.type.dtype for o in plain]
    rng = np.random.default_rng(seed)
    values = [_value(d, (1 if b else 4, n), rng) for d, b in zip(dtypes, pattern)]
    with np.errstate(all="ignore"):
        got = pytheano.function(tv, fused, mode=PY, on_unused_input="ignore")(*values)
        want = pytheano.function(tv, plain, mode=PY, on_unused_input="ignore")(*values)
    for g, w, fo, po in zip(got, want, fused, plain):
        assert g.dtype == w.dtype
        if fo.type == po.type:
            assert g.shape == w.shape
        np.testing.assert_array_equal(g, np.broadcast_to(w, g.shape))


def test_elemwise_composite_in_place_writes_the_destroyed_input():
    op = Composite([x, y], [s.exp(-x) * s.sin(y) + x * y])
    a, b = T.dmatrix("a"), T.drow("b")
    out = Elemwise(op, {0: 0})(a, b)
    assert str(out.owner.op) == "Elemwise{%s}[(0, 0)]" % op
    f = pytheano.function([pytheano.In(a, mutable=True), b], out, mode=NONE,
                          accept_inplace=True)
    rng = np.random.default_rng(0)
    av, bv = rng.standard_normal((3, 4)), rng.standard_normal((1, 4))
    expected = np.exp(-av) * np.sin(bv) + av * bv
    buf = av.copy()
    np.testing.assert_allclose(f(buf, bv), expected)
    np.testing.assert_allclose(buf, expected)  # written in place


def test_numpy_evaluation_is_one_call_per_inner_node():
    calls = []
    op = Composite([x, y], [s.exp(x) + y * x])
    steps = op.kernel._plan()[0]
    op.kernel._steps = ([(lambda *a, f=step[0], **k: (calls.append(1), f(*a, **k))[1],)
                         + step[1:] for step in steps],) + op.kernel._steps[1:]
    big = np.ones(10000)
    op.kernel.numpy(big, big)
    assert len(calls) == 3


# --------------------------------------------------------------------------- C

def _c_cases():
    cases = []
    for dtypes in [("float64",) * 3, ("float32",) * 3, ("int32", "float32", "int8"),
                   ("int64", "int64", "uint8"), ("bool", "int16", "float64"),
                   ("uint16", "int8", "bool")]:
        sv = [s.get_scalar_type(d)() for d in dtypes]
        for which in range(len(EXPRESSIONS)):
            outputs = _expression(which, sv)
            if outputs is not None:
                cases.append((Composite(sv, outputs), dtypes))
    a, b = s.floats("ab")
    inner = Composite([a, b], [a * b, a - b])            # a Composite nested in another
    cases.append((Composite([a, b], [inner(a, b)[0] + inner(b, a)[1], inner(a, b)[1]]),
                  ("float64", "float64")))
    cases.append((Composite([a, b], [a * np.inf + np.float64(-0.5) * b]), ("float64",) * 2))
    cases.append((Composite([a], [a * 2, s.constant(np.float32(3.0))]), ("float64",)))
    i = s.int64()
    cases.append((Composite([i], [i - np.int64(np.iinfo(np.int64).min)]), ("int64",)))
    return cases


C_CASES = _c_cases()


def _loop(index, op, dtypes):
    outs = [o.type.dtype for o in op.outputs]
    code = op.kernel.render_c(["v%d" % k for k in range(len(dtypes))],
                              ["r%d" % k for k in range(len(outs))], dtypes, outs)
    if code is None:
        return None, None
    args = ", ".join(["const %s *a%d" % (K.C_TYPES[d], k) for k, d in enumerate(dtypes)]
                     + ["%s *z%d" % (K.C_TYPES[d], k) for k, d in enumerate(outs)])
    body = " ".join("%s v%d = a%d[k];" % (K.C_TYPES[d], k, k) for k, d in enumerate(dtypes))
    body += " ".join("%s r%d;" % (K.C_TYPES[d], k) for k, d in enumerate(outs))
    stores = " ".join("z%d[k] = r%d;" % (k, k) for k in range(len(outs)))
    return code, ("void loop%d(int64_t n, %s) {\n for (int64_t k = 0; k < n; k++) {\n %s\n"
                  " %s\n %s\n }\n}\n" % (index, args, body, code.code, stores))


@pytest.fixture(scope="module")
def c_library():
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler (cc) on this machine: the rendered C is not checked")
    supports, loops = [], []
    for index, (op, dtypes) in enumerate(C_CASES):
        code, loop = _loop(index, op, dtypes)
        if code is None:
            continue
        if code.support and code.support not in supports:
            supports.append(code.support)
        loops.append(loop)
    source = K.C_PREAMBLE + "\n".join(supports) + "".join(loops)
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    path = os.path.join(tempfile.gettempdir(), "pytheano-composite-test-%s.so" % digest)
    if not os.path.exists(path):
        workdir = tempfile.mkdtemp(prefix="pytheano-composite-test-")
        c_file = os.path.join(workdir, "composite.c")
        with open(c_file, "w") as f:
            f.write(source)
        # -Wall -Werror: the block must be clean C99 (an unused output of a nested one is ok).
        subprocess.run([compiler, "-std=c99", "-O2", "-fPIC", "-shared", "-Wall", "-Werror",
                        "-Wno-unused-variable", "-Wno-unused-but-set-variable", c_file,
                        "-o", c_file[:-2] + ".so", "-lm"],
                       check=True)
        os.replace(c_file[:-2] + ".so", path)
        shutil.rmtree(workdir, ignore_errors=True)
    return ctypes.CDLL(path)


def _needs_a_loop_check(op):
    return any(node.op.kernel.render_c(
        ["a"] * len(node.inputs), ["r"] * len(node.outputs),
        [i.type.dtype for i in node.inputs], [o.type.dtype for o in node.outputs]).checks
        for node in op.nodes)


def test_every_c_case_renders_but_integer_division():
    for i, (op, dtypes) in enumerate(C_CASES):
        assert (_loop(i, op, dtypes)[0] is None) == _needs_a_loop_check(op), (op, dtypes)
    assert sum(_loop(i, op, d)[0] is not None for i, (op, d) in enumerate(C_CASES)) > 20


@pytest.mark.parametrize("index", range(len(C_CASES)),
                         ids=["%s-%s" % (op, ",".join(d)) for op, d in C_CASES])
def test_rendered_c_agrees_with_numpy(c_library, index):
    op, dtypes = C_CASES[index]
    if _needs_a_loop_check(op):
        return  # no C: numpy computes it (test above)
    rng = np.random.default_rng(index)
    inputs = [np.ascontiguousarray(_value(d, 300, rng)) for d in dtypes]
    outs = [np.empty(300, dtype=o.type.dtype) for o in op.outputs]
    getattr(c_library, "loop%d" % index)(ctypes.c_int64(300),
                                         *[ctypes.c_void_p(a.ctypes.data)
                                           for a in inputs + outs])
    with np.errstate(all="ignore"):
        expected = op.kernel.numpy(*inputs)
    if len(outs) == 1:
        expected = (expected,)
    for got, want in zip(outs, expected):
        want = np.broadcast_to(np.asarray(want, dtype=got.dtype), got.shape)
        if got.dtype.kind == "f":
            # libm and numpy may differ by an ulp in any float32 inner value.
            f32 = any(v.type.dtype == "float32" for v in op.fgraph.variables)
            tol = 1e-5 if f32 else 1e-12
            np.testing.assert_allclose(got, want, rtol=tol, atol=tol * 1e-3)
        else:
            np.testing.assert_array_equal(got, want)


def test_render_c_gives_none_where_numpy_must_compute():
    i, j = s.int64(), s.int64()
    # Integer division: the loop would have to check the divisor of an inner node.
    assert Composite([i, j], [i // j + 1]).kernel.render_c(
        ["a", "b"], ["r"], ["int64", "int64"], ["int64"]) is None
    c = s.complex128()
    assert Composite([c], [c * 2]).kernel.render_c(["a"], ["r"], ["complex128"],
                                                   ["complex128"]) is None
    op = Composite([x, y], [x + y])
    assert op.kernel.render_c(["a", "b"], ["r"], ["float32", "float32"], ["float32"]) is None
    assert isinstance(op.kernel.c_version, int)
    assert op.kernel.fast_ufunc(("float64", "float64")) is None


@pytest.mark.parametrize("dtypes", [("float32",) * 3, ("float64", "float32", "int16"),
                                    ("int32", "int32", "uint8"), ("bool", "float64", "int8"),
                                    ("int64", "int64", "int64"), ("complex128",) * 3])
@pytest.mark.parametrize("which", range(len(EXPRESSIONS)))
def test_renders_c_says_what_render_c_gives(dtypes, which):
    # Fusion asks renders_c of every candidate; it answers from the inner nodes without
    # writing the C out, and must agree with rendering it: C, and no check left to the loop.
    sv = [s.get_scalar_type(d)() for d in dtypes]
    outputs = _expression(which, sv)
    if outputs is None:
        return
    op = Composite(sv, outputs)
    nested = Composite(sv, [op(*sv, return_list=True)[0] * sv[0]]) \
        if op.nout == 1 and outputs[0].type.dtype == dtypes[0] else op
    for composite in (op, nested):
        ins = [t.dtype for t in composite.inputs_type]
        outs = [t.dtype for t in composite.outputs_type]
        code = composite.kernel.render_c(["a%d" % k for k in range(len(ins))],
                                         ["r%d" % k for k in range(len(outs))], ins, outs)
        assert renders_c(composite, ins, outs) == (code is not None and not code.checks)
        assert not renders_c(composite, ["float16"] * len(ins), outs)


@pytest.mark.parametrize("dtypes", [("float32",) * 3, ("float64", "float32", "int16"),
                                    ("int32", "int32", "uint8"), ("bool", "float64", "int8")])
@pytest.mark.parametrize("which", range(len(EXPRESSIONS)))
def test_big_arrays_recycle_dead_buffers_and_stay_exact(dtypes, which):
    # Past _RECYCLED_MIN_SIZE elements, a ufunc step writes into a dead intermediate's
    # buffer: still the unfused values, and no output shares memory with another or an input.
    sv = [s.get_scalar_type(d)() for d in dtypes]
    outputs = _expression(which, sv)
    if outputs is None:
        return
    op = Composite(sv, outputs)
    tv = [T.TensorType(d, (False,))() for d in dtypes]
    rng = np.random.default_rng(which)
    values = [_value(d, 6000, rng) for d in dtypes]
    with np.errstate(all="ignore"):
        got = pytheano.function(tv, Elemwise(op)(*tv, return_list=True), mode=PY,
                                on_unused_input="ignore")(*values)
        want = pytheano.function(tv, _unfused(tv, sv, outputs), mode=PY,
                                 on_unused_input="ignore")(*values)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, np.broadcast_to(w, g.shape))
    arrays = list(got) + values
    for i, a in enumerate(got):
        assert not any(np.shares_memory(a, b) for b in arrays[i + 1:])


def test_recycling_plan_marks_only_ufunc_intermediates():
    a, b = s.float32(), s.float32()
    op = Composite([a, b], [s.exp(-a) * s.sin(b) + a * b])
    steps = op.kernel._plan()[0]
    assert all(step[4] for step in steps)  # every step an exact float32 ufunc
    dying = [k for step in steps for k in step[5]]
    assert len(dying) == len(steps) - 1    # every intermediate but the output
    big = np.ones(10000, dtype="float32")
    np.testing.assert_array_equal(op.kernel.numpy(big, big),
                                  np.exp(-big) * np.sin(big) + big * big)


def test_a_deeply_shared_expression_prints_in_linear_size():
    # s + s forty times: written out as a tree, 2**40 nodes (Theano 1.0 printed it so).
    a, b = s.floats("ab")
    v = a + b
    for _ in range(40):
        v = v + v
    op = Composite([a, b], [v * 2])
    text = str(op)
    assert len(text) < 2000
    assert text.startswith("Composite{t0=(i0 + i1), t1=(t0 + t0), ")
    assert text.endswith(", ((t39 + t39) * Constant{2})}")
    assert op.impl(1.0, 0.0) == 2.0 ** 41
