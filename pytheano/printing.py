"""Showing graphs to people, under Theano's path ``theano.printing``: ``pp`` and
``debugprint`` (defined in pytheano.graph.printing, where every layer can use them),
``pydotprint`` (a picture through graphviz) and the ``Print`` op (prints values as the
function runs). The output is Theano 1.0's, character for character.

Each op's ``pp`` printer is registered beside the op (``pprint.assign(OpClass, printer)``).
"""
import hashlib
import logging
import os
import shutil

import numpy as np

from pytheano._core.fgraph import FunctionGraph
from pytheano._core.graph import Apply, Constant, Variable, ancestors, graph_inputs
from pytheano.compile.function_module import Function
from pytheano.configparser import config
from pytheano.graph.op import HasInnerGraph, Op
from pytheano.graph.printing import (  # noqa: F401  (Theano's names, re-exported)
    DefaultPrinter, FunctionPrinter, IgnorePrinter, LeafPrinter, MemberPrinter,
    OperatorPrinter, PatternPrinter, PPrinter, PrinterState, char_from_number, debugprint,
    default_printer, greek, leaf_printer, pp, pprint, special)
from pytheano.graph.shared import SharedVariable
from pytheano.ifelse import IfElse
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.elemwise import DimShufflePrinter  # noqa: F401
from pytheano.tensor.shape import MakeVectorPrinter  # noqa: F401
from pytheano.tensor.subtensor import SubtensorPrinter  # noqa: F401

__all__ = ["pp", "pprint", "debugprint", "pydotprint", "Print", "PPrinter", "PrinterState",
           "OperatorPrinter", "PatternPrinter", "FunctionPrinter", "IgnorePrinter",
           "LeafPrinter", "DefaultPrinter", "MemberPrinter", "DimShufflePrinter",
           "SubtensorPrinter", "MakeVectorPrinter", "min_informative_str", "var_descriptor",
           "char_from_number", "hex_digest"]

_logger = logging.getLogger("pytheano.printing")


def _array_digest(x):
    return hashlib.sha256(np.ascontiguousarray(x).tobytes()).hexdigest()


def hex_digest(x):
    """A short hash of an ndarray's bytes, annotated with its strides and shape (Theano 1.0:
    the bytes alone would not tell how they are arranged)."""
    if not isinstance(x, np.ndarray):
        raise TypeError("hex_digest takes a numpy ndarray, got %s" % type(x).__name__)
    return "%s|strides=[%s]|shape=[%s]" % (_array_digest(x), ",".join(map(str, x.strides)),
                                           ",".join(map(str, x.shape)))


# =========================================================================== Print op

def _print_fn(op, xin):
    for attr in op.attrs:
        value = getattr(xin, attr)
        if callable(value):
            value = value()
        print(op.message, attr, "=", value)


class Print(Op):
    """Identity that prints its input when the function runs.

    ``Print("x is")(x)`` prints ``x is __str__ = [...]``; ``attrs=('shape', 'sum')`` prints
    those attributes (called if callable) instead. ``global_fn(op, value)`` replaces the
    printing. Rewrites do not look through a Print, so it can block some of them.
    """

    view_map = {0: [0]}
    __props__ = ("message", "attrs", "global_fn")

    def __init__(self, message="", attrs=("__str__",), global_fn=_print_fn):
        self.message = message
        self.attrs = tuple(attrs)  # hashable
        self.global_fn = global_fn

    def make_node(self, xin):
        if not isinstance(xin, Variable):
            xin = as_tensor_variable(xin)
        return Apply(self, [xin], [xin.type()])

    def perform(self, node, inputs, output_storage):
        xin, = inputs
        output_storage[0][0] = xin
        self.global_fn(self, xin)

    def infer_shape(self, fgraph, node, input_shapes):
        return input_shapes

    def do_constant_folding(self, fgraph, node):
        # It prints when the function runs: folded, it would print once, while compiling
        # (Theano 1.0 folded it).
        return False

    def grad(self, inputs, output_gradients):
        return output_gradients

    def R_op(self, inputs, eval_points):
        return list(eval_points)

    def __setstate__(self, state):
        state.setdefault("global_fn", _print_fn)
        self.__dict__.update(state)


