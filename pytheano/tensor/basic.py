"""Tensor constructors, constants and conversion: the entry points that turn Python values
and scalars into tensor variables."""
import numbers

import numpy as np

from pytheano._core.graph import Apply, Constant, Variable, user_location
from pytheano._core.view_thunk import (RebroadcastThunk, ScalarFromTensorThunk,
                                       TensorFromScalarThunk)
from pytheano import configdefaults  # noqa: F401  (declares tensor.cmp_sloppy, read at import)
from pytheano.configparser import config
from pytheano.graph.grad_types import DisconnectedType
from pytheano.graph.op import Op
from pytheano.graph.printing import FunctionPrinter, pprint
from pytheano.link.c.array import ArrayC
from pytheano.scalar import basic as scal
from pytheano.scalar.kernel import C_TYPES
from pytheano.tensor.type import TensorType


class AsTensorError(TypeError):
    """A value cannot be turned into a tensor variable."""


class NotScalarConstantError(Exception):
    """The variable's value is not a compile-time scalar constant."""


class EmptyConstantError(NotScalarConstantError):
    """get_scalar_constant_value was given a constant with no elements (Theano 1.0)."""


# --------------------------------------------------------------------------- constants

def constant(x, name=None, ndim=None, dtype=None):
    """A TensorConstant holding ``x``; Python numbers get Theano's smallest exact dtype
    (``constant(1)`` is int8, ``constant(1.5)`` float32, ``constant(0.1)`` floatX-or-float64).
    """
    x_ = scal.convert(x, dtype=dtype)
    bcastable = [d == 1 for d in x_.shape]
    if ndim is not None:
        if len(bcastable) < ndim:
            bcastable = [True] * (ndim - len(bcastable)) + bcastable
        elif len(bcastable) > ndim:
            raise ValueError("ndarray could not be cast to constant with %i dimensions" % ndim)
        x_ = x_.reshape([1] * (ndim - x_.ndim) + list(x_.shape))
    ttype = TensorType(dtype=str(x_.dtype), broadcastable=bcastable)
    if name is not None or x_.size != 1 or x_.dtype.kind not in "iuf":
        return ttype.Constant(ttype, x_, name=name)
    # Small numbers are cached, as in Theano: the 1 of every `x + 1` is one object, so
    # graphs share it (and debugprint ids match Theano's). Keyed by the bytes: -0.0 == 0.0
    # but is another constant (x + -0.0 keeps x's sign), and a nan equals no key.
    key = (ttype, x_.tobytes())
    cached = _constant_cache.get(key)
    if cached is None:
        cached = ttype.Constant(ttype, x_)
        if -10 <= x_.item() <= 10 and len(_constant_cache) < 10000:
            _constant_cache[key] = cached
            # Theano's flag; a shared constant takes no rewrite's source line (it would
            # carry it into every graph built after).
            cached.cached = True
    return cached


_constant_cache = {}


def as_tensor_variable(x, name=None, ndim=None):
    """``x`` (a variable, an Apply, a number, a list, an array) as a TensorVariable."""
    if hasattr(x, "_as_TensorVariable"):
        return x._as_TensorVariable()
    if isinstance(x, Apply):
        x = x.default_output()
    if isinstance(x, Variable):
        if isinstance(x.type, scal.ScalarType):
            x = tensor_from_scalar(x)
        if not isinstance(x.type, TensorType):
            raise AsTensorError("Tensor type field must be a TensorType; found %s."
                                % type(x.type))
        if ndim is None:
            return x
        if x.type.ndim > ndim:
            # Drop leading broadcastable dims to reach ndim.
            first_non_broadcastable = [idx for idx in range(x.ndim)
                                       if not x.broadcastable[idx]]
            if first_non_broadcastable and first_non_broadcastable[0] < x.ndim - ndim:
                raise ValueError("TensorType could not be cast to have %i dimensions" % ndim,
                                 x.type)
            return x.dimshuffle(list(range(x.ndim - ndim, x.ndim)))
        if x.type.ndim < ndim:
            return x.dimshuffle(["x"] * (ndim - x.type.ndim) + list(range(x.type.ndim)))
        return x
    if isinstance(x, (bool, np.bool_)):
        raise AsTensorError(
            "Cannot cast True or False as a tensor variable. Please use np.array(True) or "
            "np.array(False) if you need these constants. This error might be caused by using "
            "the == operator on Variables. v == w does not do what you think it does, use "
            "theano.tensor.eq(v, w) instead.")
    if isinstance(x, (tuple, list)) and any(isinstance(xi, Variable) for xi in _flat(x)):
        # A list holding variables is stacked (``stack`` is defined above, in tensor/join.py).
        return _stack([as_tensor_variable(xi) for xi in x])
    try:
        return constant(x, name=name, ndim=ndim)
    except TypeError:
        raise AsTensorError("Cannot convert %s to TensorType" % (x,), type(x)) from None
    except ValueError as e:
        if not isinstance(x, (list, tuple)):
            raise
        # A ragged list: numpy >= 1.24 refuses it with ValueError, Theano 1.0 (through an
        # object array) with AsTensorError.
        raise AsTensorError("Cannot convert %s to TensorType\n%s" % (x, e), type(x)) from None


