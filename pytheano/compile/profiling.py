"""ProfileStats: what a profiled function records, and Theano's report of it.

``function(..., profile=True)`` (or ``config.profile``) attaches a ProfileStats to the
compiled function. The call path (``pytheano._core.function``) counts calls and their time
(``fct_callcount``, ``fct_call_time``, ``vm_call_time``); the VM times each thunk
(``vm.thunk_times``/``vm.thunk_calls`` while ``vm.profiling``). ``summary()`` prints the report
per Op class, per Op and per Apply node, and the memory report with ``config.profile_memory``.
With ``config.profile`` every compiled function is profiled and the reports are printed when
the program exits, as in Theano.
"""
import atexit
import copy
import operator
import sys
import time

from pytheano import hooks
from pytheano.gradient import autodiff as grad_module
from pytheano.tensor.blas import Dot
from pytheano.configparser import config
from pytheano._core.vm import CallableThunk, LazyThunk
from pytheano.graph.printing import debugprint

_IMPORT_TIME = time.perf_counter()

# Totals over all profiled functions (``print_global_stats``).
total_fct_exec_time = 0.0
total_graph_opt_time = 0.0
total_time_linker = 0.0

_atexit_print_list = []
_atexit_registered = False
_profiler_printers = []


def _cfg(name, default):
    """A config option, or ``default`` where this build does not declare it."""
    obj = config
    try:
        for part in name.split("."):
            obj = getattr(obj, part)
    except AttributeError:
        return default
    return obj


def _destination():
    dest = _cfg("profiling.destination", "stderr")
    if dest == "stderr":
        return sys.stderr, False
    if dest == "stdout":
        return sys.stdout, False
    return open(dest, "w"), True


def _atexit_print_fn():
    """Print the profiles of the functions compiled with ``config.profile`` (largest first),
    then their sum when there are several."""
    if not config.profile:
        return
    file, must_close = _destination()
    try:
        to_sum = []
        for ps in sorted(_atexit_print_list,
                         key=lambda p: p.compile_time + p.fct_call_time)[::-1]:
            if ps.fct_callcount >= 1 or ps.compile_time > 1 or getattr(ps, "callcount", 0) > 1:
                ps.summary(file=file, n_ops_to_print=_cfg("profiling.n_ops", 20),
                           n_apply_to_print=_cfg("profiling.n_apply", 20))
                if not isinstance(ps, ScanProfileStats):
                    to_sum.append(ps)
            else:
                print("Skipping empty Profile", file=file)
        if len(to_sum) > 1:
            cum = to_sum[0].merged(to_sum[1:])
            cum.message = ("Sum of all(%d) printed profiles at exit excluding Scan op "
                           "profile." % len(to_sum))
            cum.summary(file=file, n_ops_to_print=_cfg("profiling.n_ops", 20),
                        n_apply_to_print=_cfg("profiling.n_apply", 20))
        if _cfg("print_global_stats", False):
            print_global_stats(file)
    finally:
        if must_close:
            file.close()


def print_global_stats(file=None):
    """Time since import, in profiled functions, and compiling them (optimizer, linker)."""
    if file is None:
        file = _destination()[0]
    print("=" * 50, file=file)
    print("Global stats: ",
          "Time elasped since Theano import = %6.3fs, "
          "Time spent in Theano functions = %6.3fs, "
          "Time spent compiling Theano functions:  optimzation = %6.3fs, linker = %6.3fs "
          % (time.perf_counter() - _IMPORT_TIME, total_fct_exec_time, total_graph_opt_time,
             total_time_linker), file=file)
    print("=" * 50, file=file)


def register_profiler_printer(fct):
    """Add ``fct(message, compile_time, fct_call_time, apply_time, apply_cimpl,
    output_size, file=...)`` to what every summary prints."""
    _profiler_printers.append(fct)
    return fct


def _grad_time():
    return grad_module.grad_time


