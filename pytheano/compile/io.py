"""In and Out: how an input or output of ``function`` is passed (names, defaults, borrowing)."""
from pytheano.graph.shared import SharedVariable
from pytheano._core.graph import Variable


class SymbolicInput:
    """An input of a compiled function.

    variable: the graph variable the argument is bound to.
    name: keyword name (defaults to the variable's name).
    update: a variable whose value replaces this input's value after each call.
    mutable: the function may overwrite the argument's memory.
    strict: the argument must already have exactly the right type (no conversion).
    allow_downcast: convert with possible precision loss (None: only Python floats to floatX).
    autoname: take ``variable.name`` when no name is given.
    implicit: not a parameter of the call (shared variables).
    """

    def __init__(self, variable, name=None, update=None, mutable=None, strict=False,
                 allow_downcast=None, autoname=True, implicit=False):
        if not isinstance(variable, Variable):
            raise TypeError("In: variable must be a Variable, got %r" % (variable,))
        self.variable = variable
        self.name = variable.name if (autoname and name is None) else name
        if self.name is not None and not isinstance(self.name, str):
            raise TypeError("name must be a string! (got: %s)" % self.name)
        self.update = update
        if update is not None and not variable.type == update.type:
            raise TypeError("Variable '%s' has type %s but an update of type %s. The type of "
                            "the update should be the same as the type of the variable"
                            % (variable, variable.type, update.type))
        self.mutable = mutable if mutable is not None else (update is not None)
        self.strict = strict
        self.allow_downcast = allow_downcast
        self.implicit = implicit

    def __str__(self):
        if self.update:
            return "In(%s -> %s)" % (self.variable, self.update)
        return "In(%s)" % self.variable

    __repr__ = __str__


class In(SymbolicInput):
    """An input with options: ``In(x, value=1.0)`` makes ``x`` optional with default 1.0.

    borrow: the function may keep a reference to the argument (no copy).
    """

    def __init__(self, variable, name=None, value=None, update=None, mutable=None,
                 strict=False, allow_downcast=None, autoname=True, implicit=None,
                 borrow=None, shared=False):
        if borrow is None:
            borrow = bool(mutable)
        elif mutable and not borrow:
            raise AssertionError("Symbolic input for variable %s (name=%s) has flags "
                                 "mutable=True, borrow=False. This combination is "
                                 "incompatible since mutable=True implies that the input "
                                 "variable may be both aliased (borrow=True) and "
                                 "overwritten." % (variable, name))
        self.borrow = borrow
        if implicit is None:
            implicit = isinstance(value, SharedVariable)
        super().__init__(variable, name, update, mutable, strict, allow_downcast, autoname,
                         implicit)
        self.value = value
        self.shared = shared
        if self.implicit and value is None:
            raise TypeError("An implicit input must be given a default value")


class SymbolicOutput:
    """An output of a compiled function. borrow=True: the returned array may be reused by
    the next call (no copy)."""

    def __init__(self, variable, borrow=False):
        self.variable = variable
        self.borrow = borrow

    def __str__(self):
        return "Out(%s,%s)" % (self.variable, self.borrow)

    __repr__ = __str__


Out = SymbolicOutput
