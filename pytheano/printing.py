"""Showing graphs to people: ``pp`` (math-like text), ``debugprint`` (the graph as an indented
tree), ``pydotprint`` (a picture through graphviz) and the ``Print`` op (prints values as the
function runs).

The output of all of them is Theano 1.0's, character for character, so scripts and doctests
written against Theano read the same.

Which printer ``pp`` uses for an op is decided here, in one table keyed by op class names (and
scalar op class names for Elemwise), so it does not matter in which order the op modules are
imported; ``pprint.assign(op_or_class, printer)`` adds to it as in Theano.
"""
import logging
import os
import shutil
import sys
from copy import copy
from io import StringIO

import numpy as np

from pytheano._core.fgraph import FunctionGraph
from pytheano._core.graph import Apply, Constant, Variable, graph_inputs, io_toposort
from pytheano.configparser import config
from pytheano.graph.op import Op
from pytheano.graph.type import Type
from pytheano.scalar.basic import ScalarOp

__all__ = ["pp", "pprint", "debugprint", "pydotprint", "Print", "PPrinter", "PrinterState",
           "OperatorPrinter", "PatternPrinter", "FunctionPrinter", "IgnorePrinter",
           "LeafPrinter", "DefaultPrinter", "MemberPrinter", "DimShufflePrinter",
           "SubtensorPrinter", "MakeVectorPrinter", "register_op_printer",
           "register_elemwise_printer", "min_informative_str", "var_descriptor",
           "char_from_number"]

_logger = logging.getLogger("pytheano.printing")
VALID_ASSOC = {"left", "right", "either"}


# =========================================================================== debugprint

def char_from_number(number):
    """``number`` in base 26 with the digits A..Z: 0 -> 'A', 25 -> 'Z', 26 -> 'BA'."""
    if number == 0:
        return "A"
    digits = ""
    while number != 0:
        number, remainder = divmod(number, 26)
        digits = chr(ord("A") + remainder) + digits
    return digits


_TIMING_HEADER = """
Timing Info
-----------
--> <time> <% time> - <total time> <% total time>'

<time>         computation time for this node
<% time>       fraction of total computation time for this node
<total time>   time for this node + total times for this node's ancestors
<% total time> total time for this node over total computation time

N.B.:
* Times include the node time and the function overhead.
* <total time> and <% total time> may over-count computation times
  if inputs to a node share a common ancestor and should be viewed as a
  loose upper bound. Their intended use is to help rule out potential nodes
  to remove when optimizing a graph because their <total time> is very low.
"""