class ProfileStats:
    """Times of compiled functions: calls, VM time, per-Apply thunk times, compile times.

    One ProfileStats may be given to several functions (``profile=ps``); it then sums them.
    ``summary()`` prints the report per Op class, per Op and per Apply node.

    atexit_print: print the summary when the program exits (with ``config.profile``).
    flag_time_thunks: time each node (default ``config.profiling.time_thunks``, True).
    """

    line_width = 512

    def __init__(self, atexit_print=True, flag_time_thunks=None, message=None,
                 gpu_checks=True, **kwargs):
        self.message = message
        self._fct_callcount = 0
        self._fct_call_time = 0.0
        self.vm_call_time = 0.0
        self.compile_time = 0.0
        self.optimizer_time = 0.0
        self.linker_time = 0.0
        self.validate_time = 0.0
        self.import_time = 0.0
        self.linker_node_make_thunks = 0.0
        self.linker_make_thunk_time = {}
        self.nb_nodes = -1
        self.optimizer_profile = None
        self.fn = None
        self.maker = None
        self.atexit_print = atexit_print
        self.flag_time_thunks = (_cfg("profiling.time_thunks", True)
                                 if flag_time_thunks is None else flag_time_thunks)
        self.ignore_first_call = _cfg("profiling.ignore_first_call", False)
        self.line_width = _cfg("profiling.output_line_width", 512)
        # Shapes, strides and offsets of the values, recorded with config.profile_memory.
        self.variable_shape = {}
        self.variable_strides = {}
        self.variable_offset = {}
        self.output_size = {}
        # Where the per-node times live: the attached VMs' counters, plus times merged in
        # from other profiles (merged()) or assigned.
        self._vms = []
        self._node_index = {}
        self._node_fgraph = {}  # node -> the graph it ran in (nodes do not know it)
        self._extra_time = {}
        self._extra_callcount = {}
        self._extra_cimpl = {}
        self._cimpl = {}
        self.__dict__.update(kwargs)
        if atexit_print:
            global _atexit_registered
            _atexit_print_list.append(self)
            if not _atexit_registered:
                atexit.register(_atexit_print_fn)
                _atexit_registered = True

    # ------------------------------------------------------------------ call counters
    # The call path updates these after every call; ``ignore_first_call`` acts on the last
    # of them, fct_call_time.

    @property
    def fct_callcount(self):
        return self._fct_callcount

    @fct_callcount.setter
    def fct_callcount(self, value):
        self._fct_callcount = value

    @property
    def fct_call_time(self):
        return self._fct_call_time

    @fct_call_time.setter
    def fct_call_time(self, value):
        self._fct_call_time = value
        if self.ignore_first_call and self._fct_callcount > 0:
            self.ignore_first_call = False
            self.reset()

    def reset(self):
        """Forget the calls made so far (compile times are kept)."""
        self._fct_call_time = 0.0
        self._fct_callcount = 0
        self.vm_call_time = 0.0
        self.apply_time = {}

    # ------------------------------------------------------------------ attaching

    def attach(self, fn, maker):
        """Called by ``function`` once ``fn`` is built: take the compile times from
        ``maker`` and start reading its VM's per-node counters."""
        global total_graph_opt_time, total_time_linker
        self.fn = fn
        self.maker = maker
        self.compile_time += maker.compile_time
        self.optimizer_time += maker.optimizer_time
        self.linker_time += maker.linker_time
        self.validate_time += getattr(maker, "validate_time", 0.0)
        self.import_time += getattr(maker, "import_time", 0.0)
        make_thunk_times = getattr(maker, "make_thunk_times", None) or {}
        self.linker_make_thunk_time.update(make_thunk_times)
        self.linker_node_make_thunks += sum(make_thunk_times.values())
        # (optimizer, its profile) once rewrites run; printed with config.profile_optimizer
        if config.profile_optimizer and getattr(maker, "optimizer_profile", None) is not None:
            self.optimizer_profile = maker.optimizer_profile
        self.nb_nodes = len(maker.fgraph.apply_nodes)
        total_graph_opt_time += maker.optimizer_time
        total_time_linker += maker.linker_time
        maker.fgraph.profile = self
        vm = maker.vm
        vm.profiling = bool(self.flag_time_thunks)
        self._vms.append(vm)
        for i, (node, thunk) in enumerate(zip(vm.nodes, vm.thunks)):
            self._node_index[node] = i
            self._node_fgraph[node] = maker.fgraph
            # Theano's mark of a thunk running compiled C code.
            self._cimpl[node] = hasattr(thunk, "cthunk")
        if config.profile_memory:
            self._record_memory(vm)

    def _record_memory(self, vm):
        """Wrap the VM's thunks so that each records the shapes and strides of the values
        its node reads and writes."""
        shapes, strides = self.variable_shape, self.variable_strides

        def record(cells):
            for var, cell in cells:
                value = cell[0]
                shape = getattr(value, "shape", None)
                if shape is None:
                    continue
                shapes[var] = shape
                flags = getattr(value, "flags", None)
                strides[var] = "c" if flags is not None and flags.c_contiguous \
                    else getattr(value, "strides", "no strides")

        def recording(thunk, node):
            cells = list(zip(node.inputs, thunk.input_cells)) + \
                list(zip(node.outputs, thunk.output_cells))
            if isinstance(thunk, LazyThunk):
                # A lazy thunk (ifelse) stays one: the lazy VM asks it what it still needs.
                def run_lazy():
                    requires = thunk.fn()
                    if not requires:
                        record(cells)
                    return requires
                return LazyThunk(node, thunk.input_cells, thunk.output_cells, run_lazy)

            def run():
                thunk()
                record(cells)
            return CallableThunk(node, thunk.input_cells, thunk.output_cells, run)

        thunks = vm.thunks
        for i, thunk in enumerate(thunks):
            thunks[i] = recording(thunk, vm.nodes[i])

    # ------------------------------------------------------------------ per-node data

    def _vm_items(self):
        """(node, time, calls) of the attached VMs that have run."""
        for vm in self._vms:
            calls = vm.thunk_calls
            if not any(calls):
                continue
            yield from zip(vm.nodes, vm.thunk_times, calls)

    @property
    def apply_time(self):
        """{Apply node: seconds spent in its thunk}, for the functions that ran."""
        rval = {node: t for node, t, _ in self._vm_items()}
        rval.update(self._extra_time)
        return rval

    @apply_time.setter
    def apply_time(self, value):
        for vm in self._vms:
            vm.reset_profile()
        self._extra_time = dict(value)
        self._extra_callcount = {k: v for k, v in self._extra_callcount.items() if k in value}

    @property
    def apply_callcount(self):
        """{Apply node: number of times its thunk ran}."""
        rval = {node: c for node, _, c in self._vm_items()}
        rval.update(self._extra_callcount)
        return rval

    @apply_callcount.setter
    def apply_callcount(self, value):
        for vm in self._vms:
            vm.reset_profile()
        self._extra_callcount = dict(value)

    @property
    def apply_cimpl(self):
        """{Apply node: True if it ran compiled C code}."""
        rval = {node: self._cimpl.get(node, False) for node in self.apply_callcount}
        rval.update(self._extra_cimpl)
        return rval

    def merged(self, others):
        """A new ProfileStats summing this one and ``others`` (not printed at exit)."""
        cum = copy.copy(self)
        cum.atexit_print = False
        cum.ignore_first_call = False
        cum._vms = []
        cum._extra_time = self.apply_time
        cum._extra_callcount = self.apply_callcount
        cum._extra_cimpl = self.apply_cimpl
        cum._node_index = dict(self._node_index)
        cum._node_fgraph = dict(self._node_fgraph)
        cum.linker_make_thunk_time = dict(self.linker_make_thunk_time)
        cum.variable_shape = dict(self.variable_shape)
        cum.variable_strides = dict(self.variable_strides)
        cum.variable_offset = dict(self.variable_offset)
        for ps in others:
            for attr in ("compile_time", "fct_call_time", "fct_callcount", "vm_call_time",
                         "optimizer_time", "linker_time", "validate_time", "import_time",
                         "linker_node_make_thunks"):
                setattr(cum, attr, getattr(cum, attr) + getattr(ps, attr))
            cum._extra_time.update(ps.apply_time)
            cum._extra_callcount.update(ps.apply_callcount)
            cum._extra_cimpl.update(ps.apply_cimpl)
            cum._node_index.update(ps._node_index)
            cum._node_fgraph.update(ps._node_fgraph)
            cum.linker_make_thunk_time.update(ps.linker_make_thunk_time)
            cum.variable_shape.update(ps.variable_shape)
            cum.variable_strides.update(ps.variable_strides)
            cum.variable_offset.update(ps.variable_offset)
            cum.optimizer_profile = None
        return cum

    def _group(self, key, values):
        rval = {}
        for node, v in values.items():
            k = key(node)
            rval[k] = rval.get(k, 0) + v
        return rval

    def class_time(self):
        """{Op class: total thunk time}."""
        return self._group(lambda n: type(n.op), self.apply_time)

    def class_callcount(self):
        """{Op class: total number of thunk calls}."""
        return self._group(lambda n: type(n.op), self.apply_callcount)

    def class_nodes(self):
        """{Op class: number of Apply nodes}."""
        return self._group(lambda n: type(n.op), dict.fromkeys(self.apply_callcount, 1))

    def class_impl(self):
        """{Op class: 'C ', 'Py' or 'C Py'}."""
        rval = {}
        for node, cimpl in self.apply_cimpl.items():
            typ = type(node.op)
            impl = "C " if cimpl else "Py"
            rval.setdefault(typ, impl)
            if rval[typ] != impl and len(rval[typ]) == 2:
                rval[typ] += impl
        return rval

    def op_time(self):
        """{Op: total thunk time}."""
        return self._group(lambda n: n.op, self.apply_time)

    def op_callcount(self):
        """{Op: total number of thunk calls}."""
        return self._group(lambda n: n.op, self.apply_callcount)

    def op_nodes(self):
        """{Op: number of Apply nodes}."""
        return self._group(lambda n: n.op, dict.fromkeys(self.apply_callcount, 1))

    def op_impl(self):
        """{Op: 'C ' or 'Py'}."""
        return {node.op: "C " if cimpl else "Py" for node, cimpl in self.apply_cimpl.items()}

    def fill_node_total_time(self, node, total_times, apply_time=None):
        """Put in ``total_times[node]`` the time of ``node`` plus that of all the nodes
        above it (nodes shared by several paths are counted once per path)."""
        if apply_time is None:
            apply_time = self.apply_time
        # Iterative post-order, so that long chains of nodes do not recurse deeply.
        stack = [(node, False)]
        while stack:
            cur, expanded = stack.pop()
            if cur in total_times:
                continue
            parents = [p.owner for p in cur.inputs if p.owner in apply_time]
            if not expanded:
                stack.append((cur, True))
                stack.extend((p, False) for p in parents if p not in total_times)
                continue
            total_times[cur] = apply_time[cur] + sum(total_times[p] for p in parents)

    def compute_total_times(self):
        """{Apply node: its time plus the time of the nodes above it}."""
        apply_time = self.apply_time
        rval = {}
        for node in apply_time:
            if node not in rval:
                self.fill_node_total_time(node, rval, apply_time)
        return rval

    # ------------------------------------------------------------------ the report

    def summary_function(self, file):
        print("Function profiling", file=file)
        print("==================", file=file)
        print("  Message: %s" % self.message, file=file)
        print("  Time in %i calls to Function.__call__: %es" % (
            self.fct_callcount, self.fct_call_time), file=file)
        if self.fct_call_time > 0:
            print("  Time in Function.fn.__call__: %es (%.3f%%)" % (
                self.vm_call_time, 100 * self.vm_call_time / self.fct_call_time), file=file)
            local_time = sum(self.apply_time.values())
            if local_time > 0:
                print("  Time in thunks: %es (%.3f%%)" % (
                    local_time, 100 * local_time / self.fct_call_time), file=file)
        print("  Total compile time: %es" % self.compile_time, file=file)
        print("    Number of Apply nodes: %d" % self.nb_nodes, file=file)
        print("    Theano Optimizer time: %es" % self.optimizer_time, file=file)
        print("       Theano validate time: %es" % self.validate_time, file=file)
        print("    Theano Linker time (includes C, CUDA code generation/compiling): %es"
              % self.linker_time, file=file)
        print("       Import time %es" % self.import_time, file=file)
        print("       Node make_thunk time %es" % self.linker_node_make_thunks, file=file)
        slowest = sorted(self.linker_make_thunk_time.items(), key=operator.itemgetter(1),
                         reverse=True)[:5]
        for node, t in slowest:
            print("           Node %s time %es" % (node, t), file=file)
        print("", file=file)

    def summary_globals(self, file):
        print("Time in all call to theano.grad() %es" % _grad_time(), file=file)
        print("Time since theano import %.3fs" % (time.perf_counter() - _IMPORT_TIME),
              file=file)

    def _columns(self, last, with_type=True, call_width="%6d  ", apply_width=" %4d  "):
        hs = ["<% time>", "<sum %>", "<apply time>", "<time per call>"]
        es = ["  %4.1f%% ", " %5.1f%% ", "   %7.3fs ", "     %8.2es "]
        if with_type:
            hs.append("<type>")
            es.append("   %2s ")
        hs += ["<#call>", "<#apply>"]
        es += [call_width, apply_width]
        maxlen = max(self.line_width - (sum(len(h) for h in hs) + len(hs)), 0)
        hs.append(last)
        es.append("%s")
        return " ".join(hs), " ".join(es), maxlen

    def _summary_table(self, file, title, underline, times, calls, applies, impls, what,
                       name_of, N, call_width, apply_width):
        local_time = sum(times.values())
        otimes = [(t * 100 / local_time, t, key, impls.get(key, "  "), calls.get(key, 0),
                   applies.get(key, 0)) for key, t in times.items()]
        otimes.sort(key=lambda t: (t[1], t[4], t[5]), reverse=True)
        if N is None:
            N = len(otimes)
        print(title, file=file)
        print(underline, file=file)
        header, fmt, maxlen = self._columns("<%s name>" % what, call_width=call_width,
                                            apply_width=apply_width)
        print(header, file=file)
        tot = 0
        for f, t, key, impl, nb_call, nb_apply in otimes[:N]:
            if nb_call == 0:
                continue
            tot += t
            print(fmt % (f, tot * 100 / local_time, t, t / nb_call, impl, nb_call, nb_apply,
                         name_of(key)[:maxlen]), file=file)
        plural = "Classes" if what == "Class" else what + "s"
        print("   ... (remaining %i %s account for %6.2f%%(%.2fs) of the runtime)" % (
            max(0, len(otimes) - N), plural, sum(o[0] for o in otimes[N:]),
            sum(o[1] for o in otimes[N:])), file=file)
        print("", file=file)

    def summary_class(self, file=sys.stderr, N=None):
        if sum(self.apply_time.values()) == 0:
            print("ProfileStats.summary_class: total time 0 (did you forget to enable "
                  "counters?)", file=file)
            return
        self._summary_table(file, "Class", "---", self.class_time(), self.class_callcount(),
                            self.class_nodes(), self.class_impl(), "Class",
                            lambda cls: "%s.%s" % (cls.__module__, cls.__qualname__), N,
                            "%6d  ", " %4d  ")

    def summary_ops(self, file=sys.stderr, N=None):
        if sum(self.apply_time.values()) == 0:
            print("ProfileStats.summary_ops: total time 0 (did you forget to enable "
                  "counters?)", file=file)
            return
        self._summary_table(file, "Ops", "---", self.op_time(), self.op_callcount(),
                            self.op_nodes(), self.op_impl(), "Op", str, N,
                            "  %4d  ", "  %4d  ")

    def summary_nodes(self, file=sys.stderr, N=None):
        apply_time = self.apply_time
        local_time = sum(apply_time.values())
        if local_time == 0:
            print("ProfileStats.summary_nodes: total time 0 (did you forget to enable "
                  "counters?)", file=file)
            return
        apply_callcount = self.apply_callcount
        print("Apply", file=file)
        print("------", file=file)
        hs = ["<% time>", "<sum %>", "<apply time>", "<time per call>", "<#call>", "<id>"]
        es = ["  %4.1f%% ", " %5.1f%% ", "   %7.3fs ", "     %8.2es ", " %4d  ", "%3d", "%s",
              "%s"]
        if self.variable_shape:
            hs += ["<Mflops>", "<Gflops/s>"]
        maxlen = max(self.line_width - (sum(len(h) for h in hs) + len(hs)), 0)
        hs.append("<Apply name>")
        es.append("%s")
        fmt = " ".join(es)
        print(" ".join(hs), file=file)
        atimes = [(t * 100 / local_time, t, a, self._position(a), apply_callcount.get(a, 0))
                  for a, t in apply_time.items()]
        atimes.sort(reverse=True, key=lambda t: (t[1], t[3]))
        if N is None:
            N = len(atimes)
        tot = 0
        for f, t, a, nd_id, nb_call in atimes[:N]:
            tot += t
            if nb_call == 0:
                continue
            if not self.variable_shape:
                flops = flops_s = ""
            elif hasattr(a.op, "flops") and all(v in self.variable_shape
                                                for v in a.inputs + a.outputs):
                fl = a.op.flops([self.variable_shape[v] for v in a.inputs],
                                [self.variable_shape[v] for v in a.outputs])
                flops = "%8.1f" % (fl / 1024.0 / 1024)
                flops_s = "%10.1f" % (fl / 1024.0 / 1024 / 1024 / t) if t else " " * 10
            else:
                flops, flops_s = " " * 8, " " * 10
            print(fmt % (f, tot * 100 / local_time, t, t / nb_call, nb_call, nd_id, flops,
                         flops_s, str(a)[:maxlen]), file=file)
            if not config.profile_memory:
                continue
            for kind, variables in (("input", a.inputs), ("output", a.outputs)):
                for idx, var in enumerate(variables):
                    off = self.variable_offset.get(var, "")
                    if off != "":
                        off = ", offset=%s" % (off,)
                    print("    %s %d: dtype=%s, shape=%s, strides=%s%s" % (
                        kind, idx, getattr(var, "dtype", "no dtype"),
                        self.variable_shape.get(var, "no shape"),
                        self.variable_strides.get(var, "no strides"), off), file=file)
        print("   ... (remaining %i Apply instances account for %.2f%%(%.2fs) of the "
              "runtime)" % (max(0, len(atimes) - N), sum(a[0] for a in atimes[N:]),
                            sum(a[1] for a in atimes[N:])), file=file)
        print("", file=file)

    def _position(self, node):
        """The node's position in its function's execution order."""
        if node in self._node_index:
            return self._node_index[node]
        fgraph = self._node_fgraph.get(node)
        if fgraph is not None:
            return fgraph.toposort().index(node)
        return -1

    def summary_memory(self, file, N=None):
        """Peak memory of the intermediate values, and the nodes with the largest outputs.

        The peak is computed for the execution order, with the values freed after their
        last reader (allow_gc), as Theano's report does."""
        apply_callcount = self.apply_callcount
        var_mem = {}  # output variable -> bytes
        node_mem = {}  # node -> bytes of its outputs
        fct_nodes = {}  # fgraph -> its nodes that ran
        for node in apply_callcount:
            total = 0
            for out in node.outputs:
                size = 0
                if out in self.variable_shape and hasattr(out.type, "get_size"):
                    size = out.type.get_size(self.variable_shape[out])
                    total += size
                var_mem[out] = size
            node_mem[node] = total
            fct_nodes.setdefault(self._node_fgraph.get(node), []).append(node)

        # [with destroy_map, ignoring it (optimizer_excluding=inplace), allow_gc=False]
        peak_gc, peak_no_inplace, peak_no_gc = 0, 0, 0
        for fgraph, nodes in fct_nodes.items():
            order = sorted(nodes, key=self._position)
            running, allocated = _running_memory(order, fgraph, var_mem, ignore_dmap=False)
            peak_gc = max(peak_gc, running)
            peak_no_gc = max(peak_no_gc, allocated)
            peak_no_inplace = max(peak_no_inplace, _running_memory(
                order, fgraph, var_mem, ignore_dmap=True)[0])

        if len(fct_nodes) > 1:
            print("Memory Profile (the max between all functions in that profile)", file=file)
        else:
            print("Memory Profile", file=file)
        print("(Sparse variables are ignored)", file=file)
        print("(For values in brackets, it's for linker = c|py", file=file)
        print("---", file=file)

        def kb(n):
            return int(round(n / 1024.0))

        # pytheano has no GPU memory accounting yet, and one execution order for every
        # linker: both columns are the same.
        for title, peak in (("Max peak memory with current setting", peak_gc),
                            ("Max peak memory with current setting and Theano flag "
                             "optimizer_excluding=inplace", peak_no_inplace)):
            print("    " + title, file=file)
            print("        CPU: %dKB (%dKB)" % (kb(peak), kb(peak)), file=file)
            print("        GPU: %dKB (%dKB)" % (0, 0), file=file)
            print("        CPU + GPU: %dKB (%dKB)" % (kb(peak), kb(peak)), file=file)
        print("    Max peak memory if allow_gc=False (linker don't make a difference)",
              file=file)
        print("        CPU: %dKB" % kb(peak_no_gc), file=file)
        print("        GPU: %dKB" % 0, file=file)
        print("        CPU + GPU: %dKB" % kb(peak_no_gc), file=file)
        print("---", file=file)
        print("", file=file)
        if len(fct_nodes) > 1:
            print("    This list is based on all functions in the profile", file=file)
        print("    <Sum apply outputs (bytes)> <Apply outputs shape> <created/inplace/view> "
              "<Apply node>", file=file)
        print("", file=file)
        items = sorted(node_mem.items(), key=lambda a: a[1], reverse=True)
        if N is None:
            N = len(items)
        min_size = _cfg("profiling.min_memory_size", 1024)
        for idx, (node, size) in enumerate(items[:N]):
            code = ["c"] * len(node.outputs)
            for out in (getattr(node.op, "destroy_map", None) or {}):
                code[out] = "i"
            for out in (getattr(node.op, "view_map", None) or {}):
                code[out] = "v"
            shapes = str([self.variable_shape.get(out, "no shape") for out in node.outputs])
            if all(hasattr(out.type, "get_size") for out in node.outputs):
                size_str = "%9dB" % size
                if size < min_size:
                    N = idx
                    break
            else:
                size_str = "%10s" % "Unknown"
            print("     %s  %s %s %s" % (size_str, shapes, " ".join(code), node), file=file)
        sum_remaining = sum(size for _, size in items[N:])
        size_sum_dense = sum(node_mem.values())
        p = "0%" if size_sum_dense == 0 else "(%.2f%%)" % (sum_remaining / size_sum_dense * 100)
        print("   ... (remaining %i Apply account for %4dB/%dB (%s) of the Apply with dense "
              "outputs sizes)" % (max(0, len(node_mem) - N), sum_remaining, size_sum_dense, p),
              file=file)
        print("", file=file)
        if N == 0:
            print("    All Apply nodes have output sizes that take less than %dB." % min_size,
                  file=file)
        print("    <created/inplace/view> is taken from the Op's declaration.", file=file)
        print("    Apply nodes marked 'inplace' or 'view' may actually allocate memory, this is "
              "not reported here. If you use DebugMode, warnings will be emitted in those "
              "cases.", file=file)
        print("", file=file)

    def summary(self, file=sys.stderr, n_ops_to_print=20, n_apply_to_print=20):
        """Print the whole report: function, class, op and node times, then the memory
        report (with config.profile_memory) and tips."""
        self.summary_function(file)
        self.summary_globals(file)
        if sum(self.apply_time.values()) > 0:
            self.summary_class(file, n_ops_to_print)
            self.summary_ops(file, n_ops_to_print)
            self.summary_nodes(file, n_apply_to_print)
        elif self.fct_callcount > 0:
            print("  No execution time accumulated (hint: try config profiling.time_thunks=1)",
                  file=file)
        if _cfg("profiling.debugprint", False):
            fgraphs = {self._node_fgraph[n] for n in self.apply_time if n in self._node_fgraph}
            debugprint(list(fgraphs), print_type=True, file=file)
        if self.variable_shape or self.variable_strides:
            self.summary_memory(file, n_apply_to_print)
        if self.optimizer_profile:
            print("Optimizer Profile", file=file)
            print("-----------------", file=file)
            optimizer, prof = self.optimizer_profile
            optimizer.print_profile(file, prof)
        self.print_extra(file)
        self.print_tips(file)

    def print_tips(self, file):
        print("Here are tips to potentially make your code run faster\n"
              "                 (if you think of new ones, suggest them on the mailing list).\n"
              "                 Test them first, as they are not guaranteed to always provide "
              "a speedup.", file=file)
        printed_tip = False
        if config.floatX == "float64":
            print("  - Try the Theano flag floatX=float32", file=file)
            printed_tip = True
        for node in self.apply_time:
            if isinstance(node.op, Dot) and \
                    len({getattr(i, "dtype", None) for i in node.inputs}) != 1:
                print("  - You have a dot operation that has different dtype  for inputs (%s). "
                      "Make sure that the inputs have same  dtype." % [i.type for i in
                                                                      node.inputs], file=file)
                printed_tip = True
        if not printed_tip:
            print("  Sorry, no tip for today.", file=file)

    def print_extra(self, file):
        params = [self.message, self.compile_time, self.fct_call_time, self.apply_time,
                  self.apply_cimpl, self.output_size]
        for f in _profiler_printers:
            f(*params, file=file)


