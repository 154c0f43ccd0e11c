"""pytheano/rewriting/shape.py: reshape to the own shape, a Rebroadcast that changes no
flag and the full slice removed; the ones that change the type (and check at run time) stay."""
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import pytheano
import pytheano.tensor as T
from pytheano import sparse
from pytheano._core.fgraph import FunctionGraph
from pytheano.compile.mode import Mode
from pytheano.rewriting import shape as rshape
from pytheano.tensor.basic import Rebroadcast
from pytheano.tensor.shape import MakeVector, Reshape, Shape, Shape_i, SpecifyShape, make_vector
from pytheano.tensor.slicing import Subtensor
from tests.helpers import assert_same_as_unrewritten, check_rewrite

NONE = Mode(optimizer=None)
SPECIAL = ("nan", "inf", "-inf")




def _ops_of(cls):
    return lambda fg: any(isinstance(n.op, cls) for n in fg.apply_nodes)


FIRES = [
    (rshape.local_reshape_own_shape, lambda x: x.reshape(x.shape)),
    (rshape.local_reshape_own_shape, lambda x: x.reshape((x.shape[0], x.shape[1]))),
    (rshape.local_useless_rebroadcast, lambda x: Rebroadcast((0, False))(x)),
    (rshape.local_full_subtensor, lambda x: x[:]),
    (rshape.local_full_subtensor, lambda x: x[::1, :]),
]


@pytest.mark.parametrize("row", FIRES, ids=lambda row: row[0].name)
def test_rule_fires(row):
    rewrite, build = row
    x = T.dmatrix("x")
    check_rewrite(build, rewrite, expected=lambda fg: fg.outputs[0] is fg.inputs[0],
                  inputs=[x], special=SPECIAL)
    assert_same_as_unrewritten([x], build(x))


SKIPS = [
    (rshape.local_reshape_own_shape, lambda x: x.reshape((x.shape[1], x.shape[0])), Reshape),
    (rshape.local_useless_rebroadcast, lambda x: T.addbroadcast(x[:1], 0), Rebroadcast),
    (rshape.local_full_subtensor, lambda x: x[1:], Subtensor),
    (rshape.local_full_subtensor, lambda x: x[::-1], Subtensor),
    (rshape.local_full_subtensor, lambda x: x[0], Subtensor),
]


@pytest.mark.parametrize("row", SKIPS, ids=lambda row: row[0].name)
def test_rule_skips(row):
    rewrite, build, cls = row
    x = T.dmatrix("x")
    check_rewrite(build, rewrite, expected=_ops_of(cls), inputs=[x], special=SPECIAL)
    assert_same_as_unrewritten([x], build(x))


def test_a_rebroadcast_that_checks_a_size_still_raises():
    x = T.dmatrix("x")
    f = pytheano.function([x], T.addbroadcast(x, 0), mode="FAST_RUN")
    with pytest.raises(ValueError):
        f(np.zeros((2, 3)))


# --------------------------------------------------------------------------- ShapeFeature


def _fast_run_graph(inputs, outputs):
    return pytheano.function(inputs, outputs, mode="FAST_RUN").maker.fgraph


def _computes(fgraph, cls):
    return any(isinstance(n.op, cls) for n in fgraph.apply_nodes)


def test_shape_of_a_computed_variable_does_not_compute_it():
    # Theano's shape_info tutorial: (x * 2 + 1).shape is MakeVector(Shape_i{0}(x), ...).
    x = T.dmatrix("x")
    fg = _fast_run_graph([x], (x * 2 + 1).shape)
    assert not _computes(fg, T.Elemwise) or all(
        n.inputs[0].type.ndim == 0 for n in fg.apply_nodes if isinstance(n.op, T.Elemwise))
    assert sorted(type(n.op).__name__ for n in fg.apply_nodes) == [
        "MakeVector", "Shape_i", "Shape_i"]
    f = pytheano.function([x], (x * 2 + 1).shape, mode="FAST_RUN")
    np.testing.assert_array_equal(f(np.zeros((3, 4))), [3, 4])


