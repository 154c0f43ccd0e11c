"""Loops in the graph: ``scan`` and its views (map, reduce, foldl, foldr), ``until``.

Layer 6. The Scan op (op.py) runs a compiled inner graph once per step; its gradient and
R_op (grad.py) are scans too.
"""
from pytheano.scan import grad  # noqa: F401  (installs Scan's gradient builders)
from pytheano.scan.basic import scan
from pytheano.scan.checkpoints import scan_checkpoints
from pytheano.scan.op import Scan
from pytheano.scan.utils import until
from pytheano.scan.views import foldl, foldr, map, reduce

__all__ = ["scan", "scan_checkpoints", "Scan", "until", "map", "reduce", "foldl", "foldr"]
