"""DestroyHandler and Supervisor (pytheano/graph/destroyhandler.py), on toy ops over Generic."""
import random

import pytest

from pytheano.errors import InconsistencyError
from pytheano._core.destroy import find_cycle
from pytheano.graph.basic import Apply, Constant, io_toposort
from pytheano.graph.destroyhandler import DestroyHandler, fast_inplace_check
from pytheano.graph.features import ReplaceValidate, Supervisor
from pytheano.graph.fg import FunctionGraph
from pytheano.graph.op import Op
from pytheano.graph.type import generic


class Read(Op):
    """Reads its inputs, writes a new value."""
    __props__ = ("name",)

    def __init__(self, name="read"):
        self.name = name

    def make_node(self, *inputs):
        return Apply(self, list(inputs), [generic()])

    def __str__(self):
        return self.name


class View(Read):
    """Output 0 shares input 0's memory."""
    view_map = {0: [0]}


class Destroy(Read):
    """Overwrites input 0 in place."""
    destroy_map = {0: [0]}


read, read2, view, destroy, destroy2 = (Read("read"), Read("read2"), View("view"),
                                        Destroy("destroy"), Destroy("destroy2"))


def _fgraph(inputs, outputs, *features):
    return FunctionGraph(inputs, outputs, features=[ReplaceValidate(), DestroyHandler(),
                                                    *features], clone=False)


def test_reader_of_destroyed_input_is_ordered_first():
    x = generic("x")
    r = read(x)
    d = destroy(x)
    fg = _fgraph([x], [d, r])
    assert fg.validate()
    assert fg.orderings() == {d.owner: [r.owner]}
    order = fg.toposort()
    assert order.index(r.owner) < order.index(d.owner)
    assert fg.destroyers(x) == [d.owner]
    assert fg.destroy_handler.destroyers_of(r) == []


def test_reader_that_needs_the_destroyer_is_refused():
    x = generic("x")
    d = destroy(x)
    out = read(x, d)  # reads x after it is overwritten
    fg = _fgraph([x], [out])
    with pytest.raises(InconsistencyError) as info:
        fg.validate()
    msg = str(info.value)
    assert "destroy(x)" in msg and "read(x, destroy.0)" in msg and "non-inplace" in msg
    assert not fg.consistent()


def test_replace_validate_refuses_and_reverts():
    x = generic("x")
    inner = read2(x)
    out = read(x, inner)
    fg = _fgraph([x], [out])
    with pytest.raises(InconsistencyError):
        fg.replace_validate(inner, destroy(x))
    assert out.owner.inputs[1] is inner
    fg.check_integrity()
    assert not fg.destroy_handler.destroyers
    assert fg.validate()


def test_destroying_protected_input_refused_unprotected_accepted():
    x, y = generic("x"), generic("y")
    fg = _fgraph([x, y], [destroy(x)], Supervisor([x]))
    with pytest.raises(InconsistencyError, match="protected"):
        fg.validate()
    fg = _fgraph([x, y], [destroy(y)], Supervisor([x]))
    assert fg.validate()
    # Protection reaches through views: destroying a view of x destroys x.
    fg = _fgraph([x, y], [destroy(view(x))], Supervisor([x]))
    with pytest.raises(InconsistencyError, match="a view of x"):
        fg.validate()
    assert fast_inplace_check(fg, [x, y]) == []


def test_destroying_a_constant_refused():
    x = generic("x")
    c = Constant(generic, 1.0)
    fg = _fgraph([x], [destroy(c)])
    with pytest.raises(InconsistencyError, match="indestructible"):
        fg.validate()


def test_two_destroyers_refused():
    x = generic("x")
    fg = _fgraph([x], [destroy(x), destroy2(x)])
    with pytest.raises(InconsistencyError, match="Multiple destroyers"):
        fg.validate()
    # A destroyer of a view of x and one of x: the same memory, destroyed twice.
    fg = _fgraph([x], [destroy(view(x)), destroy2(x)])
    with pytest.raises(InconsistencyError, match="Multiple destroyers"):
        fg.validate()


def test_view_of_destroyed_value_read_afterwards_refused():
    x = generic("x")
    v = view(x)
    d = destroy(x)
    fg = _fgraph([x], [read(v, d)])
    with pytest.raises(InconsistencyError, match="view"):
        fg.validate()
    # The value a destroyed view aliases, read afterwards.
    d = destroy(view(x))
    fg = _fgraph([x], [read(x, d)])
    with pytest.raises(InconsistencyError):
        fg.validate()
    # Read before: accepted, with the reader of the view ordered first.
    v = view(x)
    r = read(v)
    d = destroy(x)
    fg = _fgraph([x], [r, d])
    assert fg.validate()
    order = fg.toposort()
    assert order.index(r.owner) < order.index(d.owner)