def debugprint(obj, depth=-1, print_type=False, file=None, ids="CHAR", stop_on_name=False,
               done=None, print_storage=False, print_clients=False, used_ids=None):
    """Print a graph as an indented tree, one line per variable.

    obj: a Variable, an Apply, a FunctionGraph, a compiled function, an In/Out, or a list of
        these. For a compiled function (or FunctionGraph) each node's line ends with its
        position in the execution order, and, once a profiled function has run, its time.
    depth: how many levels to print (-1: all).
    print_type: add each variable's type.
    file: None (stdout), 'str' (return the text) or an open file (returned).
    ids: 'CHAR' ([id A], [id B], ...), 'int' ([id 0], ...), 'id' (Python ids) or '' (none).
    stop_on_name: do not print what is below a variable that has a name.
    done: dict shared between calls: nodes already printed are not expanded again.
    print_storage: for a compiled function, print each variable's storage cell.
    print_clients: print who reads a node's output when it has several readers.

    A node already printed higher up is shown again by its id only, without its inputs.
    A node with several outputs shows the index of the output: ``MaxAndArgmax.1``.
    """
    from pytheano.compile.function_module import Function
    from pytheano.compile.io import SymbolicInput, SymbolicOutput

    if not isinstance(depth, (int, np.integer)) or isinstance(depth, bool):
        raise TypeError("depth parameter must be an int")
    if file == "str":
        _file = StringIO()
    elif file is None:
        _file = sys.stdout
    else:
        _file = file
    if done is None:
        done = {}
    # Theano 1.0 compat: ids restart at A on every call (the used_ids argument is ignored),
    # only ``done`` carries over.
    used_ids = {}
    results_to_print = []  # (variable, profile, storage map, toposort)
    for item in (obj if isinstance(obj, (list, tuple, set)) else [obj]):
        if isinstance(item, Variable):
            results_to_print.append((item, None, None, None))
        elif isinstance(item, Apply):
            results_to_print.extend((out, None, None, None) for out in item.outputs)
        elif isinstance(item, Function):
            fgraph = item.maker.fgraph
            smap = item.fn.storage_map if print_storage else None
            topo = fgraph.toposort()
            results_to_print.extend((out, item.profile, smap, topo) for out in fgraph.outputs)
        elif isinstance(item, FunctionGraph):
            topo = item.toposort()
            profile = getattr(item, "profile", None)
            smap = getattr(item, "storage_map", None)
            results_to_print.extend((out, profile, smap, topo) for out in item.outputs)
        elif isinstance(item, (int, float, np.ndarray)):
            print(item, file=_file)
        elif isinstance(item, (SymbolicInput, SymbolicOutput)):
            results_to_print.append((item.variable, None, None, None))
        else:
            raise TypeError("debugprint cannot print an object of this type", item)

    profiles = {id(p): p for _, p, _, _ in results_to_print if p is not None}
    if any(p.fct_callcount > 0 for p in profiles.values()):
        print(_TIMING_HEADER, file=_file)
    # Snapshots of each profile's times, taken once for the whole print.
    timings = {key: _ProfileTimes(p) for key, p in profiles.items()}

    # Readers of each variable: a graph's own client lists, or those of the printed nodes.
    clients = {}
    if print_clients:
        for item in (obj if isinstance(obj, (list, tuple, set)) else [obj]):
            fg = item.maker.fgraph if isinstance(item, Function) else item
            if isinstance(fg, FunctionGraph):
                clients.update(fg.clients)
        loose = [r for r, _, _, order in results_to_print if order is None]
        for node in io_toposort(graph_inputs(loose), loose):
            for i, inp in enumerate(node.inputs):
                clients.setdefault(inp, []).append((node, i))
    scan_ops = []
    positions = {}  # id(toposort) -> {node: position}, once per graph
    for r, p, smap, order in results_to_print:
        if _is_scan_output(r):
            scan_ops.append(r)
        if order and id(order) not in positions:
            positions[id(order)] = {node: i for i, node in enumerate(order)}
        _debugprint(r, depth=depth, done=done, print_type=print_type, file=_file,
                    order=order, positions=positions.get(id(order)), ids=ids,
                    scan_ops=scan_ops, stop_on_name=stop_on_name,
                    timing=timings.get(id(p)) if p is not None else None, smap=smap,
                    used_ids=used_ids, print_clients=print_clients, client_map=clients)

    if scan_ops:
        _print_scan_inner_graphs(scan_ops, depth, done, print_type, _file, ids, stop_on_name,
                                 used_ids, print_clients)

    if file is _file:
        return file
    if file == "str":
        return _file.getvalue()
    _file.flush()
    return None


class _ProfileTimes:
    """What debugprint needs from a ProfileStats, computed once per print."""

    def __init__(self, profile):
        self.apply_time = profile.apply_time
        self.fct_call_time = profile.fct_call_time
        self.total_times = profile.compute_total_times() if self.apply_time else {}


def _is_scan_output(r):
    owner = getattr(r, "owner", None)
    return owner is not None and type(owner.op).__name__ == "Scan"


