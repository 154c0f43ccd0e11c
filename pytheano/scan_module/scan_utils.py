"""``theano.scan_module.scan_utils``: until and scan's helpers."""
from pytheano.graph.basic import clone_replace as clone, equal_computations  # noqa: F401
from pytheano.scan.utils import (expand_empty, get_updates_and_outputs,  # noqa: F401
                                 isNaN_or_Inf_or_None, safe_new, until)
