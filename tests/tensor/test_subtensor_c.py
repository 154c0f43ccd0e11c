"""The C of the integer-index ops (AdvancedSubtensor1, AdvancedIncSubtensor1, and
AdvancedSubtensor / AdvancedIncSubtensor on ``matrix[rows, cols]``) against their perform:
every dtype, index dtypes signed and unsigned, negative and out-of-range indices (perform's
error class in both), repeated indices (increments accumulate, integers wrap around),
broadcast values, in place and not, read-only, empty and non-contiguous inputs."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano._core.cthunk_array import ArrayCThunk
from pytheano.link.c.module import build_module
from pytheano.tensor.subtensor import (AdvancedIncSubtensor, AdvancedIncSubtensor1,
                                       advanced_inc_subtensor1, advanced_subtensor,
                                       advanced_subtensor1)
from pytheano.tensor.type import TensorType
from tests.helpers import C_MODE, LAYOUTS, PY_MODE, memory_layout, outcome

pytestmark = pytest.mark.skipif(not pytheano.config.cxx, reason="no C compiler (cxx='')")

_functions = {}


def _compiled(dtype, idtype, xdim):
    key = (dtype, idtype, xdim)
    if key not in _functions:
        x = TensorType(dtype, (False,) * xdim)("x")
        m = TensorType(dtype, (False, False))("m")
        r = TensorType(idtype, (False,))("r")
        c = TensorType("int64", (False,))("c")
        y = TensorType(dtype, (False,))("y")
        y0 = TensorType(dtype, ())("y0")
        outs = [advanced_subtensor1(x, r), advanced_subtensor(m, r, c),
                AdvancedIncSubtensor(set_instead_of_inc=True)(m, y, r, c),
                AdvancedIncSubtensor(set_instead_of_inc=True)(m, y0, r, c)]
        n_c = 4
        if dtype.startswith("float"):
            outs += [AdvancedIncSubtensor()(m, y, r, c), AdvancedIncSubtensor()(m, y0, r, c)]
            n_c += 2
        f_c = pytheano.function([x, m, r, c, y, y0], outs, mode=C_MODE)
        f_py = pytheano.function([x, m, r, c, y, y0], outs, mode=PY_MODE)
        assert sum(isinstance(t, ArrayCThunk) for t in f_c.vm.thunks) == n_c
        _functions[key] = f_c, f_py
    return _functions[key]


@settings(max_examples=50, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["float64", "float32", "int64", "int8", "bool"]),
       st.sampled_from(["int64", "int32", "uint8", "int8"]), st.integers(1, 3),
       st.integers(0, 4), st.integers(0, 4), st.integers(0, 6),
       st.sampled_from(LAYOUTS),
       st.sampled_from(["ok", "ok", "negative", "too big", "y of 1", "y too long"]),
       st.integers(0, 2 ** 16))
def test_index_ops_match_perform(dtype, idtype, xdim, rows, cols, n, layout, case, seed):
    f_c, f_py = _compiled(dtype, idtype, xdim)
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal((rows,) + (cols,) * (xdim - 1)) * 10).astype(dtype)
    m = (rng.standard_normal((rows, cols)) * 10).astype(dtype)
    r = rng.integers(0, max(rows, 1), n)
    c = rng.integers(0, max(cols, 1), n)
    if case == "negative" and n:
        r[0] -= rows
        c[-1] -= cols
        if idtype == "uint8":
            r[0] = 0
    if case == "too big" and n:
        r[-1] = rows
    y = (rng.standard_normal(1 if case == "y of 1" else n + (case == "y too long")) * 10)
    args = [memory_layout(x, layout), memory_layout(m, layout),
            memory_layout(r.astype(idtype), layout),
            memory_layout(c, layout), memory_layout(y.astype(dtype), layout),
            np.asarray(rng.standard_normal(), dtype=dtype)]
    expected, e_err = outcome(f_py, args)
    got, g_err = outcome(f_c, args)
    assert g_err == e_err
    if expected is not None:
        # Which of two values set at one position wins is numpy's iteration order (it
        # differs with the value's strides): compare that output without repeats only.
        pairs = {(i % max(rows, 1), j % max(cols, 1)) for i, j in zip(r.tolist(), c.tolist())}
        repeats = len(pairs) < n
        for k, (g, e) in enumerate(zip(got, expected)):
            assert g.dtype == e.dtype and g.shape == e.shape, k
            if k == 2 and repeats:
                continue
            np.testing.assert_allclose(g, e, rtol=1e-6, err_msg=str(k))


def test_repeated_indices_accumulate_and_c_runs():
    m, r, c, y = T.dmatrix(), T.lvector(), T.lvector(), T.dvector()
    f = pytheano.function([m, r, c, y], AdvancedIncSubtensor()(m, y, r, c), mode=C_MODE)
    out = f(np.zeros((2, 3)), np.array([1, 1, -1]), np.array([2, 2, 2]), np.array([1., 2, 4]))
    assert f.vm.thunks[0].c_calls == 1
    np.testing.assert_array_equal(out, [[0, 0, 0], [0, 0, 7]])


def test_index_ops_pass_debugmode():
    x, r = T.dmatrix(), T.lvector()
    cost = (advanced_subtensor1(x, r) ** 2).sum() + advanced_subtensor(x, r, r).sum()
    f = pytheano.function([x, r], [cost, pytheano.grad(cost, x)], mode="DebugMode")
    a = np.arange(9.).reshape(3, 3)
    cost_v, g = f(a, np.array([0, 2, 2]))
    assert cost_v == (a[[0, 2, 2]] ** 2).sum() + a[[0, 2, 2], [0, 2, 2]].sum()
    expected = np.zeros((3, 3))
    np.add.at(expected, [0, 2, 2], 2 * a[[0, 2, 2]])
    np.add.at(expected, ([0, 2, 2], [0, 2, 2]), 1)
    np.testing.assert_array_equal(g, expected)


# --------------------------------------------------------------------------- the update ops
# AdvancedIncSubtensor1 (any rank, every dtype) and AdvancedIncSubtensor (matrix[rows,
# cols]), set and increment, in place and not, node by node: one compiled module holds every
# case's C; each case's thunk runs on the arrays perform gets copies of.

_UPDATE_DTYPES = [("float64", "float64"), ("float32", "float64"), ("float32", "float32"),
                  ("int64", "int64"), ("int8", "int8"), ("int8", "int64"),
                  ("uint8", "uint8"), ("int16", "uint8"), ("int32", "int16"), ("bool", "bool")]


def _update_cases():
    cases = []
    for x_dtype, y_dtype in _UPDATE_DTYPES:
        for xdim in (1, 2, 3):
            for ydim in range(xdim + 1):
                for idtype in ("int64", "uint8"):
                    cases.append((AdvancedIncSubtensor1, x_dtype, y_dtype, xdim, ydim, idtype))
        for ydim in (0, 1):
            cases.append((AdvancedIncSubtensor, x_dtype, y_dtype, 2, ydim, "int32"))
    return cases


_UPDATE_CASES = _update_cases()
_update_modules = {}


def _update_node(op_class, x_dtype, y_dtype, xdim, ydim, idtype, set_, inplace):
    x = TensorType(x_dtype, (False,) * xdim)()
    y = TensorType(y_dtype, (False,) * ydim)()
    idx = TensorType(idtype, (False,))()
    op = op_class(inplace=inplace, set_instead_of_inc=set_)
    return op.make_node(x, y, idx) if op_class is AdvancedIncSubtensor1 else \
        op.make_node(x, y, idx, idx[::-1])


def _update_thunk_maker(case, set_, inplace):
    """(node, its C, entry point address), all cases compiled in one module."""
    if not _update_modules:
        keys, nodes = [], []
        for c in _UPDATE_CASES:
            for s in (False, True):
                for ip in (False, True):
                    keys.append((c, s, ip))
                    nodes.append(_update_node(*c, s, ip))
        codes = [n.op.c_code_node(n) for n in nodes]
        assert None not in codes
        for key, node, code, address in zip(keys, nodes, codes, build_module(codes)):
            _update_modules[key] = node, code, address
    return _update_modules[(case, set_, inplace)]


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_UPDATE_CASES), st.booleans(), st.booleans(), st.integers(0, 4),
       st.integers(0, 3), st.integers(0, 5), st.sampled_from(LAYOUTS),
       st.sampled_from(["ok", "ok", "ok", "negative", "too big", "y of 1", "y too long",
                        "read-only"]),
       st.integers(0, 2 ** 16))
def test_update_ops_match_perform(case, set_, inplace, rows, cols, n, layout, kind, seed):
    op_class, x_dtype, y_dtype, xdim, ydim, idtype = case
    node, code, address = _update_thunk_maker(case, set_, inplace)
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal((rows,) + (cols,) * (xdim - 1)) * 50).astype(x_dtype)
    idx = rng.integers(0, max(rows, 1), n) if rows else np.zeros(0, "int64")
    if set_ or op_class is AdvancedIncSubtensor:
        idx = rng.permutation(rows)[:n]  # which repeated set wins is numpy's order
    if kind == "negative" and len(idx) and idtype != "uint8":
        idx[0] -= rows
    if kind == "too big" and len(idx):
        idx[-1] = rows
    # y: the shape of the updated part (rows picked, then x's other dimensions), its
    # trailing ydim dimensions, each of length 1 when broadcasting.
    target = (len(idx),) + x.shape[1:] if op_class is AdvancedIncSubtensor1 else (len(idx),)
    y_shape = list(target[len(target) - ydim:]) if ydim <= len(target) else [1] * ydim
    if kind == "y of 1" and ydim:
        y_shape[0] = 1
    if kind == "y too long" and ydim:
        y_shape[-1] += 1
    y = np.asarray(rng.standard_normal(y_shape) * 50).astype(y_dtype)
    x, y = memory_layout(x, layout), memory_layout(y, layout)
    idx = memory_layout(idx.astype(idtype), layout)
    if kind == "read-only":
        x.flags.writeable = False
    index = [idx] if op_class is AdvancedIncSubtensor1 else [idx, idx[::-1]]
    values = [x, y] + index if op_class is AdvancedIncSubtensor else [x, y, idx]

    def by_perform():
        out = [None]
        node.op.perform(node, [values[0].copy() if x.flags.writeable else values[0]]
                        + values[1:], [out])
        return out[0]

    c_x = x.copy() if x.flags.writeable else x
    c_values = [c_x] + values[1:]

    def by_c():
        out = [None]
        thunk = code.make_thunk(node, [[v] for v in c_values], [out], address,
                                node.op.perform)
        thunk()
        return out[0], thunk

    expected, e_err = outcome(by_perform, [])
    got, g_err = outcome(by_c, [])
    assert g_err == e_err
    if expected is None:
        return
    out, thunk = got
    assert thunk.c_calls == (kind != "read-only" or not inplace)
    assert out.dtype == expected.dtype and out.shape == expected.shape
    np.testing.assert_array_equal(out, expected)
    if inplace:
        assert out is c_x
    else:
        assert not (out.size and np.shares_memory(out, c_x))
        np.testing.assert_array_equal(c_x, x)


def test_integer_increments_wrap_around_as_numpy():
    x, y, i = T.bvector(), T.lvector(), T.lvector()
    f = pytheano.function([x, y, i], advanced_inc_subtensor1(x, y, i), mode=C_MODE)
    assert isinstance(f.vm.thunks[0], ArrayCThunk)
    a = np.array([100, -100, 5], "int8")
    expected = a.copy()
    np.add.at(expected, [0, 0, 1], np.array([100, 2 ** 40 + 1, -100]))
    np.testing.assert_array_equal(f(a, [100, 2 ** 40 + 1, -100], [0, 0, 1]), expected)
    assert f.vm.thunks[0].c_calls == 1


def test_inplace_updates_run_c_in_a_rewritten_graph():
    x, y, i = T.dmatrix(), T.dvector(), T.lvector()
    z = x * 2
    out = T.inc_subtensor(z[i], y) + T.inc_subtensor(z[i, i], 1.0).sum()
    f = pytheano.function([x, y, i], out, mode=pytheano.Mode(linker="c",
                                                            optimizer="fast_run"))
    updates = [n for n in f.vm.nodes if getattr(n.op, "destroy_map", None)
               and "IncSubtensor" in type(n.op).__name__]
    assert updates and all(n.op.inplace for n in updates)
    a = np.arange(6.0).reshape(2, 3)
    expected = a * 2
    np.add.at(expected, [1, 1], np.ones(3))
    expected += (a * 2).sum() + 2
    np.testing.assert_allclose(f(a, np.ones(3), [1, 1]), expected)
    assert all(t.c_calls for t, n in zip(f.vm.thunks, f.vm.nodes) if n in updates)
