from typing import Any, Callable, Iterable, Sequence

from pytheano._core.fgraph import Feature, FunctionGraph
from pytheano._core.graph import Apply, Constant, Variable

class Rule:
    fn: Callable[[FunctionGraph, Apply], Any]
    name: str
    tracks: tuple[Any, ...] | None
    def __init__(self, fn: Callable[[FunctionGraph, Apply], Any], name: str,
                 tracks: Iterable[Any] | None = ...) -> None: ...

class Dispatch:
    n_rules: int
    def __init__(self, rules: Sequence[Rule]) -> None: ...
    def rules_for(self, op: Any) -> list[Rule]: ...

class ChangeTracker(Feature):
    dirty: list[Apply]
    created: int

def require_replace_validate(fgraph: FunctionGraph) -> None: ...
def apply_replacements(fgraph: FunctionGraph, node: Apply,
                       replacements: Sequence[Variable] | dict[Variable, Variable] | None,
                       reason: str) -> bool: ...
def record(profile: dict[str, list[Any]] | None, name: str, seconds: float,
           applied: int) -> None: ...
def node_cap(n_nodes: int, ratio: float) -> int: ...
def run_plan(fgraph: FunctionGraph,
             phases: list[tuple[str, Sequence[Callable[[FunctionGraph], int]], Dispatch]],
             profile: dict[str, list[Any]] | None = ..., max_passes: int = ...,
             max_new_ratio: float = ..., verbose: bool = ...) -> int: ...
def run_phase(fgraph: FunctionGraph, rules: Sequence[Rule],
              profile: dict[str, list[Any]] | None = ..., max_passes: int = ...,
              max_new_ratio: float = ..., phase: str = ...) -> int: ...
def constant_key(c: Constant) -> Any: ...
def merge_graph(fgraph: FunctionGraph) -> int: ...
