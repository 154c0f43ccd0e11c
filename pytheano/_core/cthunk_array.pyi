from typing import Any, Callable

from pytheano._core.vm import Thunk

class ArrayCThunk(Thunk):
    fallback: Callable[..., Any]
    library: Any
    c_calls: int
    def __init__(self, node: Any, input_cells: list, output_cells: list, address: int,
                 in_dtypes: list[str], out_dtypes: list[str], in_ndims: list[int],
                 out_shapes: list[list[tuple[int, int]]], fallback: Callable[..., Any],
                 library: Any = ..., inplace: dict[int, int] | None = ...) -> None: ...
