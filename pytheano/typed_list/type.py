"""TypedListType: the type of a Python list whose elements all have one Type."""
from pytheano.graph.type import Type


class TypedListType(Type):
    """A list of values of ``ttype``; ``depth`` > 0 nests the list that many more levels
    (``TypedListType(t, 2)`` is ``TypedListType(TypedListType(TypedListType(t)))``)."""

    def __init__(self, ttype, depth=0):
        if depth < 0:
            raise ValueError("Please specify a depth superior or equal to 0")
        if not isinstance(ttype, Type):
            raise TypeError("Expected a Theano Type, got %r" % (ttype,))
        self.ttype = ttype if depth == 0 else TypedListType(ttype, depth - 1)

    def filter(self, x, strict=False, allow_downcast=None):
        if strict:
            if not isinstance(x, list):
                raise TypeError("Expected a python list, got %s" % type(x).__name__)
            return x
        try:
            items = list(x)
        except TypeError:
            raise TypeError("Expected a python list (or an iterable), got %s"
                            % type(x).__name__) from None
        items = [self.ttype.filter(y, allow_downcast=allow_downcast) for y in items]
        if not all(self.ttype.is_valid_value(y) for y in items):
            raise TypeError("Expected all elements to be %s" % self.ttype)
        return items

    def __eq__(self, other):
        return type(self) is type(other) and self.ttype == other.ttype

    def __hash__(self):
        return hash((type(self), self.ttype))

    def __str__(self):
        return "TypedList <%s>" % self.ttype

    __repr__ = __str__

    def get_depth(self):
        """The 0-based nesting level of the list."""
        if isinstance(self.ttype, TypedListType):
            return self.ttype.get_depth() + 1
        return 0

    def values_eq(self, a, b):
        return len(a) == len(b) and all(self.ttype.values_eq(x, y) for x, y in zip(a, b))

    def values_eq_approx(self, a, b):
        return len(a) == len(b) and all(self.ttype.values_eq_approx(x, y)
                                        for x, y in zip(a, b))

    def may_share_memory(self, a, b):
        if a is b:
            return True
        # A list shares memory with whatever one of its elements shares memory with.
        a = a if isinstance(a, list) else [a]
        b = b if isinstance(b, list) else [b]
        return any(self.ttype.may_share_memory(x, y) for x in a for y in b)

    def clone(self):
        return TypedListType(self.ttype)

    dtype = property(lambda self: self.ttype)
    ndim = property(lambda self: self.ttype.ndim + 1)
