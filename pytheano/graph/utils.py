"""Small helpers shared by the graph layer."""


class MetaObject(type):
    pass


def add_tag_trace(thing, user_line=None):
    """Record where the user created ``thing`` (Theano's ``add_tag_trace``)."""
    from pytheano._core.graph import user_location

    thing.creation_site = user_location()
    return thing


def flatten(seq):
    """Flatten nested lists and tuples into one list."""
    out = []
    for item in seq:
        if isinstance(item, (list, tuple)):
            out.extend(flatten(item))
        else:
            out.append(item)
    return out


def uniq(seq):
    """The items of ``seq`` in order, each once."""
    seen = set()
    return [x for x in seq if not (x in seen or seen.add(x))]


def difference(seq1, seq2):
    """Items of ``seq1`` not in ``seq2``, in order."""
    s2 = set(seq2)
    return [x for x in seq1 if x not in s2]
