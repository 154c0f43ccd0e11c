"""The typed-list ops (pytheano/typed_list/basic.py) against Python's list methods."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pytheano
import pytheano.sparse as S
import pytheano.tensor as T
import pytheano.typed_list as tl
from pytheano import In
from pytheano.tensor.type_other import SliceType
from tests.sparse.sparse_checks import random_sparse

MATRIX = T.TensorType("float64", (False, False))
RNG = np.random.default_rng(0)


def matrices(n):
    return [RNG.uniform(-5, 5, (2, 3)) for _ in range(n)]


def _same(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


def test_list_variable_interface():
    L = tl.TypedListType(MATRIX)()
    assert isinstance(L, tl.TypedListVariable)
    assert L.ttype == MATRIX and L.dtype == MATRIX.dtype and L.ndim == 3
    assert str(tl.getitem) == "GetItem" and str(tl.Append(True)) == "Append"


@given(st.integers(1, 5), st.data())
def test_getitem_scalar_and_slice(n, data):
    L, i = tl.TypedListType(MATRIX)(), T.lscalar()
    values = matrices(n)
    k = data.draw(st.integers(-n, n - 1))
    f = pytheano.function([L, i], L[i])
    np.testing.assert_array_equal(f(values, k), values[k])
    np.testing.assert_array_equal(pytheano.function([L], L[k])(values), values[k])
    a, b = data.draw(st.integers(0, n)), data.draw(st.integers(0, n))
    s = SliceType()()
    z = tl.GetItem()(L, s)
    assert isinstance(z.type, tl.TypedListType)
    _same(pytheano.function([L, s], z)(values, slice(a, b)), values[a:b])
    _same(pytheano.function([L], L[a:b])(values), values[a:b])


def test_getitem_refuses_bad_indices():
    L = tl.TypedListType(MATRIX)()
    with pytest.raises(TypeError, match="Expected scalar or slice as index."):
        tl.GetItem()(L, T.dmatrix())
    with pytest.raises(TypeError, match="int64 scalar"):
        tl.GetItem()(L, T.iscalar())


@pytest.mark.parametrize("inplace", [False, True])
def test_append_extend_insert_remove_reverse(inplace):
    L, L2, m, i = tl.TypedListType(MATRIX)(), tl.TypedListType(MATRIX)(), T.dmatrix(), \
        T.lscalar()
    x, y, z = matrices(3)
    cases = [
        (lambda: tl.Append(inplace)(L, m), [L, m], ([x, y], z), lambda a, b: a + [b]),
        (lambda: tl.Extend(inplace)(L, L2), [L, L2], ([x], [y, z]), lambda a, b: a + b),
        (lambda: tl.Insert(inplace)(L, i, m), [L, i, m], ([x, y], 1, z),
         lambda a, k, b: a[:k] + [b] + a[k:]),
        (lambda: tl.Remove(inplace)(L, m), [L, m], ([x, y, x], x), lambda a, b: [y, x]),
        (lambda: tl.Reverse(inplace)(L), [L], ([x, y, z],), lambda a: a[::-1]),
    ]
    for build, inputs, values, ref in cases:
        out = build()
        specs = [In(v, mutable=True) if v is L else v for v in inputs]
        f = pytheano.function(specs, out, accept_inplace=inplace)
        arg = list(values[0])
        got = f(arg, *values[1:])
        want = ref(list(values[0]), *values[1:])
        _same(got, want)
        # The function's copy of the list (the input is filtered) is what an in-place op
        # updates: the caller's list never changes.
        _same(arg, values[0])
        assert f.maker.fgraph.toposort()[0].op.inplace or not inplace


def test_appended_elements_are_copies():
    L, m = tl.TypedListType(MATRIX)(), T.dmatrix()
    x = matrices(1)[0]
    out = pytheano.function([L, m], L.append(m))([], x)
    assert out[0] is not x
    np.testing.assert_array_equal(out[0], x)


def test_methods_and_counts():
    L, m = tl.TypedListType(MATRIX)(), T.dmatrix()
    x, y = matrices(2)
    f = pytheano.function([L, m], [L.count(m), L.ind(m), L.__len__()])
    count, index, length = f([x, y, y], y)
    assert count == 2 and index == 1 and length == 3
    assert count.dtype == index.dtype == pytheano.config.floatX and length.dtype == "int64"
    with pytest.raises(ValueError, match="not in the list"):
        f([x], y)


def test_index_and_count_in_nested_and_sparse_lists():
    nested = tl.TypedListType(MATRIX, 1)()
    inner = tl.TypedListType(MATRIX)()
    x, y = matrices(2)
    f = pytheano.function([nested, inner], [tl.index_(nested, inner), tl.count(nested, inner)])
    index, count = f([[x, y], [x, y, y], [x, y]], [x, y])
    assert index == 0 and count == 2
    sparse_list, s = tl.TypedListType(S.SparseType("csr", "float64"))(), S.csr_matrix()
    a, b = random_sparse((4, 6), "csr", seed=1), random_sparse((4, 6), "csr", seed=2)
    assert pytheano.function([sparse_list, s], tl.index_(sparse_list, s))([a, b], b) == 1


def test_make_list():
    a, b = T.dmatrix(), T.dmatrix()
    out = tl.make_list([a, b])
    assert out.type == tl.TypedListType(MATRIX)
    x, y = matrices(2)
    _same(pytheano.function([a, b], out)(x, y), [x, y])
    with pytest.raises(TypeError, match="MakeList need all input variable to be of the same type."):
        tl.make_list((T.dmatrix(), T.dvector()))
    _same(pytheano.function([], tl.make_list([1.0, 2.0]))(), [1.0, 2.0])


def test_element_type_checks():
    L = tl.TypedListType(MATRIX)()
    with pytest.raises(TypeError, match="element's type"):
        tl.append(L, T.dvector())
    with pytest.raises(TypeError, match="same type"):
        tl.extend(L, tl.TypedListType(T.dvector.__class__("float64", (False,)))())
    with pytest.raises(TypeError, match="typed list"):
        tl.length(T.dmatrix())


@pytest.mark.parametrize("op", [tl.Append, tl.Extend, tl.Insert, tl.Remove, tl.Reverse])
def test_inplace_variants_declare_destroy_map(op):
    assert op(True).destroy_map == {0: [0]} and op(False).view_map == {0: [0]}
    assert op(True) != op(False)