def test_shape_i_of_a_join_is_a_sum_of_input_dims():
    x, y = T.dmatrix("x"), T.dmatrix("y")
    out = T.join(0, x, y).shape
    fg = _fast_run_graph([x, y], out)
    assert not _computes(fg, T.Join)
    f = pytheano.function([x, y], out, mode="FAST_RUN")
    np.testing.assert_array_equal(f(np.zeros((5, 4)), np.zeros((3, 4))), [8, 4])


def test_specify_shape_makes_shapes_constant():
    # The tutorial: (specify_shape(x, (2, 2)) ** 2).shape is the constant [2, 2].
    x = T.dmatrix("x")
    out = (T.specify_shape(x, (2, 2)) ** 2).shape
    f = pytheano.function([x], out, mode="FAST_RUN")
    text = pytheano.printing.debugprint(f, file="str")
    assert text == "DeepCopyOp [id A] ''   0\n |TensorConstant{(2,) of 2} [id B]\n", text
    np.testing.assert_array_equal(f(np.zeros((2, 2))), [2, 2])


def test_shape_index_is_one_shape_i():
    x = T.dmatrix("x")
    f = pytheano.function([x], x.shape[0], mode="FAST_RUN")
    text = pytheano.printing.debugprint(f, file="str")
    assert text == "Shape_i{0} [id A] ''   0\n |x [id B]\n", text
    assert f(np.zeros((3, 2))) == 3


@given(st.lists(st.integers(0, 4), min_size=1, max_size=3), st.sampled_from(
    ["float64", "int32", "bool"]))
@settings(max_examples=25, deadline=None)
def test_shape_graphs_agree_with_the_real_shapes(shape, dtype):
    x = T.tensor(dtype, (False,) * len(shape), name="x")
    y = T.tensor(dtype, (False,) * len(shape), name="y")
    exprs = [(x + y).shape, T.join(0, x, y).shape, x.sum(axis=0).shape,
             x.dimshuffle(*reversed(range(len(shape)))).shape, (x * y)[1:].shape]
    value = np.zeros(shape, dtype=dtype)
    f_opt = pytheano.function([x, y], exprs, mode="FAST_RUN")
    f_none = pytheano.function([x, y], exprs, mode=NONE)
    for a, b in zip(f_opt(value, value), f_none(value, value)):
        np.testing.assert_array_equal(a, b)
        assert np.asarray(a).dtype == np.asarray(b).dtype


def test_shape_feature_same_shape():
    x, y = T.vector(), T.vector()
    o = x + y
    fg = FunctionGraph([x, y], [o], clone=False)
    feature = rshape.ShapeFeature()
    fg.attach_feature(feature)
    assert feature.same_shape(x, o) and feature.same_shape(x, o, 0, 0)
    assert not feature.same_shape(y, o)  # known to be equal only by broadcasting rules
    with pytest.raises(IndexError):
        feature.same_shape(x, o, 1, 0)


def test_shape_feature_follows_replacements():
    x = T.dmatrix("x")
    y = T.exp(x)
    fg = FunctionGraph([x], [y.shape[0] + 1], clone=False)
    feature = rshape.ShapeFeature()
    fg.attach_feature(feature)
    z = T.log(x)
    fg.replace(y, z)
    assert feature.shape_of[z][0].owner.inputs[0] is x


def test_shape_opt_can_be_excluded():
    x = T.dmatrix("x")
    f = pytheano.function([x], (x * 2).shape, mode=Mode(optimizer="fast_run").excluding(
        "ShapeOpt"))
    assert _computes(f.maker.fgraph, T.Elemwise)
    np.testing.assert_array_equal(f(np.zeros((2, 5))), [2, 5])


SHAPE_RULES = [
    (rshape.local_shape_to_shape_i, lambda x: x.shape, [Shape_i, Shape_i, MakeVector]),
    (rshape.local_subtensor_make_vector,
     lambda x: make_vector(x.shape[0], x.shape[1], x.shape[0])[1], [Shape, Subtensor]),
    (rshape.local_subtensor_make_vector,
     lambda x: make_vector(x.shape[0], x.shape[1])[0:1].sum(), None),
    (rshape.local_Shape_of_SpecifyShape, lambda x: T.specify_shape(x, (2, 3)).shape, []),
    (rshape.local_useless_specify_shape, lambda x: T.specify_shape(x, x.shape) * 2, None),
]