def _debugprint(r, prefix="", depth=-1, done=None, print_type=False, file=sys.stdout,
                print_destroy_map=False, print_view_map=False, order=None, ids="CHAR",
                stop_on_name=False, prefix_child=None, scan_ops=None, timing=None,
                scan_inner_to_outer_inputs=None, smap=None, used_ids=None,
                print_clients=False, positions=None, client_map=None):
    """Print the graph below variable ``r``, depth first, with an explicit stack so that
    deep graphs (long chains of ops) do not hit Python's recursion limit."""
    if done is None:
        done = {}
    if scan_ops is None:
        scan_ops = []
    if used_ids is None:
        used_ids = {}
    order = order or []
    if positions is None:
        positions = {node: i for i, node in enumerate(order)}

    def get_id_str(obj, var, get_printed=True):
        if obj in used_ids:
            id_str = used_ids[obj]
        elif isinstance(obj, str) and obj == "output":
            id_str = "output"
        elif ids == "id":
            id_str = "[id %s]" % id(var)
        elif ids == "int":
            id_str = "[id %s]" % len(used_ids)
        elif ids == "CHAR":
            id_str = "[id %s]" % char_from_number(len(used_ids))
        else:
            id_str = ""
        if get_printed:
            done[obj] = id_str
        used_ids[obj] = id_str
        return id_str

    # (variable, prefix, prefix of its children, remaining depth, is a child of a node)
    stack = [(r, prefix, prefix if prefix_child is None else prefix_child, depth, False)]
    while stack:
        r, prefix, prefix_child, depth, is_child = stack.pop()
        if depth == 0:
            continue
        if is_child and _is_scan_output(r):
            scan_ops.append(r)
        type_str = " <%s>" % (r.type,) if print_type else ""
        owner = getattr(r, "owner", None)
        if owner is not None and hasattr(owner, "op"):
            a = owner
            r_name = getattr(r, "name", "")
            if r_name is None:
                r_name = ""
            destroy_map_str = view_map_str = ""
            if print_destroy_map:
                destroy_map_str = str(getattr(a.op, "destroy_map", ""))
            if print_view_map:
                view_map_str = str(getattr(a.op, "view_map", ""))
            if destroy_map_str and destroy_map_str != "{}":
                destroy_map_str = "d=" + destroy_map_str
            if view_map_str and view_map_str != "{}":
                view_map_str = "v=" + view_map_str
            o = str(positions.get(a, "")) if order else ""
            already_printed = a in done
            id_str = get_id_str(a, r)
            idx = "" if len(a.outputs) == 1 else ".%i" % a.outputs.index(r)
            data = " " + str(smap.get(a.outputs[0], "")) if smap else ""
            clients = ""
            client_list = client_map.get(r, ()) if client_map else ()
            if print_clients and len(client_list) > 1:
                clients = " clients:" + str([
                    (get_id_str(c, r, False), positions.get(c, "")) for c, _ in client_list])
            line = "%s%s%s %s%s '%s' %s %s %s%s%s" % (
                prefix, a.op, idx, id_str, type_str, r_name, destroy_map_str, view_map_str, o,
                data, clients)
            if timing is not None and a in timing.apply_time:
                op_time = timing.apply_time[a]
                tot_time = timing.total_times[a]
                call_time = timing.fct_call_time
                line += " --> %8.2es %4.1f%% %8.2es %4.1f%%" % (
                    op_time, _percent(op_time, call_time), tot_time,
                    _percent(tot_time, call_time))
            print(line, file=file)
            if already_printed:
                continue
            if stop_on_name and getattr(r, "name", None) is not None:
                continue
            children = []
            for i, inp in enumerate(a.inputs):
                last = i == len(a.inputs) - 1
                children.append((inp, prefix_child + " |",
                                 prefix_child + ("  " if last else " |"), depth - 1, True))
            stack.extend(reversed(children))
        elif scan_inner_to_outer_inputs is not None and r in scan_inner_to_outer_inputs:
            id_str = get_id_str(r, r)
            outer_r = scan_inner_to_outer_inputs[r]
            if getattr(outer_r, "owner", None) is not None:
                outer_id_str = get_id_str(outer_r.owner, outer_r)
            else:
                outer_id_str = get_id_str(outer_r, outer_r)
            print("%s%s %s%s -> %s" % (prefix, r, id_str, type_str, outer_id_str), file=file)
        else:
            data = " " + str(smap.get(r, "")) if smap else ""
            id_str = get_id_str(r, r)
            print("%s%s %s%s%s" % (prefix, r, id_str, type_str, data), file=file)
    return file


def _percent(t, total):
    return t / total * 100 if total else 0.0


def _print_scan_inner_graphs(scan_ops, depth, done, print_type, file, ids, stop_on_name,
                             used_ids, print_clients):
    """Theano's 'Inner graphs of the scan ops:' section, for ops that describe their inner
    graph as Theano's Scan does (``inputs``/``outputs`` or a compiled ``fn``, and
    ``var_mappings['outer_inp_from_inner_inp']``)."""
    print("", file=file)
    print("Inner graphs of the scan ops:", file=file)
    for s in scan_ops:  # the list grows while we print nested scans
        op = s.owner.op
        inner_fn = getattr(op, "fn", None)
        if inner_fn is not None and hasattr(inner_fn, "maker"):
            inner_inputs = inner_fn.maker.fgraph.inputs
            inner_outputs = inner_fn.maker.fgraph.outputs
        else:
            inner_inputs = getattr(op, "inputs", [])
            inner_outputs = getattr(op, "outputs", [])
        mapping = getattr(op, "var_mappings", {}).get("outer_inp_from_inner_inp", {})
        inner_to_outer = {inner_inputs[i]: s.owner.inputs[o] for i, o in mapping.items()}
        print("", file=file)
        _debugprint(s, depth=depth, done=done, print_type=print_type, file=file, ids=ids,
                    scan_ops=scan_ops, stop_on_name=stop_on_name,
                    scan_inner_to_outer_inputs=inner_to_outer, print_clients=print_clients,
                    used_ids=used_ids)
        for out in inner_outputs:
            if _is_scan_output(out):
                scan_ops.append(out)
            _debugprint(out, prefix=" >", depth=depth, done=done, print_type=print_type,
                        file=file, ids=ids, stop_on_name=stop_on_name, prefix_child=" >",
                        scan_ops=scan_ops, scan_inner_to_outer_inputs=inner_to_outer,
                        print_clients=print_clients, used_ids=used_ids)


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
            from pytheano.tensor.basic import as_tensor_variable

            xin = as_tensor_variable(xin)
        return Apply(self, [xin], [xin.type()])

    def perform(self, node, inputs, output_storage):
        xin, = inputs
        output_storage[0][0] = xin
        self.global_fn(self, xin)

    def infer_shape(self, fgraph, node, input_shapes):
        return input_shapes

    def grad(self, inputs, output_gradients):
        return output_gradients

    def R_op(self, inputs, eval_points):
        return list(eval_points)

    def __setstate__(self, state):
        state.setdefault("global_fn", _print_fn)
        self.__dict__.update(state)

    def c_code_cache_version(self):
        return (1,)