# =========================================================================== pydotprint

default_colorCodes = {
    "GpuFromHost": "red",
    "HostFromGpu": "red",
    "Scan": "yellow",
    "Shape": "brown",
    "IfElse": "magenta",
    "Elemwise": "#FFAABB",  # dark pink
    "Subtensor": "#FFAAFF",  # purple
    "Alloc": "#FFAA22",  # orange
    "Output": "blue",
}


class PydotImportError(ImportError, RuntimeError):
    """pydot or graphviz is missing. (A RuntimeError too: Theano raised that.)"""


_INSTALL_HINT = ("pydotprint draws graphs with graphviz through the pydot package. Install "
                 "both: `pip install pydot` (or `pip install pytheano[pydot]`), and the "
                 "graphviz programs (`apt-get install graphviz`, `conda install graphviz` or "
                 "`brew install graphviz`).")


def _import_pydot(need_graphviz=True):
    """The pydot module; PydotImportError saying what to install when it (or, if needed,
    graphviz's ``dot``) is missing."""
    try:
        import pydot
    except ImportError:
        try:
            import pydot_ng as pydot
        except ImportError:
            raise PydotImportError("Failed to import pydot. " + _INSTALL_HINT) from None
    if need_graphviz and shutil.which("dot") is None:
        raise PydotImportError("pydot is installed but graphviz's `dot` program was not found "
                               "on the PATH. " + _INSTALL_HINT)
    return pydot


def __getattr__(name):
    # Theano exposed these flags; they are computed on first use so importing this module
    # never imports pydot.
    if name in ("pydot_imported", "pydot_imported_msg"):
        try:
            _import_pydot()
            found, msg = True, ""
        except PydotImportError as e:
            found, msg = False, str(e)
        return found if name == "pydot_imported" else msg
    raise AttributeError("module 'pytheano.printing' has no attribute %r" % (name,))


