"""Type: what values a Variable may hold, and how a Python value is converted (filtered) to it."""
from pytheano._core.graph import Constant, Variable, user_location


class Type:
    """Base class of variable types (TensorType, ScalarType, ...).

    A Type is immutable and compared by value: two variables of equal types are
    interchangeable. Subclasses set ``Variable`` and ``Constant`` to the classes their
    variables use, and implement ``filter``.
    """

    Variable = Variable
    Constant = Constant

    def filter(self, data, strict=False, allow_downcast=None):
        """``data`` converted to a value of this type, or TypeError saying why not."""
        raise NotImplementedError()

    def filter_inplace(self, value, storage, strict=False, allow_downcast=None):
        return self.filter(value, strict=strict, allow_downcast=allow_downcast)

    def is_valid_value(self, data):
        try:
            self.filter(data, strict=True)
            return True
        except (TypeError, ValueError):
            return False

    def convert_variable(self, var):
        """``var`` as a variable of this type if that is free (no computation), else None."""
        if var.type == self:
            return var
        return None

    def filter_variable(self, other, allow_convert=True):
        """``other`` (a Variable or a value) as a Variable of exactly this type, or TypeError."""
        if not isinstance(other, Variable):
            other = self.Constant(type=self, data=other)
        if other.type != self and allow_convert:
            converted = self.convert_variable(other)
            if converted is not None:
                return converted
        if other.type != self:
            raise TypeError(
                "Cannot convert Type %s (of Variable %s) into Type %s. You can try to manually "
                "convert %s into a %s." % (other.type, other, self, other, self))
        return other

    def values_eq(self, a, b):
        return a == b

    def values_eq_approx(self, a, b):
        return self.values_eq(a, b)

    def may_share_memory(self, a, b):
        return a is b

    def make_variable(self, name=None):
        return self.Variable(self, None, None, name)

    def make_constant(self, value, name=None):
        return self.Constant(type=self, data=value, name=name)

    def __call__(self, name=None):
        """A new input Variable of this type (``T.dmatrix('x')``)."""
        if name is not None and not isinstance(name, str):
            # Theano 1.0 compat: its Variable refused these names (``T.scalars(['ab'])``).
            raise TypeError("name must be a string", name)
        v = self.make_variable(name)
        v.creation_site = user_location()
        return v

    def clone(self, *args, **kwargs):
        return type(self)(*args, **kwargs)


class SingletonType(Type):
    """A type without parameters: its instances are all equal and print as the class name."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    def __str__(self):
        return self.__class__.__name__

    __repr__ = __str__


class Generic(SingletonType):
    """Any Python object. Used for non-tensor plumbing (e.g. the condition of a lazy op)."""

    def filter(self, data, strict=False, allow_downcast=None):
        return data


generic = Generic()
