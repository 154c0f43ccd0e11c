"""Showing graphs as text: ``debugprint`` (the graph as an indented tree) and ``pp`` (a
math-like expression), with the printer registry that ops fill beside their definitions
(``pprint.assign(OpClass, printer)``).

The graph layer holds them so that every layer can print (run-time errors, profiles, shape
errors); ``pytheano.printing`` adds pydotprint and the Print op and re-exports these under
Theano's path. The output is Theano 1.0's, character for character.
"""
import sys
from copy import copy
from io import StringIO

import numpy as np

from pytheano._core.fgraph import FunctionGraph
from pytheano._core.graph import Apply, Variable, ancestors, graph_inputs, io_toposort
from pytheano.graph.op import HasInnerGraph, Op

__all__ = ["pp", "pprint", "debugprint", "PPrinter", "PrinterState", "OperatorPrinter",
           "PatternPrinter", "FunctionPrinter", "IgnorePrinter", "LeafPrinter",
           "DefaultPrinter", "MemberPrinter", "char_from_number", "default_printer",
           "leaf_printer", "special", "greek", "process_all", "process_each"]

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
        elif hasattr(item, "maker") and hasattr(item, "fn"):  # a compiled Function
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
        elif isinstance(getattr(item, "variable", None), Variable):  # In / Out
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
            fg = item.maker.fgraph if hasattr(item, "maker") else item
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
    return owner is not None and isinstance(owner.op, HasInnerGraph)


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
    """Theano's 'Inner graphs of the scan ops:' section, for ops with an inner graph
    (``HasInnerGraph``: ``inner_inputs``, ``inner_outputs``, ``inner_to_outer_inputs``)."""
    print("", file=file)
    print("Inner graphs of the scan ops:", file=file)
    for s in scan_ops:  # the list grows while we print nested scans
        op = s.owner.op
        inner_outputs = op.inner_outputs
        inner_to_outer = op.inner_to_outer_inputs(s.owner)
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


def process_all(inputs, pstate, precedence, fresh=False):
    """The strings of ``inputs``, printed at ``precedence`` (with a new printer state each
    when ``fresh``)."""
    if fresh:
        old = getattr(pstate, "precedence", None)
        pstate.precedence = precedence
        try:
            return [pstate.pprinter.process(inp) for inp in inputs]
        finally:
            pstate.precedence = old
    return process_each(inputs, pstate, [precedence] * len(inputs))


def process_each(inputs, pstate, precedences):
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
        strings = process_each(node.inputs, pstate, precedences)
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
        strings = process_each(node.inputs, pstate, precedences)
        return pattern % {str(i): string for i, string in enumerate(strings)}


class FunctionPrinter(_NodePrinter):
    """``name(a, b)``; one name per output of the op."""

    def __init__(self, *names):
        self.names = names

    def _what(self):
        return "function %s" % (self.names,)

    def _format(self, node, output, pstate):
        name = self.names[node.outputs.index(output)]
        return "%s(%s)" % (name, ", ".join(process_all(node.inputs, pstate, -1000)))


class MemberPrinter(FunctionPrinter):
    """``a.name``: an attribute-like view of the op's single input."""

    def _format(self, node, output, pstate):
        name = self.names[node.outputs.index(output)]
        inp, = node.inputs
        return "%s.%s" % (process_all([inp], pstate, 1000)[0], name)


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
        r = "%s(%s)" % (node.op, ", ".join(process_all(node.inputs, pstate, -1000)))
        pstate.memo[output] = r
        return r


default_printer = DefaultPrinter()


_deep_recursion_ok = [False]


def _with_recursion_room(r, fn):
    old_limit = sys.getrecursionlimit()
    needed = 6 * len(ancestors([r])) + 200
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
                # A chain of n ops recurses about 5n frames deep: allow it for this call.
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
