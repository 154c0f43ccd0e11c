"""The typed-list ops: indexing, append/extend/insert/remove/reverse (each with an in-place
variant declared by ``destroy_map``), index/count/length, and make_list."""
import copy

import numpy as np

from pytheano._core.graph import Apply, Constant, Variable
from pytheano.configparser import config
from pytheano.graph.op import Op
from pytheano.tensor.basic import as_tensor_variable, constant
from pytheano.tensor.slicing import SliceType
from pytheano.tensor.type import TensorType
from pytheano.tensor.var import TensorVariable
from pytheano.typed_list.type import TypedListType

__all__ = ["TypedListVariable", "TypedListConstant", "GetItem", "getitem", "Append", "append",
           "Extend", "extend", "Insert", "insert", "Remove", "remove", "Reverse", "reverse",
           "Index", "index_", "Count", "count", "Length", "length", "MakeList", "make_list"]


def _copy_value(value):
    """A copy of one list element, so that a list never aliases an op's input element."""
    if isinstance(value, np.ndarray):
        return value.copy()
    return copy.deepcopy(value)


class _typed_list_py_operators:
    """Python's list methods on symbolic typed lists, as Theano names them."""

    def __getitem__(self, index):
        return getitem(self, index)

    def __len__(self):
        # Theano returns a symbolic length; call x.__len__() (len() wants an int).
        return length(self)

    def append(self, toAppend):
        return append(self, toAppend)

    def extend(self, toAppend):
        return extend(self, toAppend)

    def insert(self, index, toInsert):
        return insert(self, index, toInsert)

    def remove(self, toRemove):
        return remove(self, toRemove)

    def reverse(self):
        return reverse(self)

    def count(self, elem):
        return count(self, elem)

    def ind(self, elem):
        return index_(self, elem)

    ttype = property(lambda self: self.type.ttype)
    dtype = property(lambda self: self.type.ttype.dtype)
    ndim = property(lambda self: self.type.ttype.ndim + 1)


class TypedListVariable(_typed_list_py_operators, Variable):
    """A symbolic typed list."""


class TypedListConstant(_typed_list_py_operators, Constant):
    """A constant typed list."""


TypedListType.Variable = TypedListVariable
TypedListType.Constant = TypedListConstant


def _check_list(x):
    if not isinstance(getattr(x, "type", None), TypedListType):
        raise TypeError("Expected a typed list as first input, got %r" % (x,))


def _check_element(x, elem):
    if x.ttype != elem.type:
        raise TypeError("The element's type %s is not the list's element type %s"
                        % (elem.type, x.ttype))


def _int64_scalar(index):
    """``index`` as an int64 scalar variable (a Python int becomes a constant)."""
    if not isinstance(index, Variable):
        return constant(index, ndim=0, dtype="int64")
    if not (isinstance(index, TensorVariable) and index.ndim == 0 and index.dtype == "int64"):
        raise TypeError("Expected an int64 scalar as index, got %s" % (index.type,))
    return index


class _ListUpdate(Op):
    """Base of the ops that return an updated copy of the list, or (``inplace=True``) the
    input list itself, updated: that variant destroys its list input."""

    __props__ = ("inplace",)

    def __init__(self, inplace=False):
        self.inplace = inplace
        if inplace:
            self.destroy_map = {0: [0]}
        else:
            self.view_map = {0: [0]}

    def _start(self, x, outputs):
        out = x if self.inplace else list(x)
        outputs[0][0] = out
        return out

    def __str__(self):
        return type(self).__name__


class GetItem(Op):
    """``x[index]``: one element for a scalar index, a typed list for a slice."""

    view_map = {0: [0]}
    __props__ = ()

    def make_node(self, x, index):
        _check_list(x)
        if not isinstance(index, Variable):
            if isinstance(index, slice):
                return Apply(self, [x, SliceType().make_constant(index)], [x.type()])
            index = constant(index, ndim=0, dtype="int64")
            return Apply(self, [x, index], [x.ttype()])
        if isinstance(index.type, SliceType):
            return Apply(self, [x, index], [x.type()])
        if isinstance(index, TensorVariable) and index.ndim == 0:
            if index.dtype != "int64":
                raise TypeError("Expected an int64 scalar as index, got %s" % (index.type,))
            return Apply(self, [x, index], [x.ttype()])
        raise TypeError("Expected scalar or slice as index.")

    def perform(self, node, inputs, outputs):
        x, index = inputs
        if not isinstance(index, slice):
            index = int(index)
        outputs[0][0] = x[index]

    def __str__(self):
        return type(self).__name__


getitem = GetItem()


