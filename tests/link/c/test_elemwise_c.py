"""The C backend's Elemwise loops against Elemwise.perform: every scalar op with a C template,
for every dtype combination its template supports (the cases tests/scalar/test_kernel.py
checks the templates on), broadcast against each other, on inputs that are contiguous,
transposed, strided, reversed (negative strides), empty or 0-d.

The cases are compiled in a few large functions (one C module each, cached), run with the
'c' linker (every node with C runs its C) and the 'py' linker (every node its perform).
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano._core.cthunk import ElemwiseCThunk
from pytheano.compile.function_module import compile_function
from pytheano.compile.io import In
from pytheano.compile.mode import Mode
from pytheano.link.linkers import CLinker
from pytheano.scalar import basic as S
from pytheano.tensor.elemwise import Elemwise
from pytheano.tensor.type import TensorType
from tests.helpers import C_MODE, LAYOUTS, PY_MODE, memory_layout

from tests.scalar.test_kernel import CASES, _random, _tolerance

pytestmark = pytest.mark.skipif(not pytheano.config.cxx, reason="no C compiler (cxx='')")

CHUNKS = 8

# Input k's broadcastable pattern in the 2-d graphs: a matrix, a row, a column, a matrix.
PATTERNS = [(False, False), (True, False), (False, True), (False, False)]


def _build(cases, ndim):
    inputs, outputs, meta = [], [], []
    for op, dtypes, out_dtypes in cases:
        if isinstance(op, S.Cast) and dtypes[0].startswith("float") and \
                out_dtypes[0] in S.integer_types:
            continue  # no C (numpy's out-of-range values): Elemwise.c_code_node
        variables = [TensorType(d, PATTERNS[k] if ndim == 2 else ())()
                     for k, d in enumerate(dtypes)]
        try:
            outs = Elemwise(op)(*variables, return_list=True)
        except (TypeError, ValueError):
            continue
        inputs += variables
        outputs += outs
        meta.append((op, dtypes, [o.type.dtype for o in outs], len(variables), len(outs)))
    return inputs, outputs, meta


def _compile(chunk, ndim):
    cases = CASES[chunk::CHUNKS]
    inputs, outputs, meta = _build(cases, ndim)
    f_c = pytheano.function(inputs, outputs, mode=C_MODE)
    f_py = pytheano.function(inputs, outputs, mode=PY_MODE)
    return f_c, f_py, meta


_compiled = {}


def compiled(chunk, ndim):
    key = (chunk, ndim)
    if key not in _compiled:
        _compiled[key] = _compile(chunk, ndim)
    return _compiled[key]


def _values(op, dtypes, shapes, rng):
    values = []
    for k, (d, shape) in enumerate(zip(dtypes, shapes)):
        x = _random(d, int(np.prod(shape)), rng).reshape(shape)
        if k == 1 and d in S.discrete_types and isinstance(op, (S.IntDiv, S.Mod, S.Pow)):
            # Keep numpy's errors out of these runs (division by zero raises, negative
            # integer powers raise): they are checked on their own below.
            x = np.where(x == 0, 1, x).astype(d)
            if isinstance(op, S.Pow):
                x = (np.abs(x.astype(np.int64)) % 5).astype(d)
        values.append(x)
    return values


def _check(f_c, f_py, meta, shapes_of, layouts, rng):
    args = []
    for op, dtypes, _, nin, _ in meta:
        values = _values(op, dtypes, shapes_of(nin), rng)
        args += [memory_layout(v, layouts[k % len(layouts)]) for k, v in enumerate(values)]
    with np.errstate(all="ignore"):
        got = f_c(*args)
        expected = f_py(*args)
    pos_in, pos_out = 0, 0
    for op, dtypes, out_dtypes, nin, nout in meta:
        for k in range(nout):
            g, e = got[pos_out + k], expected[pos_out + k]
            where = "%s%s -> %s, inputs %s" % (op, tuple(dtypes), out_dtypes[k],
                                              [a.shape for a in args[pos_in:pos_in + nin]])
            assert g.dtype == e.dtype and g.shape == e.shape, where
            if e.dtype.kind == "f":
                tol = _tolerance(op, str(e.dtype))
                np.testing.assert_allclose(g, e, rtol=tol, atol=tol * 1e-3, equal_nan=True,
                                           err_msg=where)
            else:
                np.testing.assert_array_equal(g, e, err_msg=where)
        pos_in += nin
        pos_out += nout


def test_every_case_runs_its_c():
    f_c, _, meta = compiled(0, 2)
    thunks = f_c.vm.thunks
    assert meta and len(thunks) >= len(meta)
    assert all(isinstance(t, ElemwiseCThunk) for t in thunks
               if isinstance(t.node.op, Elemwise) and t.node.op.c_code_node(t.node))
    assert sum(isinstance(t, ElemwiseCThunk) for t in thunks) >= len(meta)


LAYOUTS = st.lists(st.sampled_from(LAYOUTS),
                   min_size=1, max_size=4)


@pytest.mark.parametrize("chunk", range(CHUNKS))
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(m=st.integers(0, 5), n=st.integers(0, 7), layouts=LAYOUTS, seed=st.integers(0, 2**16))
def test_c_agrees_with_perform_broadcasting(chunk, m, n, layouts, seed):
    f_c, f_py, meta = compiled(chunk, 2)
    shapes = [(m, n), (1, n), (m, 1), (m, n)]
    _check(f_c, f_py, meta, lambda nin: shapes[:nin], layouts, np.random.default_rng(seed))


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_c_agrees_with_perform_0d(chunk):
    f_c, f_py, meta = compiled(chunk, 0)
    for seed in range(3):
        _check(f_c, f_py, meta, lambda nin: [()] * nin, ["c"],
               np.random.default_rng(seed))


def test_big_arrays_run_the_nogil_branch_and_agree():
    x, y = T.fvector(), T.fvector()
    mode = Mode(linker="c", optimizer=None)
    f = pytheano.function([x, y], T.exp(-x) * T.sin(y) + x * y / (1 + x * x), mode=mode)
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 300000)).astype(np.float32)
    np.testing.assert_allclose(f(a, b), np.exp(-a) * np.sin(b) + a * b / (1 + a * a),
                               rtol=1e-5, atol=1e-6)


def test_integer_division_by_zero_raises_as_perform():
    a, b = T.lvector(), T.lvector()
    f_c = pytheano.function([a, b], [a // b, a % b], mode=C_MODE)
    f_py = pytheano.function([a, b], [a // b, a % b], mode=PY_MODE)
    assert isinstance(f_c.vm.thunks[0], ElemwiseCThunk)
    x, y = np.array([7, -7, 3]), np.array([2, 2, -2])
    for g, e in zip(f_c(x, y), f_py(x, y)):
        np.testing.assert_array_equal(g, e)
    with pytest.raises(ZeroDivisionError) as c_err:
        f_c(x, np.array([2, 0, 1]))
    with pytest.raises(ZeroDivisionError) as py_err:
        f_py(x, np.array([2, 0, 1]))
    assert str(c_err.value).split("\n")[0] == str(py_err.value).split("\n")[0]


def test_0d_kernel_checks_division_by_zero_and_writes_in_place():
    # 0-d nodes get a kernel without loops (ElemwiseC.zero_d): its zero check and its
    # in-place write are the loop kernels'.
    a, b = T.lscalar(), T.lscalar()
    f_c = pytheano.function([a, b], a // b, mode=C_MODE)
    assert isinstance(f_c.vm.thunks[0], ElemwiseCThunk)
    assert f_c(np.array(-7), np.array(2)) == -4
    with pytest.raises(ZeroDivisionError):
        f_c(np.array(7), np.array(0))
    x, y = T.dscalar(), T.dscalar()
    out = Elemwise(S.mul, {0: 0})(x, y)
    f = compile_function([In(x, mutable=True), y], out, mode=C_MODE, accept_inplace=True)
    assert [type(t) for t in f.vm.thunks if t.node.op == out.owner.op] == [ElemwiseCThunk]
    v = np.array(3.0)
    assert f(v, np.array(2.5)) == 7.5 and v == 7.5


def test_shape_mismatch_raises_theano_error():
    x, y = T.matrix(), T.matrix()
    f = pytheano.function([x, y], x * y + 1, mode=C_MODE)
    with pytest.raises(ValueError, match="Input dimension mis-match"):
        f(np.ones((2, 3)), np.ones((1, 3)))


def test_inplace_output_is_written_into_its_input():
    x, y = T.matrix(), T.matrix()
    out = Elemwise(S.add, {0: 0})(x, y)
    f = compile_function([In(x, mutable=True), y], out, mode=C_MODE, accept_inplace=True)
    assert [type(t) for t in f.vm.thunks if t.node.op == out.owner.op] == [ElemwiseCThunk]
    a, b = np.ones((3, 4)), np.arange(12.0).reshape(3, 4)
    r = f(a, b)
    np.testing.assert_array_equal(r, 1 + np.arange(12.0).reshape(3, 4))
    np.testing.assert_array_equal(a, r)  # written into the mutable input
    # The other input overlapping the destroyed one (its transpose): read before written.
    sq = np.arange(9.0).reshape(3, 3)
    expected = sq + sq.T
    np.testing.assert_array_equal(f(sq, sq.T), expected)


def test_output_buffer_is_reused_only_when_nobody_holds_it():
    x = T.lvector()
    f = pytheano.function([x], (x // 2) * 3,
                          mode=Mode(linker=CLinker(allow_gc=False), optimizer=None))
    a = np.arange(5)
    r1 = f(a)
    kept = r1.copy()
    thunk = next(t for t in f.vm.thunks if isinstance(t, ElemwiseCThunk)
                 and t.node.op.scalar_op == S.int_div)
    intermediate = thunk.output_cells[0][0]
    address = intermediate.__array_interface__["data"][0]
    del intermediate
    r2 = f(a + 1)
    # The intermediate (held by its cell only) is computed into last call's buffer...
    assert thunk.output_cells[0][0].__array_interface__["data"][0] == address
    np.testing.assert_array_equal(thunk.output_cells[0][0], (a + 1) // 2)
    # ... the output the caller still holds is not overwritten.
    assert r2 is not r1
    np.testing.assert_array_equal(r1, kept)
    np.testing.assert_array_equal(r2, (a + 1) // 2 * 3)


def test_inputs_of_another_dtype_or_layout_go_through_perform():
    x = T.vector()
    f = pytheano.function([x], x * 2 + 1, mode=C_MODE)
    swapped = np.arange(4.0).astype(">f8")
    np.testing.assert_array_equal(f(swapped), np.arange(4.0) * 2 + 1)


def test_linkers_py_and_vm_never_compile():
    x = T.lvector()
    for linker in ("py", "vm"):
        f = pytheano.function([x], x // 3, mode=Mode(linker=linker, optimizer=None))
        assert not any(isinstance(t, ElemwiseCThunk) for t in f.vm.thunks)
    f = pytheano.function([x], x // 3, mode=Mode(linker="cvm", optimizer=None))
    assert any(isinstance(t, ElemwiseCThunk) for t in f.vm.thunks)