def pydotprint(fct, outfile=None, compact=True, format="png", with_ids=False,
               high_contrast=True, cond_highlight=None, colorCodes=None, max_label_size=70,
               scan_graphs=False, var_with_name_simple=False, print_output_file=True,
               return_image=False):
    """Draw the graph of a compiled function, a FunctionGraph, a Variable, an Apply or a list
    of Variables into ``outfile`` (any graphviz format: png, svg, pdf, dot, ...).

    Ellipses are Apply nodes, boxes are variables: green for inputs, cyan for shared
    variables, blue for outputs, grey for unused outputs. Apply nodes are colored by op
    (``colorCodes``: op class name part -> color). An edge is labeled with the input's
    position when a node has several inputs; blue when the op returns a view of that input,
    red when it overwrites it.

    outfile: defaults to ``<compiledir>/theano.pydotprint.<device>.<format>``.
    compact: do not draw unnamed intermediate variables (the edge carries their type).
    with_ids: add each node's position in the execution order.
    high_contrast: fill the nodes with their color instead of coloring the border.
    cond_highlight: surround the nodes of each branch of the lazy ifelse with this name.
    max_label_size: cut longer labels with '...'.
    scan_graphs: also draw each scan op's inner graph, in ``<outfile>_<name>_<position>``.
    var_with_name_simple: label a named variable with its name only (not name and type).
    print_output_file: print 'The output file is available at ...'.
    return_image: return the image bytes instead of writing a file.

    Needs the pydot package and the graphviz programs (ImportError otherwise).
    """
    if colorCodes is None:
        colorCodes = default_colorCodes
    if outfile is None:
        outfile = os.path.join(config.compiledir,
                               "theano.pydotprint." + config.device + "." + format)

    input_update = {}  # update expression (an fgraph output) -> the shared input it updates
    if isinstance(fct, Function):
        profile = getattr(fct, "profile", None)
        fgraph = fct.maker.fgraph
        outputs = list(fgraph.outputs)
        for shared_input, position in (getattr(fgraph, "update_mapping", None) or {}).items():
            input_update[fgraph.outputs[position]] = shared_input
        outputs = [o for i, o in enumerate(outputs)
                   if i not in set((fgraph.update_mapping or {}).values())]
        topo = fgraph.toposort()
    elif isinstance(fct, FunctionGraph):
        profile = None
        outputs = list(fct.outputs)
        topo = fct.toposort()
    else:
        if isinstance(fct, Variable):
            fct = [fct]
        elif isinstance(fct, Apply):
            fct = fct.outputs
        if not isinstance(fct, (list, tuple)) or \
                not all(isinstance(v, Variable) for v in fct):
            raise TypeError("pydotprint draws a compiled function, a FunctionGraph, a "
                            "Variable, an Apply or a list of Variables; got %r" % (fct,))
        fct = FunctionGraph(graph_inputs(fct), list(fct))
        profile = None
        outputs = list(fct.outputs)
        topo = fct.toposort()

    pd = _import_pydot(need_graphviz=format != "raw" or return_image)
    g = _pydot_graph(pd, topo, outputs, input_update, profile, compact, with_ids,
                     high_contrast, cond_highlight, colorCodes, max_label_size,
                     var_with_name_simple)

    if not outfile.endswith("." + format):
        outfile += "." + format

    if scan_graphs:
        path, fn = os.path.split(outfile)
        basename = ".".join(fn.split(".")[:-1])
        ext = fn[len(basename):]
        for idx, node in enumerate(topo):
            if not isinstance(node.op, HasInnerGraph):
                continue
            op_name = getattr(node.op, "name", None)
            new_name = basename + ("_%s_%d" % (op_name, idx) if op_name else "_%d" % idx)
            to_print = node.op.inner_outputs
            pydotprint(to_print, os.path.join(path, new_name + ext), compact, format,
                       with_ids, high_contrast, cond_highlight, colorCodes, max_label_size,
                       scan_graphs)

    if return_image:
        return g.create(prog="dot", format=format)
    directory = os.path.dirname(outfile)
    if directory:
        os.makedirs(directory, exist_ok=True)
    g.write(outfile, prog="dot", format=format)
    if print_output_file:
        print("The output file is available at", outfile)
    return None


