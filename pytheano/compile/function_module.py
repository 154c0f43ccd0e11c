"""FunctionMaker (graph -> FunctionGraph -> VM) and Function, the compiled callable.

The per-call path is ``pytheano._core.function.FunctionCore`` (Cython); ``Function`` adds
what is not per call: names, copy, pickling, access to inputs by name, profiling reports.
"""
import time
import warnings

import numpy as np

from pytheano._core.fgraph import FunctionGraph
from pytheano._core.function import FunctionCore, InputSlot
from pytheano._core.graph import Constant, Variable, ancestors
from pytheano.compile import rewrite_cache
from pytheano.compile.io import In, SymbolicInput, SymbolicOutput
from pytheano.compile.mode import get_mode
from pytheano.compile.pfunc import _pairs, rebuild_collect_shared
from pytheano.compile.profiling import ProfileStats
from pytheano.configparser import config
from pytheano.graph.basic import clone_replace
from pytheano.graph.destroyhandler import DestroyHandler
from pytheano.graph.features import ReplaceValidate, Supervisor
from pytheano.graph.ops import deep_copy_op
from pytheano.graph.shared import Container, SharedVariable
from pytheano.link.errors import add_note
from pytheano.link.linkers import Linker, finish_pending


class UnusedInputError(Exception):
    """An input of ``function`` is not needed to compute its outputs."""


