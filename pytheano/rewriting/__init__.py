"""The rewrite rules, one module per op module (same stem); importing this package registers
them in pytheano.graph.rewriting.rewrite_db (pytheano/__init__ imports it)."""
from pytheano.rewriting import math, nnet  # noqa: F401  (registers the rules)
