"""Theano 1.0's path ``theano.tensor.opt``: the ops Theano defined beside its tensor rewrites,
and its ``register_canonicalize`` / ``register_stabilize`` / ``register_specialize``.

The rewrites themselves are in pytheano/rewriting/ (layer 6, above this module); each of
those modules sets its Theano names here when it is imported (``theano.tensor.opt.
local_add_specialize``, ``ShapeFeature``, ``mul_canonizer``, ...), and pytheano's
__init__ imports them all.
"""
from pytheano.graph.rewriting import CANONICALIZE, SPECIALIZE, STABILIZE, rewrite_db
from pytheano.tensor.raise_op import Assert, assert_op  # noqa: F401
from pytheano.tensor.shape import MakeVector, Shape_i, make_vector, shape_i  # noqa: F401


def _registrar(phase):
    def register(rewriter, *tags, **kwargs):
        if isinstance(rewriter, str):  # @register_xxx('tag', ...): a decorator
            def wrap(inner):
                return register(inner, rewriter, *tags, **kwargs)
            return wrap
        name = kwargs.pop("name", None) or getattr(rewriter, "name", None) or \
            rewriter.__name__
        if name not in rewrite_db:
            rewrite_db.register(rewriter, phase, "fast_run", *tags, name=name)
        return rewriter
    register.__doc__ = ("Register a node rewriter in the %s phase with tag 'fast_run' and "
                        "``tags`` (Theano's register_%s; usable as a decorator with tags)."
                        % (phase, phase))
    return register


register_canonicalize = _registrar(CANONICALIZE)
register_stabilize = _registrar(STABILIZE)
register_specialize = _registrar(SPECIALIZE)
