from typing import Any

from pytheano._core.fgraph import Feature, FunctionGraph
from pytheano._core.graph import Apply, Variable

class DestroyTracker(Feature):
    destroyers: set[Apply]
    view_i: dict[Variable, Variable]
    view_o: dict[Variable, set[Variable]]
    _state: Any
    def changed(self) -> None: ...
    def validate(self, fgraph: FunctionGraph) -> bool: ...
    def validate_destroyers(self, fgraph: FunctionGraph) -> bool: ...

def find_cycle(fgraph: FunctionGraph, ords: dict[Apply, list[Apply]]) -> Apply | None: ...
