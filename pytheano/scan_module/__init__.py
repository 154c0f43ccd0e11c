"""``theano.scan_module``: Theano 1.0's import path of scan (the code is pytheano.scan)."""
from pytheano.scan.basic import scan
from pytheano.scan.checkpoints import scan_checkpoints  # noqa: F401
from pytheano.scan.utils import until
from pytheano.scan.views import foldl, foldr, map, reduce  # noqa: A004
from pytheano.scan_module import scan_op, scan_opt, scan_utils, scan_views  # noqa: F401

__all__ = ["scan", "until", "map", "reduce", "foldl", "foldr"]