# =========================================================================== pp

class PrinterState:
    """What printers share while printing one expression: the printer (``pprinter``), the
    current ``precedence`` and a memo of the strings already made."""

    def __init__(self, props=None, **more_props):
        if props is not None:
            self.__dict__.update(props if isinstance(props, dict) else vars(props))
        self.__dict__.update(more_props)
        self.memo = {}

    def clone(self, props=None, **more_props):
        cp = copy(self)
        if props is not None:
            cp.__dict__.update(props)
        cp.__dict__.update(more_props)
        return cp


def _process_all(inputs, pstate, precedence, fresh=False):
    """The strings of ``inputs``, printed at ``precedence`` (with a new printer state each
    when ``fresh``)."""
    if fresh:
        old = getattr(pstate, "precedence", None)
        pstate.precedence = precedence
        try:
            return [pstate.pprinter.process(inp) for inp in inputs]
        finally:
            pstate.precedence = old
    return _process_each(inputs, pstate, [precedence] * len(inputs))


def _process_each(inputs, pstate, precedences):
    """The strings of ``inputs``, each printed at its own precedence."""
    old = getattr(pstate, "precedence", None)
    try:
        strings = []
        for inp, precedence in zip(inputs, precedences):
            pstate.precedence = precedence
            strings.append(pstate.pprinter.process(inp, pstate))
        return strings
    finally:
        pstate.precedence = old


class _NodePrinter:
    """Base of the printers of an op's output: the memo, and a TypeError for a variable
    with no owner. Subclasses write ``_format(node, output, pstate)`` and ``_what()`` (the
    printer, as the error names it)."""

    def process(self, output, pstate):
        if output in pstate.memo:
            return pstate.memo[output]
        node = output.owner
        if node is None:
            raise TypeError("%s cannot represent a variable that is not the result of an "
                            "operation" % self._what())
        r = self._format(node, output, pstate)
        pstate.memo[output] = r
        return r


class OperatorPrinter(_NodePrinter):
    """``(a + b)``, ``(-a)``: an infix (or, with one input, prefix) operator."""

    def __init__(self, operator, precedence, assoc="left"):
        if assoc not in VALID_ASSOC:
            raise ValueError("assoc must be one of %s, got %r" % (sorted(VALID_ASSOC), assoc))
        self.operator = operator
        self.precedence = precedence
        self.assoc = assoc

    def _what(self):
        return "operator %s" % self.operator

    def _format(self, node, output, pstate):
        last = len(node.inputs) - 1
        precedences = []
        for i in range(len(node.inputs)):
            precedence = self.precedence
            if (self.assoc == "left" and i != 0) or (self.assoc == "right" and i != last):
                precedence += 1e-6
            precedences.append(precedence)
        strings = _process_each(node.inputs, pstate, precedences)
        if len(strings) == 1:
            s = self.operator + strings[0]
        else:
            s = (" %s " % self.operator).join(strings)
        # Theano 1.0 compat: every operator expression is parenthesized, whatever the
        # precedences (Theano disabled its precedence logic as buggy).
        return "(%s)" % s


class PatternPrinter(_NodePrinter):
    """A %-format pattern per output over the inputs: ``PatternPrinter(('|%(0)s|', -1000))``."""

    def __init__(self, *patterns):
        self.patterns = []
        for pattern in patterns:
            if isinstance(pattern, str):
                self.patterns.append((pattern, ()))
            else:
                self.patterns.append((pattern[0], tuple(pattern[1:])))

    def _what(self):
        return "Patterns %s" % self.patterns

    def _format(self, node, output, pstate):
        pattern, precedences = self.patterns[node.outputs.index(output)]
        precedences = tuple(precedences) + (1000,) * len(node.inputs)
        strings = _process_each(node.inputs, pstate, precedences)
        return pattern % {str(i): string for i, string in enumerate(strings)}