def _running_memory(order, fgraph, var_mem, ignore_dmap):
    """(peak bytes with values freed after their last reader, bytes of all the values that
    are not views) when running ``order``."""
    position = {node: i for i, node in enumerate(order)}
    last_reader = {}
    for node in order:
        for inp in node.inputs:
            last_reader[inp] = max(last_reader.get(inp, -1), position[node])
    outputs = set(fgraph.outputs) if fgraph is not None else set()
    view_of = {}  # variable -> the variable whose memory it uses
    viewed_by = {}  # variable -> the variables using its memory
    running = peak = allocated = 0
    for node in order:
        dmap = {} if ignore_dmap else (getattr(node.op, "destroy_map", None) or {})
        vmap = getattr(node.op, "view_map", None) or {}
        for idx, out in enumerate(node.outputs):
            aliased = dmap.get(idx) or vmap.get(idx)
            if aliased:
                origin = view_of.get(node.inputs[aliased[0]], node.inputs[aliased[0]])
                view_of[out] = origin
                viewed_by.setdefault(origin, []).append(out)
            else:
                running += var_mem.get(out, 0)
                allocated += var_mem.get(out, 0)
        peak = max(peak, running)
        for ins in set(node.inputs):
            # freed after its last reader, unless it is an output, an input or a constant
            if last_reader.get(ins) != position[node] or ins in outputs or ins.owner is None:
                continue
            if ins in view_of:
                origin = view_of[ins]
                viewed_by[origin].remove(ins)
                if not viewed_by[origin] and origin.owner is not None and \
                        origin not in outputs and last_reader.get(origin, -1) <= position[node]:
                    running -= var_mem.get(origin, 0)
            elif not viewed_by.get(ins):
                running -= var_mem.get(ins, 0)
    return peak, allocated