class Function(FunctionCore):
    """A compiled function: call it with numbers, get numbers back.

    Attributes as in Theano: ``maker`` (with ``fgraph``, ``inputs``, ``mode``), ``fn`` (the
    VM), ``name``, ``profile``, ``trust_input`` (skip argument checks), ``input_storage``.
    """

    _check_for_aliased_inputs = False  # Theano's flag: see _AliasCheckingFunction

    def __init__(self, maker, vm, slots, output_cells, n_outputs, update_targets,
                 unpack_single, output_keys, name, profile):
        FunctionCore.__init__(self, vm, slots, output_cells, n_outputs, update_targets,
                              True, unpack_single, output_keys, name, profile)
        self.maker = maker

    # The VM, its C nodes linked: theano.function returns before the C compiler is done
    # (the first call waits for it, linker.make_all's ``defer``); what reads the VM from
    # Python (its thunks, profiling, tests) sees it complete. The call path reads the C slot.
    @property
    def vm(self):
        return finish_pending(FunctionCore.vm.__get__(self))

    @vm.setter
    def vm(self, vm):
        FunctionCore.vm.__set__(self, vm)

    @property
    def fn(self):
        """Theano's name of the VM."""
        return self.vm

    @property
    def input_storage(self):
        return [s.cell for s in self.slots]

    @property
    def outputs(self):
        """The SymbolicOutputs, in the order the call returns them (a dict's sorted keys)."""
        return self.maker.outputs

    def _find(self, item):
        """The slot of an input given as Theano's finder takes it: its position, its
        variable or its name (a name two inputs share is ambiguous)."""
        slots = self.slots
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            if 0 <= item < len(slots):
                return slots[item]
        elif isinstance(item, Variable):
            for s in slots:
                if s.variable is item:
                    return s
        else:
            found = [s for s in slots if s.name is not None and s.name == item]
            if len(found) > 1:
                raise TypeError("Ambiguous name: %s - please check the names of the inputs of "
                                "your function for duplicates." % (item,))
            if found:
                return found[0]
        raise unknown_keyword(self, item)

    def __getitem__(self, item):
        """The current value of an input (by position, variable or name), as Theano."""
        return self._find(item).cell[0]

    def __setitem__(self, item, value):
        s = self._find(item)
        s.cell[0] = None if value is None else s.type.filter(
            value, strict=s.strict, allow_downcast=s.allow_downcast)
        s.default = s.cell[0]

    def __contains__(self, item):
        try:
            self._find(item)
        except TypeError:
            return False
        return True

    @property
    def value(self):
        """Theano's ``f.value[x]``: ``f[x]``, by position, variable or name."""
        return _FinderView(self, lambda s: s.cell[0])

    @property
    def container(self):
        """Theano's ``f.container[x]``: the Container holding input x's storage cell (pass
        it as ``In(x, value=f.container[x])`` to share that storage with another function)."""
        return _FinderView(self, _slot_container)

    def get_shared(self):
        return [s.variable for s in self.slots if s.implicit]

    def sync_shared(self):
        pass

    def free(self):
        """Drop the intermediate values kept between calls (with allow_gc=False)."""
        for v, cell in self.fn.storage_map.items():
            if v.owner is not None and not isinstance(v, Constant):
                cell[0] = None

    def copy(self, share_memory=False, swap=None, delete_updates=False, name=None,
             profile=None):
        """A new function computing the same thing; ``swap`` ({old shared: new shared})
        makes it use other shared variables."""
        maker = self.maker
        updates = None if delete_updates else maker.updates
        givens = _pairs(maker.givens, "givens")
        if swap:
            # The user's givens may read a swapped variable (givens={x: train_x[i]}): they
            # read the new one too, so no replacement depends on another's key.
            swap = dict(swap)
            givens = [(k, clone_replace(v, replace=swap)) for k, v in givens]
            givens += [(k, v) for k, v in swap.items() if k not in dict(givens)]
            # Givens keep a replaced shared variable as its update's target (Theano's rule),
            # so a swapped one is named as the target here.
            if updates:
                updates = [(swap.get(k, k), v) for k, v in _pairs(updates)]
        fn = maker.rebuild(updates=updates, givens=givens, name=name or self.name,
                           profile=profile, replace_givens=True)
        # The copy starts from this function's current defaults (Theano): the same value
        # object for an immutable input, a copy for one declared mutable.
        for spec, mine, theirs in zip(maker.inputs, self.slots, fn.slots):
            if mine.required or mine.implicit or theirs.cell is mine.cell:
                continue
            value = mine.cell[0]
            if getattr(spec, "mutable", False) and value is not None:
                value = value.copy()
            theirs.cell[0] = value
            if theirs.refeed:
                theirs.default = value
        return fn

    def __copy__(self):
        """``copy.copy(f)``: ``f.copy()``, separate storage, the same defaults (Theano)."""
        return self.copy()

    def __reduce__(self):
        # The rewritten graph travels, so unpickling neither rewrites nor (on a warm cache)
        # compiles: it links. Theano pickles its fgraph too; it re-ran its optimizer anyway.
        defaults = [s.cell[0] if not (s.required or s.implicit) else None for s in self.slots]
        return (_unpickle_function, (self.maker.linked_state(), defaults, self.name,
                                     self.trust_input))

    def __str__(self):
        return "<pytheano.compile.function_module.Function %s>" % (self.name,)

    # The call path (pytheano._core.function) calls these when it refuses the arguments.
    def bad_input_error(self, index, value):
        return bad_input_error(self, index, value)

    def too_many_arguments(self, n):
        return too_many_arguments(self, n)

    def unknown_keyword(self, key):
        return unknown_keyword(self, key)

    __repr__ = __str__


def _unpickle_function(state, defaults, name, trust_input=False):
    fn = FunctionMaker.from_linked_state(state).create(name, None)
    fn.trust_input = trust_input
    for slot, value in zip(fn.slots, defaults):
        if not (slot.required or slot.implicit):
            slot.cell[0] = value
            if slot.refeed:
                slot.default = value
    return fn


def compile_function(inputs, outputs, updates=None, givens=None, mode=None,
                     accept_inplace=False, profile=None, on_unused_input=None, name=None,
                     rebuild_strict=True, allow_input_downcast=None, no_default_updates=False):
    """FunctionMaker, then the Function; ``profile`` (None, True, a name or a ProfileStats)
    collects the compile and run times."""
    if profile is None:
        profile = config.profile or None
    if profile is True:
        profile = ProfileStats(message=name)
    elif isinstance(profile, str):
        profile = ProfileStats(message=profile)
    elif profile is False:
        profile = None
    maker = FunctionMaker(inputs, outputs, updates=updates, givens=givens, mode=mode,
                          accept_inplace=accept_inplace, profile=profile,
                          on_unused_input=on_unused_input, name=name,
                          rebuild_strict=rebuild_strict,
                          allow_input_downcast=allow_input_downcast,
                          no_default_updates=no_default_updates)
    fn = maker.create(name, profile)
    if profile is not None:
        profile.attach(fn, maker)
    return fn


