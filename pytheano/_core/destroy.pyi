from typing import Any, Callable

from pytheano._core.fgraph import Feature, FunctionGraph
from pytheano._core.graph import Apply, Variable

class DestroyTracker(Feature):
    destroyers: set[Apply]
    view_i: dict[Variable, Variable]
    view_o: dict[Variable, set[Variable]]
    _state: Any
    edited: set[Apply]
    order: dict[Apply, float] | None
    taken: set[float]
    def changed(self) -> None: ...
    def validate(self, fgraph: FunctionGraph) -> bool: ...
    def validate_destroyers(self, fgraph: FunctionGraph) -> bool: ...

def find_cycle(fgraph: FunctionGraph, ords: dict[Apply, list[Apply]]) -> Apply | None: ...
def order_nodes(fgraph: FunctionGraph,
                ords: dict[Apply, list[Apply]]) -> dict[Apply, float] | None: ...
def update_order(fgraph: FunctionGraph, pos: dict[Apply, float], taken: set[float],
                 edited: set[Apply], new_ords: list[tuple[Variable, Apply, list[Apply]]],
                 readers_of: dict[Variable, tuple[Apply, set[Apply]]],
                 get_ords: Callable[[], dict[Apply, list[Apply]]]) -> int: ...
def first_reached(fgraph: FunctionGraph, start: Apply, targets: list[Apply]) -> Apply | None: ...
