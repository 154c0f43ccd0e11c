"""Theano 1.0's ``theano.compat``: the Python 2/3 names Theano code imports
(``from theano.compat import izip, PY3``). pytheano runs on Python 3 only."""
import configparser  # noqa: F401
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, MutableMapping as DictMixin, ValuesView  # noqa: F401
from importlib import reload  # noqa: F401
from io import BytesIO  # noqa: F401
from operator import truediv as operator_div  # noqa: F401

PY3 = True
izip = zip
imap = map
ifilter = filter
next = next


def b(s):
    return s.encode("latin-1")


def exc_message(e):
    """The message of ``e``, unwrapping exceptions re-raised inside another's args."""
    msg = e.args[0]
    if isinstance(msg, Exception):
        return exc_message(msg)
    return msg


def cmp(x, y):
    """-1 if x < y, 0 if x == y, 1 if x > y."""
    return (x > y) - (x < y)


def get_unbound_function(unbound):
    return getattr(unbound, "__func__", unbound)


def decode(x):
    return x.decode()


def decode_iter(itr):
    for x in itr:
        yield x.decode()


def decode_with(x, encoding):
    return x.decode(encoding)


class DefaultOrderedDict(OrderedDict):
    """An OrderedDict with a ``default_factory``, as collections.defaultdict."""

    def __init__(self, default_factory=None, *a, **kw):
        if default_factory is not None and not isinstance(default_factory, Callable):
            raise TypeError("first argument must be callable")
        OrderedDict.__init__(self, *a, **kw)
        self.default_factory = default_factory

    def __missing__(self, key):
        if self.default_factory is None:
            raise KeyError(key)
        self[key] = value = self.default_factory()
        return value

    def __reduce__(self):
        args = () if self.default_factory is None else (self.default_factory,)
        return type(self), args, None, None, iter(list(self.items()))

    def copy(self):
        return self.__copy__()

    def __copy__(self):
        return type(self)(self.default_factory, self)