def _defer(linker):
    # Only pytheano's own linkers take ``defer`` (a linker subclassed outside may not).
    if isinstance(linker, Linker) and type(linker).make_all is Linker.make_all:
        return {"defer": True}
    return {}


class FunctionMaker:
    """Compiles a function, in stages:

    1. clone the user's graph with givens and updates into a FunctionGraph;
    2. attach the features: a Supervisor protecting the inputs not declared mutable and the
       shared variables' storage, and the destroy handler (in-place safety);
    3. run the mode's rewriter;
    4. protect the outputs: a deep copy only where an output is an input, a constant or a
       view of one (or repeats another output);
    5. ``mode.linker.make_all``: the VM.

    The times of each stage are kept for the profiler (optimizer_time, validate_time,
    import_time, linker_time, make_thunk_times, optimizer_profile).
    """

    def __init__(self, inputs, outputs, updates=None, givens=None, mode=None,
                 accept_inplace=False, profile=None, on_unused_input=None, name=None,
                 rebuild_strict=True, allow_input_downcast=None, no_default_updates=False):
        t0 = time.perf_counter()
        self.user_inputs = inputs
        self.user_outputs = outputs
        self.updates = updates
        self.givens = givens
        self.mode_arg = mode
        self.mode = get_mode(mode)
        self.accept_inplace = accept_inplace
        self.on_unused_input = on_unused_input
        self.allow_input_downcast = allow_input_downcast
        self.rebuild_strict = rebuild_strict
        self.no_default_updates = no_default_updates
        self.name = name
        self.profile = profile

        self.inputs = [self._wrap_input(i) for i in inputs]
        self._check_givens(givens)
        self.outputs, self.unpack_single, self.output_keys = _wrap_outputs(outputs)

        fgraph = self._build_fgraph(updates, givens)                       # 1
        self.import_time = time.perf_counter() - t0
        plan = self.mode.rewriter
        key = rewrite_cache.graph_key(self, fgraph, plan)
        rewritten = None if key is None else rewrite_cache.load(key, fgraph.inputs)
        if rewritten is not None:
            # Stages 2-4 as a process before this one did them (compile/rewrite_cache.py).
            self._refuse_user_inplace(fgraph)
            fgraph = self._take_rewritten(fgraph.inputs, *rewritten)
        else:
            self._attach_features(fgraph)                                   # 2
            self._rewrite(fgraph, plan)                                     # 3
            self._protect_outputs(fgraph)                                   # 4
            if key is not None:
                rewrite_cache.store(key, fgraph)
        t1 = time.perf_counter()
        self._link(fgraph, profile)                                         # 5
        t2 = time.perf_counter()
        self.linker_time = t2 - t1
        self.compile_time = t2 - t0

    # What a pickled function keeps: the user's graph (for copy and rebuild) and the graph
    # as rewritten, with what linking it needs.
    _LINKED_STATE = ("user_inputs", "user_outputs", "updates", "givens", "mode_arg",
                     "accept_inplace", "on_unused_input", "allow_input_downcast",
                     "rebuild_strict", "no_default_updates", "name", "inputs", "outputs",
                     "unpack_single", "output_keys", "in_updates", "explicit", "shared_only",
                     "n_outputs", "update_expr")

    def linked_state(self):
        state = {k: getattr(self, k) for k in self._LINKED_STATE}
        state["clone_d"] = {k: v for k, v in self.clone_d.items()
                            if isinstance(k, SharedVariable)}
        state["graph"] = (self.fgraph.inputs, self.fgraph.outputs, self.fgraph.toposort())
        return state

    @classmethod
    def from_linked_state(cls, state):
        """The maker of an unpickled function: stages 2 and 5 on the rewritten graph."""
        self = cls.__new__(cls)
        t0 = time.perf_counter()
        graph_inputs, graph_outputs, order = state.pop("graph")
        self.__dict__.update(state)
        self.mode = get_mode(self.mode_arg)
        self.profile = None
        self.import_time = 0.0
        fgraph = self._take_rewritten(graph_inputs, graph_outputs, order)
        t1 = time.perf_counter()
        self._link(fgraph, None)
        self.linker_time = time.perf_counter() - t1
        self.compile_time = time.perf_counter() - t0
        return self

    def _take_rewritten(self, inputs, outputs, order):
        """Stage 2 on a graph already rewritten (loaded from the cache or a pickle), in
        the order it had: its schedule and printed graph are the rewritten one's."""
        fgraph = self.fgraph = self._function_graph(inputs, outputs)
        self._attach_features(fgraph, user_graph=False)
        fgraph.keep_order(order)
        self.optimizer_profile = None
        self.optimizer_time = 0.0
        return fgraph

    @property
    def expanded_inputs(self):
        """Theano's list of every input of the function: the explicit ones' specs, then one
        for each shared variable, whose ``value`` is the variable's container (so
        ``expanded_inputs[i].value.data = ...`` sets the shared value, as in Theano)."""
        return list(self.inputs) + [In(v, value=v.container, implicit=True, shared=True)
                                    for v in self.shared_only]

    # ------------------------------------------------------------------ 1. the graph

    def _check_givens(self, givens):
        own_inputs = set(i.variable for i in self.inputs)
        for v_orig, _ in _pairs(givens, "givens"):
            if v_orig in own_inputs:
                raise RuntimeError(
                    "You are trying to replace variable '%s' through the `givens` parameter, "
                    "but this variable is an input to your function. Replacing inputs is "
                    "currently forbidden because it has no effect. One way to modify an input "
                    "`x` to a function evaluating f(x) is to define a new input `y` and use "
                    "`theano.function([y], f(x), givens={x: g(y)})`. Another solution consists "
                    "in using `theano.clone`, e.g. like this: `theano.function([x], "
                    "theano.clone(f(x), replace={x: g(x)}))`." % (v_orig,))

    def _build_fgraph(self, updates, givens):
        # In(x, update=u): u is computed as an extra output and stored into x's cell.
        self.in_updates = [(k, i.update) for k, i in enumerate(self.inputs)
                           if getattr(i, "update", None) is not None]
        n_user = len(self.outputs)
        cloned_inputs, cloned_outputs, (clone_d, update_d, update_expr, shared_inputs) = \
            rebuild_collect_shared([o.variable for o in self.outputs]
                                   + [u for _, u in self.in_updates],
                                   [i.variable for i in self.inputs], replace=givens,
                                   updates=updates, rebuild_strict=self.rebuild_strict,
                                   copy_inputs_over=False,
                                   no_default_updates=self.no_default_updates)
        self.clone_d = clone_d
        cloned_outputs, cloned_in_updates = cloned_outputs[:n_user], cloned_outputs[n_user:]
        explicit = list(cloned_inputs)
        if len(set(explicit)) != len(explicit):
            first = next(k for k, v in enumerate(explicit) if explicit.index(v) != k)
            again = explicit.index(explicit[first])
            raise UnusedInputError(
                "Variable %s is used twice in inputs to theano.function, at indices %d and %d."
                "  This would result in values provided for it being ignored. Please do not "
                "duplicate variables in the inputs list." % (explicit[first], again, first))
        self.explicit = explicit
        self.shared_only = [s for s in shared_inputs if s not in explicit]
        self.n_outputs = len(cloned_outputs)
        self.update_expr = update_expr
        graph_outputs = list(cloned_outputs) + [u for _, u in update_expr] + cloned_in_updates
        # Before the FunctionGraph, as Theano: an unused input is reported even when another
        # input is missing (function([s], x) is an UnusedInputError).
        self._check_unused(self.inputs, explicit, set(ancestors(graph_outputs)))
        fgraph = self.fgraph = self._function_graph(explicit + self.shared_only, graph_outputs)
        # Validation during compiling is timed into the profile (ProfileStats.validate_time).
        fgraph.profile = self.profile
        return fgraph

    def _function_graph(self, inputs, outputs):
        """The FunctionGraph over ``inputs`` and ``outputs`` (the outputs, then each update's
        new value), knowing which output updates which shared variable."""
        return FunctionGraph(inputs, outputs, clone=False,
                             update_mapping={v: self.n_outputs + k for k, (v, _)
                                             in enumerate(self.update_expr)})

    # ------------------------------------------------------------------ 2. features

    def _attach_features(self, fgraph, user_graph=True):
        """In-place safety. The user's graph may hold in-place ops only with
        accept_inplace=True. A rewrite's in-place op is refused on an input not declared
        ``In(x, mutable=True)`` (or destroyed by the user's graph itself) and on a shared
        variable's storage, unless the function updates that shared variable (its value is
        replaced when the call ends: the in-place update rewrites rely on it, as in Theano).
        ``user_graph=False``: an unpickled, already rewritten graph (its in-place ops are
        the rewrites')."""
        if user_graph:
            self._refuse_user_inplace(fgraph)
        # As in Theano 1.0, an explicit input that the user's own graph destroys (which takes
        # accept_inplace=True) is not protected: the in-place op says the caller's array may
        # be overwritten (Theano's inplace tests rely on it). A shared variable's storage
        # stays protected unless updated: overwriting it silently would corrupt the state.
        fgraph.attach_feature(ReplaceValidate())
        destroy_handler = DestroyHandler()
        fgraph.attach_feature(destroy_handler)
        updated = {shared_var for shared_var, _ in self.update_expr}
        protected = [v for spec, v in zip(self.inputs, self.explicit)
                     if not (spec.mutable or v in updated or destroy_handler.has_destroyers([v]))]
        protected += [v for v in self.shared_only if v not in updated]
        fgraph.attach_feature(Supervisor(protected))
        fgraph.validate()

    def _refuse_user_inplace(self, fgraph):
        if not self.accept_inplace:
            for node in fgraph.apply_nodes:
                if getattr(node.op, "destroy_map", None):
                    raise TypeError("Graph must not contain inplace operations", node, node.op)

    # ------------------------------------------------------------------ 3. rewrites

    def _rewrite(self, fgraph, rewriter):
        self.optimizer_profile = None
        t0 = time.perf_counter()
        if rewriter:
            counts = {} if config.profile_optimizer else None
            rewriter.rewrite(fgraph, profile=counts)
            if counts is not None:
                self.optimizer_profile = (rewriter, counts)
        self.optimizer_time = time.perf_counter() - t0

    # ------------------------------------------------------------------ 4. outputs

    def _protect_outputs(self, fgraph):
        """Insert a DeepCopyOp where an output would hand out memory the caller or the
        function does not own: a constant, a shared variable's storage, an explicit input
        (or a view of any of these: unless the output is ``Out(borrow=True)`` of an
        ``In(borrow=True)`` input, Theano's rule), or an output already returned at another
        position."""
        explicit = set(self.explicit)
        borrowed_in = {v for spec, v in zip(self.inputs, self.explicit) if spec.borrow}
        shared = set(self.shared_only) | {v for v in self.explicit
                                          if isinstance(v, SharedVariable)}
        n_plain = self.n_outputs
        own_update = {n_plain + k: s for k, (s, _) in enumerate(self.update_expr)}
        borrow = [o.borrow for o in self.outputs] + [False] * (len(self.update_expr)
                                                            + len(self.in_updates))
        seen = set()
        for i in range(len(fgraph.outputs)):
            out = fgraph.outputs[i]
            if own_update.get(i) is out:
                continue  # x updated to itself: nothing to copy
            root = _view_root(out)
            if own_update.get(i) is root:
                continue  # x's new value computed in place in x's storage: its own array
            copy = (isinstance(root, Constant) or root in shared or out in seen
                    or (root in explicit and not (borrow[i] and root in borrowed_in)))
            if copy:
                copied = deep_copy_op(out)
                # Theano 1.0 compat: the copy keeps the output's name (debugprint shows it).
                copied.name = out.name
                fgraph.change_input("output", i, copied, reason="insert_deepcopy")
            seen.add(fgraph.outputs[i])

    # ------------------------------------------------------------------ 5. link

    def _link(self, fgraph, profile):
        # Slots: explicit inputs, then the shared variables (implicit, their containers' cells).
        slots = []
        cells = {}
        for spec, var in zip(self.inputs, self.explicit):
            slot = self._make_slot(spec, var)
            slots.append(slot)
            cells[var] = slot.cell
        originals = {self.clone_d[k]: k for k in self.clone_d if isinstance(k, SharedVariable)}
        for var in self.shared_only:
            cells[var] = var.container.storage
            slots.append(InputSlot(var.container.storage, var.type, originals.get(var, var),
                                   name=var.name, strict=False, allow_downcast=None,
                                   required=False, implicit=True, refeed=False, default=None))
        self.slots = slots
        # Theano's maker.linker: the mode's linker bound to the compiled graph.
        self.linker = self.mode.linker.accept(fgraph)
        profiling = profile is not None and profile is not False
        vm, storage_map, self.make_thunk_times = self.mode.linker.make_all(
            fgraph, cells, profiling=profiling, guard=getattr(self.mode, "thunk_guard", None),
            **_defer(self.mode.linker))
        self._vm = vm
        self.output_cells = [storage_map[v] for v in fgraph.outputs]
        self.update_targets = [(cells[shared_var], self.n_outputs + k)
                               for k, (shared_var, _) in enumerate(self.update_expr)]
        first = self.n_outputs + len(self.update_expr)
        self.update_targets += [(slots[position].cell, first + k)
                                for k, (position, _) in enumerate(self.in_updates)]

    @property
    def vm(self):
        """The VM, its C nodes linked (see Function.vm)."""
        return finish_pending(self._vm)

    def _wrap_input(self, i):
        if isinstance(i, SymbolicInput):
            spec = i
        elif isinstance(i, Variable):
            spec = In(i)
        else:
            raise TypeError("Unknown parameter type: %s\nThe input %r is not a Variable: "
                            "function inputs must be symbolic variables (e.g. T.dvector('x'))"
                            " or In instances." % (type(i), i))
        if isinstance(spec.variable, SharedVariable) and not getattr(spec, "shared", False):
            raise TypeError("Cannot use a shared variable (%s) as explicit input. Consider "
                            "substituting a non-shared variable via the `givens` parameter"
                            % spec.variable)
        if isinstance(spec.variable, Constant):
            raise TypeError("Constants not allowed in param list: %s is a constant; it cannot"
                            " be an input of a function. Use a symbolic variable instead (e.g. "
                            "T.scalar())." % (spec.variable,))
        return spec

    def _make_slot(self, spec, var):
        allow_downcast = spec.allow_downcast
        if allow_downcast is None:
            allow_downcast = self.allow_input_downcast
        value = getattr(spec, "value", None)
        if isinstance(value, Container):
            # Theano: In(x, value=f.container[x]) shares that storage cell with f.
            return InputSlot(value.storage, var.type, spec.variable, name=spec.name,
                             strict=spec.strict, allow_downcast=allow_downcast,
                             required=False, implicit=bool(getattr(spec, "implicit", False)),
                             refeed=False, default=None)
        if value is not None:
            default = var.type.filter(value, strict=spec.strict, allow_downcast=allow_downcast)
            # An input with an update keeps its updated value between calls (not refed).
            return InputSlot([default], var.type, spec.variable, name=spec.name,
                             strict=spec.strict, allow_downcast=allow_downcast,
                             required=False, implicit=False,
                             refeed=getattr(spec, "update", None) is None, default=default)
        return InputSlot([None], var.type, spec.variable, name=spec.name, strict=spec.strict,
                         allow_downcast=allow_downcast, required=True)

    def _check_unused(self, inputs, explicit, used):
        mode = self.on_unused_input
        if mode is None:
            mode = config.on_unused_input
        if mode == "ignore":
            return
        if mode not in ("warn", "raise"):
            raise ValueError("Invalid value for keyword on_unused_input of theano.function: "
                             "'%s'.\nValid values are 'raise', 'warn', and 'ignore'." % mode)
        for i, var in enumerate(explicit):
            if var in used:
                continue
            msg = ("theano.function was asked to create a function computing outputs given "
                   "certain inputs, but the provided input variable at index %i is not part "
                   "of the computational graph needed to compute the outputs: %s.\n%s")
            if mode == "warn":
                warnings.warn(msg % (i, inputs[i].variable, ""), stacklevel=4)
            else:
                raise UnusedInputError(msg % (
                    i, inputs[i].variable,
                    "To make this error into a warning, you can pass the parameter "
                    "on_unused_input='warn' to theano.function. To disable it completely, "
                    "use on_unused_input='ignore'."))

    def rebuild(self, updates=None, givens=None, name=None, profile=None,
                replace_givens=False):
        """The same function again, with other updates and extra givens (``Function.copy``;
        ``replace_givens``: ``givens`` replace this function's instead).

        Inputs that only fed the dropped updates are no longer used: that is expected here,
        so unused inputs are not an error.
        """
        all_givens = _pairs(givens, "givens")
        if not replace_givens:
            all_givens = _pairs(self.givens, "givens") + all_givens
        return compile_function(self.user_inputs, self.user_outputs, updates=updates,
                                givens=all_givens or None, mode=self.mode_arg,
                                accept_inplace=self.accept_inplace, on_unused_input="ignore",
                                name=name, profile=profile,
                                allow_input_downcast=self.allow_input_downcast,
                                rebuild_strict=self.rebuild_strict,
                                no_default_updates=self.no_default_updates)

    def create(self, name, profile):
        # Theano's rule: arguments may alias one another only through an input that is
        # borrowed or mutable; only then is the (slower) checking call path needed.
        check = any(spec.borrow or spec.mutable for spec in self.inputs)
        cls = _AliasCheckingFunction if check else Function
        return cls(self, self._vm, self.slots, self.output_cells, self.n_outputs,
                   self.update_targets, self.unpack_single, self.output_keys, name, profile)