class ScanProfileStats(ProfileStats):
    """The profile of a scan op's inner function: calls of the op, steps, VM time."""

    callcount = 0.0
    nbsteps = 0.0
    call_time = 0.0

    def __init__(self, atexit_print=True, name=None, **kwargs):
        super().__init__(atexit_print, **kwargs)
        self.name = name

    def summary_globals(self, file):
        pass

    def summary_function(self, file):
        # A scan op compiles functions that may never run: print nothing for those.
        if self.callcount == 0:
            return
        print("", file=file)
        if self.name is not None:
            print("Scan Op profiling (", self.name, ")", file=file)
        else:
            print("Scan Op profiling", file=file)
        print("==================", file=file)
        print("  Message: %s" % self.message, file=file)
        print("  Time in %i calls of the op (for a total of %i steps) %es" % (
            self.callcount, self.nbsteps, self.call_time), file=file)
        print("", file=file)
        val = self.vm_call_time * 100 / self.call_time if self.call_time > 0 else 0
        print("  Total time spent in calling the VM %es (%.3f%%)" % (self.vm_call_time, val),
              file=file)
        val = 100.0 - self.vm_call_time * 100 / self.call_time if self.call_time > 0 else 100
        print("  Total overhead (computing slices..) %es (%.3f%%)" % (
            self.call_time - self.vm_call_time, val), file=file)
        print("", file=file)


hooks.scan_profile.install(lambda name: ScanProfileStats(name=name))

__all__ = ["ProfileStats", "ScanProfileStats", "register_profiler_printer",
           "print_global_stats"]