@pytest.mark.parametrize("row", SHAPE_RULES, ids=lambda row: row[0].name)
def test_shape_rule_fires(row):
    rewrite, build, expected = row
    x = T.dmatrix("x")
    plan = Mode("py", "fast_run").rewriter if rewrite is rshape.local_shape_to_shape_i \
        else rewrite
    if expected is None:
        def expected(fg):
            return not any(isinstance(n.op, (SpecifyShape, Subtensor)) and
                           n.inputs[0].owner is not None and
                           isinstance(n.inputs[0].owner.op, (MakeVector, SpecifyShape))
                           for n in fg.apply_nodes)
    check_rewrite(build, plan, expected=expected, inputs=[x],
                  values=[np.random.default_rng(0).normal(size=(2, 3))])


def test_track_shape_i_keeps_the_error_of_a_bad_specify_shape_out():
    # What a compiled shape graph computes is the shape the graph declares (as Theano):
    # a value-only check is dropped when only shapes are read.
    x = T.dmatrix("x")
    f = pytheano.function([x], T.exp(x).shape[1], mode="FAST_RUN")
    assert not _computes(f.maker.fgraph, T.Elemwise)
    assert f(np.zeros((2, 7))) == 7


RESHAPE_ROWS = [
    (rshape.local_useless_reshape, lambda x: x.reshape((x.shape[0], x.shape[1])),
     lambda fg: fg.outputs[0] is fg.inputs[0]),
    (rshape.local_reshape_to_dimshuffle, lambda x: x.reshape((1, x.shape[0] * x.shape[1], 1)),
     lambda fg: isinstance(fg.outputs[0].owner.op, T.DimShuffle)),
    (rshape.local_useless_dimshuffle_in_reshape,
     lambda x: x.dimshuffle("x", 0, "x", 1).reshape((x.shape[1], x.shape[0])),
     lambda fg: not any(isinstance(n.op, T.DimShuffle) for n in fg.apply_nodes)),
    (rshape.local_dimshuffle_lift, lambda x: T.exp(x + 1).dimshuffle(1, 0),
     lambda fg: isinstance(fg.outputs[0].owner.op, T.Elemwise)),
]


@pytest.mark.parametrize("row", RESHAPE_ROWS, ids=lambda row: row[0].name)
def test_reshape_and_lift_rules(row):
    rule, build, expected = row
    x = T.dmatrix("x")
    check_rewrite(build, rule, expected=expected, inputs=[x], special=SPECIAL)


def test_transposed_reshape_keeps_its_dimshuffle():
    x = T.dmatrix("x")
    build = lambda x: x.T.reshape((x.shape[0] * x.shape[1],))  # noqa: E731
    check_rewrite(build, rshape.local_useless_dimshuffle_in_reshape,
                  expected=_ops_of(T.DimShuffle), inputs=[x])


@pytest.mark.parametrize("bcast,order,useless", [
    ((False, True), (0, "x"), True),
    ((True, False, True), (2, 1, 0), True),
    ((False, False, True), (2, 1, 0), False),
    ((False, True), (1, 0), False),
])
def test_useless_dimshuffle(bcast, order, useless):
    x = T.TensorType("float64", bcast)("x")
    out = x.dimshuffle(*order)

    def expected(fg):
        return (fg.outputs[0] is fg.inputs[0]) == useless
    check_rewrite(out, rshape.local_useless_dimshuffle, expected=expected, inputs=[x],
                  special=SPECIAL)


def test_dimshuffle_lift_as_theano_prints_it():
    x, y = T.dvector(), T.dmatrix()
    fg = FunctionGraph([x, y], [((x + 42) * (y + 84)).T])
    check_rewrite(fg, rshape.local_dimshuffle_lift, expected=[
        T.DimShuffle, T.DimShuffle, T.Elemwise, T.DimShuffle, T.DimShuffle, T.Elemwise,
        T.Elemwise], values=[np.arange(3.0), np.ones((2, 3))])