as_tensor = as_tensor_variable


def _stack(tensors):
    raise NotImplementedError("pytheano.tensor.join is not imported")


def register_stack(fn):
    """tensor/join.py gives ``stack`` here, for as_tensor_variable of lists of variables."""
    global _stack
    _stack = fn
    return fn


def _flat(seq):
    for item in seq:
        if isinstance(item, (list, tuple)):
            yield from _flat(item)
        else:
            yield item


def get_scalar_constant_value(v, elemwise=True, only_process_constants=False,
                              max_recur=10):
    """The number ``v`` always evaluates to, following casts, fills and shape lookups of
    constants; NotScalarConstantError if it is not a constant."""
    if v is None:
        raise NotScalarConstantError()
    if isinstance(v, (np.integer, numbers.Number, np.ndarray, np.bool_)):
        data = np.asarray(v)
        if data.size == 1 or data.ndim == 0:
            return data.reshape(())
        if data.size == 0:
            raise EmptyConstantError(v)
        if np.all(data == data.flat[0]):
            return data.flat[0]
        raise NotScalarConstantError(v)
    if isinstance(v, Constant):
        data = v.data
        if isinstance(data, np.ndarray):
            if data.size and np.all(data.ravel() == data.flat[0]):
                return np.asarray(data.flat[0])
            raise NotScalarConstantError(v)
        return np.asarray(data)
    if only_process_constants or v.owner is None or max_recur <= 0:
        raise NotScalarConstantError(v)
    op = v.owner.op
    rule = getattr(op, "constant_value", None)
    if rule is not None:
        return rule(v.owner, v, elemwise=elemwise, max_recur=max_recur - 1)
    raise NotScalarConstantError(v)


def extract_constant(x, elemwise=True, only_process_constants=False):
    """Theano 1.0: the constant value of ``x`` (a 0-d array, a copy) when it has one, else
    ``x`` itself, a scalar variable made a tensor (undoing a ScalarFromTensor)."""
    try:
        x = get_scalar_constant_value(x, elemwise, only_process_constants)
    except NotScalarConstantError:
        pass
    if isinstance(x, scal.ScalarVariable):
        if x.owner is not None and isinstance(x.owner.op, ScalarFromTensor):
            return x.owner.inputs[0]
        return tensor_from_scalar(x)
    return x


# --------------------------------------------------------------------------- constructors

def tensor(dtype=None, broadcastable=None, name=None):
    """A new input tensor variable: ``T.tensor('float32', (False, True), 'x')``."""
    if isinstance(dtype, (list, tuple)) and broadcastable is None:
        dtype, broadcastable = None, dtype
    if dtype is None:
        dtype = config.floatX
    v = TensorType(dtype, broadcastable)(name)
    v.creation_site = user_location()
    return v


def _make_constructor(pattern, doc_name):
    def constructor(name=None, dtype=None):
        if dtype is None:
            dtype = config.floatX
        return TensorType(dtype, pattern)(name)

    constructor.__name__ = doc_name
    constructor.__doc__ = "A %s variable (dtype floatX unless ``dtype`` is given)." % doc_name
    return constructor