class _AliasCheckingFunction(Function):
    """A function with a borrowed or mutable input: an array argument that shares memory with
    an earlier argument or with a shared variable's value is copied before the call, so an
    in-place op on one input does not change what another reads (Theano 1.0's rule)."""

    _check_for_aliased_inputs = True

    def __call__(self, *args, **kwargs):
        seen = [s.cell[0] for s in self.slots if s.implicit and isinstance(s.cell[0], np.ndarray)]

        def unaliased(value):
            if isinstance(value, np.ndarray):
                if any(np.may_share_memory(value, other) for other in seen):
                    value = value.copy()
                seen.append(value)
            return value

        args = [unaliased(a) for a in args]
        kwargs = {k: unaliased(v) for k, v in kwargs.items()}
        return Function.__call__(self, *args, **kwargs)


def _view_root(v):
    """The variable whose memory ``v`` may share, following view_map/destroy_map."""
    while v.owner is not None:
        op = v.owner.op
        idx = v.owner.outputs.index(v)
        aliased = (getattr(op, "view_map", {}) or {}).get(idx) or \
            (getattr(op, "destroy_map", {}) or {}).get(idx)
        if not aliased:
            return v
        v = v.owner.inputs[aliased[0]]
    return v


def _wrap_outputs(outputs):
    """(SymbolicOutputs, unpack_single, output_keys) for ``function``'s outputs argument: a
    variable (the call returns one value), a list or a dict."""
    unpack_single = False
    output_keys = None
    if outputs is None:
        outputs = []
    if isinstance(outputs, dict):
        for key in outputs:
            if not isinstance(key, str):  # Theano 1.0 asserts it (AssertionError too)
                raise AssertionError("The keys of a dict of outputs must be strings, got %r"
                                     % (key,))
        output_keys = sorted(outputs)
        outputs = [outputs[k] for k in output_keys]
    elif not isinstance(outputs, (list, tuple)):
        unpack_single = True
        outputs = [outputs]
    outputs = [o if isinstance(o, SymbolicOutput) else SymbolicOutput(_as_output(o))
               for o in outputs]
    return outputs, unpack_single, output_keys