def _pydot_graph(pd, topo, outputs, input_update, profile, compact, with_ids, high_contrast,
                 cond_highlight, colorCodes, max_label_size, var_with_name_simple):
    """The pydot.Dot of the nodes ``topo``."""
    g = pd.Dot()
    clusters = None
    if cond_highlight is not None:
        cond = None
        for node in topo:
            if isinstance(node.op, IfElse) and \
                    (cond_highlight is node or getattr(node.op, "name", None) == cond_highlight):
                cond = node
        if cond is None:
            _logger.warning("pydotprint: cond_highlight is set but there is no IfElse node "
                            "in the graph")
        else:
            left = _owners_above(cond.inputs[1])
            right = _owners_above(cond.inputs[2])
            middle = left & right
            clusters = [(pd.Cluster("Left"), left - middle), (pd.Cluster("Right"), right - middle),
                        (pd.Cluster("Middle"), middle)]

    var_str = {}
    all_strings = set()
    apply_time = profile.apply_time if profile else {}
    positions = {node: i for i, node in enumerate(topo)}
    read = {inp for node in topo for inp in node.inputs}

    def cut(label):
        return label if len(label) <= max_label_size else label[:max_label_size - 3] + "..."

    def var_name(var):
        if var in var_str:
            return var_str[var], str(id(var))
        if var.name is not None:
            varstr = var.name if var_with_name_simple else "name=%s %s" % (var.name, var.type)
        elif isinstance(var, Constant):
            dstr = "val=" + str(np.asarray(var.data))
            if "\n" in dstr:
                dstr = dstr[:dstr.index("\n")]
            varstr = "%s %s" % (dstr, var.type)
        elif var in input_update and input_update[var].name is not None:
            varstr = input_update[var].name
            if not var_with_name_simple:
                varstr += str(var.type)
        else:
            varstr = str(var.type)
        varstr = cut(varstr)
        var_str[var] = varstr
        all_strings.add(varstr)
        return varstr, str(id(var))

    apply_str = {}

    def apply_name(node):
        if node in apply_str:
            return apply_str[node], str(id(node))
        prof_str = ""
        if profile:
            t = apply_time.get(node, 0)
            pf = 0 if profile.fct_callcount == 0 or profile.fct_call_time == 0 \
                else t * 100 / profile.fct_call_time
            prof_str = "   (%.3fs,%.3f%%)" % (t, pf)
        applystr = str(node.op).replace(":", "_") + prof_str
        if applystr in all_strings or with_ids:
            idx = " id=" + str(positions[node])
            if len(applystr) + len(idx) > max_label_size:
                applystr = applystr[:max_label_size - 3 - len(idx)] + idx + "..."
            else:
                applystr = applystr + idx
        elif len(applystr) > max_label_size:
            applystr = applystr[:max_label_size - 3] + "..."
            idx = 1
            while applystr in all_strings:
                idx += 1
                suffix = " id=" + str(idx)
                applystr = applystr[:max_label_size - 3 - len(suffix)] + "..." + suffix
        all_strings.add(applystr)
        apply_str[node] = applystr
        return applystr, str(id(node))

    def add_var_node(varid, label, color):
        if high_contrast:
            g.add_node(pd.Node(varid, style="filled", fillcolor=color, label=label,
                               shape="box"))
        else:
            g.add_node(pd.Node(varid, color=color, label=label, shape="box"))

    for node in topo:
        astr, aid = apply_name(node)
        use_color = None
        for op_name, color in colorCodes.items():
            if op_name in type(node.op).__name__:
                use_color = color
        if use_color is None:
            nw_node = pd.Node(aid, label=astr, shape="ellipse")
        elif high_contrast:
            nw_node = pd.Node(aid, label=astr, style="filled", fillcolor=use_color,
                              shape="ellipse")
        else:
            nw_node = pd.Node(aid, label=astr, color=use_color, shape="ellipse")
        g.add_node(nw_node)
        if clusters:
            for cluster, members in clusters:
                if node in members:
                    cluster.add_node(nw_node)

        viewed = [i for ins in (getattr(node.op, "view_map", None) or {}).values() for i in ins]
        destroyed = [i for ins in (getattr(node.op, "destroy_map", None) or {}).values()
                     for i in ins]
        for idx, var in enumerate(node.inputs):
            varstr, varid = var_name(var)
            label = str(idx) if len(node.inputs) > 1 else ""
            param = {"label": label} if label else {}
            if idx in viewed:
                param["color"] = colorCodes["Output"]
            elif idx in destroyed:
                param["color"] = "red"
            if var.owner is None:
                # inputs are green, shared variables cyan (input and output: green + blue)
                add_var_node(varid, varstr, "cyan" if isinstance(var, SharedVariable)
                             else "green")
                g.add_edge(pd.Edge(varid, aid, **param))
            elif var.name or not compact or var in outputs:
                g.add_edge(pd.Edge(varid, aid, **param))
            else:
                # an unnamed intermediate: no box, the edge carries its type
                label = (label + " " if label else "") + str(var.type)
                param["label"] = cut(label)
                g.add_edge(pd.Edge(apply_name(var.owner)[1], aid, **param))

        for idx, var in enumerate(node.outputs):
            varstr, varid = var_name(var)
            label = cut(str(idx)) if len(node.outputs) > 1 else ""
            param = {"label": label} if label else {}
            if var in outputs or var in input_update:
                g.add_edge(pd.Edge(aid, varid, **param))
                add_var_node(varid, varstr, colorCodes["Output"])
            elif var not in read:
                g.add_edge(pd.Edge(aid, varid, **param))
                add_var_node(varid, varstr, "grey")  # an output nobody uses
            elif var.name or not compact:
                if compact:
                    label = (label + " " if label else "") + str(var.type)
                    param["label"] = cut(label)
                g.add_edge(pd.Edge(aid, varid, **param))
                g.add_node(pd.Node(varid, shape="box", label=varstr))

    # An update expression points at the shared variable it updates.
    for update_var, shared_var in input_update.items():
        g.add_edge(pd.Edge(var_name(update_var)[1], var_name(shared_var)[1], label="UPDATE",
                           color=colorCodes["Output"]))
    if clusters:
        for cluster, _ in clusters:
            g.add_subgraph(cluster)
    return g