def _make_plural(single, doc_name):
    # Theano 1.0 compat (tensor.basic._multi): an int n gives a list of n unnamed variables;
    # one argument is iterated (``scalars('xy')`` is x and y, ``scalars(['a', 'b'])`` a and
    # b); several arguments are the names; and one name left over gives the variable itself,
    # not a list (``scalars('x')`` is x). No ``dtype``: Theano's plurals take none.
    def constructor(*names):
        if names and isinstance(names[0], int):
            return [single() for _ in range(names[0])]
        if len(names) == 1:
            names = names[0]
        if len(names) == 1:
            return single(names)
        return [single(n) for n in names]

    constructor.__name__ = doc_name
    constructor.__doc__ = ("Several %s variables: ``%s('xy')``, ``%s('x', 'y')`` or ``%s(2)``."
                           % (doc_name[:-1], doc_name, doc_name, doc_name))
    return constructor


_PATTERNS = {
    "scalar": (), "vector": (False,), "row": (True, False), "col": (False, True),
    "matrix": (False, False), "tensor3": (False,) * 3, "tensor4": (False,) * 4,
    "tensor5": (False,) * 5, "tensor6": (False,) * 6, "tensor7": (False,) * 7,
}
_PLURALS = {"scalar": "scalars", "vector": "vectors", "row": "rows", "col": "cols",
            "matrix": "matrices", "tensor3": "tensor3s", "tensor4": "tensor4s",
            "tensor5": "tensor5s", "tensor6": "tensor6s", "tensor7": "tensor7s"}
_PREFIXES = {"b": "int8", "w": "int16", "i": "int32", "l": "int64", "f": "float32",
             "d": "float64", "c": "complex64", "z": "complex128"}
# Theano 1.0 has plurals for these prefixes only (no bscalars, wvectors, cmatrices, ...).
_PLURAL_PREFIXES = "ilfd"


# Theano 1.0's lists of dtype names.
complex_dtypes = list(scal.complex_types)
continuous_dtypes = list(scal.continuous_types)
float_dtypes = list(scal.float_types)
integer_dtypes = list(scal.integer_types)
discrete_dtypes = list(scal.discrete_types)
all_dtypes = list(scal.all_types)
int_dtypes = list(scal.int_types)
uint_dtypes = list(scal.uint_types)

__all__ = ["complex_dtypes", "continuous_dtypes", "float_dtypes", "integer_dtypes",
           "discrete_dtypes", "all_dtypes", "int_dtypes", "uint_dtypes",
           "AsTensorError", "constant", "as_tensor_variable", "as_tensor", "tensor", "TensorType",
           "get_scalar_constant_value",
           "NotScalarConstantError", "EmptyConstantError", "extract_constant", "scalar_from_tensor",
           "tensor_from_scalar", "patternbroadcast", "addbroadcast", "unbroadcast", "Rebroadcast",
           "TensorFromScalar", "ScalarFromTensor", "Alloc", "alloc", "alloc_validate_shape",
           "Default", "default", "setdefault"]

# The floatX constructors (``T.matrix``) are functions; the prefixed ones (``T.dmatrix``) are
# TensorType instances, as in Theano ("dscalar is a type"): calling one makes a variable.
for _kind, _pattern in _PATTERNS.items():
    _generic = _make_constructor(_pattern, _kind)
    globals()[_kind] = _generic
    globals()[_PLURALS[_kind]] = _make_plural(_generic, _PLURALS[_kind])
    __all__ += [_kind, _PLURALS[_kind]]
    for _prefix, _dtype in _PREFIXES.items():
        _ttype = TensorType(_dtype, _pattern)
        globals()[_prefix + _kind] = _ttype
        __all__.append(_prefix + _kind)
        if _prefix in _PLURAL_PREFIXES:
            globals()[_prefix + _PLURALS[_kind]] = _make_plural(_ttype, _prefix + _PLURALS[_kind])
            __all__.append(_prefix + _PLURALS[_kind])


# --------------------------------------------------------------------------- scalar <-> tensor