class FunctionPrinter(_NodePrinter):
    """``name(a, b)``; one name per output of the op."""

    def __init__(self, *names):
        self.names = names

    def _what(self):
        return "function %s" % (self.names,)

    def _format(self, node, output, pstate):
        name = self.names[node.outputs.index(output)]
        return "%s(%s)" % (name, ", ".join(_process_all(node.inputs, pstate, -1000)))


class MemberPrinter(FunctionPrinter):
    """``a.name``: an attribute-like view of the op's single input."""

    def _format(self, node, output, pstate):
        name = self.names[node.outputs.index(output)]
        inp, = node.inputs
        return "%s.%s" % (_process_all([inp], pstate, 1000)[0], name)


class IgnorePrinter(_NodePrinter):
    """Prints the op's first input as if the op were not there (copies, identities)."""

    def _what(self):
        return "IgnorePrinter"

    def _format(self, node, output, pstate):
        return "%s" % pstate.pprinter.process(node.inputs[0], pstate)


# Variables named like greek letters print as their LaTeX name.
special = dict(middle_dot="\\dot", big_sigma="\\Sigma")
greek = dict(alpha="\\alpha", beta="\\beta", gamma="\\gamma", delta="\\delta",
             epsilon="\\epsilon")


class LeafPrinter:
    """A graph input: its name, or its str (``<TensorType(float64, matrix)>``,
    ``TensorConstant{2}``) when it has none."""

    def process(self, output, pstate):
        if output in pstate.memo:
            return pstate.memo[output]
        name = getattr(output, "name", None)
        r = greek[name] if name in greek else str(output)
        pstate.memo[output] = r
        return r


leaf_printer = LeafPrinter()


class DefaultPrinter:
    """``Op(a, b)`` for an op without a printer of its own; leaves through LeafPrinter."""

    def process(self, output, pstate):
        if output in pstate.memo:
            return pstate.memo[output]
        node = output.owner
        if node is None:
            return leaf_printer.process(output, pstate)
        r = "%s(%s)" % (node.op, ", ".join(_process_all(node.inputs, pstate, -1000)))
        pstate.memo[output] = r
        return r


default_printer = DefaultPrinter()


class DimShufflePrinter:
    """``x.T`` for a transpose, the input itself when only broadcastable dimensions are
    added in front, ``DimShuffle{1, x, 0}(x)`` otherwise."""

    def _p(self, new_order, pstate, r):
        while new_order and new_order[0] == "x":
            new_order = new_order[1:]
        # Theano 1.0 compat: the input is printed with a fresh printer state.
        if list(new_order) == list(range(r.type.ndim)):
            return pstate.pprinter.process(r)
        if list(new_order) == list(reversed(range(r.type.ndim))):
            return "%s.T" % pstate.pprinter.process(r)
        return "DimShuffle{%s}(%s)" % (", ".join(map(str, new_order)),
                                       pstate.pprinter.process(r))

    def process(self, r, pstate):
        if r.owner is None or not hasattr(r.owner.op, "new_order"):
            raise TypeError("Can only print DimShuffle.")
        return self._p(tuple(r.owner.op.new_order), pstate, r.owner.inputs[0])


class SubtensorPrinter:
    """``x[Constant{0}]``, ``x[int64:int64, ::int64]``: a basic index, from the op's
    ``idx_list`` (ints, slices, and index types that stand for symbolic inputs)."""

    def process(self, r, pstate):
        if r.owner is None or not hasattr(r.owner.op, "idx_list"):
            raise TypeError("Can only print Subtensor.")
        inputs = list(r.owner.inputs)
        x = inputs.pop(0)
        sidxs = []
        old_precedence = getattr(pstate, "precedence", None)
        try:
            pstate.precedence = -1000
            for entry in r.owner.op.idx_list:
                if isinstance(entry, (int, np.integer)):
                    sidxs.append(str(entry))
                elif isinstance(entry, Type):
                    # In order. (Theano 1.0 took them from the end of the inputs and so
                    # printed x[i, j] as x[j, i]: a bug we do not copy.)
                    sidxs.append(pstate.pprinter.process(inputs.pop(0)))
                elif isinstance(entry, slice):
                    # A symbolic bound prints as its type (int64), as in Theano; its input is
                    # consumed so the indices after it are matched to the right inputs.
                    for bound in (entry.start, entry.stop, entry.step):
                        if isinstance(bound, Type):
                            inputs.pop(0)
                    start = "" if entry.start is None or _is_int_equal(entry.start, 0) \
                        else entry.start
                    stop = "" if entry.stop is None or _is_int_equal(entry.stop, sys.maxsize) \
                        else entry.stop
                    step = "" if entry.step is None else ":%s" % (entry.step,)
                    sidxs.append("%s:%s%s" % (start, stop, step))
        finally:
            pstate.precedence = old_precedence
        sub = _process_all([x], pstate, 1000)[0]
        return "%s[%s]" % (sub, ", ".join(sidxs))