class Append(_ListUpdate):
    """``x.append(toAppend)`` (a copy of the element is appended)."""

    def make_node(self, x, toAppend):
        _check_list(x)
        _check_element(x, toAppend)
        return Apply(self, [x, toAppend], [x.type()])

    def perform(self, node, inputs, outputs):
        x, toAppend = inputs
        self._start(x, outputs).append(_copy_value(toAppend))


append = Append()


class Extend(_ListUpdate):
    """``x.extend(toAppend)``, ``toAppend`` a typed list of the same type."""

    def make_node(self, x, toAppend):
        _check_list(x)
        if x.type != toAppend.type:
            raise TypeError("Extend needs two typed lists of the same type, got %s and %s"
                            % (x.type, toAppend.type))
        return Apply(self, [x, toAppend], [x.type()])

    def perform(self, node, inputs, outputs):
        x, toAppend = inputs
        self._start(x, outputs).extend(_copy_value(v) for v in toAppend)


extend = Extend()


class Insert(_ListUpdate):
    """``x.insert(index, toInsert)``."""

    def make_node(self, x, index, toInsert):
        _check_list(x)
        _check_element(x, toInsert)
        return Apply(self, [x, _int64_scalar(index), toInsert], [x.type()])

    def perform(self, node, inputs, outputs):
        x, index, toInsert = inputs
        self._start(x, outputs).insert(int(index), _copy_value(toInsert))


insert = Insert()


class Remove(_ListUpdate):
    """``x.remove(toRemove)``: removes the first element equal (by the element type's
    ``values_eq``, so arrays compare by value) to ``toRemove``."""

    def make_node(self, x, toRemove):
        _check_list(x)
        _check_element(x, toRemove)
        return Apply(self, [x, toRemove], [x.type()])

    def perform(self, node, inputs, outputs):
        x, toRemove = inputs
        out = self._start(x, outputs)
        values_eq = node.inputs[0].ttype.values_eq
        for i, y in enumerate(out):
            if values_eq(y, toRemove):
                del out[i]
                break


remove = Remove()


class Reverse(_ListUpdate):
    """``x.reverse()``."""

    def make_node(self, x):
        _check_list(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outputs):
        self._start(inputs[0], outputs).reverse()


reverse = Reverse()


class _ElementQuery(Op):
    """A question about ``elem`` in list ``x`` answered by a floatX scalar (Theano's dtype);
    elements are compared by value."""

    __props__ = ()

    def make_node(self, x, elem):
        _check_list(x)
        _check_element(x, elem)
        return Apply(self, [x, elem], [TensorType(config.floatX, ())()])

    def __str__(self):
        return type(self).__name__


class Index(_ElementQuery):
    """``x.index(elem)``."""

    def perform(self, node, inputs, outputs):
        x, elem = inputs
        values_eq = node.inputs[0].ttype.values_eq
        for i, y in enumerate(x):
            if values_eq(y, elem):
                outputs[0][0] = np.asarray(i, dtype=config.floatX)
                return
        raise ValueError("Index: the element is not in the list")


index_ = Index()


class Count(_ElementQuery):
    """``x.count(elem)``."""

    def perform(self, node, inputs, outputs):
        x, elem = inputs
        values_eq = node.inputs[0].ttype.values_eq
        n = sum(1 for y in x if values_eq(y, elem))
        outputs[0][0] = np.asarray(n, dtype=config.floatX)


count = Count()


class Length(Op):
    """``len(x)`` as an int64 scalar."""

    __props__ = ()

    def make_node(self, x):
        _check_list(x)
        return Apply(self, [x], [TensorType("int64", ())()])

    def perform(self, node, inputs, outputs):
        outputs[0][0] = np.asarray(len(inputs[0]), "int64")

    def __str__(self):
        return type(self).__name__


length = Length()


class MakeList(Op):
    """``[a0, a1, ...]``: a typed list from variables of one type."""

    __props__ = ()

    def make_node(self, a):
        if not isinstance(a, (tuple, list)):
            raise TypeError("MakeList needs a list or tuple of variables, got %r" % (a,))
        elems = [e if isinstance(e, Variable) else as_tensor_variable(e) for e in a]
        if not elems:
            raise TypeError("MakeList needs at least one variable (it takes the list's type "
                            "from them)")
        if not all(e.type == elems[0].type for e in elems):
            raise TypeError("MakeList need all input variable to be of the same type.")
        return Apply(self, elems, [TypedListType(elems[0].type)()])

    def perform(self, node, inputs, outputs):
        outputs[0][0] = [_copy_value(v) for v in inputs]


make_list = MakeList()
