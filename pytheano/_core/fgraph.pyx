"""FunctionGraph: a graph cut out between chosen inputs and outputs, owned and editable.

``theano.function`` clones the user's graph into a FunctionGraph; rewrites edit it through
``replace``/``change_input``; features (validators, history, the destroy handler) listen to
every change through callbacks. The linker reads ``toposort()``.
"""
import time

from pytheano._core.graph cimport Apply, Constant, Variable
from pytheano._core.graph import clone as clone_graph, clone_get_equiv, io_toposort


def _errors():
    # Imported late: pytheano.graph imports this module.
    from pytheano import errors
    return errors


cdef class FunctionGraph:
    """The subgraph between ``inputs`` and ``outputs``, with client lists and features.

    Variables and nodes in a FunctionGraph know it (``var.fgraph``) and know who reads them
    (``var.clients``, a list of ``(node, i)`` or ``('output', i)``), as in Theano 1.0.
    """

    def __init__(self, inputs, outputs, features=None, clone=True, update_mapping=None):
        if clone:
            inputs, outputs = clone_graph(inputs, outputs)
        self.execute_callbacks_time = 0.0
        self.execute_callbacks_times = {}
        self._features = []
        self.apply_nodes = set()
        self.variables = set()
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self._toposort_cache = None
        self.profile = None
        self.update_mapping = update_mapping

        from pytheano.graph.features import ReplaceValidate
        for feature in features or ():
            self.attach_feature(feature)
        self.attach_feature(ReplaceValidate())

        for inp in self.inputs:
            if (<Variable?>inp).owner is not None:
                raise ValueError("One of the provided inputs is the output of an already "
                                 "existing node. If that is okay, either discard that input's "
                                 "owner or use graph.clone.")
            self._setup_var(inp)
            self.variables.add(inp)
        for out in self.outputs:
            self._import_var(out, "init")
        for i, out in enumerate(self.outputs):
            (<Variable>out).clients.append(("output", i))

    # ------------------------------------------------------------------ membership

    cdef _setup_var(self, Variable v):
        if v.fgraph is not None and v.fgraph is not self:
            raise ValueError("%s is already owned by another fgraph" % (v,))
        v.fgraph = self
        if v.clients is None:
            v.clients = []

    cdef _setup_node(self, Apply node):
        if node.fgraph is not None and node.fgraph is not self:
            raise ValueError("%s is already owned by another fgraph" % (node,))
        op = node.op
        for key, mapping in (("view_map", getattr(op, "view_map", None)),
                             ("destroy_map", getattr(op, "destroy_map", None))):
            if not mapping:
                continue
            for out_idx, in_idxs in mapping.items():
                if not isinstance(in_idxs, (list, tuple)) or len(in_idxs) != 1:
                    raise ValueError("Op '%s' has a bad %s '%s': each output must map to a "
                                     "list holding one input index" % (op, key, mapping))
        node.fgraph = self

    def add_input(self, inp):
        if inp not in self.inputs:
            self.inputs.append(inp)
            self._setup_var(inp)
            self.variables.add(inp)

    def disown(self):
        """Detach every feature and forget every node and variable of this graph."""
        for feature in list(self._features):
            self.remove_feature(feature)
        cdef Apply node
        cdef Variable v
        for node in self.apply_nodes:
            node.fgraph = None
        for v in self.variables:
            v.fgraph = None
            v.clients = None
        self.apply_nodes = set()
        self.variables = set()
        self.inputs = None
        self.outputs = None
        self._toposort_cache = None

    def clients(self, r):
        """The ``(node, i)`` pairs such that ``node.inputs[i] is r`` (``'output'`` for outputs)."""
        return (<Variable?>r).clients

    cdef _add_client(self, Variable v, client):
        v.clients.append(client)

    cdef _remove_client(self, Variable v, client, reason):
        # Removing the last client of a variable prunes its owner when no output of the
        # owner is used any more, and so on up the graph.
        cdef list todo = [(v, client)]
        cdef Apply node
        while todo:
            v, client = todo.pop()
            v.clients.remove(client)
            if v.clients:
                continue
            if v.owner is None:
                if v not in self.inputs:
                    self.variables.discard(v)
                    v.fgraph = None
                continue
            node = <Apply>v.owner
            if any([(<Variable>o).clients for o in node.outputs]):
                continue
            self.apply_nodes.remove(node)
            self.variables.difference_update(node.outputs)
            self._toposort_cache = None
            self.execute_callbacks("on_prune", (node, reason))
            for i, inp in enumerate(node.inputs):
                todo.append((inp, (node, i)))

    cdef _import_var(self, Variable v, reason):
        if v.owner is not None:
            if v.owner not in self.apply_nodes:
                self._import_node(<Apply>v.owner, True, reason)
        elif not isinstance(v, Constant) and v.fgraph is not self:
            why_null = getattr(v.type, "why_null", None)
            if why_null is not None:
                raise TypeError("Computation graph contains a NaN. " + why_null)
            raise _errors().MissingInputError("Undeclared input", variable=v)
        if v.fgraph is not self:
            self._setup_var(v)
        self.variables.add(v)

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
        new_nodes = self._new_nodes_upto(apply_node)
        if check:
            for node in new_nodes:
                if node.fgraph is not None and node.fgraph is not self:
                    raise ValueError("%s is already owned by another fgraph" % (node,))
                for pos, inp in enumerate(node.inputs):
                    v = <Variable>inp
                    if v.fgraph is not None and v.fgraph is not self:
                        raise ValueError("%s is already owned by another fgraph" % (v,))
                    if (v.owner is None and not isinstance(v, Constant)
                            and v.fgraph is not self):
                        raise _errors().MissingInputError(
                            "Input %d of the graph (indices start from 0), used to compute %s, "
                            "was not provided and not given a value. Add it to the function's "
                            "inputs, or give it a value with `givens`." % (pos, node),
                            variable=v)
        for node in new_nodes:
            self._setup_node(node)
            self.apply_nodes.add(node)
            for out in node.outputs:
                self._setup_var(<Variable>out)
                self.variables.add(out)
            for i, inp in enumerate(node.inputs):
                if inp not in self.variables:
                    self._setup_var(<Variable>inp)
                    self.variables.add(inp)
                self._add_client(<Variable>inp, (node, i))
            self._toposort_cache = None
            self.execute_callbacks("on_import", (node, reason))

    # ------------------------------------------------------------------ editing

    cpdef change_input(self, node, Py_ssize_t i, new_r, reason=None):
        """Make ``node.inputs[i]`` (or output ``i`` when node is 'output') be ``new_r``."""
        cdef Variable r
        if node == "output":
            r = self.outputs[i]
            if not r.type == new_r.type:
                raise TypeError("The type of the replacement must be the same as the type of "
                                "the original Variable.", r, new_r)
            self.outputs[i] = new_r
        else:
            if (<Apply?>node).fgraph is not self:
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
        self._toposort_cache = None
        self.execute_callbacks("on_change_input", (node, i, r, new_r), {"reason": reason})

    cpdef replace(self, r, new_r, reason=None, verbose=None):
        """Make every client of ``r`` read ``new_r`` instead (converting its type if allowed)."""
        cdef Variable old = <Variable?>r
        if verbose:
            print(reason, r, new_r)
        if old.fgraph is not None and old.fgraph is not self:
            raise ValueError("Cannot replace %s because it does not belong to this "
                             "FunctionGraph" % (r,), str(reason))
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
        for client_node, i in list(old.clients):
            self.change_input(client_node, i, new_r, reason)

    def replace_all(self, pairs, reason=None):
        for r, new_r in pairs:
            self.replace(r, new_r, reason=reason)

    # ------------------------------------------------------------------ features

    def attach_feature(self, feature):
        """Add a listener; its ``on_attach(fgraph)`` may refuse by raising AlreadyThere."""
        if feature in self._features:
            return
        attach = getattr(feature, "on_attach", None)
        if attach is not None:
            try:
                attach(self)
            except _errors().AlreadyThere:
                return
        self._toposort_cache = None
        self._features.append(feature)

    def remove_feature(self, feature):
        try:
            self._features.remove(feature)
        except ValueError:
            return
        detach = getattr(feature, "on_detach", None)
        if detach is not None:
            detach(self)
        self._toposort_cache = None

    cpdef execute_callbacks(self, str name, tuple args, dict kwargs=None):
        """Call ``feature.<name>(self, *args)`` on every feature that defines it."""
        t0 = time.perf_counter()
        for feature in self._features:
            fn = getattr(feature, name, None)
            if fn is None:
                continue
            if kwargs:
                fn(self, *args, **kwargs)
            else:
                fn(self, *args)
        self.execute_callbacks_time += time.perf_counter() - t0

    def collect_callbacks(self, name, *args):
        return {feature: getattr(feature, name)(self, *args)
                for feature in self._features if hasattr(feature, name)}

    # ------------------------------------------------------------------ order

    def orderings(self):
        """Extra 'must run before' constraints: {node: [nodes that must come first]}."""
        cdef dict ords = {}
        for feature in self._features:
            fn = getattr(feature, "orderings", None)
            if fn is None:
                continue
            for node, prereqs in fn(self).items():
                ords.setdefault(node, []).extend(prereqs)
        return ords

    cpdef list toposort(self):
        """The Apply nodes in an order where each comes after the nodes it reads."""
        if self._toposort_cache is not None:
            return list(self._toposort_cache)
        if len(self.apply_nodes) < 2:
            order = list(self.apply_nodes)
        else:
            ords = self.orderings()
            order = io_toposort(self.inputs, self.outputs, ords)
        has_orderings = False
        for f in self._features:
            if getattr(f, "orderings", None) is not None:
                has_orderings = True
        if not has_orderings:
            self._toposort_cache = order
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
            if node.fgraph is not self:
                raise AssertionError("Node should belong to the FunctionGraph.", node)
            for i, inp in enumerate(node.inputs):
                if (<Variable>inp).fgraph is not self:
                    raise AssertionError("Input of node should belong to the FunctionGraph.",
                                         inp, (node, i))
                if (node, i) not in (<Variable>inp).clients:
                    raise AssertionError("Inconsistent clients list.", (node, i),
                                         (<Variable>inp).clients)
        for v in self.variables:
            if v.owner is None and v not in self.inputs and not isinstance(v, Constant):
                raise AssertionError("Undeclared input.", v)
            if v.fgraph is not self:
                raise AssertionError("Variable should belong to the FunctionGraph.", v)
            for client, i in v.clients:
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
        from pytheano.graph.basic import as_string
        return "[%s]" % ", ".join(as_string(self.inputs, self.outputs))

    def __repr__(self):
        return self.__str__()
