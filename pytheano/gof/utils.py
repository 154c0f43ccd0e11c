"""Theano 1.0's ``theano.gof.utils``: the public helpers code written for Theano imports
(``from theano.gof.utils import MethodNotDefined``). Graph helpers come from
``pytheano.graph.utils``; the small sequence helpers are kept here with Theano's semantics."""
from collections import Counter

from pytheano.errors import MethodNotDefined  # noqa: F401
from pytheano.graph.utils import MetaObject, add_tag_trace, format_site  # noqa: F401
from pytheano.tensor.utils import hash_from_code

PY3 = True
undef = object()


class object2(metaclass=MetaObject):
    __slots__ = []

    def __ne__(self, other):
        return not self == other


class scratchpad:
    """An attribute bag (Theano's ``node.tag``)."""

    def clear(self):
        self.__dict__.clear()

    def __update__(self, other):
        self.__dict__.update(other.__dict__)
        return self

    def __str__(self):
        return "scratchpad" + str(self.__dict__)

    __repr__ = __str__

    def info(self):
        print("<theano.gof.utils.scratchpad instance at %i>" % id(self))
        for k, v in self.__dict__.items():
            print("  %s: %s" % (k, v))


class D:
    def __init__(self, **d):
        self.__dict__.update(d)


class Keyword:
    def __init__(self, name, nonzero=True):
        self.name = name
        self.nonzero = nonzero

    def __bool__(self):
        return self.nonzero

    def __str__(self):
        return "<%s>" % self.name

    __repr__ = __str__


ABORT = Keyword("ABORT", False)
RETRY = Keyword("RETRY", False)
FAILURE = Keyword("FAILURE", False)
ANY_TYPE = Keyword("ANY_TYPE")
FALL_THROUGH = Keyword("FALL_THROUGH")


def memoize(f):
    """Cache ``f``'s value per (hashable) arguments."""
    cache = {}

    def rval(*args, **kwargs):
        key = (args, tuple(kwargs.items()))
        if key not in cache:
            cache[key] = f(*args, **kwargs)
        return cache[key]

    return rval


def deprecated(filename, msg=""):
    """Decorator: print a deprecation line on the first call."""
    def _deprecated(f):
        printme = [True]

        def g(*args, **kwargs):
            if printme[0]:
                print("WARNING: %s.%s deprecated. %s" % (filename, f.__name__, msg))
                printme[0] = False
            return f(*args, **kwargs)

        return g

    return _deprecated


def uniq(seq):
    """The first occurrence of each element, in order (elements need not be hashable)."""
    return [x for i, x in enumerate(seq) if seq.index(x) == i]


def unique(x):
    """True iff every element of ``x`` is distinct."""
    return len(set(x)) == len(x)


def difference(seq1, seq2):
    """The elements of ``seq1`` not in ``seq2``, in order."""
    try:
        set2 = set(seq2)
        return [x for x in seq1 if x not in set2]
    except TypeError:  # unhashable elements
        return [x for x in seq1 if x not in seq2]


def flatten(a):
    """Nested tuples, lists and sets as one flat list."""
    if isinstance(a, (tuple, list, set)):
        out = []
        for item in a:
            out.extend(flatten(item))
        return out
    return [a]


def hist(coll):
    return dict(Counter(coll))


def remove(predicate, coll):
    """The items of ``coll`` for which ``predicate`` is false."""
    return [x for x in coll if not predicate(x)]


def to_return_values(values):
    return values[0] if len(values) == 1 else values


def from_return_values(values):
    return values if isinstance(values, (list, tuple)) else [values]


def toposort(prereqs_d):
    """Sort the keys of ``{node: set of prerequisites}`` so prerequisites come first."""
    seq = []
    done = set()
    postreqs_d = {}
    for x, prereqs in prereqs_d.items():
        for prereq in prereqs:
            postreqs_d.setdefault(prereq, set()).add(x)
    ready = {k for k in prereqs_d if not prereqs_d[k]}
    while ready:
        bases, ready = ready, set()
        done.update(bases)
        seq.extend(bases)
        for x in bases:
            for postreq in postreqs_d.get(x, ()):
                if not set(prereqs_d[postreq]).difference(done):
                    ready.add(postreq)
    if len(prereqs_d) != len(seq):
        raise Exception("Cannot sort topologically: there might be cycles, "
                        "prereqs_d does not have a key for each element or "
                        "some orderings contain invalid elements.")
    return seq


def give_variables_names(variables):
    """Give unnamed or same-named variables unique names (in place; idempotent)."""
    counts = hist(var.name for var in variables)
    bad = [var for var in variables if not var.name or counts[var.name] > 1]
    for i, var in enumerate(bad):
        var.name = (var.name or "") + "_%d" % i
    if not unique([str(v) for v in variables]):
        raise ValueError("Not all variables have unique names. Maybe you've named some of the "
                         "variables identically")
    return variables


def hash_from_file(file_path):
    """The sha256 hash of a file's content (as hash_from_code)."""
    with open(file_path, "rb") as f:
        return hash_from_code(f.read())


def get_variable_trace_string(v):
    """Where ``v`` was created, as Theano's error messages print it ('' if unknown)."""
    site = getattr(v, "creation_site", None)
    if not site:
        return ""
    return "\nBacktrace when that variable is created:\n\n" + format_site(site) + "\n"
