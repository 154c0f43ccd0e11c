"""``theano.scan_module.scan_op``: the Scan op."""
from pytheano.scan.op import Scan  # noqa: F401
