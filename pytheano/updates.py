"""``theano.updates.OrderedUpdates``: an ordered {shared variable: new value} mapping that
``+`` merges, as ``theano.function(updates=...)`` takes it."""
import warnings
from collections import OrderedDict

from pytheano.graph.shared import SharedVariable


class OrderedUpdates(OrderedDict):
    """Dict-like mapping from SharedVariable keys to their new values; ``a + b`` is the union
    (a KeyError on a key both map to different values)."""

    def __init__(self, *key, **kwargs):
        if (len(key) >= 1 and isinstance(key[0], dict) and len(key[0]) > 1
                and not isinstance(key[0], OrderedDict)):
            # Theano 1.0 compat: the warning predates ordered dicts; kept so code that
            # filters it still sees it.
            warnings.warn("Initializing an `OrderedUpdates` from a non-ordered dictionary "
                          "with 2+ elements could make your code non-deterministic. You can "
                          "use an OrderedDict that is available at theano.compat.OrderedDict "
                          "for python 2.6+.")
        super().__init__(*key, **kwargs)
        for k in self:
            if not isinstance(k, SharedVariable):
                raise TypeError("OrderedUpdates keys must inherit from SharedVariable", k)

    def __setitem__(self, key, value):
        if not isinstance(key, SharedVariable):
            raise TypeError("OrderedUpdates keys must inherit from SharedVariable", key)
        return super().__setitem__(key, value)

    def update(self, other=None):
        if other is None:
            return
        if isinstance(other, dict) and len(other) > 1 and not isinstance(other, OrderedDict):
            warnings.warn("Updating an `OrderedUpdates` with a non-ordered dictionary with 2+ "
                          "elements could make your code non-deterministic", stacklevel=2)
        for key, val in OrderedDict(other).items():
            if key in self:
                if self[key] == val:
                    continue
                raise KeyError("Collision", key)
            self[key] = val

    def __add__(self, other):
        rval = OrderedUpdates()
        rval.update(self)
        rval.update(other)
        return rval

    def __radd__(self, other):
        rval = OrderedUpdates()
        rval.update(other)
        rval.update(self)
        return rval
