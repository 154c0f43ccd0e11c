"""Rewritten graphs kept in the compile cache: a process compiling a graph that an earlier
one compiled (the same script run again, each worker of a pool) loads the graph as the
rewrites left it instead of running them, which are most of a warm compile (about 10 of
the 19 ms of the seeds' logistic regression; the C modules come from the cache already).
Theano and PyTensor rewrite every graph in every process.

The key is the SHA-256 of:

- the graph as FunctionMaker built it (stage 1: the user's outputs and update values,
  cloned with givens), pickled with each input standing for its position: the ops, types,
  constants, names and creation sites, the structure;
- what decides in-place rewrites and output copies: each input's mutable and borrow flags,
  the outputs' borrow flags, which outputs update which input, accept_inplace;
- the mode: its class, its linker, the rewriters its query selects (names, in order);
- every config value, the versions of Python and numpy, and a fingerprint of pytheano's
  own files (an edited or upgraded pytheano rewrites anew).

Only graphs made of pytheano's (and numpy's) objects are cached, under rewrites that are
all pytheano's: a class or function from anywhere else (a user's Op, an ``as_op``
function, a rewrite registered by the user) may change without the key knowing, so such a
graph is rewritten each time, as is any graph under profiling (config.profile_optimizer,
``profile=``), or with config.rewriting.cache off. So is a graph holding more than
MAX_CONSTANT_BYTES of constants (a dataset given as a constant): its key would cost a pass
over them at every compile, its entry their size on disk.

A stored graph is one file of the compile cache (link/c/cache.py), in the folder of this
pytheano version (the fingerprint): published by an atomic rename, read without locks, the
least recently used pruned past a count, listed and cleared by ``python -m
pytheano.cache``.
"""
import copyreg
import hashlib
import io
import os
import pickle
import sys
import types

import numpy as np

from pytheano._core.graph import Constant
from pytheano.configparser import config
from pytheano.link.c.cache import get_cache

__all__ = ["graph_key", "load", "store", "version"]

# Modules whose classes and functions may appear in a cached graph (their code is in the
# key through pytheano's fingerprint, numpy's and Python's through their versions).
_TRUSTED = ("pytheano", "numpy", "builtins", "copyreg", "collections", "_codecs")
_fingerprint = None
MAX_CONSTANT_BYTES = 1 << 20


class _Uncacheable(Exception):
    pass


# What pickling a graph raises when it holds something that cannot be kept.
_NOT_PICKLED = (_Uncacheable, pickle.PicklingError, TypeError, AttributeError)


def _trusted(obj):
    module = getattr(obj, "__module__", None) or ""
    return module.split(".", 1)[0] in _TRUSTED


def _graph_input(position):
    raise pickle.UnpicklingError("a cached graph's input %d: load it with load()" % position)


class _KeyPickler(pickle.Pickler):
    """Pickles a graph with its inputs as their positions; refuses what is not trusted.

    reducer_override, not persistent_id: the pickler calls it once per object it has not
    seen and never for ints, strings or tuples (persistent_id: for every one of them, 3x
    the pickling's own time)."""

    def __init__(self, file, positions):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.positions = positions

    def reducer_override(self, obj):
        position = self.positions.get(id(obj))
        if position is not None:
            return _graph_input, (position,)
        if isinstance(obj, (type, types.FunctionType, types.BuiltinFunctionType,
                            types.MethodType)):
            if not _trusted(obj):
                raise _Uncacheable(obj)
            return NotImplemented
        if type(obj) in copyreg.dispatch_table:
            return NotImplemented
        reduced = obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
        if type(reduced) is tuple and len(reduced) > 2 and type(reduced[2]) is dict:
            # The pickle memo goes by identity: an attribute name that is another string
            # object than the interned one (an object unpickled by a __setstate__ that
            # updates its __dict__) would be written out again, and change the key.
            state = {sys.intern(k) if type(k) is str else k: v for k, v in reduced[2].items()}
            return reduced[:2] + (state,) + reduced[3:]
        return reduced


