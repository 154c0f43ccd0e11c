"""FunctionGraph: a graph cut out between chosen inputs and outputs, editable by rewrites.

``theano.function`` clones the user's graph into a FunctionGraph; rewrites edit it through
``replace``/``change_input``/``remove_node``; features (pytheano._core.features: History,
Validator, ReplaceValidate; the destroy handler) listen to every change. The linker reads
``toposort()``.

The graph owns nothing on its nodes: the client lists live in ``fgraph.clients`` (a dict
``var -> [(node, i) or ('output', i)]``), so one variable can sit in several graphs at once
(scan's inner graph, scratch graphs of a rewrite, DebugMode's copies) without cloning.
"""
from cpython.time cimport perf_counter

from pytheano._core.graph cimport Apply, Constant, Variable
from pytheano._core.graph import (clone as clone_graph, clone_get_equiv, io_toposort,
                                  as_string)
from pytheano.errors import AlreadyThere, MissingInputError


cdef class Feature:
    """Base of FunctionGraph listeners; every hook is optional.

    on_attach(fgraph) (raise AlreadyThere to decline), on_detach(fgraph),
    on_import(fgraph, node, reason), on_prune(fgraph, node, reason),
    on_change_input(fgraph, node, i, r, new_r, reason=None),
    orderings(fgraph) -> {node: [nodes that must run before it]}, validate(fgraph) (raise
    InconsistencyError to refuse), clone(). A subclass that adds orderings sets
    ``orderings_version`` to an int and bumps it whenever they change, so the graph keeps its
    toposort cached. Objects that do not subclass Feature work too (Theano 1.0 duck typing).
    """

    def __init__(self):
        self.orderings_version = None

    def on_attach(self, fgraph):
        pass

    def on_detach(self, fgraph):
        pass

    def on_import(self, fgraph, node, reason):
        pass

    def on_prune(self, fgraph, node, reason):
        pass

    def on_change_input(self, fgraph, node, i, r, new_r, reason=None):
        pass

    def orderings(self, fgraph):
        return {}

    def clone(self):
        return type(self)()


cdef class Clients(dict):
    """``var -> [(node, i) or ('output', i)]`` for the variables of one FunctionGraph."""

    def __call__(self, r):
        # Theano 1.0 compat: fgraph.clients(r) was a method.
        return self[r]


