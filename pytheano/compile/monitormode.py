"""MonitorMode: a Mode that calls user functions before and after every node runs.

``theano.function(..., mode=MonitorMode(post_func=detect_nan))`` calls
``detect_nan(i, node, fn)`` after node ``i`` of the schedule; ``fn.inputs`` and
``fn.outputs`` are the node's storage cells (``fn.outputs[0][0]`` is its first output value)
and ``fn()`` runs it again. It hooks each thunk through the mode's ``thunk_guard``, the hook
NanGuardMode uses.
"""
import numpy as np

from pytheano.compile.mode import Mode
from pytheano.graph.printing import debugprint


class _ThunkView:
    """What pre_func/post_func receive as ``fn``: Theano's thunk attributes."""

    __slots__ = ("_thunk", "inputs", "outputs")

    def __init__(self, thunk):
        self._thunk = thunk
        self.inputs = thunk.input_cells
        self.outputs = thunk.output_cells

    def __call__(self):
        self._thunk()


class _MonitorGuard:
    __slots__ = ("mode",)

    def __init__(self, mode):
        self.mode = mode

    def before(self, i, node, thunk):
        if self.mode.pre_func is not None:
            self.mode.pre_func(i, node, _ThunkView(thunk))

    def after(self, i, node, thunk):
        if self.mode.post_func is not None:
            self.mode.post_func(i, node, _ThunkView(thunk))


class MonitorMode(Mode):
    """A Mode (FAST_RUN rewrites by default) calling ``pre_func(i, node, fn)`` before and
    ``post_func(i, node, fn)`` after each node's thunk.

    optimizer: as Mode's ('fast_compile' skips most rewrites).
    linker: Theano 1.0 refused any linker but its own; pytheano runs the default one.
    """

    def __init__(self, pre_func=None, post_func=None, optimizer="default", linker=None):
        if linker is not None and not (isinstance(linker, str)
                                       or isinstance(getattr(linker, "mode", None),
                                                     MonitorMode)):
            raise Exception("MonitorMode can only use its own linker! You should not provide "
                            "one.", linker)
        super().__init__(linker=linker if isinstance(linker, str) else None,
                         optimizer=optimizer)
        self.pre_func = pre_func
        self.post_func = post_func
        self.thunk_guard = _MonitorGuard(self)

    def eval(self, i, node, fn):
        """Theano's wrapper: pre_func, the thunk, post_func."""
        if self.pre_func is not None:
            self.pre_func(i, node, fn)
        fn()
        if self.post_func is not None:
            self.post_func(i, node, fn)

    def clone(self, link_kwargs=None, optimizer="", **kwargs):
        if optimizer == "":
            optimizer = self.provided_optimizer
        return type(self)(pre_func=self.pre_func, post_func=self.post_func,
                          optimizer=optimizer)

    def including(self, *tags):
        return self

    def excluding(self, *tags):
        return self

    def requiring(self, *tags):
        return self

    def __getstate__(self):
        state = self.__dict__.copy()
        del state["thunk_guard"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.thunk_guard = _MonitorGuard(self)


def detect_nan(i, node, fn):
    """A post_func printing the first node whose output contains NaN (Theano's helper)."""
    for output in fn.outputs:
        value = output[0]
        if (isinstance(value, np.ndarray) and value.dtype.kind in "fc"
                and np.isnan(value).any()):
            print("*** NaN detected ***")
            debugprint(node)
            print("Inputs : %s" % [inp[0] for inp in fn.inputs])
            print("Outputs: %s" % [out[0] for out in fn.outputs])
            break