def _as_output(o):
    if isinstance(o, Variable):
        return o
    if hasattr(o, "default_output"):
        return o.default_output()
    # Theano 1.0 compat: a number is refused too (wrap it with T.constant to output it).
    raise TypeError("Outputs must be theano Variable or Out instances. Received %s of type %s"
                    "\nAn output must be a symbolic variable; to return a fixed value, use "
                    "T.constant(%r)." % (o, type(o), o))


# --------------------------------------------------------------------------- call errors
# Called by the Cython call path (pytheano._core.function) when an argument is refused.

def bad_input_error(fn, index, value):
    """The exception for argument ``index``: the type's own error, prefixed with Theano's
    'Bad input argument to theano function with name ... at index i (0-based).'."""
    slot = fn.param_slots[index]
    try:
        slot.type.filter(value, strict=slot.strict, allow_downcast=slot.allow_downcast)
    except Exception as e:  # noqa: BLE001 -- rethrown with context
        err = e
    else:  # pragma: no cover -- the fast path refused what filter accepts
        return TypeError("Bad input argument at index %d" % index)
    arg_name = "argument"
    if getattr(value, "name", None):
        arg_name += ' with name "%s"' % value.name
    function_name = "theano function"
    if fn.name:
        function_name += ' with name "%s"' % fn.name
    prefix = "Bad input %s to %s at index %d (0-based)." % (arg_name, function_name, index)
    if len(err.args) == 1 and isinstance(err.args[0], str):
        # Theano 1.0 compat: one message, Theano's prefix then the type's words.
        err.args = ("%s\n%s" % (prefix, err.args[0]),)
    else:
        err.args = (prefix,) + tuple(err.args)
    var = slot.variable
    where = ""
    if getattr(var, "creation_site", None):
        where = " (created at %s:%d)" % var.creation_site[:2]
    add_note(err, "The function input at index %d is %s, of type %s%s."
             % (index, var, var.type, where))
    return err


class _FinderView:
    """``f.value`` / ``f.container``: square brackets over the function's inputs."""

    def __init__(self, fn, get):
        self._fn = fn
        self._get = get

    def __getitem__(self, item):
        return self._get(self._fn._find(item))

    def __setitem__(self, item, value):
        if self._get is _slot_container:
            raise TypeError("The container of an input cannot be replaced; set its value.")
        self._fn[item] = value

    def __contains__(self, item):
        return item in self._fn


def _slot_container(slot):
    variable = slot.variable
    if isinstance(variable, SharedVariable) and variable.container.storage is slot.cell:
        return variable.container
    return Container(slot.type, slot.cell, strict=slot.strict,
                     allow_downcast=slot.allow_downcast, name=slot.name)


def too_many_arguments(fn, n):
    return TypeError("Too many parameter passed to theano function: got %d, it takes at most "
                     "%d (inputs: %s)." % (n, len(fn.param_slots),
                                           ", ".join(str(s.variable) for s in fn.param_slots)))


def unknown_keyword(fn, key):
    named = [s.name for s in fn.param_slots if s.name is not None]
    return TypeError("Unknown input or state: %s. The function has %s named input%s (%s)."
                     % (key, len(named), "" if len(named) == 1 else "s", ", ".join(named)))
