"""TensorType: an n-dimensional array of a given dtype, with per-dimension broadcastability."""
import numpy as np

from pytheano._core.graph import Variable
from pytheano.configparser import config
from pytheano.graph.type import Type
from pytheano.scalar.basic import all_types, get_scalar_type, upcast

_NAMED_PATTERNS = {(): "scalar", (False,): "vector", (False, True): "col",
                   (True, False): "row", (False, False): "matrix"}


class TensorType(Type):
    """The type of a tensor variable: ``dtype`` and ``broadcastable`` (one bool per dim:
    True means the dimension is known to be 1 and broadcasts)."""

    filter_checks_isfinite = False
    # Filled in by the modules above this one (tensor/var.py, tensor/basic.py), which define
    # the variable classes and the Rebroadcast op that these need.
    Variable = None
    Constant = None
    broadcast_view = None  # broadcast_view(var, broadcastable): var with that pattern

    def __init__(self, dtype, broadcastable, name=None, sparse_grad=False):
        if dtype == "floatX":
            dtype = config.floatX
        self.dtype = _normalized_dtype(dtype)
        self.broadcastable = tuple([bool(b) for b in broadcastable])
        self.name = name
        self.sparse_grad = sparse_grad
        self.numpy_dtype = _NUMPY_DTYPES[self.dtype]
        self.ndim = len(self.broadcastable)
        # (type_num, ndim, broadcastable dims): lets the Cython call path accept an exactly
        # matching ndarray without calling filter.
        self.fast_filter_signature = (self.numpy_dtype.num, self.ndim,
                                      tuple(i for i, b in enumerate(self.broadcastable) if b))

    def clone(self, dtype=None, broadcastable=None):
        return TensorType(self.dtype if dtype is None else dtype,
                          self.broadcastable if broadcastable is None else broadcastable)

    # ---------------------------------------------------------------- filtering

    def filter(self, data, strict=False, allow_downcast=None):
        """``data`` as an ndarray of this type; TypeError (Theano's wording) if that would
        lose precision, unless ``allow_downcast``."""
        if isinstance(data, Variable):
            raise TypeError(
                "Expected an array-like object, but found a Variable: maybe you are trying to "
                "call a function on a (possibly shared) variable instead of a numeric array?")
        if data is None:
            raise TypeError("%s cannot hold None: pass a number or an array%s."
                            % (self, "" if self.ndim == 0 else " of %d dimensions" % self.ndim),
                            data)
        if type(data) is np.ndarray and data.dtype == self.numpy_dtype:
            pass
        elif type(data) is np.memmap and data.dtype == self.numpy_dtype:
            pass
        elif strict:
            if not isinstance(data, np.ndarray):
                raise TypeError("%s expected a ndarray object." % self, data, type(data))
            raise TypeError("%s expected a ndarray object with dtype = %s (got %s)."
                            % (self, self.numpy_dtype, data.dtype))
        elif allow_downcast:
            try:
                data = np.asarray(data, dtype=self.dtype)
            except OverflowError:
                # Theano 1.0 compat: numpy 1.x wrapped out-of-range Python ints when
                # downcasting (2**20 into int16 is 0); numpy 2 refuses, so cast explicitly.
                data = np.asarray(data).astype(self.dtype)
        elif isinstance(data, np.ndarray):
            if data.dtype.kind in "OSUV":
                raise TypeError("%s cannot hold an array of dtype %s: it holds numbers."
                                % (self, data.dtype), data)
            if upcast(self.dtype, data.dtype) != self.dtype:
                raise TypeError(
                    "%s cannot store a value of dtype %s without risking loss of precision. "
                    "If you do not mind this loss, you can: 1) explicitly cast your data to "
                    "%s, or 2) set \"allow_input_downcast=True\" when calling \"function\"."
                    % (self, data.dtype, self.dtype), data)
            data = np.asarray(data, dtype=self.dtype)
        elif allow_downcast is None and type(data) is float and self.dtype == config.floatX:
            # Python float literals may always go to floatX, even float32 (Theano rule).
            data = np.asarray(data, dtype=self.dtype)
        else:
            converted = _asarray_or_none(data, self.dtype)
            original = _asarray_or_none(data, None)
            if (converted is not None and original is not None
                    and original.dtype != object and self.values_eq(original, converted,
                                                                     force_same_dtype=False)):
                data = converted
            else:
                if converted is None:
                    _raise_conversion_error(self, data)
                str_data = str(data)
                if len(str_data) > 80:
                    str_data = str_data[:75] + "(...)"
                raise TypeError(
                    "%s cannot store accurately value %s, it would be represented as %s. If "
                    "you do not mind this precision loss, you can: 1) explicitly convert your "
                    "data to a numpy array of dtype %s, or 2) set \"allow_input_downcast=True"
                    "\" when calling \"function\"." % (self, str_data, converted, self.dtype),
                    data)
        if self.ndim != data.ndim:
            raise TypeError("Wrong number of dimensions: expected %s, got %s with shape %s."
                            % (self.ndim, data.ndim, data.shape))
        if not data.flags.aligned:
            data = np.array(data)
        for i, b in enumerate(self.broadcastable):
            if b and data.shape[i] != 1:
                raise TypeError("Non-unit value on shape on a broadcastable dimension.",
                                data.shape, self.broadcastable)
        if self.filter_checks_isfinite and not np.all(np.isfinite(data)):
            raise ValueError("non-finite elements not allowed")
        return data

    def convert_variable(self, var):
        if var.type == self:
            return var
        t = var.type
        if (isinstance(t, TensorType) and t.dtype == self.dtype and t.ndim == self.ndim
                and all(sb == ob or ob for sb, ob in zip(self.broadcastable, t.broadcastable))):
            # var is more specific (broadcastable where self is not): a free view.
            return self.broadcast_view(var, self.broadcastable)
        return None

    def is_super(self, otype):
        return (isinstance(otype, TensorType) and otype.dtype == self.dtype
                and otype.ndim == self.ndim
                and all(sb == ob or ob for sb, ob in zip(self.broadcastable, otype.broadcastable)))

    @staticmethod
    def values_eq(a, b, force_same_dtype=True):
        if a.shape != b.shape:
            return False
        if force_same_dtype and a.dtype != b.dtype:
            return False
        a_eq_b = a == b
        r = np.all(a_eq_b)
        if r:
            return True
        a_missing = np.isnan(a) if a.dtype.kind in "fc" else False
        b_missing = np.isnan(b) if b.dtype.kind in "fc" else False
        return bool(np.all(a_eq_b | (a_missing & b_missing)))

    @staticmethod
    def values_eq_approx(a, b, allow_remove_inf=False, allow_remove_nan=False, rtol=None,
                         atol=None):
        if not isinstance(a, np.ndarray) or not isinstance(b, np.ndarray):
            return False
        if a.shape != b.shape:
            return False
        if a.dtype.kind in "biu" and b.dtype.kind in "biu":
            return bool(np.all(a == b))
        tol = {"float16": (5e-3, 1e-2), "float32": (1e-5, 1e-3)}.get(
            str(np.result_type(a, b)), (1e-8, 1e-5))
        atol = tol[0] if atol is None else atol
        rtol = tol[1] if rtol is None else rtol
        close = np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=True)
        if a.dtype.kind in "fc":
            # where a has an inf (a nan), any value of b is accepted when asked
            if allow_remove_inf:
                close |= np.isinf(a)
            if allow_remove_nan:
                close |= np.isnan(a)
        return bool(np.all(close))

    def may_share_memory(self, a, b):
        if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
            return np.may_share_memory(a, b)
        return False

    # ---------------------------------------------------------------- identity

    def __eq__(self, other):
        return (type(self) is type(other) and other.dtype == self.dtype
                and other.broadcastable == self.broadcastable)

    def __hash__(self):
        return hash((type(self), self.dtype, self.broadcastable))

    def __str__(self):
        if self.name:
            return self.name
        b = self.broadcastable
        named = _NAMED_PATTERNS.get(b)
        if named is None:
            named = str(b) if any(b) else "%iD" % len(b)
        return "TensorType(%s, %s)" % (self.dtype, named)

    def __repr__(self):
        return str(self)

    def dtype_specs(self):
        return (self.numpy_dtype.type,)

    def to_scalar_type(self):
        return get_scalar_type(self.dtype)

    def make_variable(self, name=None):
        return self.Variable(self, None, None, name)

    def make_constant(self, value, name=None):
        return self.Constant(self, value, name=name)

    def value_zeros(self, shape):
        return np.zeros(shape, dtype=self.dtype)

    def get_shape_info(self, obj):
        return obj.shape

    def get_size(self, shape_info):
        return int(np.prod(shape_info)) * self.numpy_dtype.itemsize if shape_info else \
            self.numpy_dtype.itemsize


