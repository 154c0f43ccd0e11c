from typing import Any, Callable

from pytheano._core.vm import Thunk

ROUTINES: tuple[str, ...]

class BlasThunk(Thunk):
    fallback: Callable[..., Any]
    blas_calls: int
    def __init__(self, node: Any, input_cells: list, output_cells: list, routine: str,
                 dtype: str, destroys: bool, ignores_accumulator: bool,
                 fallback: Callable[..., Any]) -> None: ...
