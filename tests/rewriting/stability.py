"""The shared check of a stabilizing rewrite, one row per rule: the graph before and after,
values equal to optimizer=None where it is finite, the exact value where it overflows,
gradients, types, and ``mode.excluding(rule)`` turning the rule off."""
import numpy as np
from hypothesis import given, settings, strategies as st

import pytheano
from pytheano.compile.mode import FAST_RUN, Mode
from pytheano.printing import debugprint
from tests.helpers import assert_close, check_grad

NONE = Mode(optimizer=None)


class Row:
    """``build(*vars)``: the expression as a user writes it; ``make_vars(dtype)``: its
    inputs; ``values(rng, shape, dtype)``: moderate inputs; ``extreme``: inputs (float64)
    where optimizer=None is wrong and ``exact`` (numpy) the true value; ``marker``: what the
    rewritten graph prints; ``grad_args``: which inputs verify_grad varies;
    ``stable_grad``: whether the gradient is finite at ``extreme`` too; ``none_wrong``:
    whether optimizer=None misses ``exact`` there."""

    def __init__(self, rule, build, make_vars, values, extreme, exact, marker, grad_args=(0,),
                 stable_grad=True, none_wrong=True):
        self.rule, self.build, self.make_vars, self.values = rule, build, make_vars, values
        self.extreme, self.exact, self.marker, self.grad_args = extreme, exact, marker, grad_args
        self.stable_grad, self.none_wrong = stable_grad, none_wrong

    def __repr__(self):
        return self.rule

    def function(self, mode, dtype="float64", grad=False):
        xs = self.make_vars(dtype)
        out = self.build(*xs)
        outs = [out]
        if grad:
            outs.append(pytheano.grad(out.sum(), xs[0]))
        return pytheano.function(xs, outs, mode=mode), out


def _applied(row, mode):
    """How many times ``row.rule`` fired while compiling ``row`` under ``mode``."""
    with pytheano.change_flags(profile_optimizer=True):
        f, _ = row.function(mode)
    profile = f.maker.optimizer_profile
    return f, (profile[1].get(row.rule, [0, 0])[1] if profile else 0)


def check_graph(row):
    f_none, out = row.function(NONE)
    f_run, fired = _applied(row, FAST_RUN)
    _, fired_off = _applied(row, FAST_RUN.excluding(row.rule))
    before = debugprint(f_none, file="str")
    after = debugprint(f_run, file="str")
    assert row.marker not in before, before
    assert row.marker in after, after
    assert fired and not fired_off
    assert f_run.maker.fgraph.outputs[0].type == out.type


def check_values(row):
    @settings(max_examples=15, deadline=None)
    @given(st.sampled_from(["float32", "float64"]), st.integers(1, 5), st.integers(1, 4),
           st.integers(0, 2 ** 31 - 1))
    def run(dtype, n, m, seed):
        args = row.values(np.random.RandomState(seed), (n, m), dtype)
        f_none, out = row.function(NONE, dtype)
        f_run, _ = row.function(FAST_RUN, dtype)
        f_off, _ = row.function(FAST_RUN.excluding(row.rule), dtype)
        expected = f_none(*args)[0]
        got = f_run(*args)[0]
        assert got.dtype == expected.dtype == out.type.dtype
        assert f_run.maker.fgraph.outputs[0].type.broadcastable == out.type.broadcastable
        if np.all(np.isfinite(expected)):
            assert_close(got, expected)
            assert_close(f_off(*args)[0], expected)
    run()


def check_extreme(row):
    f_none, _ = row.function(NONE)
    f_run, _ = row.function(FAST_RUN)
    exact = row.exact(*row.extreme)
    got = f_run(*row.extreme)[0]
    assert np.all(np.isfinite(got)), got
    np.testing.assert_allclose(got, exact, rtol=1e-7, atol=1e-300)
    if not row.none_wrong:
        return
    wrong = f_none(*row.extreme)[0]
    assert not np.allclose(wrong, exact, rtol=1e-7, atol=1e-300), wrong


def check_gradient(row):
    args = row.values(np.random.RandomState(0), (3, 4), "float64")

    def fun(*varied):
        full = list(args_vars)
        for i, v in zip(row.grad_args, varied):
            full[i] = v
        return row.build(*full)
    args_vars = [pytheano.tensor.constant(a) for a in args]
    check_grad(fun, [args[i] for i in row.grad_args])
    if not row.stable_grad:
        return
    # At the extreme inputs the gradient stays finite under FAST_RUN.
    f_run, _ = row.function(FAST_RUN, grad=True)
    assert np.all(np.isfinite(f_run(*row.extreme)[1]))