_NUMPY_DTYPES = {d: np.dtype(d) for d in all_types}


def _normalized_dtype(dtype):
    """'float32' for 'float32', np.float32, np.dtype('float32'), ...; TypeError if unknown.
    (Types are built for every node: the common case is one dict lookup.)"""
    if type(dtype) is str and dtype in _NUMPY_DTYPES:
        return dtype
    try:
        name = "bool" if str(dtype) == "bool" else str(np.dtype(dtype))
    except TypeError:
        name = str(dtype)
    if name not in _NUMPY_DTYPES:
        raise TypeError("Unsupported dtype for TensorType: %s (supported: %s)"
                        % (dtype, ", ".join(all_types)))
    return name


def _raise_conversion_error(ttype, data):
    """Why ``data`` is no array of ``ttype``: numpy's own error first, as Theano 1.0 raised it
    (ValueError "could not convert string to float: 'abc'"), then what pytheano knows."""
    explanation = "%s cannot convert %r (of type %s) to an array." % (
        ttype, data, type(data).__name__)
    try:
        np.asarray(data, dtype=ttype.dtype)
    except ValueError as e:
        # Theano 1.0 compat: numpy's ValueError and its words, then ours.
        raise ValueError("%s\n%s" % (e, explanation)) from None
    except OverflowError:
        # Theano 1.0 (numpy < 1.24) wrapped the integer around, then refused the lossy value.
        try:
            wrapped = np.asarray(data).astype(ttype.dtype)
        except (TypeError, ValueError, OverflowError):
            wrapped = "something else"
        raise TypeError(
            "%s cannot store accurately value %s, it would be represented as %s. If you do "
            "not mind this precision loss, you can: 1) explicitly convert your data to a numpy "
            "array of dtype %s, or 2) set \"allow_input_downcast=True\" when calling "
            "\"function\"." % (ttype, data, wrapped, ttype.dtype), data) from None
    except TypeError:
        pass
    raise TypeError(explanation, data)


def _asarray_or_none(data, dtype):
    try:
        return np.asarray(data, dtype=dtype)
    except (TypeError, ValueError, OverflowError):
        return None


# Theano 1.0 compat: the comparisons a rewrite may set as ``tag.values_eq_approx`` of an
# output it makes (one that may turn an inf or a nan into a number).
def values_eq_approx_remove_inf(a, b):
    return TensorType.values_eq_approx(a, b, allow_remove_inf=True)


def values_eq_approx_remove_nan(a, b):
    return TensorType.values_eq_approx(a, b, allow_remove_nan=True)


def values_eq_approx_remove_inf_nan(a, b):
    return TensorType.values_eq_approx(a, b, allow_remove_inf=True, allow_remove_nan=True)