class TensorFromScalar(Op):
    """A 0-d tensor from a scalar variable."""

    __props__ = ()

    def make_node(self, s):
        if not isinstance(s.type, scal.ScalarType):
            raise TypeError("TensorFromScalar expects a scalar, got %s" % (s.type,))
        return Apply(self, [s], [TensorType(s.type.dtype, ())()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = np.asarray(inputs[0], dtype=node.outputs[0].type.dtype)

    def infer_shape(self, fgraph, node, shapes):
        return [()]

    def grad(self, inputs, output_grads):
        s, = inputs
        if s.type.dtype in scal.discrete_types:
            # the output is integer too: its gradient is zero, in floatX as grad wants floats
            return [s.zeros_like(config.floatX)]
        return [scalar_from_tensor(output_grads[0])]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return [tensor_from_scalar(eval_points[0])]

    def c_thunk(self, node):
        """The C backend's thunk: a numpy scalar of the dtype into a 0-d array."""
        return TensorFromScalarThunk, ()


class ScalarFromTensor(Op):
    """The scalar held by a 0-d tensor."""

    __props__ = ()

    def make_node(self, t):
        t = as_tensor_variable(t)
        if t.type.ndim != 0:
            raise TypeError("ScalarFromTensor expects a 0-d tensor, got %s" % (t.type,))
        return Apply(self, [t], [scal.get_scalar_type(t.type.dtype)()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = inputs[0][()]

    def infer_shape(self, fgraph, node, shapes):
        return [()]

    def grad(self, inputs, output_grads):
        return [tensor_from_scalar(output_grads[0])]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return [scalar_from_tensor(eval_points[0])]

    def constant_value(self, node, v, elemwise, max_recur):
        return get_scalar_constant_value(node.inputs[0], elemwise, max_recur=max_recur)

    def c_thunk(self, node):
        """The C backend's thunk: the 0-d array's numpy scalar."""
        return ScalarFromTensorThunk, ()


tensor_from_scalar = TensorFromScalar()
scalar_from_tensor = ScalarFromTensor()
# scal.as_scalar of a 0-d tensor variable (the scalar layer never imports tensor).
scal.register_scalar_converter(TensorType, scalar_from_tensor)


# --------------------------------------------------------------------------- broadcastability

class Rebroadcast(Op):
    """Change the broadcastable flags of some dimensions, checking the sizes at run time."""

    view_map = {0: [0]}
    __props__ = ("axis",)

    def __init__(self, *axis):
        # axis: pairs (dim, broadcastable), kept sorted for a canonical op.
        self.axis = tuple(sorted((int(k), bool(v)) for k, v in dict(axis).items()))

    def __str__(self):
        pattern = ["?"] * (1 + max(k for k, _ in self.axis)) if self.axis else []
        for k, v in self.axis:
            pattern[k] = str(int(v))
        return "Rebroadcast{%s}" % ",".join(pattern)

    def make_node(self, x):
        x = as_tensor_variable(x)
        bcast = list(x.broadcastable)
        for k, v in self.axis:
            if k >= x.ndim:
                raise ValueError("Trying to rebroadcast non-existent dimension %d of %s"
                                 % (k, x))
            bcast[k] = v
        return Apply(self, [x], [TensorType(x.dtype, bcast)()])

    def perform(self, node, inputs, output_storage):
        x = inputs[0]
        for k, v in self.axis:
            if v and x.shape[k] != 1:
                raise ValueError("Dimension %s in Rebroadcast's input was supposed to be 1 "
                                 "(got %s instead)" % (k, x.shape[k]))
        output_storage[0][0] = x

    def infer_shape(self, fgraph, node, shapes):
        shape = list(shapes[0])
        for k, v in self.axis:
            if v:
                shape[k] = 1
        return [tuple(shape)]

    def c_thunk(self, node):
        """The C backend's thunk: the lengths checked in C, the input passed on."""
        return RebroadcastThunk, ([k for k, v in self.axis if v],)

    def grad(self, inputs, output_grads):
        x, = inputs
        gz, = output_grads
        return [Rebroadcast(*[(k, x.broadcastable[k]) for k, _ in self.axis])(gz)]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return self(*eval_points, return_list=True)


def _rebroadcast(x, changes):
    """Rebroadcast(*changes)(x), folded as Theano 1.0 does at build time: a Rebroadcast of a
    Rebroadcast is one (the outer flags win) and flags that change nothing are dropped, so
    ``unbroadcast(addbroadcast(x, 0), 0) is x``."""
    x = as_tensor_variable(x)
    flags = {}
    for k, v in changes:
        if not -x.ndim <= k < x.ndim:
            raise ValueError("Trying to rebroadcast non-existent dimension %d of %s" % (k, x))
        flags[int(k) % x.ndim] = bool(v)
    while x.owner is not None and isinstance(x.owner.op, Rebroadcast):
        flags = {**dict(x.owner.op.axis), **flags}
        x = x.owner.inputs[0]
    useful = [(k, v) for k, v in sorted(flags.items()) if x.broadcastable[k] != v]
    return Rebroadcast(*useful)(x) if useful else x


def patternbroadcast(x, broadcastable):
    """``x`` with exactly the given broadcastable pattern (a no-op when it already has it)."""
    return _rebroadcast(x, enumerate(broadcastable))


def addbroadcast(x, *axes):
    """Mark ``axes`` of ``x`` broadcastable (their size must be 1 at run time)."""
    return _rebroadcast(x, [(a, True) for a in axes])


def unbroadcast(x, *axes):
    """Mark ``axes`` of ``x`` not broadcastable."""
    return _rebroadcast(x, [(a, False) for a in axes])



# --------------------------------------------------------------------------- Alloc

def alloc_validate_shape(shape):
    """The shape entries as int scalar tensors, and the output broadcastable pattern (True
    where an entry is the constant 1)."""
    sh = [as_tensor_variable(s) for s in shape]
    bcast = []
    for i, s in enumerate(sh):
        if s.type.dtype not in scal.integer_types:
            raise TypeError("Shape arguments to Alloc must be integers, but argument %s is not "
                            "for apply node: %s" % (i, s))
        if s.ndim != 0:
            raise TypeError("Each shape dimension to Alloc must be a scalar, but dimension %s "
                            "have %d dimensions for apply node: %s" % (i, s.ndim, s))
        try:
            const_shp = get_scalar_constant_value(s)
        except NotScalarConstantError:
            const_shp = None
        bcast.append(bool(const_shp is not None and const_shp == 1))
    return sh, bcast


class Alloc(Op):
    """A tensor of the given shape filled with ``value`` (broadcast over it):
    ``alloc(value, *shape)``. The result has ``value``'s dtype."""

    __props__ = ()

    def make_node(self, value, *shape):
        v = as_tensor_variable(value)
        sh, bcast = alloc_validate_shape(shape)
        if v.ndim > len(sh):
            raise TypeError("The Alloc value to use has more dimensions than the specified "
                            "dimensions", v.ndim, len(sh))
        return Apply(self, [v] + sh, [TensorType(v.type.dtype, bcast)()])

    def perform(self, node, inputs, output_storage):
        v = inputs[0]
        sh = tuple(int(i) for i in inputs[1:])
        if v.size == 1 and v.item() == 0:
            out = np.zeros(sh, dtype=v.dtype)
        else:
            out = np.empty(sh, dtype=v.dtype)
            out[...] = v
        output_storage[0][0] = out

    def infer_shape(self, fgraph, node, input_shapes):
        return [tuple(node.inputs[1:])]

    def c_code_node(self, node):
        """The C filling the output (shaped by the shape inputs' values, in the thunk) with
        the value broadcast over it; a value that does not broadcast: perform raises."""
        dtypes = [v.type.dtype for v in node.inputs + node.outputs]
        if any(d not in C_TYPES for d in dtypes):
            return None
        vdim, ndim = node.inputs[0].type.ndim, node.outputs[0].type.ndim
        lines = []
        for d in range(ndim):
            e = d - (ndim - vdim)  # the value's dimension under output dimension d
            if e < 0:
                lines.append("  const int64_t vs%d = 0;" % d)
            else:
                lines.append("  if (v_n%d != 1 && v_n%d != out_n%d) return 1;" % (e, e, d))
                lines.append("  const int64_t vs%d = v_n%d == 1 ? 0 : v_s%d;" % (d, e, e))
        for d in range(ndim):
            lines.append("  %sfor (int64_t i%d = 0; i%d < out_n%d; i%d++)"
                         % ("  " * d, d, d, d, d))
        at = " + ".join(["0"] + ["i%d * out_s%d" % (d, d) for d in range(ndim)])
        v_at = " + ".join(["0"] + ["i%d * vs%d" % (d, d) for d in range(ndim)])
        lines.append("  %s  out[%s] = v[%s];" % ("  " * ndim, at, v_at))
        lines.append("  return 0;")
        names = ["v"] + ["n%d" % k for k in range(1, len(node.inputs))] + ["out"]
        return ArrayC("\n".join(lines) + "\n", names, [C_TYPES[d] for d in dtypes],
                      dtypes[:-1], dtypes[-1:], [v.type.ndim for v in node.inputs + node.outputs],
                      [[(k, -1) for k in range(1, len(node.inputs))]])

    def connection_pattern(self, node):
        return [[True]] + [[False] for _ in node.inputs[1:]]

    def grad(self, inputs, output_grads):
        x = inputs[0]
        gz = output_grads[0]
        n_axes_to_sum = gz.ndim - x.ndim
        # The dimensions alloc added, then those x broadcast along.
        axis = list(range(n_axes_to_sum))
        axis_broadcasted = []
        axis_kept = []
        for i, (ib, gb) in enumerate(zip(x.broadcastable,
                                         gz.broadcastable[gz.ndim - x.ndim:])):
            if ib and not gb:
                axis_broadcasted.append(i + n_axes_to_sum)
            else:
                axis_kept.append(i)
        gx = gz.sum(axis=axis + axis_broadcasted) if axis + axis_broadcasted else gz
        if axis_broadcasted:
            new_order = ["x"] * x.ndim
            for idx, ax in enumerate(axis_kept):
                new_order[ax] = idx
            gx = gx.dimshuffle(new_order)
        # The elements do not depend on the shape inputs: growing the shape keeps them.
        return [gx] + [DisconnectedType()() for _ in inputs[1:]]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return self(eval_points[0], *inputs[1:], return_list=True)

    def do_constant_folding(self, fgraph, node):
        clients = fgraph.clients.get(node.outputs[0]) if fgraph is not None else None
        if not clients:
            return False
        for client, i in clients:
            if client == "output":
                # A folded output would have to be copied at every call.
                return False
            # A reader that writes into the buffer in place needs a fresh one at every
            # call: a folded constant would be copied each time anyway.
            destroyed = [j for js in getattr(client.op, "destroy_map", {}).values() for j in js]
            if i in destroyed:
                return False
        return True

    def constant_value(self, node, v, elemwise, max_recur):
        return get_scalar_constant_value(node.inputs[0], elemwise, max_recur=max_recur)


alloc = Alloc()


pprint.assign(Alloc, FunctionPrinter("alloc"))


class Default(Op):
    """``default(x, d)``: x, or a copy of d when x's value is None (Theano 1.0's; both of
    one type)."""

    view_map = {0: [0]}
    __props__ = ()

    def make_node(self, x, default):
        x, default = as_tensor_variable(x), as_tensor_variable(default)
        if x.type != default.type:
            raise TypeError("Both default() arguments must have same type", x, default)
        return Apply(self, [x, default], [default.type()])

    def perform(self, node, inputs, output_storage):
        x, default = inputs
        # A copy of the default: the output may only be declared a view of x.
        output_storage[0][0] = default.copy() if x is None else x


default = Default()
setdefault = default  # Theano 1.0 compat: the legacy name

TensorType.broadcast_view = staticmethod(patternbroadcast)


# Theano 1.0's test tolerances per dtype, set at import from config.tensor.cmp_sloppy. They
# are module globals because Theano's tests set them around a check (float32_atol = ...).
_TOLERANCES = {
    2: ((1e-2, 5e-2), (5e-4, 1e-3), (1e-3, 1e-4)),
    1: ((5e-3, 1e-2), (1e-4, 1e-3), (1e-3, 1e-4)),
    0: ((1e-3, 1e-3), (1e-5, 1e-5), (1e-8, 1e-5)),
}[min(int(config.tensor.cmp_sloppy), 2)]
(float16_atol, float16_rtol), (float32_atol, float32_rtol), (float64_atol, float64_rtol) = \
    _TOLERANCES


def _get_atol_rtol(a, b):
    """(atol, rtol) for comparing arrays of a's and b's dtypes: the module's float*_atol /
    float*_rtol for the narrowest float dtype of the two."""
    dtypes = (str(a.dtype), str(b.dtype))
    if "float16" in dtypes:
        return float16_atol, float16_rtol
    if any(d in ("float32", "complex64") for d in dtypes):
        return float32_atol, float32_rtol
    return float64_atol, float64_rtol


def _allclose(a, b, rtol=None, atol=None):
    """``np.allclose`` with Theano's dtype-dependent default tolerances."""
    a = np.asarray(a)
    b = np.asarray(b)
    atol_, rtol_ = _get_atol_rtol(a, b)
    return np.allclose(a, b, atol=atol_ if atol is None else atol,
                       rtol=rtol_ if rtol is None else rtol)
