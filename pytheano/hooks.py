"""Calls that must go up the layers, as named slots that the upper layer fills at import.

A lower layer that needs a service of a higher one (``Variable.eval`` needs
``pytheano.function``; ``verify_grad`` and ``jacobian`` compile graphs; ``x.transfer('cuda')``
needs the GPU backend) calls the slot here; the layer that provides the service installs it
when it is imported. Importing ``pytheano`` installs them all.
"""
import importlib


class Hook:
    """One slot: ``hook(*args)`` calls what was installed, or says which import provides it."""

    __slots__ = ("name", "provider", "fn", "lazy")

    def __init__(self, name, provider, lazy=False):
        self.name = name
        self.provider = provider
        self.fn = None
        # A lazy hook imports its provider on first use (the GPU backend is imported only
        # when a GPU is asked for).
        self.lazy = lazy

    def install(self, fn):
        self.fn = fn
        return fn

    def __call__(self, *args, **kwargs):
        fn = self.fn
        if fn is None and self.lazy:
            importlib.import_module(self.provider)
            fn = self.fn
        if fn is None:
            raise RuntimeError("%s is provided by %s, which is not imported: import pytheano "
                               "(or %s) first." % (self.name, self.provider, self.provider))
        return fn(*args, **kwargs)

    def __repr__(self):
        return "<hook %s from %s%s>" % (self.name, self.provider,
                                       "" if self.fn is not None else " (not installed)")


# compile_function(inputs, outputs, **function_kwargs) -> a compiled callable
compile_function = Hook("compile_function", "pytheano.compile")
# eval_variable(variable, {input: value}) -> the value of variable
eval_variable = Hook("eval_variable", "pytheano.compile")
# get_mode(mode argument) -> the Mode it names (scan compiles its step with a derived mode)
get_mode = Hook("get_mode", "pytheano.compile")
# scan_profile(name) -> the ScanProfileStats of a scan's inner function
scan_profile = Hook("scan_profile", "pytheano.compile")
# transfer(variable, target) -> variable moved to target ('cpu', 'cuda', 'cuda0', ...)
transfer = Hook("transfer", "pytheano.cuda", lazy=True)
# sparse_rows_grad(x, gz, ilist) -> the gradient of x[ilist] as a csc matrix shaped as x, the
# rows gz at ilist (AdvancedSubtensor1(sparse_grad=True), theano.sparse_grad)
sparse_rows_grad = Hook("sparse_rows_grad", "pytheano.sparse", lazy=True)
