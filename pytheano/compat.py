"""Theano 1.0's ``theano.compat``: the Python 2/3 helpers Theano code imports. pytheano runs
on Python 3 only, so each name is the Python 3 one."""
import configparser  # noqa: F401
import io
import operator
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, ValuesView  # noqa: F401
from collections.abc import MutableMapping as DictMixin  # noqa: F401
from importlib import reload  # noqa: F401

__all__ = ["PY3", "b", "BytesIO", "Callable", "next", "configparser", "reload", "cmp",
           "operator_div", "DictMixin", "Iterable", "Mapping", "OrderedDict", "ValuesView",
           "decode", "decode_iter", "get_unbound_function", "imap", "izip", "ifilter",
           "DefaultOrderedDict", "exc_message", "decode_with"]

PY3 = True
BytesIO = io.BytesIO
next = next  # noqa: PLW0127  (re-exported builtin)
operator_div = operator.truediv
izip, imap, ifilter = zip, map, filter


def b(s):
    """``s`` as bytes (latin-1, as six.b)."""
    return s.encode("latin-1")


def exc_message(e):
    """The message of ``e``, unwrapping exceptions re-raised as the first argument."""
    msg = e.args[0]
    while isinstance(msg, Exception):
        msg = msg.args[0]
    return msg


def cmp(x, y):
    """-1 if x < y, 0 if x == y, 1 if x > y."""
    return (x > y) - (x < y)


def get_unbound_function(fn):
    """The function behind a bound method (``fn`` itself otherwise)."""
    return getattr(fn, "__func__", fn)


def decode(x):
    return x.decode()


def decode_iter(itr):
    for x in itr:
        yield x.decode()


def decode_with(x, encoding):
    return x.decode(encoding)


class DefaultOrderedDict(OrderedDict):
    """An OrderedDict that makes missing values with ``default_factory`` (defaultdict's rule)."""

    def __init__(self, default_factory=None, *args, **kwargs):
        if default_factory is not None and not callable(default_factory):
            raise TypeError("first argument must be callable")
        OrderedDict.__init__(self, *args, **kwargs)
        self.default_factory = default_factory

    def __missing__(self, key):
        if self.default_factory is None:
            raise KeyError(key)
        self[key] = value = self.default_factory()
        return value

    def __reduce__(self):
        args = () if self.default_factory is None else (self.default_factory,)
        return type(self), args, None, None, iter(self.items())

    def copy(self):
        return type(self)(self.default_factory, self)

    __copy__ = copy