def _is_int_equal(value, number):
    return isinstance(value, (int, np.integer)) and value == number


class MakeVectorPrinter:
    """``[a, b]`` for a vector made from scalars."""

    def process(self, r, pstate):
        if r.owner is None:
            raise TypeError("Can only print make_vector.")
        # Theano 1.0 compat: each element is printed with a fresh printer state.
        return "[%s]" % ", ".join(_process_all(r.owner.inputs, pstate, 1000, fresh=True))


class _CastPrinter:
    """``float32(x)``: a cast prints as the dtype it casts to."""

    def process(self, output, pstate):
        return FunctionPrinter(output.type.dtype).process(output, pstate)


class _GemmPrinter:
    def process(self, output, pstate):
        name = "gemm_inplace" if getattr(output.owner.op, "inplace", False) \
            else "gemm_no_inplace"
        return FunctionPrinter(name).process(output, pstate)


# --------------------------------------------------------------------------- the tables
# Theano 1.0's printer assignments, keyed by names so that no op module has to be imported
# (they are written and imported independently). For an Elemwise the key is the class name of
# its scalar op; the name Theano uses for the tensor function (``Elemwise{NAME,no_inplace}``)
# is a second key, for scalar op classes named differently than Theano's.

def _ops():
    return {
        "add": ("Add", OperatorPrinter("+", -2, "either")),
        "mul": ("Mul", OperatorPrinter("*", -1, "either")),
        "sub": ("Sub", OperatorPrinter("-", -2, "left")),
        "neg": ("Neg", OperatorPrinter("-", 0, "either")),
        "true_div": ("TrueDiv", OperatorPrinter("/", -1, "left")),
        "int_div": ("IntDiv", OperatorPrinter("//", -1, "left")),
        "pow": ("Pow", OperatorPrinter("**", 1, "right")),
    }


# Elemwise ops that print as ``name(args)``: {Theano tensor function name: scalar op class}.
_ELEMWISE_FUNCTIONS = {
    "and_": "AND", "angle": "Angle", "arccos": "ArcCos", "arccosh": "ArcCosh",
    "arcsin": "ArcSin", "arcsinh": "ArcSinh", "arctan": "ArcTan", "arctan2": "ArcTan2",
    "arctanh": "ArcTanh", "ceil": "Ceil", "chi2sf": "Chi2SF", "clip": "Clip",
    "complex": "Complex", "complex_from_polar": "ComplexFromPolar", "conj": "Conj",
    "cos": "Cos", "cosh": "Cosh", "deg2rad": "Deg2Rad", "eq": "EQ", "erf": "Erf",
    "erfc": "Erfc", "erfcinv": "Erfcinv", "erfcx": "Erfcx", "erfinv": "Erfinv", "exp": "Exp",
    "exp2": "Exp2", "expm1": "Expm1", "floor": "Floor", "ge": "GE", "gt": "GT",
    "gamma": "Gamma", "gammainc": "GammaInc", "gammaincc": "GammaIncC", "gammal": "GammaL",
    "gammaln": "GammaLn", "gammau": "GammaU", "i0": "I0", "i1": "I1", "imag": "Imag",
    "inv": "Inv", "invert": "Invert", "isinf": "IsInf", "isnan": "IsNan", "iv": "Iv",
    "j0": "J0", "j1": "J1", "jv": "Jv", "le": "LE", "lt": "LT", "log": "Log",
    "log10": "Log10", "log1p": "Log1p", "log2": "Log2", "maximum": "Maximum",
    "minimum": "Minimum", "mod": "Mod", "neq": "NEQ", "or_": "OR", "psi": "Psi",
    "rad2deg": "Rad2Deg", "real": "Real",
    "round_half_away_from_zero": "RoundHalfAwayFromZero",
    "round_half_to_even": "RoundHalfToEven", "sgn": "Sgn", "sin": "Sin", "sinh": "Sinh",
    "sqr": "Sqr", "sqrt": "Sqrt", "switch": "Switch", "tan": "Tan", "tanh": "Tanh",
    "tri_gamma": "TriGamma", "trunc": "Trunc", "xor": "XOR",
    # nnet: the Elemwise is named after the function, the scalar op is not
    "sigmoid": "ScalarSigmoid", "softplus": "ScalarSoftplus",
    "ultra_fast_sigmoid": "UltraFastScalarSigmoid",
}

# {scalar op class name: printer} and {tensor function name: printer} for Elemwise.
_ELEMWISE_BY_CLASS = {}
_ELEMWISE_BY_SYMBOL = {}
# {op class name: printer} for other ops, and for scalar ops on scalar variables.
_OP_BY_CLASS = {}
_SCALAR_BY_CLASS = {}


