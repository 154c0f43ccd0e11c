"""Shared variables: graph inputs whose value lives between calls, in a storage cell that
every function using them reads and updates; and ``shared()``, which asks the registered
constructors (tensor, random state, GPU) in turn which one holds the value.
"""
import copy

from pytheano._core.graph import Variable, user_location
from pytheano.graph.type import generic


class Container:
    """A value cell with its type: ``storage`` is the one-element list the VM reads."""

    def __init__(self, r, storage, readonly=False, strict=False, allow_downcast=None,
                 name=None):
        self.type = r.type if isinstance(r, Variable) else r
        self.name = name if name is not None else getattr(r, "name", None)
        self.storage = storage
        self.readonly = readonly
        self.strict = strict
        self.allow_downcast = allow_downcast

    def __get__(self):
        return self.storage[0]

    def __set__(self, value):
        if self.readonly:
            raise Exception("Cannot set readonly storage: %s" % self.name)
        if value is None:
            self.storage[0] = None
            return
        # Theano 1.0 compat: only the options that are set are passed, so a user Type
        # whose filter takes just the value works (gof/tests/test_link.py's TDouble)
        kwargs = {}
        if self.strict:
            kwargs["strict"] = True
        if self.allow_downcast is not None:
            kwargs["allow_downcast"] = self.allow_downcast
        self.storage[0] = self.type.filter(value, **kwargs)

    data = property(__get__, __set__)
    value = property(__get__, __set__)

    def __str__(self):
        return "<" + str(self.storage[0]) + ">"

    __repr__ = __str__

    def __deepcopy__(self, memo):
        return Container(self.type, [copy.deepcopy(self.storage[0], memo)], self.readonly,
                         self.strict, self.allow_downcast, self.name)


class SharedVariable(Variable):
    """A variable with a value kept across function calls (``theano.shared``)."""

    def __init__(self, name, type, value, strict, allow_downcast=None, container=None):
        super().__init__(type=type, owner=None, index=None, name=name)
        if container is not None:
            self.container = container
            if value is not None or strict:
                raise TypeError("value and strict are ignored if you pass a container here")
        else:
            self.container = Container(self, storage=[type.filter(value, strict=strict,
                                                                  allow_downcast=allow_downcast)],
                                       readonly=False, strict=strict,
                                       allow_downcast=allow_downcast)
        self.default_update = None

    def get_value(self, borrow=False, return_internal_type=False):
        """The current value; a copy unless ``borrow=True``."""
        if borrow:
            return self.container.value
        return copy.deepcopy(self.container.value)

    def set_value(self, new_value, borrow=False):
        """Replace the value (copied first unless ``borrow=True``)."""
        if borrow:
            self.container.value = new_value
        else:
            self.container.value = copy.deepcopy(new_value)

    def zero(self, borrow=False):
        value = self.container.value
        if borrow:
            value[...] = 0
        else:
            self.container.value = 0 * value

    def clone(self):
        cp = type(self)(name=self.name, type=self.type, value=None, strict=None,
                        container=self.container)
        cp.tag = copy.copy(self.tag)
        cp.creation_site = self.creation_site
        return cp

    @property
    def value(self):
        raise Exception("sharedvar.value does not exist anymore. Use sharedvar.get_value() "
                        "or sharedvar.set_value() instead.")


# shared() tries these constructors, most recently registered first (the GPU backend
# registers its own).
shared_constructors = []


def shared_constructor(ctor, remove=False):
    if remove:
        shared_constructors.remove(ctor)
    else:
        shared_constructors.append(ctor)
    return ctor


def shared(value, name=None, strict=False, allow_downcast=None, **kwargs):
    """A SharedVariable holding ``value`` (copied unless ``borrow=True``).

    Its type comes from the value: ``shared(0)`` is an int64 scalar, ``shared(1.0)`` a
    float64 scalar, an ndarray keeps its dtype; ``broadcastable=`` overrides the default
    (no dimension broadcastable).
    """
    if isinstance(value, Variable):
        raise TypeError("Shared variable constructor needs numeric values and not symbolic "
                        "variables.")
    for ctor in reversed(shared_constructors):
        try:
            var = ctor(value, name=name, strict=strict, allow_downcast=allow_downcast,
                       **kwargs)
        except TypeError:
            continue
        var.creation_site = user_location()
        return var
    raise TypeError("No suitable SharedVariable constructor could be found. Are you sure all "
                    "kwargs are supported? We do not support the parameter dtype or type. "
                    'value="%s". parameters="%s"' % (value, kwargs))


@shared_constructor  # registered first, so tried last
def generic_constructor(value, name=None, strict=False, allow_downcast=None):
    """Any other Python object (Theano 1.0): a SharedVariable of the generic type."""
    return SharedVariable(type=generic, value=value, name=name, strict=strict,
                          allow_downcast=allow_downcast)
