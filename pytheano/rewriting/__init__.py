"""The rewrite rules (layer 6), one module per op module; importing this package registers
them in pytheano.graph.rewriting.rewrite_db."""
from pytheano.rewriting import basic  # noqa: F401
