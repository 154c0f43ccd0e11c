from typing import Any

def run_steps(fn: Any, n_steps: int, seqs: list, buffers: list, lags: list, taps: list,
              out_taps: list, nit_buffers: list, nit_sizes: list, nit_dtypes: list,
              nit_reversed: list, shared: list, non_seqs: list, as_while: bool) -> int: ...
