"""Op parameters (pytheano/graph/params_type.py): Params/ParamsType equality and filtering,
enum types, and an op whose perform receives its params."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.graph.basic import Apply
from pytheano.graph.op import Op
from pytheano.graph.params_type import CEnumType, EnumList, EnumType, Params, ParamsType
from pytheano.graph.type import Generic
from pytheano.scalar import Scalar
from pytheano.tensor import TensorType


def _ptype(**extra):
    fields = dict(a=Generic(), array=TensorType("int64", (False,)),
                  floatting=Scalar("float64"))
    fields.update(extra)
    return ParamsType(**fields)


def test_params_equality_and_hash():
    w1 = Params(_ptype(), a=1, array=np.asarray([1, 2, 4]), floatting=-4.5)
    w2 = Params(_ptype(), a=1, array=np.asarray([1, 2, 4]), floatting=-4.5)
    assert w1 == w2 and not w1 != w2 and hash(w1) == hash(w2)
    assert w1 != Params(_ptype(), a=2, array=np.asarray([1, 2, 4]), floatting=-4.5)
    assert w1 != Params(_ptype(), a=1, array=np.asarray([1, 2, -4]), floatting=-4.5)
    assert w1.array.tolist() == [1, 2, 4] and w1.a == 1
    with pytest.raises(NotImplementedError, match="immutable"):
        w1.a = 3
    with pytest.raises(TypeError, match='"floatting" not in Params args'):
        Params(_ptype(), a=1, array=np.asarray([1]))
    assert _ptype() == _ptype() and hash(_ptype()) == hash(_ptype())
    assert _ptype().name == _ptype().name
    assert _ptype() != _ptype(array=TensorType("int64", (True,)))
    assert _ptype().fields == ("a", "array", "floatting") and _ptype().length == 3


def test_params_type_filter():
    w = ParamsType(a1=TensorType("int32", (False,)), a3=Generic())
    bad = Params(w, a1=np.arange(3, dtype="int64"), a3=2)
    with pytest.raises(TypeError):
        w.filter(bad, True)
    with pytest.raises(TypeError):
        w.filter(bad, False, False)
    w.filter(bad, strict=False, allow_downcast=True)
    good = Params(w, a1=np.arange(3, dtype="int32"), a3=2)
    assert w.filter(good, strict=True) is good
    assert w.values_eq(good, Params(w, a1=np.arange(3, dtype="int32"), a3=2))
    with pytest.raises(ValueError, match="empty"):
        ParamsType()
    with pytest.raises(TypeError, match="should inherit from Theano Type"):
        ParamsType(a=3)


def test_enum_types():
    e = EnumType(ONE=1, TWO=("two", 2), THREE=3.5, ctype="long")
    assert e.ONE == 1 and e.fromalias("two") == 2 and e.fromalias("THREE") == 3.5
    assert e.has_alias("two") and e.get_aliases() == ("two",)
    assert e.filter("two") == 2 and e.filter(True) == 1
    with pytest.raises(TypeError):
        e.filter(7)
    with pytest.raises(AttributeError, match="invalid enum name"):
        EnumType(lower=1)
    with pytest.raises(NotImplementedError, match="immutable"):
        e.ONE = 5
    lst = EnumList("A", ("B", "beta"), "C")
    assert (lst.A, lst.B, lst.C) == (0, 1, 2) and lst.ctype == "int"
    assert lst == EnumList("A", ("B", "beta"), "C") != EnumList("A", "B", "C")
    assert isinstance(CEnumType("X", "Y"), EnumList)
    w = ParamsType(e1=EnumList("A", ("B", "beta")), e2=EnumList(("D", "delta"), "E"))
    assert w.A == 0 and w.E == 1 and w.enum_from_alias("beta") == 1
    assert w.enum_from_alias("delta") == 0 and w.enum_from_alias("A") == 0
    with pytest.raises(AttributeError, match="common constants names"):
        ParamsType(e1=EnumList("A", "B"), e2=EnumList("A", "C"))
    with pytest.raises(AttributeError, match="aliases that have same names"):
        ParamsType(e1=EnumList(("A", "a"),), e2=EnumList(("ONE", "A"),))


class Quadratic(Op):
    __props__ = ("a", "b")
    params_type = ParamsType(a=TensorType("float64", ()), b=Scalar("float64"))

    def __init__(self, a, b):
        self.a, self.b = a, b

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage, params):
        output_storage[0][0] = params.a * inputs[0] ** 2 + params.b


class Choose(Op):
    __props__ = ("mode",)
    params_type = EnumList(("ADD", "+"), ("MUL", "*"))

    def __init__(self, mode):
        self.mode = mode

    def get_params(self, node):
        return self.mode  # an alias: filtered into its value before perform

    def make_node(self, a, b):
        a, b = T.as_tensor_variable(a), T.as_tensor_variable(b)
        return Apply(self, [a, b], [a.type()])

    def perform(self, node, inputs, output_storage, mode):
        a, b = inputs
        output_storage[0][0] = a + b if mode == self.params_type.ADD else a * b


@pytest.mark.parametrize("mode", ["FAST_COMPILE", "FAST_RUN"])
def test_perform_receives_the_params(mode):
    x = T.dvector()
    f = pytheano.function([x], Quadratic(2, 3)(x), mode=mode)
    np.testing.assert_allclose(f(np.array([1.0, -2.0])), [5.0, 11.0])
    a, b = T.dscalars("a", "b")
    g = pytheano.function([a, b], [Choose("+")(a, b), Choose("*")(a, b)], mode=mode)
    assert g(3, 4) == [7, 12]