def _owners_above(var):
    """The Apply nodes ``var`` depends on."""
    return {v.owner for v in ancestors([var]) if v.owner is not None}


# =========================================================================== short forms

def min_informative_str(obj, indent_level=0, _prev_obs=None, _tag_generator=None):
    """The graph below ``obj`` down to named variables and constants, one line per variable,
    tagged A., B., ... (a variable seen before is shown as <A>)::

        A. Elemwise{add,no_inplace}
         B. log_likelihood_v_given_h
         C. log_likelihood_h
    """
    if _prev_obs is None:
        _prev_obs = {}
    if _tag_generator is None:
        _tag_generator = [0]
    indent = " " * indent_level
    if id(obj) in _prev_obs:
        return indent + "<" + _prev_obs[id(obj)] + ">"
    cur_tag = char_from_number(_tag_generator[0])
    _tag_generator[0] += 1
    _prev_obs[id(obj)] = cur_tag
    if hasattr(obj, "__array__") and not isinstance(obj, Variable):
        name = "<ndarray>"
    elif getattr(obj, "name", None) is not None:
        name = obj.name
    elif getattr(obj, "owner", None) is not None:
        name = str(obj.owner.op)
        for ipt in obj.owner.inputs:
            name += "\n" + min_informative_str(ipt, indent_level + 1, _prev_obs,
                                               _tag_generator)
    else:
        name = str(obj)
    return indent + cur_tag + ". " + name


def var_descriptor(obj, _prev_obs=None, _tag_generator=None):
    """A one-line string saying how ``obj`` is computed, independent of memory addresses:
    ``A=Elemwise{add,no_inplace}(B=x,C=y)``."""
    if _prev_obs is None:
        _prev_obs = {}
    if _tag_generator is None:
        _tag_generator = [0]
    if id(obj) in _prev_obs:
        return "<" + _prev_obs[id(obj)] + ">"
    cur_tag = char_from_number(_tag_generator[0])
    _tag_generator[0] += 1
    _prev_obs[id(obj)] = cur_tag
    if isinstance(obj, np.ndarray):
        name = "<ndarray:strides=[%s],digest=%s>" % (
            ",".join(str(s) for s in obj.strides), _array_digest(obj))
    elif getattr(obj, "owner", None) is not None:
        name = "%s(%s)" % (obj.owner.op, ",".join(
            var_descriptor(ipt, _prev_obs, _tag_generator) for ipt in obj.owner.inputs))
    elif getattr(obj, "name", None) is not None:
        # Only a leaf's name counts: naming an intermediate must not change the descriptor.
        name = obj.name
    else:
        name = str(obj)
        if " at 0x" in name:
            name = "theano_var{type=%s}" % (obj.type,)
    return cur_tag + "=" + name