@pytest.mark.parametrize("shape_opt", [True, False])
def test_useless_reshape_with_own_lengths(shape_opt):
    x = T.dmatrix("x")
    mode = Mode(optimizer="fast_run")
    mode = mode if shape_opt else mode.excluding("ShapeOpt")
    f = pytheano.function([x], x.reshape((x.shape[0], x.shape[1])), mode=mode)
    assert not _computes(f.maker.fgraph, Reshape)
    g = pytheano.function([x], x.reshape((x.shape[1], -1)), mode=mode)  # not x's shape
    assert _computes(g.maker.fgraph, Reshape)
    np.testing.assert_array_equal(g(np.arange(6.0).reshape(2, 3)),
                                  np.arange(6.0).reshape(3, 2))
    # x.reshape((x.shape[0], -1)) is x except for an empty x, which numpy refuses.
    h = pytheano.function([x], x.reshape((x.shape[0], -1)), mode=mode)
    with pytest.raises(ValueError):
        h(np.zeros((0, 3)))


def _useless_subtensor_cases(x):
    x_c = T.specify_shape(x, (2, 3))
    return [((slice(0, None),), True, x), ((slice(0, 2),), True, x_c),
            ((slice(0, 3), slice(0, 13)), True, x_c), ((slice(0, 3), slice(0, 2)), False, x_c),
            ((slice(0, 1), 1), False, x_c), ((slice(0, x.shape[0]),), True, x),
            ((slice(0, x.shape[1]),), False, x),
            ((slice(0, x.shape[0]), slice(0, x.shape[1])), True, x),
            ((slice(0, x.shape[0]), slice(0, x.shape[0])), False, x),
            ((slice(0, T.scalar_from_tensor(x.shape[0])),), True, x),
            ((slice(1, None),), False, x), ((slice(None, None, -1),), False, x)]


@pytest.mark.parametrize("k", range(12))
def test_useless_subtensor_as_theano(k):
    # Theano's test_local_useless_subtensor cases: a slice that provably covers its
    # dimension goes; the SpecifyShape that proves it stays (it checks at run time).
    x = T.dmatrix("x")
    dims, useless, v = _useless_subtensor_cases(x)[k]
    out = T.exp(v)[dims]
    fg = check_rewrite(out, Mode("py", "fast_run"), inputs=[x],
                       values=[np.arange(6.0).reshape(2, 3)])
    assert _computes(fg, Subtensor) != useless


def test_useless_subtensor_keeps_the_specify_shape_check():
    x = T.dmatrix("x")
    f = pytheano.function([x], T.exp(T.specify_shape(x, (2, 3)))[0:2])
    assert not _computes(f.maker.fgraph, Subtensor)
    with pytest.raises(AssertionError):
        f(np.zeros((3, 3)))


def test_shape_of_a_sparse_result_comes_from_infer_shape():
    """A sparse type has an ndim and no broadcastable flags: the ShapeFeature still asks the
    sparse op's infer_shape, so ``(-x).shape`` does not run the op (Theano's sparse
    SparseInferShapeTester / _compile_and_check)."""
    x = sparse.csr_matrix("x")
    d = T.dmatrix("d")
    xv = sp.random(3, 4, density=0.5, format="csr", random_state=0)
    dv = np.ones((4, 5))
    for out, inputs, values in [(-x, [x], [xv]), (x.T, [x], [xv]),
                                (sparse.structured_dot(x, d), [x, d], [xv, dv])]:
        f = pytheano.function(inputs, out.shape, mode="FAST_RUN")
        kinds = {type(n.op).__module__.split(".")[1] for n in f.maker.fgraph.apply_nodes}
        assert "sparse" not in kinds, kinds
        full = pytheano.function(inputs, out, mode="FAST_RUN")(*values)
        assert tuple(f(*values)) == full.shape