def test_destroyed_graph_output_refused():
    x = generic("x")
    y = read(x)
    fg = _fgraph([x], [y, destroy(y)])
    with pytest.raises(InconsistencyError, match="output"):
        fg.validate()


def test_no_destroyers_fast_path_keeps_toposort_cached():
    x = generic("x")
    calls = []

    class Spy(DestroyHandler):
        def orderings(self, fgraph):
            calls.append(1)
            return DestroyHandler.orderings(self, fgraph)

    dh = Spy()
    out = read(view(read(x)))
    fg = FunctionGraph([x], [out], features=[ReplaceValidate(), dh], clone=False)
    version = dh.orderings_version
    fg.toposort()
    n = len(calls)
    fg.toposort()
    assert len(calls) == n  # cache hit with a destroy handler attached
    fg.replace_validate(out.owner.inputs[0], view(x))
    assert dh.orderings_version == version  # no destroyers: orderings never change
    assert fg.orderings() == {}
    # With a destroyer, the cache still holds between edits.
    fg.replace_validate(fg.outputs[0], destroy(read2(x)))
    fg.toposort()
    n = len(calls)
    fg.toposort()
    assert len(calls) == n


def test_fuzz_replace_revert_keeps_state():
    rng = random.Random(0)
    ops = [read, read2, view, destroy, destroy2]
    for _trial in range(30):
        x, y = generic("x"), generic("y")
        outs = [read(x, y), read2(view(x)), read(y)]
        dh = DestroyHandler()
        fg = FunctionGraph([x, y], outs, features=[ReplaceValidate(), dh, Supervisor([y])],
                           clone=False)
        pool = [x, y] + [o for node in fg.toposort() for o in node.outputs]  # creation order
        for _step in range(25):
            variables = [v for v in pool if v in fg.variables]  # reproducible choices
            target = rng.choice([v for v in variables if v.owner is not None])
            op = rng.choice(ops)
            new = op(*[rng.choice(variables) for _ in range(rng.randint(1, 2))])
            pool.append(new)
            if target in _ancestors(new):
                continue
            try:
                fg.replace_validate(target, new, reason="fuzz")
            except InconsistencyError:
                pass
            fg.check_integrity()
            assert dh._rebuild_state() == (dh.destroyers, dh.view_i, dh.view_o)
            # What the incremental handler says equals what a fresh one says.
            fresh = DestroyHandler()
            fg2 = FunctionGraph(fg.inputs, fg.outputs, features=[fresh, Supervisor([y])],
                                clone=False)
            assert _ok(dh, fg)  # replace_validate keeps only graphs it accepts

            assert _ok(fresh, fg2)
            assert _norm(fresh.orderings(fg2)) == _norm(dh.orderings(fg))


def _ok_rules(dh, fg):
    try:
        dh.orderings(fg)
        return True
    except InconsistencyError:
        return False


def _ok(dh, fg):
    try:
        return dh.validate(fg)
    except InconsistencyError:
        return False


def _norm(ords):
    return {k: set(v) for k, v in ords.items()}


def _ancestors(v):
    seen, todo = set(), [v]
    while todo:
        cur = todo.pop()
        if cur in seen:
            continue
        seen.add(cur)
        if cur.owner is not None:
            todo.extend(cur.owner.inputs)
    return seen


def test_find_cycle_agrees_with_full_toposort():
    rng = random.Random(1)
    ops = [read, read2, view, destroy, destroy2]
    seen = {True: 0, False: 0}
    for _ in range(300):
        x, y = generic("x"), generic("y")
        pool = [x, y]
        for _ in range(rng.randint(2, 8)):
            pool.append(rng.choice(ops)(*rng.sample(pool, min(len(pool), rng.randint(1, 2)))))
        dh = DestroyHandler()
        fg = FunctionGraph([x, y], [read(*pool[2:])], features=[dh], clone=False)
        if not _ok_rules(dh, fg):
            continue
        ords = dh.orderings(fg)
        try:
            io_toposort(fg.inputs, fg.outputs, ords)
            acyclic = True
        except ValueError:
            acyclic = False
        assert (find_cycle(fg, ords) is None) == acyclic
        seen[acyclic] += 1
    assert seen[True] > 20 and seen[False] > 20


def _acyclic_by_toposort(fg, ords):
    try:
        io_toposort(fg.inputs, fg.outputs, ords)
        return True
    except ValueError:
        return False


