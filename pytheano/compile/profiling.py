"""ProfileStats: what a profiled function records (call counts, times per node)."""
import time

_IMPORT_TIME = time.perf_counter()


class ProfileStats:
    """Times of one compiled function: calls, VM time, per-Apply thunk times, compile times.

    ``summary()`` prints the report per Op class, per Op and per Apply node.
    """

    def __init__(self, atexit_print=True, flag_time_thunks=None, message=None, **kwargs):
        self.message = message
        self.fct_callcount = 0
        self.fct_call_time = 0.0
        self.vm_call_time = 0.0
        self.compile_time = 0.0
        self.optimizer_time = 0.0
        self.linker_time = 0.0
        self.validate_time = 0.0
        self.import_time = 0.0
        self.nb_nodes = 0
        self.fn = None
        self.maker = None
        self.atexit_print = atexit_print

    def attach(self, fn, maker):
        self.fn = fn
        self.maker = maker
        self.compile_time = maker.compile_time
        self.optimizer_time = maker.optimizer_time
        self.linker_time = maker.linker_time
        self.nb_nodes = len(maker.vm.nodes)

    @property
    def apply_time(self):
        vm = self.maker.vm
        return dict(zip(vm.nodes, vm.thunk_times))

    @property
    def apply_callcount(self):
        vm = self.maker.vm
        return dict(zip(vm.nodes, vm.thunk_calls))
