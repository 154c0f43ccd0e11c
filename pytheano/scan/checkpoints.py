"""``scan_checkpoints``: a scan whose gradient stores one state every ``save_every_N`` steps
and recomputes the others (a scan over chunks of a scan over steps)."""
from pytheano.scan.basic import scan
from pytheano.tensor.creation import ones, zeros
from pytheano.tensor.join import concatenate
from pytheano.tensor.math import cast, ceil, eq, switch
from pytheano.tensor.subtensor import set_subtensor

__all__ = ["scan_checkpoints"]


def _as_list(x):
    return list(x) if isinstance(x, list) else [x]


def scan_checkpoints(fn, sequences=(), outputs_info=None, non_sequences=(),
                     name="checkpointscan_fn", n_steps=None, save_every_N=10, padding=True):
    """``scan(fn, ...)`` keeping the outputs of every ``save_every_N``-th step only; the
    steps between are recomputed by the gradient. Every sequence has the same length;
    outputs have one tap (-1) or none. ``padding`` pads the sequences with zeros to a
    multiple of ``save_every_N`` (else their length must be one)."""
    sequences = _as_list(list(sequences) if isinstance(sequences, tuple) else sequences)
    outputs_info = _as_list(outputs_info)
    non_sequences = _as_list(list(non_sequences) if isinstance(non_sequences, tuple)
                             else non_sequences)
    for element in outputs_info:
        if isinstance(element, dict) and "taps" in element:
            raise RuntimeError("scan_checkpoints doesn't work with taps.")
    if n_steps is None:
        n_steps = sequences[0].shape[0]
    outer_steps = cast(ceil(n_steps / save_every_N), "int64")
    inner_steps = save_every_N * ones((outer_steps,), "int64")
    remainder = n_steps % save_every_N
    inner_steps = set_subtensor(inner_steps[-1], switch(eq(remainder, 0), save_every_N,
                                                        remainder))
    if padding:
        padded = []
        for s in sequences:
            n_pad = (save_every_N - s.shape[0] % save_every_N) % save_every_N
            pad = zeros([n_pad] + [s.shape[i] for i in range(1, s.ndim)], dtype=s.dtype)
            padded.append(concatenate([s, pad]))
        sequences = padded
    outer_seqs = [s.reshape([s.shape[0] // save_every_N, save_every_N]
                            + [s.shape[i] for i in range(1, s.ndim)], s.ndim + 1)
                  for s in sequences] + [inner_steps]
    n_mapped = len([i for i in outputs_info if i is None])
    n_seq, n_nonseq = len(outer_seqs), len(non_sequences)

    def outer_step(*args):
        chunks = list(args[:n_seq])
        prior = list(args[n_seq:len(args) - n_nonseq])
        nonseqs = list(args[len(args) - n_nonseq:])
        results, updates = scan(fn=fn, sequences=chunks[:-1],
                                outputs_info=prior + [None] * n_mapped,
                                non_sequences=nonseqs, name=name + "_inner",
                                n_steps=chunks[-1], return_list=True)
        return [r[-1] for r in results], updates

    return scan(fn=outer_step, sequences=outer_seqs, outputs_info=outputs_info,
                non_sequences=non_sequences, name=name + "_outer", n_steps=outer_steps,
                allow_gc=True)
