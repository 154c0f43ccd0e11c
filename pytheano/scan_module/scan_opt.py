"""``theano.scan_module.scan_opt``: the scan rewrites under Theano's names (the rules are in
pytheano/rewriting/scan.py)."""
from pytheano.rewriting.scan import scan_merge, scan_mergeable

__all__ = ["ScanMerge"]


class ScanMerge:
    """Theano's optimizer merging the scans of a graph that run the same steps
    (pytheano.rewriting.scan.scan_merge)."""

    def belongs_to_set(self, node, set_nodes):
        """Whether ``node`` can be merged with every node of ``set_nodes``."""
        return scan_mergeable(node, set_nodes)

    def apply(self, fgraph):
        return scan_merge(fgraph)

    optimize = apply