class _GraphUnpickler(pickle.Unpickler):
    def __init__(self, file, inputs):
        super().__init__(file)
        self.inputs = inputs

    def find_class(self, module, name):
        if module == __name__ and name == "_graph_input":
            return self.inputs.__getitem__
        return super().find_class(module, name)


def _dumps(obj, inputs):
    buf = io.BytesIO()
    _KeyPickler(buf, {id(v): k for k, v in enumerate(inputs)}).dump(obj)
    return buf.getvalue()


def _pytheano_fingerprint():
    """The names, sizes and modification times of pytheano's code files (once per process:
    about 2 ms)."""
    global _fingerprint
    if _fingerprint is None:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        h = hashlib.sha256()
        folders = [root]
        while folders:
            with os.scandir(folders.pop()) as scan:
                entries = sorted(scan, key=lambda e: e.name)
            for e in entries:
                if e.is_dir(follow_symlinks=False):
                    if e.name != "__pycache__":
                        folders.append(e.path)
                elif e.name.endswith((".py", ".so", ".pyd")):
                    st = e.stat()
                    h.update(("%s %d %d\n" % (e.path[len(root):], st.st_size,
                                              st.st_mtime_ns)).encode())
        _fingerprint = h.hexdigest()
    return _fingerprint


def version():
    """The name of this pytheano's folder of graphs in the cache."""
    return _pytheano_fingerprint()[:16]


def _rewriters(plan):
    """The names of a plan's rewriters, in order; _Uncacheable when one is not pytheano's."""
    names = getattr(plan, "_cache_names", None)
    if names is None:
        names = []
        for phase, rewriters in plan.phases:
            for rw in rewriters:
                fn = getattr(rw, "fn", None)
                if not (_trusted(type(rw)) and (fn is None or _trusted(fn))):
                    raise _Uncacheable(rw)
                names.append("%s:%s" % (phase, rw.name))
        names += [getattr(f, "__qualname__", repr(f)) for f in plan.features]
        plan._cache_names = names
    return names


def graph_key(maker, fgraph, plan):
    """The key of ``fgraph`` (stage 1 of ``maker``) rewritten by ``plan``, or None when it
    is not to be cached."""
    if not (config.rewriting.cache and plan):
        return None
    if config.profile_optimizer or maker.profile not in (None, False):
        return None
    mode = maker.mode
    if not (_trusted(type(mode)) and _trusted(type(mode.linker))):
        return None
    if sum(getattr(v.data, "nbytes", 0) for v in fgraph.variables
           if isinstance(v, Constant)) > MAX_CONSTANT_BYTES:
        return None
    try:
        h = hashlib.sha256()
        for part in (_pytheano_fingerprint(), sys.version, np.__version__,
                     type(mode).__qualname__,
                     type(mode.linker).__qualname__, "\n".join(_rewriters(plan)),
                     "\n".join("%s=%r" % (p.fullname, config._get(p))
                               for p in config.params())):
            h.update(part.encode())
            h.update(b"\0")
        flags = ([(bool(i.mutable), bool(i.borrow)) for i in maker.inputs],
                 [bool(o.borrow) for o in maker.outputs], maker.n_outputs,
                 len(maker.update_expr), len(maker.in_updates), bool(maker.accept_inplace),
                 [v.type for v in fgraph.inputs])
        h.update(_dumps((flags, fgraph.outputs), fgraph.inputs))
    except _NOT_PICKLED:
        return None
    return h.hexdigest()[:40]


def load(key, inputs):
    """(outputs, toposort) of the graph stored under ``key``, over ``inputs``; None if none
    is."""
    data = get_cache().load_graph(version(), key)
    if data is None:
        return None
    try:
        return _GraphUnpickler(io.BytesIO(data), inputs).load()
    except Exception:  # noqa: BLE001 (an entry from another version: rewrite again)
        return None


def store(key, fgraph):
    """Keep ``fgraph`` (rewritten) under ``key``."""
    try:
        data = _dumps((fgraph.outputs, fgraph.toposort()), fgraph.inputs)
    except _NOT_PICKLED:
        return
    get_cache().store_graph(version(), key, data)
