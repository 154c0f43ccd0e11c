from typing import Any, Callable

from pytheano._core.vm import Thunk

class ElemwiseCThunk(Thunk):
    fallback: Callable[..., Any]
    check_shapes: Callable[..., Any] | None
    messages: list[str]
    library: Any
    c_calls: int
    def __init__(self, node: Any, input_cells: list, output_cells: list, address: int,
                 in_dtypes: list[str], out_dtypes: list[str],
                 input_broadcastable: list[tuple[bool, ...]], destroys: list[int],
                 messages: list[str], fallback: Callable[..., Any],
                 check_shapes: Callable[..., Any] | None = ..., library: Any = ...) -> None: ...
