"""Run-time errors that say where: the failing Apply node, its inputs' shapes, dtypes and
strides, and the user's line that created it."""
import sys

import numpy as np

from pytheano.configparser import config
from pytheano.graph.utils import format_site
from pytheano.graph.printing import debugprint


def raise_with_op(node, thunk=None, storage_map=None, exc_info=None, fgraph=None):
    """Re-raise the exception being handled, its message extended with what failed.

    ``fgraph``: the graph the node ran in (nodes do not know their graph).
    """
    exc_type, exc_value, exc_trace = exc_info or sys.exc_info()
    if getattr(exc_value, "__pytheano_op_info__", False):
        raise exc_value.with_traceback(exc_trace)
    lines = ["", "Apply node that caused the error: %s" % (node,)]
    if fgraph is not None:
        try:
            lines.append("Toposort index: %d" % fgraph.toposort().index(node))
        except ValueError:
            pass
    values = [storage_map[v][0] if storage_map is not None and v in storage_map else None
              for v in node.inputs]
    lines.append("Inputs types: %s" % ([v.type for v in node.inputs],))
    lines.append("Inputs shapes: %s" % ([getattr(x, "shape", "No shapes") for x in values],))
    lines.append("Inputs strides: %s" % ([getattr(x, "strides", "No strides")
                                          for x in values],))
    lines.append("Inputs values: %s" % ([x if (isinstance(x, np.ndarray) and x.size <= 1)
                                         else "not shown" for x in values],))
    nones = [k for k, (v, x) in enumerate(zip(node.inputs, values))
             if x is None and v.owner is None and storage_map is not None]
    if nones:
        lines.append("HINT: input %s of this node is None: %s cannot hold None: pass a number "
                     "or an array (as in Theano, None reaches the ops; this one cannot take it)."
                     % (nones[0], node.inputs[nones[0]].type))
    if fgraph is not None:
        lines.append("Outputs clients: %s" % ([fgraph.clients.get(v, []) for v in node.outputs],))
    sites = [v.creation_site for v in node.outputs if v.creation_site is not None]
    if sites:
        lines.append("")
        lines.append("The variable that failed was created at:")
        lines.append(format_site(sites[0]))
    else:
        lines.append("")
        lines.append("HINT: the node was created by pytheano itself (e.g. a rewrite), not "
                     "directly by your code.")
    if config.exception_verbosity == "high" and fgraph is not None:
        lines.append("")
        lines.append("Debugprint of the apply node:")
        lines.append(debugprint(node.outputs, file="str", print_type=True))
    message = str(exc_value) + "\n".join(lines)
    try:
        new_exc = exc_type(message)
        new_exc.__pytheano_op_info__ = True
    except Exception:
        new_exc = None
    if new_exc is None:
        # An exception class with a special constructor: keep it, add the context as a note.
        add_note(exc_value, "\n".join(lines))
        exc_value.__pytheano_op_info__ = True
        raise exc_value.with_traceback(exc_trace)
    new_exc.node = node
    raise new_exc.with_traceback(exc_trace) from None


def add_note(exc, text):
    """``exc.add_note(text)``; on Python < 3.11, the same ``__notes__`` list by hand."""
    if hasattr(exc, "add_note"):
        exc.add_note(text)
    else:
        exc.__notes__ = list(getattr(exc, "__notes__", [])) + [text]
