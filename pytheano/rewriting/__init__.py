"""The rewrite rules (layer 6), one module per op module (same stem); importing this package
registers them in pytheano.graph.rewriting.rewrite_db (pytheano.compile.mode imports it, so
every mode sees them)."""
from pytheano.rewriting import basic, elemwise, math, nnet, shape  # noqa: F401  (registers the rules)
from pytheano.rewriting import blas  # noqa: F401  (registers the BLAS rules)
from pytheano.rewriting import scan  # noqa: F401  (registers the scan rules)
from pytheano.rewriting import subtensor  # noqa: F401  (in-place set/inc_subtensor)
