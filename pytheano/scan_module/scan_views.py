"""``theano.scan_module.scan_views``: map, reduce, foldl, foldr."""
from pytheano.scan.views import foldl, foldr, map, reduce  # noqa: F401,A004