def register_elemwise_printer(scalar_op_class_name, printer, symbol=None):
    """Print ``Elemwise(scalar_op)`` (without inplace) with ``printer`` when the scalar op's
    class is named ``scalar_op_class_name`` (or the Elemwise is named ``Elemwise{symbol,...}``)."""
    _ELEMWISE_BY_CLASS[scalar_op_class_name] = printer
    if symbol is not None:
        _ELEMWISE_BY_SYMBOL[symbol] = printer


def register_op_printer(op_class_name, printer):
    """Print the outputs of every op whose class is named ``op_class_name`` with ``printer``."""
    _OP_BY_CLASS[op_class_name] = printer


def _fill_tables():
    for symbol, (cls, printer) in _ops().items():
        register_elemwise_printer(cls, printer, symbol)
        _SCALAR_BY_CLASS[cls] = printer
    for symbol, cls in _ELEMWISE_FUNCTIONS.items():
        register_elemwise_printer(cls, FunctionPrinter(symbol), symbol)
    # On scalars mod is an operator; on tensors Theano prints mod(a, b).
    _SCALAR_BY_CLASS["Mod"] = OperatorPrinter("%", -1, "left")
    register_elemwise_printer("Abs", PatternPrinter(("|%(0)s|", -1000)), "abs_")
    register_elemwise_printer("Second", FunctionPrinter("fill"), "fill")
    register_elemwise_printer("Identity", IgnorePrinter(), "tensor_copy")
    register_elemwise_printer("Cast", _CastPrinter())
    register_op_printer("DimShuffle", DimShufflePrinter())
    register_op_printer("Subtensor", SubtensorPrinter())
    register_op_printer("MakeVector", MakeVectorPrinter())
    register_op_printer("Join", FunctionPrinter("join"))
    register_op_printer("Alloc", FunctionPrinter("alloc"))
    register_op_printer("Dot", OperatorPrinter(special["middle_dot"], -1, "left"))
    register_op_printer("Gemm", _GemmPrinter())


_fill_tables()


def _symbol_of(elemwise):
    """``exp`` for an op printed ``Elemwise{exp,no_inplace}``, else None."""
    s = str(elemwise)
    if s.startswith("Elemwise{") and s.endswith(",no_inplace}"):
        return s[len("Elemwise{"):-len(",no_inplace}")]
    return getattr(elemwise, "name", None)


def _table_printer(op):
    """The printer the tables give for ``op``, or None."""
    scalar_op = getattr(op, "scalar_op", None)
    if scalar_op is not None and hasattr(op, "inplace_pattern"):
        # Theano 1.0 compat: inplace Elemwise ops (made by rewrites) have no printer.
        if op.inplace_pattern:
            return None
        printer = _ELEMWISE_BY_CLASS.get(type(scalar_op).__name__)
        if printer is None:
            printer = _ELEMWISE_BY_SYMBOL.get(_symbol_of(op))
        return printer
    cls = type(op).__name__
    printer = _OP_BY_CLASS.get(cls)
    if printer is not None:
        return printer
    if isinstance(op, ScalarOp):
        return _SCALAR_BY_CLASS.get(cls)
    if cls == "Sum" and all(getattr(op, p, 0) is None for p in ("axis", "dtype", "acc_dtype")):
        return FunctionPrinter("sum")
    return None


_deep_recursion_ok = [False]


def _with_recursion_room(r, fn):
    from pytheano.graph.basic import ancestors

    old_limit = sys.getrecursionlimit()
    needed = 4 * len(ancestors([r])) + 200
    _deep_recursion_ok[0] = True
    try:
        if needed > old_limit:
            sys.setrecursionlimit(min(needed + old_limit, 200000))
        return fn()
    finally:
        _deep_recursion_ok[0] = False
        sys.setrecursionlimit(old_limit)