def test_fuzz_incremental_cycle_check_agrees_with_the_full_one():
    # Random edits, validated after each (sometimes several edits at once, sometimes a
    # refused graph kept and edited further instead of reverted): the kept order
    # (update_order) must say what a full toposort of the graph plus the orderings says,
    # and refusals must read as a fresh handler's.
    rng = random.Random(2)
    ops = [read, read2, view, destroy, destroy2]
    weights = [4, 4, 4, 2, 2]
    seen = {"accepted": 0, "refused": 0}
    for _trial in range(80):
        x, y = generic("x"), generic("y")
        pool = [x, y]
        for _ in range(rng.randint(3, 16)):
            pool.append(rng.choices(ops, weights)[0](
                *rng.sample(pool, min(len(pool), rng.randint(1, 2)))))
        pool.append(read(*pool[2:]))
        dh = DestroyHandler()
        fg = FunctionGraph([x, y], [pool[-1]], features=[ReplaceValidate(), dh], clone=False)
        for _step in range(30):
            chk = fg.checkpoint()
            for _edit in range(rng.choice([1, 1, 2])):
                variables = sorted(fg.variables, key=pool.index)  # reproducible choices
                targets = [v for v in variables if v.owner is not None]
                target = rng.choice(targets)
                new = rng.choices(ops, weights)[0](*[rng.choice(variables)
                                                     for _ in range(rng.randint(1, 3))])
                pool.append(new)
                if target not in _ancestors(new):
                    fg.replace(target, new, reason="fuzz")
            ords = None
            try:
                ords = dh.orderings(fg)
            except InconsistencyError:
                pass  # refused by the rules, not for a cycle
            try:
                got = dh.validate(fg)
            except InconsistencyError as e:
                got, message = False, str(e)
            if ords is not None:
                assert got == _acyclic_by_toposort(fg, ords)
                if got and dh.destroyers and not dh.edited:
                    _assert_is_an_order(dh.order, fg, ords)
                seen["accepted" if got else "refused"] += 1
                if not got:
                    fresh = DestroyHandler()
                    fg2 = FunctionGraph(fg.inputs, fg.outputs, features=[fresh], clone=False)
                    with pytest.raises(InconsistencyError) as info:
                        fresh.validate(fg2)
                    assert _norm(fresh.orderings(fg2)) == _norm(ords)
                    assert ("needs a value computed" in message) == \
                        ("needs a value computed" in str(info.value))
            if not got and rng.random() < 0.5:
                fg.revert(chk)
            fg.check_integrity()
    assert seen["accepted"] > 100 and seen["refused"] > 100


def _assert_is_an_order(order, fg, ords):
    # Every edge (graph and orderings) forward, no two nodes at one position.
    assert set(order) == fg.apply_nodes
    assert len(set(order.values())) == len(order)
    for node in fg.apply_nodes:
        for inp in node.inputs:
            if inp.owner is not None:
                assert order[inp.owner] < order[node]
    for app, readers in ords.items():
        for reader in readers:
            assert order[reader] < order[app]


def test_kept_order_moves_nodes_for_an_ordering_against_it():
    # x is read by r (early in any order) and destroyed by d; then r is made to read d's
    # sibling's result: r must now run after s but before d, an ordering the kept order
    # had the other way, and update_order moves the nodes between them.
    x = generic("x")
    s = read2(x)
    d = destroy(x)
    r = read(x)
    fg = FunctionGraph([x], [read(r, s), d], features=[ReplaceValidate(), DestroyHandler()],
                       clone=False)
    dh = fg.destroy_handler
    assert fg.validate()
    order = dh.order
    assert order[r.owner] < order[d.owner]
    fg.replace_validate(s, read2(read2(x)))
    _assert_is_an_order(order, fg, dh.orderings(fg))
    # A reader that needs the destroyer's result: refused, with the reason.
    with pytest.raises(InconsistencyError, match="needs a value computed"):
        fg.replace_validate(r, read(x, d))
    assert fg.validate()


def test_in_place_phase_checks_incrementally(monkeypatch):
    # The in-place rewrites validate once per candidate; each check after the first reads
    # only what the last edit touched (a full pass each time made the phase quadratic in
    # the graph). The fuzz test above checks the incremental answers against fresh handlers.
    import numpy as np

    import pytheano as theano
    import pytheano.tensor as T

    full_passes = []
    compute_full = DestroyHandler._compute_full

    def counted(self, protected):
        full_passes.append(self)
        return compute_full(self, protected)

    monkeypatch.setattr(DestroyHandler, "_compute_full", counted)
    for layers in (2, 8):
        x = T.dmatrix("x")
        h, params = x, []
        for k in range(layers):
            w = theano.shared(np.full((3, 3), 0.1), name="w%d" % k)
            params.append(w)
            h = T.tanh(T.dot(h, w) + 1)
        cost = h.sum()
        del full_passes[:]
        f = theano.function([x], cost, updates=[(p, p - 0.1 * g) for p, g in
                                                zip(params, theano.grad(cost, params))])
        assert sum(1 for n in f.maker.fgraph.apply_nodes if n.op.destroy_map) > layers
        assert len(full_passes) == 1
