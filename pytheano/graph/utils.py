"""Small helpers shared by the graph layer."""
import linecache
from pytheano._core.graph import user_location


class MetaObject(type):
    pass


def add_tag_trace(thing, user_line=None):
    """Record where the user created ``thing`` (Theano's ``add_tag_trace``)."""
    thing.creation_site = user_location()
    return thing


def format_site(site):
    """A variable's ``creation_site`` as a traceback shows a frame: the ``File ..., line ...,
    in ...`` line, then the source line when it can be read."""
    filename, lineno, func = site
    text = '  File "%s", line %d, in %s' % (filename, lineno, func)
    line = linecache.getline(filename, lineno).strip()
    if line:
        text += "\n    " + line
    return text


def key_to_cmp(key):
    """The comparison of ``key(a)`` and ``key(b)`` (-1, 0 or 1), for schedules ordered by
    comparison functions (gof.sched, tensor.io's MPI keys)."""
    def key_cmp(a, b):
        ka, kb = key(a), key(b)
        return (ka > kb) - (ka < kb)
    return key_cmp
