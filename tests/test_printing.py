"""pp, debugprint, pydotprint and the Print op (pytheano/printing.py).

Every expected string below is what Theano 1.0.5 prints for the same code (run on the
reference install, with ``mode=Mode(optimizer=None)`` for compiled functions).
"""
import re
import shutil
import sys

import numpy as np
import pytest

import pytheano as theano
import pytheano.tensor as T
from pytheano import printing
from pytheano.compile.mode import Mode
from pytheano.graph.fg import FunctionGraph
from pytheano.printing import debugprint, pp

NO_OPT = Mode(optimizer=None)


@pytest.fixture
def v():
    """The variables of the expressions below (floatX=float64, as Theano's default)."""
    theano.config.floatX = "float64"

    class Vars:
        x = T.matrix("x")
        y = T.matrix("y")
        s = T.scalar("s")
        vec = T.vector("v")
        i = T.iscalar("i")
        j = T.iscalar("j")
        a = T.matrix()
        b = T.matrix()

    return Vars


# (name, expression builder, Theano's pp output)
PP_CASES = [
    ("add", lambda v: v.x + v.y, "(x + y)"),
    ("mul scalar", lambda v: v.x * v.s, "(x * s)"),
    ("mul constant", lambda v: v.x * 2, "(x * TensorConstant{2})"),
    ("exp plus one", lambda v: T.exp(v.x) + 1, "(exp(x) + TensorConstant{1})"),
    ("neg", lambda v: -v.x, "(-x)"),
    ("transpose", lambda v: v.x.T, "x.T"),
    ("index", lambda v: v.x[0], "x[Constant{0}]"),
    ("sum", lambda v: T.sum(v.x), "Sum{acc_dtype=float64}(x)"),
    ("sum axis", lambda v: T.sum(v.x, axis=0), "Sum{axis=[0], acc_dtype=float64}(x)"),
    ("unnamed", lambda v: v.a + v.b,
     "(<TensorType(float64, matrix)> + <TensorType(float64, matrix)>)"),
    # every operator is parenthesized, left to right
    ("sub left", lambda v: v.x - v.y - v.s, "((x - y) - s)"),
    ("sub right", lambda v: v.x - (v.y - v.s), "(x - (y - s))"),
    ("mul of sum", lambda v: (v.x + v.y) * v.s, "((x + y) * s)"),
    ("sum of mul", lambda v: v.x + v.y * v.s, "(x + (y * s))"),
    ("div left", lambda v: v.x / v.y / v.s, "((x / y) / s)"),
    ("div right", lambda v: v.x / (v.y / v.s), "(x / (y / s))"),
    ("pow", lambda v: v.x ** 2, "(x ** TensorConstant{2})"),
    ("pow right", lambda v: v.x ** v.s ** 2, "(x ** (s ** TensorConstant{2}))"),
    ("pow left", lambda v: (v.x ** v.s) ** 2, "((x ** s) ** TensorConstant{2})"),
    ("int_div", lambda v: v.x // v.y, "(x // y)"),
    ("mod", lambda v: v.x % v.y, "mod(x, y)"),
    ("neg of sum", lambda v: -(v.x + v.y), "(-(x + y))"),
    ("double neg", lambda v: T.neg(-v.x), "(-(-x))"),
    ("chained add", lambda v: v.x + v.y + v.s, "((x + y) + s)"),
    ("add of three", lambda v: T.add(v.x, v.y, v.s), "(x + y + s)"),
    ("same input twice", lambda v: v.x * v.x, "(x * x)"),
    ("reflected", lambda v: 1 / v.x, "(TensorConstant{1} / x)"),
    ("transpose operand", lambda v: v.x.T * v.y, "(x.T * y)"),
    ("broadcast vector", lambda v: v.x + v.vec, "(x + v)"),
    ("broadcast scalar", lambda v: v.x * v.s + v.vec, "((x * s) + v)"),
    ("nested", lambda v: v.x + v.vec * 2, "(x + (v * TensorConstant{2}))"),
    ("float constant", lambda v: v.x + 1.5, "(x + TensorConstant{1.5})"),
    ("vector constant", lambda v: v.vec + np.arange(3.0), "(v + TensorConstant{[0. 1. 2.]})"),
    ("sub constant", lambda v: v.x - 1, "(x - TensorConstant{1})"),
    # function printers
    ("lt", lambda v: v.x < v.y, "lt(x, y)"),
    ("eq", lambda v: T.eq(v.x, v.y), "eq(x, y)"),
    ("neq", lambda v: T.neq(v.x, v.y), "neq(x, y)"),
    ("sqr", lambda v: T.sqr(v.x), "sqr(x)"),
    ("sqrt", lambda v: T.sqrt(v.x), "sqrt(x)"),
    ("log", lambda v: T.log(v.x), "log(x)"),
    ("tanh", lambda v: T.tanh(v.x), "tanh(x)"),
    ("exp of neg", lambda v: T.exp(-v.x), "exp((-x))"),
    ("maximum", lambda v: T.maximum(v.x, v.y), "maximum(x, y)"),
    ("switch", lambda v: T.switch(v.x > 0, v.x, v.y), "switch(gt(x, TensorConstant{0}), x, y)"),
    ("clip", lambda v: T.clip(v.x, 0, 1), "clip(x, TensorConstant{0}, TensorConstant{1})"),
    ("and", lambda v: T.and_(v.i, v.j), "and_(i, j)"),
    ("invert", lambda v: ~v.i, "invert(i)"),
    ("abs", lambda v: abs(v.x), "|x|"),
    ("abs of sum", lambda v: abs(v.x + v.y), "|(x + y)|"),
    ("cast float32", lambda v: T.cast(v.x, "float32"), "float32(x)"),
    ("cast int32", lambda v: T.cast(v.x, "int32"), "int32(x)"),
    ("zeros_like", lambda v: T.zeros_like(v.x), "fill(x, TensorConstant{0.0})"),
    ("ones_like", lambda v: T.ones_like(v.x), "fill(x, TensorConstant{1.0})"),
    ("alloc", lambda v: T.alloc(v.s, 3, 4), "alloc(s, TensorConstant{3}, TensorConstant{4})"),
    ("join", lambda v: T.concatenate([v.x, v.y]), "join(TensorConstant{0}, x, y)"),
    ("make_vector", lambda v: T.stack([v.s, v.s]), "[s, s]"),
    ("sigmoid", lambda v: T.nnet.sigmoid(v.x), "sigmoid(x)"),
    ("relu", lambda v: T.nnet.relu(v.x), "(TensorConstant{0.5} * (x + |x|))"),
    ("dot", lambda v: T.dot(v.x, v.y), "(x \\dot y)"),
    ("dot vector", lambda v: T.dot(v.x, v.vec), "(x \\dot v)"),
    ("outer", lambda v: T.outer(v.vec, v.vec), "(DimShuffle{0, x}(v) \\dot v)"),
    # default printer: Op(inputs)
    ("max", lambda v: T.max(v.x), "MaxAndArgmax{axis=(0, 1)}(x)"),
    ("argmax", lambda v: T.argmax(v.x), "MaxAndArgmax{axis=(0, 1)}(x)"),
    ("prod", lambda v: T.prod(v.x), "Prod{axis=None, dtype='float64', acc_dtype='float64'}(x)"),
    ("shape", lambda v: v.x.shape, "Shape(x)"),
    ("reshape", lambda v: v.x.reshape((2, -1)), "Reshape{2}(x, TensorConstant{[ 2 -1]})"),
    ("softmax", lambda v: T.nnet.softmax(v.x), "Softmax(x)"),
    ("inc_subtensor", lambda v: T.inc_subtensor(v.x[0], v.vec),
     "IncSubtensor{Inc;int64}(x, v, Constant{0})"),
    ("set_subtensor", lambda v: T.set_subtensor(v.x[0], v.vec),
     "IncSubtensor{Set;int64}(x, v, Constant{0})"),
    ("advanced1", lambda v: v.vec[[0, 1]], "AdvancedSubtensor1(v, TensorConstant{[0 1]})"),
    ("advanced", lambda v: v.x[[0, 1], [1, 0]],
     "AdvancedSubtensor(x, TensorConstant{[0 1]}, TensorConstant{[1 0]})"),
    ("boolean mask", lambda v: v.vec[v.vec > 0],
     "AdvancedBooleanSubtensor(v, gt(v, TensorConstant{0}))"),
    # DimShuffle: leading broadcastable dims vanish, a reversal is .T
    ("dimshuffle", lambda v: v.x.dimshuffle(0, "x", 1), "DimShuffle{0, x, 1}(x)"),
    ("dimshuffle 10x", lambda v: v.x.dimshuffle(1, 0, "x"), "DimShuffle{1, 0, x}(x)"),
    ("row", lambda v: v.vec.dimshuffle("x", 0), "v"),
    ("column", lambda v: v.vec.dimshuffle(0, "x"), "DimShuffle{0, x}(v)"),
    ("keepdims", lambda v: T.sum(v.x, axis=1, keepdims=True),
     "DimShuffle{0, x}(Sum{axis=[1], acc_dtype=float64}(x))"),
    ("transpose of sum", lambda v: (v.x + v.y).T, "(x + y).T"),
    ("transpose of exp", lambda v: T.exp(v.x + v.y).T, "exp((x + y)).T"),
    # Subtensor: symbolic slice bounds print as their type
    ("slice", lambda v: v.x[1:2], "x[int64:int64]"),
    ("slice from zero", lambda v: v.x[0:3], "x[int64:int64]"),
    ("slice start", lambda v: v.x[2:], "x[int64:]"),
    ("slice stop", lambda v: v.x[:3], "x[:int64]"),
    ("slice step", lambda v: v.x[::2], "x[::int64]"),
    ("symbolic slice", lambda v: v.x[v.i:v.j], "x[int32:int32]"),
    ("symbolic step", lambda v: v.x[::v.i], "x[::int32]"),
    ("two slices", lambda v: v.x[v.i:v.j, ::2], "x[int32:int32, ::int64]"),
    ("column index", lambda v: v.x[:, 0], "x[:, Constant{0}]"),
    ("negative index", lambda v: v.x[-1], "x[Constant{-1}]"),
    ("symbolic index", lambda v: v.x[v.i], "x[ScalarFromTensor(i)]"),
    ("vector index", lambda v: v.vec[v.i], "v[ScalarFromTensor(i)]"),
    # Theano 1.0 printed several symbolic indices in reverse order; we print them in order
    ("two symbolic indices", lambda v: v.x[v.i, v.j],
     "x[ScalarFromTensor(i), ScalarFromTensor(j)]"),
    ("slice then index", lambda v: v.x[v.i:, v.j],
     "x[int32:, ScalarFromTensor(j)]"),
    ("shape index", lambda v: v.x.shape[0], "Shape(x)[Constant{0}]"),
    ("mean", lambda v: T.mean(v.x),
     "((Sum{acc_dtype=float64}(x) / float64(Shape(x))[Constant{0}]) / "
     "float64(Shape(x))[Constant{1}])"),
    # gradients
    ("grad of square", lambda v: theano.grad(v.s ** 2, v.s),
     "((fill((s ** TensorConstant{2}), TensorConstant{1.0}) * TensorConstant{2}) * "
     "(s ** (TensorConstant{2} - TensorConstant{1})))"),
    ("grad of sum of squares", lambda v: theano.grad(T.sum(v.x ** 2), v.x),
     "((fill((x ** TensorConstant{2}), fill(Sum{acc_dtype=float64}((x ** TensorConstant{2})), "
     "TensorConstant{1.0})) * TensorConstant{2}) * (x ** (TensorConstant{2} - "
     "TensorConstant{1})))"),
    ("grad of product", lambda v: theano.grad(T.sum(T.exp(v.x) * v.y), v.x),
     "((fill((exp(x) * y), fill(Sum{acc_dtype=float64}((exp(x) * y)), TensorConstant{1.0})) * "
     "y) * exp(x))"),
    ("grad of unnamed", lambda v: theano.grad(T.sum(v.a ** 2), v.a),
     "((fill((<TensorType(float64, matrix)> ** TensorConstant{2}), "
     "fill(Sum{acc_dtype=float64}((<TensorType(float64, matrix)> ** TensorConstant{2})), "
     "TensorConstant{1.0})) * TensorConstant{2}) * (<TensorType(float64, matrix)> ** "
     "(TensorConstant{2} - TensorConstant{1})))"),
]


@pytest.mark.parametrize("build, expected", [c[1:] for c in PP_CASES],
                         ids=[c[0] for c in PP_CASES])
def test_pp_matches_theano(v, build, expected):
    assert pp(build(v)) == expected


def test_pp_seed_examples():
    # seeds/004: the book's pp examples
    theano.config.floatX = "float32"
    x = T.matrix("x")
    y = T.matrix("y")
    assert theano.pp(x + y) == "(x + y)"
    assert theano.printing.pprint(x + y) == "(x + y)"
    a = T.matrix()
    b = T.matrix()
    assert theano.pp(a + b) == "(<TensorType(float32, matrix)> + <TensorType(float32, matrix)>)"
    x = x + x
    assert theano.pp(x) == "(x + x)"


def test_pp_shared_variables(v):
    w = theano.shared(np.ones(2), name="w")
    assert pp(w * v.vec) == "(w * v)"
    assert pp(theano.shared(np.ones(2)) * v.vec) == "(<TensorType(float64, vector)> * v)"


def test_pp_ignores_names_of_intermediates(v):
    z = v.x + v.y
    z.name = "z"
    assert pp(z * 2) == "((x + y) * TensorConstant{2})"


def test_pp_greek_names(v):
    alpha = T.scalar("alpha")
    assert pp(alpha * v.vec) == "(\\alpha * v)"


def test_pp_scalar_ops():
    import pytheano.scalar as S

    a = S.float64("a")
    b = S.float64("b")
    assert pp(a + b * a) == "(a + (b * a))"
    assert pp(a % b) == "(a % b)"  # an operator on scalars, mod(a, b) on tensors
    assert pp(-a) == "(-a)"
    assert pp(S.exp(a)) == "exp(a)"


def test_pp_assign_op_class_and_condition(v):
    printer = printing.pprint.clone()
    exp_op = T.exp(v.x).owner.op
    printer.assign(exp_op, printing.FunctionPrinter("e"))
    assert printer(T.exp(v.x) + 1) == "(e(x) + TensorConstant{1})"
    # the original printer is untouched
    assert pp(T.exp(v.x)) == "exp(x)"
    printer.assign(type(v.x.shape.owner.op), printing.MemberPrinter("shape"))
    assert printer(v.x.shape) == "x.shape"

    class Upper:
        def process(self, r, pstate):
            return r.name.upper()

    printer.assign(lambda pstate, r: r.name == "y", Upper())
    assert printer(v.x + v.y) == "(x + Y)"
    cp = printer.clone_assign(lambda pstate, r: r.owner is None, Upper())
    assert cp(v.x + v.y) == "(X + Y)"
    assert printer(v.x + v.y) == "(x + Y)"


def test_pp_pattern_printer_per_output(v):
    printer = printing.pprint.clone()
    node = T.max_and_argmax(v.x, axis=0)[0].owner
    printer.assign(node.op, printing.PatternPrinter(("max(%(0)s)", -1000), "argmax(%(0)s)"))
    assert printer(node.outputs[0]) == "max(x)"
    assert printer(node.outputs[1]) == "argmax(x)"


def test_pp_with_state_dict(v):
    assert pp(v.x + v.y, {"precedence": 5}) == "(x + y)"


def test_pp_process_graph(v):
    z = v.x + v.y
    out = pp([v.x, v.y], [z * 2], {})
    assert out == "return ((x + y) * TensorConstant{2})"
    z.name = "z"
    out = pp([v.x, v.y], [z * 2, z], {})
    assert out.splitlines() == ["out[0] = (z * TensorConstant{2})", "z = (x + y)"]


def test_pp_errors(v):
    with pytest.raises(TypeError, match="Not enough arguments to call"):
        pp(v.x, v.y)
    with pytest.raises(TypeError, match="pp prints a symbolic Variable"):
        pp(3)
    with pytest.raises(TypeError, match="cannot represent a variable that is not the result"):
        printing.OperatorPrinter("+", -1).process(v.x, printing.PrinterState(pprinter=pp))
    with pytest.raises(ValueError, match="assoc"):
        printing.OperatorPrinter("+", -1, "middle")


def test_pp_and_debugprint_deep_graph():
    # A Python loop builds a chain deeper than the recursion limit.
    x = T.vector("x")
    s = x
    n = sys.getrecursionlimit() + 500
    for _ in range(n):
        s = s + x
    assert pp(s) == "(" * n + "x" + " + x)" * n
    text = debugprint(s, file="str")
    assert text.count("\n") == 2 * n + 1
    assert sys.getrecursionlimit() < n  # the limit was restored


# --------------------------------------------------------------------------- debugprint

def test_debugprint_variable(v):
    assert debugprint(v.x + v.y, file="str") == (
        "Elemwise{add,no_inplace} [id A] ''   \n |x [id B]\n |y [id C]\n")


def test_debugprint_seed_prints_to_stdout(v, capsys):
    assert debugprint(v.x + v.y) is None
    assert capsys.readouterr().out == (
        "Elemwise{add,no_inplace} [id A] ''   \n |x [id B]\n |y [id C]\n")


def test_debugprint_to_file_returns_it(v):
    class Out:
        def __init__(self):
            self.parts = []

        def write(self, text):
            self.parts.append(text)

        def flush(self):
            pass

    out = Out()
    assert debugprint(v.x + v.y, file=out) is out
    assert "".join(out.parts) == (
        "Elemwise{add,no_inplace} [id A] ''   \n |x [id B]\n |y [id C]\n")


DEBUGPRINT_CASES = [
    ("nested", lambda v: T.exp(v.x + v.y) * v.x, {},
     "Elemwise{mul,no_inplace} [id A] ''   \n |Elemwise{exp,no_inplace} [id B] ''   \n"
     " | |Elemwise{add,no_inplace} [id C] ''   \n |   |x [id D]\n |   |y [id E]\n"
     " |x [id D]\n"),
    ("list shares ids", lambda v: [v.x + v.y, v.x * v.y], {},
     "Elemwise{add,no_inplace} [id A] ''   \n |x [id B]\n |y [id C]\n"
     "Elemwise{mul,no_inplace} [id D] ''   \n |x [id B]\n |y [id C]\n"),
    ("constant", lambda v: v.x * 2 + v.s, {},
     "Elemwise{add,no_inplace} [id A] ''   \n |Elemwise{mul,no_inplace} [id B] ''   \n"
     " | |x [id C]\n | |InplaceDimShuffle{x,x} [id D] ''   \n |   |TensorConstant{2} [id E]\n"
     " |InplaceDimShuffle{x,x} [id F] ''   \n   |s [id G]\n"),
    ("print_type", lambda v: T.exp(v.x + v.y) * v.x, {"print_type": True},
     "Elemwise{mul,no_inplace} [id A] <TensorType(float64, matrix)> ''   \n"
     " |Elemwise{exp,no_inplace} [id B] <TensorType(float64, matrix)> ''   \n"
     " | |Elemwise{add,no_inplace} [id C] <TensorType(float64, matrix)> ''   \n"
     " |   |x [id D] <TensorType(float64, matrix)>\n"
     " |   |y [id E] <TensorType(float64, matrix)>\n"
     " |x [id D] <TensorType(float64, matrix)>\n"),
    ("depth", lambda v: T.exp(v.x + v.y) * v.x, {"depth": 2},
     "Elemwise{mul,no_inplace} [id A] ''   \n |Elemwise{exp,no_inplace} [id B] ''   \n"
     " |x [id C]\n"),
    ("ids int", lambda v: T.exp(v.x + v.y) * v.x, {"ids": "int"},
     "Elemwise{mul,no_inplace} [id 0] ''   \n |Elemwise{exp,no_inplace} [id 1] ''   \n"
     " | |Elemwise{add,no_inplace} [id 2] ''   \n |   |x [id 3]\n |   |y [id 4]\n"
     " |x [id 3]\n"),
    ("no ids", lambda v: T.exp(v.x + v.y) * v.x, {"ids": ""},
     "Elemwise{mul,no_inplace}  ''   \n |Elemwise{exp,no_inplace}  ''   \n"
     " | |Elemwise{add,no_inplace}  ''   \n |   |x \n |   |y \n |x \n"),
    ("apply", lambda v: (v.x + v.y).owner, {},
     "Elemwise{add,no_inplace} [id A] ''   \n |x [id B]\n |y [id C]\n"),
    ("input", lambda v: v.x, {}, "x [id A]\n"),
    ("In", lambda v: theano.In(v.x), {}, "x [id A]\n"),
    ("number", lambda v: 3, {}, "3\n"),
    ("several outputs", lambda v: T.max_and_argmax(v.x, axis=0), {},
     "MaxAndArgmax{axis=(0,)}.0 [id A] 'max'   \n |x [id B]\n"
     "MaxAndArgmax{axis=(0,)}.1 [id A] 'argmax'   \n"),
    ("second output", lambda v: T.max_and_argmax(v.x, axis=0)[1] + 1, {},
     "Elemwise{add,no_inplace} [id A] ''   \n |MaxAndArgmax{axis=(0,)}.1 [id B] 'argmax'   \n"
     " | |x [id C]\n |InplaceDimShuffle{x} [id D] ''   \n   |TensorConstant{1} [id E]\n"),
]


@pytest.mark.parametrize("build, kwargs, expected", [c[1:] for c in DEBUGPRINT_CASES],
                         ids=[c[0] for c in DEBUGPRINT_CASES])
def test_debugprint_matches_theano(v, build, kwargs, expected):
    assert debugprint(build(v), file="str", **kwargs) == expected


def test_debugprint_named_and_stop_on_name(v):
    z = v.x + v.y
    z.name = "z"
    assert debugprint(z * v.s, file="str") == (
        "Elemwise{mul,no_inplace} [id A] ''   \n |Elemwise{add,no_inplace} [id B] 'z'   \n"
        " | |x [id C]\n | |y [id D]\n |InplaceDimShuffle{x,x} [id E] ''   \n   |s [id F]\n")
    assert debugprint(z * v.s, file="str", stop_on_name=True) == (
        "Elemwise{mul,no_inplace} [id A] ''   \n |Elemwise{add,no_inplace} [id B] 'z'   \n"
        " |InplaceDimShuffle{x,x} [id C] ''   \n   |s [id D]\n")


def test_debugprint_shared_subgraph_printed_once(v):
    z = v.x + v.y
    assert debugprint([z, z * 2], file="str") == (
        "Elemwise{add,no_inplace} [id A] ''   \n |x [id B]\n |y [id C]\n"
        "Elemwise{mul,no_inplace} [id D] ''   \n |Elemwise{add,no_inplace} [id A] ''   \n"
        " |InplaceDimShuffle{x,x} [id E] ''   \n   |TensorConstant{2} [id F]\n")


def test_debugprint_done_is_shared_between_calls(v):
    z = v.x + v.y
    done = {}
    assert debugprint(z, file="str", done=done) == (
        "Elemwise{add,no_inplace} [id A] ''   \n |x [id B]\n |y [id C]\n")
    assert set(done.values()) == {"[id A]", "[id B]", "[id C]"}
    # Theano 1.0: ids restart, nodes in `done` are not expanded again
    assert debugprint(z * 3, file="str", done=done) == (
        "Elemwise{mul,no_inplace} [id A] ''   \n |Elemwise{add,no_inplace} [id B] ''   \n"
        " |InplaceDimShuffle{x,x} [id C] ''   \n   |TensorConstant{3} [id D]\n")


def test_debugprint_python_ids(v):
    z = v.x + v.y
    text = debugprint(z, file="str", ids="id")
    assert text.splitlines()[0] == "Elemwise{add,no_inplace} [id %d] ''   " % id(z)


def test_debugprint_compiled_function(v):
    f = theano.function([v.x, v.y], T.exp(v.x) + v.y, mode=NO_OPT)
    expected = ("Elemwise{add,no_inplace} [id A] ''   1\n |Elemwise{exp,no_inplace} [id B] ''   0\n"
                " | |x [id C]\n |y [id D]\n")
    assert debugprint(f, file="str") == expected
    assert debugprint(f.maker.fgraph, file="str") == expected
    assert debugprint(f, file="str", print_type=True) == (
        "Elemwise{add,no_inplace} [id A] <TensorType(float64, matrix)> ''   1\n"
        " |Elemwise{exp,no_inplace} [id B] <TensorType(float64, matrix)> ''   0\n"
        " | |x [id C] <TensorType(float64, matrix)>\n |y [id D] <TensorType(float64, matrix)>\n")
    assert debugprint(f, file="str", print_storage=True) == (
        "Elemwise{add,no_inplace} [id A] ''   1 [None]\n"
        " |Elemwise{exp,no_inplace} [id B] ''   0 [None]\n | |x [id C] [None]\n"
        " |y [id D] [None]\n")


def test_debugprint_function_outputs_that_are_inputs(v):
    f = theano.function([v.x], v.x, mode=NO_OPT)
    assert debugprint(f, file="str") == "DeepCopyOp [id A] 'x'   0\n |x [id B]\n"
    f = theano.function([v.x, v.y], [v.x + v.y, v.x], mode=NO_OPT)
    assert debugprint(f, file="str") == (
        "Elemwise{add,no_inplace} [id A] ''   0\n |x [id B]\n |y [id C]\n"
        "DeepCopyOp [id D] 'x'   1\n |x [id B]\n")
    f = theano.function([v.x, v.y], [v.x + v.y, v.x + v.y], mode=NO_OPT)
    assert debugprint(f, file="str") == (
        "Elemwise{add,no_inplace} [id A] ''   0\n |x [id B]\n |y [id C]\n"
        "Elemwise{add,no_inplace} [id D] ''   1\n |x [id B]\n |y [id C]\n")


def test_debugprint_function_with_updates(v):
    w = theano.shared(np.ones((2, 2)), name="w")
    f = theano.function([v.x], v.x + w, updates=[(w, w * 2)], mode=NO_OPT)
    assert debugprint(f, file="str") == (
        "Elemwise{add,no_inplace} [id A] ''   0\n |x [id B]\n |w [id C]\n"
        "Elemwise{mul,no_inplace} [id D] ''   2\n |w [id C]\n"
        " |InplaceDimShuffle{x,x} [id E] ''   1\n   |TensorConstant{2} [id F]\n")


def test_debugprint_clients(v):
    z = v.x + v.y
    f = theano.function([v.x, v.y], [T.exp(z), z * 2, z], mode=NO_OPT)
    # The 'output' client takes an id too, so x is [id E] (as in Theano).
    assert debugprint(f, file="str", print_clients=True) == (
        "Elemwise{exp,no_inplace} [id A] ''   1\n"
        " |Elemwise{add,no_inplace} [id B] ''   0 clients:[('[id A]', 1), ('[id C]', 3), "
        "('output', '')]\n   |x [id E]\n   |y [id F]\n"
        "Elemwise{mul,no_inplace} [id C] ''   3\n"
        " |Elemwise{add,no_inplace} [id B] ''   0 clients:[('[id A]', 1), ('[id C]', 3), "
        "('output', '')]\n |InplaceDimShuffle{x,x} [id G] ''   2\n   |TensorConstant{2} [id H]\n"
        "Elemwise{add,no_inplace} [id B] ''   0 clients:[('[id A]', 1), ('[id C]', 3), "
        "('output', '')]\n")
    fg = FunctionGraph([v.x, v.y], [T.exp(z), z * 2])
    assert debugprint(list(fg.outputs), file="str", print_clients=True) == (
        "Elemwise{exp,no_inplace} [id A] ''   \n"
        " |Elemwise{add,no_inplace} [id B] ''    clients:[('[id A]', ''), ('[id C]', '')]\n"
        "   |x [id D]\n   |y [id E]\nElemwise{mul,no_inplace} [id C] ''   \n"
        " |Elemwise{add,no_inplace} [id B] ''    clients:[('[id A]', ''), ('[id C]', '')]\n"
        " |InplaceDimShuffle{x,x} [id F] ''   \n   |TensorConstant{2} [id G]\n")


def test_debugprint_profiled_function_shows_times(v):
    f = theano.function([v.x, v.y], [T.exp(v.x * 2) + v.y, v.x], mode=NO_OPT, profile=True)
    # not called yet: no times
    assert debugprint(f, file="str") == (
        "Elemwise{add,no_inplace} [id A] ''   3\n |Elemwise{exp,no_inplace} [id B] ''   2\n"
        " | |Elemwise{mul,no_inplace} [id C] ''   1\n |   |x [id D]\n"
        " |   |InplaceDimShuffle{x,x} [id E] ''   0\n |     |TensorConstant{2} [id F]\n"
        " |y [id G]\nDeepCopyOp [id H] 'x'   4\n |x [id D]\n")
    f(np.ones((2, 2)), np.ones((2, 2)))
    text = debugprint(f, file="str")
    assert text.startswith("\nTiming Info\n-----------\n--> <time> <% time> - <total time> "
                           "<% total time>'\n")
    assert "  to remove when optimizing a graph because their <total time> is very low.\n\n" \
        in text
    lines = text.split("very low.\n\n")[1].splitlines()
    number = r" --> [ \d.e+-]{8}s [ \d.]{4}% [ \d.e+-]{8}s [ \d.]{4}%"
    assert re.fullmatch(r"Elemwise\{add,no_inplace\} \[id A\] ''   3" + number, lines[0])
    assert re.fullmatch(r" \|Elemwise\{exp,no_inplace\} \[id B\] ''   2" + number, lines[1])
    assert lines[3] == " |   |x [id D]"
    assert re.fullmatch(r"DeepCopyOp \[id H\] 'x'   4" + number, lines[7])
    # the fgraph of a profiled function carries the profile too
    assert debugprint(f.maker.fgraph, file="str") == text


def test_debugprint_errors(v):
    with pytest.raises(TypeError, match="debugprint cannot print an object of this type"):
        debugprint(object())
    with pytest.raises(TypeError, match="depth parameter must be an int"):
        debugprint(v.x, depth=1.5)


# --------------------------------------------------------------------------- Print op

def test_print_op_prints_and_passes_value(v, capsys):
    p = printing.Print("hello")(v.vec)
    f = theano.function([v.vec], p * 2, mode=NO_OPT)
    np.testing.assert_array_equal(f(np.arange(3.0)), [0.0, 2.0, 4.0])
    assert capsys.readouterr().out == "hello __str__ = [0. 1. 2.]\n"
    p2 = printing.Print("sh", attrs=("shape", "sum"))(v.vec)
    f2 = theano.function([v.vec], p2, mode=NO_OPT)
    np.testing.assert_array_equal(f2(np.arange(3.0)), [0.0, 1.0, 2.0])
    assert capsys.readouterr().out == "sh shape = (3,)\nsh sum = 3.0\n"


def test_print_op_str_grad_and_custom_fn(v):
    seen = []
    op = printing.Print("m", global_fn=lambda op, value: seen.append((op.message,
                                                                         value.copy())))
    assert op == printing.Print("m", global_fn=op.global_fn)
    assert str(printing.Print("hello")).startswith(
        "Print{message='hello', attrs=('__str__',), global_fn=<function _print_fn at ")
    g = theano.grad(T.sum(op(v.vec) ** 2), v.vec)
    f = theano.function([v.vec], g)
    np.testing.assert_allclose(f(np.array([1.0, 2.0])), [2.0, 4.0])
    assert seen[0][0] == "m"
    np.testing.assert_array_equal(seen[0][1], [1.0, 2.0])


# --------------------------------------------------------------------------- pydotprint

def _hide_pydot(monkeypatch):
    monkeypatch.setitem(sys.modules, "pydot", None)
    monkeypatch.setitem(sys.modules, "pydot_ng", None)


def test_pydotprint_without_pydot_says_what_to_install(v, monkeypatch, tmp_path):
    _hide_pydot(monkeypatch)
    with pytest.raises(ImportError) as info:
        printing.pydotprint(v.x + v.y, outfile=str(tmp_path / "g.png"))
    message = str(info.value)
    assert "pip install pydot" in message and "graphviz" in message
    # Theano raised RuntimeError: code catching that still works
    assert isinstance(info.value, RuntimeError)
    assert not list(tmp_path.iterdir())
    assert printing.pydot_imported is False
    assert "pip install pydot" in printing.pydot_imported_msg


def test_pydotprint_without_graphviz_says_what_to_install(v, monkeypatch, tmp_path):
    pytest.importorskip("pydot")
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    with pytest.raises(ImportError, match="graphviz's `dot` program was not found"):
        printing.pydotprint(v.x + v.y, outfile=str(tmp_path / "g.png"))


def test_pydotprint_rejects_other_objects():
    with pytest.raises(TypeError, match="pydotprint draws"):
        printing.pydotprint(3)


def _raw_graph(obj, tmp_path, **kwargs):
    out = tmp_path / "graph.dot"
    printing.pydotprint(obj, outfile=str(out), format="raw", print_output_file=False,
                        **kwargs)
    return (tmp_path / "graph.dot.raw").read_text()


def test_pydotprint_graph_structure(v, tmp_path):
    pytest.importorskip("pydot")
    w = theano.shared(np.ones((2, 2)), name="w")
    f = theano.function([v.x, v.y], [T.exp(v.x) + v.y * w, v.x], updates=[(w, w * 2)],
                        mode=NO_OPT)
    dot = _raw_graph(f, tmp_path)
    assert dot.startswith("digraph G {")
    assert 'label="name=x TensorType(float64, matrix)"' in dot
    assert re.search(r'fillcolor=green, label="name=x TensorType', dot)
    assert re.search(r'fillcolor=cyan, label="name=w TensorType', dot)
    # the update expression is labeled with the shared variable it updates
    assert re.search(r'fillcolor=blue, label="wTensorType\(float64, matrix\)"', dot)
    assert 'label=UPDATE' in dot
    assert 'label="val=2 TensorType(int8, scalar)"' in dot
    assert 'label="Elemwise{exp,no_inplace}", style=filled, fillcolor="#FFAABB"' in dot
    # two Elemwise{mul} nodes: the second gets its position in the label
    assert 'label="Elemwise{mul,no_inplace} id=' in dot
    # unnamed intermediates are edges labeled with their type (compact)
    assert 'label="0 TensorType(float64, matrix)"' in dot
    dot_full = _raw_graph(f, tmp_path, compact=False, with_ids=True, high_contrast=False)
    assert 'label="Elemwise{exp,no_inplace} id=' in dot_full
    assert "color=green" in dot_full and "fillcolor" not in dot_full


def test_pydotprint_writes_images(v, tmp_path, capsys):
    pytest.importorskip("pydot")
    if shutil.which("dot") is None:
        pytest.skip("graphviz's dot program is not installed")
    out = tmp_path / "graph.png"
    assert printing.pydotprint(T.exp(v.x) + v.y, outfile=str(out)) is None
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert capsys.readouterr().out == "The output file is available at %s\n" % out
    printing.pydotprint(v.x * 2, outfile=str(tmp_path / "g"), format="svg",
                        print_output_file=False)
    assert (tmp_path / "g.svg").read_text().lstrip().startswith("<?xml")
    image = printing.pydotprint(theano.function([v.x], v.x * 2), return_image=True,
                                format="svg")
    assert b"<svg" in image
    assert printing.pydot_imported is True


def test_pydotprint_default_outfile_in_compiledir(v, monkeypatch, capsys):
    pytest.importorskip("pydot")
    import os

    written = []

    def fake_write(self, path, prog=None, format=None, **kwargs):
        written.append((path, format))

    import pydot

    monkeypatch.setattr(pydot.Dot, "write", fake_write)
    printing.pydotprint(v.x + v.y, format="raw")
    expected = os.path.join(theano.config.compiledir, "theano.pydotprint.cpu.raw")
    assert written == [(expected, "raw")]
    assert capsys.readouterr().out == "The output file is available at %s\n" % expected


# --------------------------------------------------------------------------- short forms

def test_min_informative_str_and_var_descriptor(v):
    z = v.x + v.y
    assert printing.min_informative_str(z * z) == (
        "A. Elemwise{mul,no_inplace}\n B. Elemwise{add,no_inplace}\n  C. x\n  D. y\n <B>")
    assert printing.var_descriptor(z * z) == (
        "A=Elemwise{mul,no_inplace}(B=Elemwise{add,no_inplace}(C=x,D=y),<B>)")
    assert printing.char_from_number(0) == "A"
    assert printing.char_from_number(25) == "Z"
    assert printing.char_from_number(26) == "BA"


def test_debugprint_scan_inner_graphs():
    # An op with an inner graph (the HasInnerGraph protocol), as scan will have.
    from pytheano.graph.basic import Apply
    from pytheano.graph.op import HasInnerGraph, Op

    x_t = T.scalar("x_t")
    s_tm1 = T.scalar("s_tm1")

    class Scan(HasInnerGraph, Op):
        __props__ = ()
        inner_inputs = [x_t, s_tm1]
        inner_outputs = [s_tm1 + x_t]

        def inner_to_outer_inputs(self, node):
            return {x_t: node.inputs[1], s_tm1: node.inputs[2]}

        def make_node(self, n, seq, init):
            return Apply(self, [n, seq, init], [seq.type()])

        def __str__(self):
            return "for{cpu,scan_fn}"

    n = T.iscalar("n")
    seq = T.vector("seq")
    init = T.scalar("init")
    out = Scan()(n, seq, init)
    assert debugprint(out, file="str") == (
        "for{cpu,scan_fn} [id A] ''   \n |n [id B]\n |seq [id C]\n |init [id D]\n"
        "\nInner graphs of the scan ops:\n\n"
        "for{cpu,scan_fn} [id A] ''   \n >Elemwise{add,no_inplace} [id E] ''   \n"
        " > |s_tm1 [id F] -> [id D]\n > |x_t [id G] -> [id C]\n")


def test_pydotprint_cond_highlight(tmp_path):
    pytest.importorskip("pydot")
    from pytheano.ifelse import ifelse

    a, b, c = T.scalar("a"), T.scalar("b"), T.scalar("c")
    z = ifelse(T.lt(a, b), T.exp(a) * 2, b + c, name="myif")
    dot = _raw_graph(z, tmp_path, cond_highlight="myif")
    assert 'label="if{myif}", style=filled, fillcolor=magenta' in dot
    left = dot.split("subgraph cluster_Left {")[1].split("}\n")[0]
    right = dot.split("subgraph cluster_Right {")[1].split("}\n")[0]
    assert "Elemwise{exp,no_inplace}" in left and "Elemwise{mul,no_inplace}" in left
    assert "Elemwise{add,no_inplace}" in right and "exp" not in right


def test_hex_digest_names_bytes_strides_and_shape():
    x = np.arange(6.0).reshape(2, 3)
    d = theano.printing.hex_digest(x)
    assert d.endswith("|strides=[24,8]|shape=[2,3]")
    assert d != theano.printing.hex_digest(x.T.copy().T)  # same bytes view, other strides
    assert d.split("|")[0] == theano.printing.hex_digest(x.copy()).split("|")[0]
    with pytest.raises(TypeError, match="ndarray"):
        theano.printing.hex_digest([1, 2])
