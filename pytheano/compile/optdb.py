"""Theano 1.0's ``theano.compile.optdb``: the rewrite database as Theano's tests and old code
query it (``optdb.query(gof.Query(include=['fast_run']))`` then ``.optimize(fgraph)``), over
pytheano's phased database (pytheano.graph.rewriting.rewrite_db)."""
from pytheano.graph.rewriting import (BLAS, CANONICALIZE, FUSION, INPLACE, MERGE1, MERGE2,
                                      SPECIALIZE, STABILIZE, Query, rewrite_db)

__all__ = ["optdb", "THEANO_POSITIONS"]

# Theano 1.0 compat: the positions of Theano's optdb, so a numeric position_cutoff
# (1.51: up to stabilize) selects the same phases.
THEANO_POSITIONS = ((MERGE1, 0), (CANONICALIZE, 1), (STABILIZE, 1.5), (SPECIALIZE, 2),
                    (FUSION, 49), (BLAS, 70), (INPLACE, 75), (MERGE2, 100))


class _Optimizer:
    """A query's rewrite plan with Theano's ``optimize(fgraph)``."""

    def __init__(self, plan):
        self.plan = plan

    def optimize(self, fgraph, *args, **kwargs):
        self.plan.rewrite(fgraph)

    __call__ = apply = optimize


class TheanoOptDB:
    def query(self, query, *args, **kwargs):
        if isinstance(query, str):
            query = Query(include=(query,) + args)
        cutoff = query.position_cutoff
        if isinstance(cutoff, (int, float)):
            phases = [p for p, pos in THEANO_POSITIONS if pos <= cutoff]
            cutoff = phases[-1] if phases else MERGE1
            query = Query(query.include, query.require, query.exclude, cutoff)
        return _Optimizer(rewrite_db.query(query))

    def __contains__(self, name):
        return name in rewrite_db

    def __getitem__(self, name):
        return rewrite_db[name]


optdb = TheanoOptDB()