cdef class FunctionGraph:
    """The subgraph between ``inputs`` and ``outputs``, with client lists and features.

    ``fgraph.clients[var]`` (or Theano's ``fgraph.clients(var)``) lists who reads ``var`` in
    this graph. ``version`` grows with every edit; ``toposort()`` is cached against it and
    against the ``orderings_version`` of the features that add orderings.
    """

    def __init__(self, inputs, outputs, features=None, clone=True, update_mapping=None):
        if clone:
            inputs, outputs = clone_graph(inputs, outputs)
        self.execute_callbacks_time = 0.0
        self.execute_callbacks_times = {}
        self._features = []
        self._rebuild_listeners()
        self.apply_nodes = set()
        self.variables = set()
        self.clients = Clients()
        self.inputs = []
        self.outputs = []  # set once the features are attached: they see an empty graph
        self.version = 0
        self._toposort_cache = None
        self._toposort_key = None
        self.profile = None
        self.update_mapping = update_mapping

        for feature in features or ():
            self.attach_feature(feature)

        self.outputs = list(outputs)
        for inp in inputs:
            if (<Variable?>inp).owner is not None:
                raise ValueError("One of the provided inputs is the output of an already "
                                 "existing node. If that is okay, either discard that input's "
                                 "owner or use graph.clone.")
            self.add_input(inp)
        for out in self.outputs:
            self._import_var(out, "init")
        for i, out in enumerate(self.outputs):
            self._add_client(<Variable>out, ("output", i))

    # ------------------------------------------------------------------ features

    cdef _rebuild_listeners(self):
        # One list of bound hooks per event, so an event costs one call per listener and no
        # getattr. Theano-style features that do not subclass Feature are read the same way.
        self._on_import = []
        self._on_prune = []
        self._on_change_input = []
        self._validators = []
        self._orderers = []
        # The base class's no-op hooks are skipped: a feature pays only for what it overrides.
        for feature in self._features:
            cls = type(feature)
            for name, lst in (("on_import", self._on_import), ("on_prune", self._on_prune),
                              ("on_change_input", self._on_change_input),
                              ("validate", self._validators),
                              ("orderings", self._orderers)):
                fn = getattr(feature, name, None)
                if fn is None or getattr(cls, name, None) is getattr(Feature, name, False):
                    continue
                lst.append(feature if name == "orderings" else fn)

    def attach_feature(self, feature):
        """Add a listener; its ``on_attach(fgraph)`` may refuse by raising AlreadyThere."""
        if feature in self._features:
            return
        attach = getattr(feature, "on_attach", None)
        if attach is not None:
            try:
                attach(self)
            except AlreadyThere:
                return
        self._features.append(feature)
        self._rebuild_listeners()
        self.version += 1

    def remove_feature(self, feature):
        try:
            self._features.remove(feature)
        except ValueError:
            return
        self._rebuild_listeners()
        self.version += 1
        detach = getattr(feature, "on_detach", None)
        if detach is not None:
            detach(self)

    cdef _fire_import(self, Apply node, reason):
        if not self._on_import:
            return
        t0 = perf_counter()
        for fn in self._on_import:
            fn(self, node, reason)
        self.execute_callbacks_time += perf_counter() - t0

    cdef _fire_prune(self, Apply node, reason):
        if not self._on_prune:
            return
        t0 = perf_counter()
        for fn in self._on_prune:
            fn(self, node, reason)
        self.execute_callbacks_time += perf_counter() - t0

    cdef _fire_change_input(self, node, Py_ssize_t i, r, new_r, reason):
        if not self._on_change_input:
            return
        t0 = perf_counter()
        for fn in self._on_change_input:
            fn(self, node, i, r, new_r, reason=reason)
        self.execute_callbacks_time += perf_counter() - t0

    def execute_callbacks(self, name, *args, **kwargs):
        """Call ``feature.<name>(self, *args, **kwargs)`` on every feature that has it.

        The general (Theano 1.0) path; the graph's own events go through cached lists.
        """
        t0 = perf_counter()
        for feature in self._features:
            fn = getattr(feature, name, None)
            if fn is None:
                continue
            tf0 = perf_counter()
            fn(self, *args, **kwargs)
            self.execute_callbacks_times[feature] = (
                self.execute_callbacks_times.get(feature, 0.0) + perf_counter() - tf0)
        self.execute_callbacks_time += perf_counter() - t0

    def collect_callbacks(self, name, *args):
        return {feature: getattr(feature, name)(self, *args)
                for feature in self._features if hasattr(feature, name)}

    cpdef run_validators(self):
        """Call every feature's ``validate(fgraph)``; the first refusal raises."""
        for fn in self._validators:
            fn(self)

    # ------------------------------------------------------------------ membership

    cdef _setup_var(self, Variable v):
        if v not in self.clients:
            self.clients[v] = []
        self.variables.add(v)

    cdef _setup_node(self, Apply node):
        op = node.op
        for key, mapping in (("view_map", getattr(op, "view_map", None)),
                             ("destroy_map", getattr(op, "destroy_map", None))):
            if not mapping:
                continue
            for out_idx, in_idxs in mapping.items():
                if not isinstance(in_idxs, (list, tuple)) or len(in_idxs) != 1:
                    raise ValueError("Op '%s' has a bad %s '%s': each output must map to a "
                                     "list holding one input index" % (op, key, mapping))

    def add_input(self, inp, check=True):
        # Theano 1.0 compat: ``check`` is accepted; an input is never checked.
        if inp in self.inputs:
            return
        self.inputs.append(inp)
        self._setup_var(<Variable?>inp)
        self.version += 1

    def disown(self):
        """Detach every feature and forget every node and variable of this graph."""
        for feature in list(self._features):
            self.remove_feature(feature)
        self.apply_nodes = set()
        self.variables = set()
        self.clients = Clients()
        self.inputs = None
        self.outputs = None
        self._toposort_cache = None
        self.version += 1

    cdef _add_client(self, Variable v, client):
        (<list>self.clients[v]).append(client)

    cdef _remove_client(self, Variable v, client, reason):
        (<list>self.clients[v]).remove(client)
        self._prune_from(v, reason)

    cdef _prune_from(self, Variable v, reason):
        # A variable nobody reads any more prunes its owner once no output of the owner is
        # read, and so on up the graph.
        cdef list todo = [v]
        cdef Apply node
        cdef Variable inp
        cdef Py_ssize_t i
        while todo:
            v = <Variable>todo.pop()
            lst = self.clients.get(v)
            if lst is None or lst:
                continue  # already pruned (a node read it twice), or still read
            if v.owner is None:
                if v not in self.inputs:
                    self.variables.discard(v)
                    del self.clients[v]
                continue
            node = <Apply>v.owner
            if node not in self.apply_nodes:
                continue
            for o in node.outputs:
                if self.clients[o]:
                    break
            else:
                self.apply_nodes.remove(node)
                for o in node.outputs:
                    self.variables.discard(o)
                    del self.clients[o]
                self.version += 1
                self._fire_prune(node, reason)
                for i in range(len(node.inputs)):
                    inp = <Variable>node.inputs[i]
                    (<list>self.clients[inp]).remove((node, i))
                    todo.append(inp)

    cdef _import_var(self, Variable v, reason):
        if v.owner is not None:
            if v.owner not in self.apply_nodes:
                self._import_node(<Apply>v.owner, True, reason)
        elif v not in self.variables:
            if not isinstance(v, Constant):
                why_null = getattr(v.type, "why_null", None)
                if why_null is not None:
                    raise TypeError("Computation graph contains a NaN. " + why_null)
                raise MissingInputError("Undeclared input", variable=v)
            self._setup_var(v)

    def import_var(self, var, reason=None):
        self._import_var(<Variable?>var, reason)

    import_r = import_var  # Theano 1.0 name

    def import_node(self, apply_node, check=True, reason=None):
        self._import_node(<Apply?>apply_node, check, reason)

    cdef list _new_nodes_upto(self, Apply apply_node):
        """The nodes not yet in the graph that ``apply_node`` needs, dependencies first.

        A post-order walk that stops at nodes already imported: the cost is that of the new
        nodes, not of the whole graph (rewrites import small pieces into large graphs).
        """
        cdef list order = []
        cdef set seen = set()
        cdef list stack = [(apply_node, False)]
        cdef Apply node
        cdef bint expanded
        while stack:
            item = stack.pop()
            node = <Apply>item[0]
            expanded = item[1]
            if expanded:
                order.append(node)
                continue
            if node in seen or node in self.apply_nodes:
                continue
            seen.add(node)
            stack.append((node, True))
            for inp in reversed(node.inputs):
                owner = (<Variable>inp).owner
                if owner is not None and owner not in seen and owner not in self.apply_nodes:
                    stack.append((owner, False))
        return order

    cdef _import_node(self, Apply apply_node, bint check, reason):
        cdef Apply node
        cdef Variable v
        cdef Py_ssize_t i
        cdef list new_nodes
        if apply_node in self.apply_nodes:
            return
        # Fast path: a rewrite's new node usually reads only variables already in the graph.
        for inp in apply_node.inputs:
            owner = (<Variable>inp).owner
            if owner is not None and owner not in self.apply_nodes:
                new_nodes = self._new_nodes_upto(apply_node)
                break
        else:
            new_nodes = [apply_node]
        if check:
            for node in new_nodes:
                for i in range(len(node.inputs)):
                    v = <Variable>node.inputs[i]
                    if (v.owner is None and not isinstance(v, Constant)
                            and v not in self.variables):
                        raise MissingInputError(
                            "Input %d of the graph (indices start from 0), used to compute %s, "
                            "was not provided and not given a value. Add it to the function's "
                            "inputs, or give it a value with `givens`." % (i, node),
                            variable=v)
        for node in new_nodes:
            self._setup_node(node)
            self.apply_nodes.add(node)
            for out in node.outputs:
                self._setup_var(<Variable>out)
            for i in range(len(node.inputs)):
                v = <Variable>node.inputs[i]
                if v not in self.variables:
                    self._setup_var(v)
                self._add_client(v, (node, i))
            self.version += 1
            self._fire_import(node, reason)

    # ------------------------------------------------------------------ editing

    cpdef change_input(self, node, Py_ssize_t i, new_r, reason=None):
        """Make ``node.inputs[i]`` (or output ``i`` when node is 'output') be ``new_r``."""
        cdef Variable r
        if type(node) is str:  # "output"
            r = self.outputs[i]
            if not r.type == new_r.type:
                raise TypeError("The type of the replacement must be the same as the type of "
                                "the original Variable.", r, new_r)
            self.outputs[i] = new_r
        else:
            if node not in self.apply_nodes:
                raise ValueError("Cannot operate on %s because it does not belong to this "
                                 "FunctionGraph" % (node,))
            r = (<Apply>node).inputs[i]
            if not r.type == new_r.type:
                raise TypeError("The type of the replacement must be the same as the type of "
                                "the original Variable.", r, new_r)
            (<Apply>node).inputs[i] = new_r
        if r is new_r:
            return
        self._import_var(<Variable?>new_r, reason)
        self._add_client(<Variable>new_r, (node, i))
        self._remove_client(r, (node, i), reason)
        self.version += 1
        self._fire_change_input(node, i, r, new_r, reason)

    cpdef replace(self, r, new_r, reason=None, verbose=None):
        """Make every client of ``r`` read ``new_r`` instead (converting its type if allowed)."""
        cdef Variable old = <Variable?>r
        if verbose:
            print(reason, r, new_r)
        if old.type != new_r.type:
            converted = old.type.convert_variable(new_r)
            if converted is None or converted.type != old.type:
                raise TypeError("The type of the replacement must be compatible with the type "
                                "of the original Variable.", r, new_r, old.type, new_r.type,
                                str(reason))
            new_r = converted
        if old not in self.variables:
            # Replacing a variable that is not (or no longer) in the graph is a no-op; rewrites
            # of multi-output nodes rely on this.
            return
        for client_node, i in list(self.clients[old]):
            self.change_input(client_node, i, new_r, reason)

    def replace_all(self, pairs, reason=None):
        for r, new_r in pairs:
            self.replace(r, new_r, reason=reason)

    def remove_node(self, node, reason=None):
        """Remove ``node``, every node that reads its outputs (directly or not) and the graph
        outputs they compute; then prune what nothing reads any more. Fires ``on_prune``."""
        cdef Apply cur
        cdef Variable v
        cdef Py_ssize_t i
        if node not in self.apply_nodes:
            return
        # The doomed nodes, each listed after every node it reads (a post-order of clients,
        # reversed), so a node is removed only once nothing doomed reads it.
        cdef set doomed = set()
        cdef list order = []
        cdef list stack = [(node, False)]
        doomed_outputs = []
        while stack:
            item = stack.pop()
            cur = <Apply>item[0]
            if item[1]:
                order.append(cur)
                continue
            if cur in doomed:
                continue
            doomed.add(cur)
            stack.append((cur, True))
            for out in cur.outputs:
                for client, i in self.clients[out]:
                    if client == "output":
                        doomed_outputs.append(i)
                    elif client not in doomed:
                        stack.append((client, False))
        for i in sorted(set(doomed_outputs), reverse=True):
            self._drop_output(i)
        for cur in order:  # clients before the nodes they read
            self.apply_nodes.remove(cur)
            for o in cur.outputs:
                self.variables.discard(o)
                del self.clients[o]
            self.version += 1
            self._fire_prune(cur, reason)
            for i in range(len(cur.inputs)):
                v = <Variable>cur.inputs[i]
                if v.owner in doomed:
                    continue  # removed in its turn
                (<list>self.clients[v]).remove((cur, i))
                self._prune_from(v, reason)

    def remove_output(self, Py_ssize_t i, reason=None):
        """Drop output ``i`` (later outputs move down one place) and prune what it alone used."""
        cdef Variable v = self._drop_output(i)
        self._prune_from(v, reason)

    def _drop_output(self, Py_ssize_t i):
        cdef Variable v = self.outputs.pop(i)
        cdef Py_ssize_t j
        (<list>self.clients[v]).remove(("output", i))
        for j in range(i, len(self.outputs)):
            lst = <list>self.clients[self.outputs[j]]
            lst[lst.index(("output", j + 1))] = ("output", j)
        if self.update_mapping:
            # {input index: output index}: the update of a removed output goes with it.
            self.update_mapping = {k: (o - 1 if o > i else o)
                                   for k, o in self.update_mapping.items() if o != i}
        self.version += 1
        return v

    # ------------------------------------------------------------------ order

    def orderings(self):
        """Extra 'must run before' constraints: {node: [nodes that must come first]}."""
        cdef dict ords = {}
        for feature in self._orderers:
            for node, prereqs in feature.orderings(self).items():
                ords.setdefault(node, []).extend(prereqs)
        return ords

    def invalidate_orderings(self):
        """For a feature whose orderings changed without an edit of the graph."""
        self.version += 1

    cdef tuple _orderings_key(self):
        # None when a feature with orderings declares no version (a Theano 1.0 feature):
        # its orderings may change at any time, so nothing is cached.
        cdef list key = [self.version]
        for feature in self._orderers:
            v = getattr(feature, "orderings_version", None)
            if v is None:
                return None
            key.append(v)
        return tuple(key)

    def keep_order(self, list order):
        """Take ``order`` as the toposort until the graph or its orderings change: the order
        this graph had when it was rewritten, for a rewritten graph loaded from the cache or
        a pickle (a new FunctionGraph's clients, hence the orderings' readers, come in
        another order, and so would its toposort: the VM's schedule and the numbers
        debugprint shows). Ignored unless it is a valid order of exactly these nodes."""
        cdef dict position = {node: k for k, node in enumerate(order)}
        if len(position) != len(order) or set(position) != self.apply_nodes:
            return False
        for node, k in position.items():
            for inp in (<Apply>node).inputs:
                owner = (<Variable>inp).owner
                if owner is not None and position[owner] >= k:
                    return False
        key = self._orderings_key()
        if key is None:
            return False
        if self._orderers:
            for node, prereqs in self.orderings().items():
                for before in prereqs:
                    if position[before] >= position[node]:
                        return False
        self._toposort_cache = list(order)
        self._toposort_key = key
        return True

    cpdef list toposort(self):
        """The Apply nodes in an order where each comes after the nodes it reads."""
        key = self._orderings_key()
        if key is not None and self._toposort_key == key:
            return list(self._toposort_cache)
        if len(self.apply_nodes) < 2:
            order = list(self.apply_nodes)
        else:
            ords = self.orderings() if self._orderers else None
            order = io_toposort(self.inputs, self.outputs, ords)
        self._toposort_cache = order
        self._toposort_key = key
        return list(order)

    def check_integrity(self):
        """Raise if the client lists, node sets and variable sets disagree with the graph."""
        cdef Apply node
        cdef Variable v
        nodes = set(io_toposort(self.inputs, self.outputs))
        if nodes != self.apply_nodes:
            raise AssertionError("The nodes are inappropriately cached. missing, in excess: ",
                                 nodes.difference(self.apply_nodes),
                                 self.apply_nodes.difference(nodes))
        for node in nodes:
            for i, inp in enumerate(node.inputs):
                if inp not in self.variables:
                    raise AssertionError("Input of node should belong to the FunctionGraph.",
                                         inp, (node, i))
                if (node, i) not in self.clients[inp]:
                    raise AssertionError("Inconsistent clients list.", (node, i),
                                         self.clients[inp])
        if set(self.clients) != self.variables:
            raise AssertionError("Clients and variables disagree.",
                                 set(self.clients) ^ self.variables)
        for v in self.variables:
            if v.owner is None and v not in self.inputs and not isinstance(v, Constant):
                raise AssertionError("Undeclared input.", v)
            if v.owner is not None and v.owner not in nodes:
                raise AssertionError("Variable's owner not in FunctionGraph.", v)
            for client, i in self.clients[v]:
                if client == "output":
                    if self.outputs[i] is not v:
                        raise AssertionError("Inconsistent clients list.", v, self.outputs[i])
                    continue
                if client not in nodes:
                    raise AssertionError("Client not in FunctionGraph.", v, (client, i))
                if (<Apply>client).inputs[i] is not v:
                    raise AssertionError("Inconsistent clients list.", v, client.inputs[i])

    # ------------------------------------------------------------------ copies

    def clone_get_equiv(self, check_integrity=True, attach_feature=True):
        """A copy of this graph and the map from each old node/variable to its copy."""
        equiv = clone_get_equiv(self.inputs, self.outputs)
        if check_integrity:
            self.check_integrity()
        e = FunctionGraph([equiv[i] for i in self.inputs], [equiv[o] for o in self.outputs],
                          clone=False)
        if check_integrity:
            e.check_integrity()
        if attach_feature:
            for feature in self._features:
                clone_feature = getattr(feature, "clone", None)
                e.attach_feature(clone_feature() if clone_feature is not None else feature)
        return e, equiv

    def clone(self, check_integrity=True):
        return self.clone_get_equiv(check_integrity)[0]

    def __str__(self):
        return "[%s]" % ", ".join(as_string(self.inputs, self.outputs))

    def __repr__(self):
        return self.__str__()