class PPrinter:
    """Turns a variable into a math-like string, choosing a printer per op.

    ``assign(op_or_class, printer)`` gives an op (compared by equality) or an op class its
    printer; ``assign(condition, printer)`` with ``condition(pstate, variable)`` adds a
    printer tried, newest first, for variables no op or class printer claims.
    """

    def __init__(self):
        self.printers = []
        self.printers_dict = {}

    def assign(self, condition, printer):
        if isinstance(condition, (Op, type)):
            self.printers_dict[condition] = printer
            return
        self.printers.insert(0, (condition, printer))

    def process(self, r, pstate=None):
        if not isinstance(r, Variable):
            raise TypeError("pp prints a symbolic Variable; got %r of type %s. To print "
                            "several, call pp on each (or pp(inputs, outputs, updates))."
                            % (r, type(r).__name__))
        if pstate is None:
            if not _deep_recursion_ok[0]:
                # A chain of n ops recurses about 3n frames deep: allow it for this call.
                return _with_recursion_room(r, lambda: self.process(r, PrinterState(
                    pprinter=self)))
            pstate = PrinterState(pprinter=self)
        elif isinstance(pstate, dict):
            pstate = PrinterState(pprinter=self, **pstate)
        owner = r.owner
        if owner is not None:
            op = owner.op
            try:
                printer = self.printers_dict.get(op)
            except TypeError:  # an unhashable op
                printer = None
            if printer is None:
                printer = self.printers_dict.get(type(op))
            if printer is None:
                printer = _table_printer(op)
            if printer is not None:
                return printer.process(r, pstate)
        for condition, printer in self.printers:
            if condition(pstate, r):
                return printer.process(r, pstate)
        return None

    def clone(self):
        cp = copy(self)
        cp.printers = list(self.printers)
        cp.printers_dict = dict(self.printers_dict)
        return cp

    def clone_assign(self, condition, printer):
        cp = self.clone()
        cp.assign(condition, printer)
        return cp

    def process_graph(self, inputs, outputs, updates=None, display_inputs=False):
        """A small program: one line per named variable and output, ``return ...`` for a
        single output, ``shared <- expression`` for updates."""
        from pytheano.graph.basic import io_toposort

        updates = dict(updates or {})
        if not isinstance(inputs, (list, tuple)):
            inputs = [inputs]
        if not isinstance(outputs, (list, tuple)):
            outputs = [outputs]
        current = [None]
        strings = []
        if display_inputs:
            strings.append((0, "inputs: " + ", ".join(
                map(str, list(inputs) + list(updates.keys())))))
        # Named variables print as their name, except the one being defined. (Theano meant
        # this, but its op printers took precedence over the name.)
        pprinter = _NamesFirst(self, lambda r: r.name is not None and r is not current[0])
        inv_updates = {b: a for a, b in updates.items()}
        i = 1
        for node in io_toposort(list(inputs) + list(updates.keys()),
                                list(outputs) + list(updates.values())):
            for output in node.outputs:
                if output in inv_updates:
                    strings.append((i + 1000, "%s <- %s" % (inv_updates[output],
                                                            pprinter.process(output))))
                    i += 1
                if output.name is not None or output in outputs:
                    name = output.name if output.name is not None \
                        else "out[%i]" % outputs.index(output)
                    current[0] = output
                    try:
                        idx = 2000 + outputs.index(output)
                    except ValueError:
                        idx = i
                    if len(outputs) == 1 and outputs[0] is output:
                        strings.append((idx, "return %s" % pprinter.process(output)))
                    else:
                        strings.append((idx, "%s = %s" % (name, pprinter.process(output))))
                    i += 1
        strings.sort(key=lambda s: s[0])
        return "\n".join(s[1] for s in strings)

    def __call__(self, *args):
        if len(args) == 1:
            return self.process(*args)
        if len(args) == 2 and isinstance(args[1], (PrinterState, dict)):
            return self.process(*args)
        if len(args) > 2:
            return self.process_graph(*args)
        raise TypeError("Not enough arguments to call.")


class _NamesFirst(PPrinter):
    def __init__(self, base, use_name):
        PPrinter.__init__(self)
        self.printers = list(base.printers)
        self.printers_dict = dict(base.printers_dict)
        self.use_name = use_name

    def process(self, r, pstate=None):
        if pstate is not None and isinstance(r, Variable) and self.use_name(r):
            return leaf_printer.process(r, pstate)
        return PPrinter.process(self, r, pstate)


pprint = PPrinter()
pprint.assign(lambda pstate, r: True, default_printer)

pp = pprint
"""Print a variable as a math-like expression: ``pp(x + y) == '(x + y)'``."""


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
    from pytheano.compile.function_module import Function
    from pytheano.graph.basic import graph_inputs

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
            if type(node.op).__name__ != "Scan":
                continue
            op_name = getattr(node.op, "name", None)
            new_name = basename + ("_%s_%d" % (op_name, idx) if op_name else "_%d" % idx)
            inner_fn = getattr(node.op, "fn", None)
            to_print = inner_fn if isinstance(inner_fn, Function) else node.op.outputs
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
    from pytheano.compile.sharedvalue import SharedVariable

    g = pd.Dot()
    clusters = None
    if cond_highlight is not None:
        cond = None
        for node in topo:
            if type(node.op).__name__ == "IfElse" and \
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
    from pytheano.graph.basic import ancestors

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
    import hashlib

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
            ",".join(str(s) for s in obj.strides),
            hashlib.sha256(np.ascontiguousarray(obj).tobytes()).hexdigest())
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
