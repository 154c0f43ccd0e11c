"""GPU backend (CuPy). A later issue implements it; until then importing works and asking
for a GPU says clearly that it is not available.

Lower layers reach it only through pytheano.hooks (``transfer``), which imports it on first use.
"""
from pytheano import hooks


def is_available():
    """True when CuPy and a CUDA device are present (the backend itself comes later)."""
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False


@hooks.transfer.install
def transfer(var, target):
    """``var.transfer(target)`` for a GPU target."""
    raise NotImplementedError(
        "var.transfer(%r): the GPU backend is not implemented yet in pytheano; only "
        "transfer('cpu') works for now." % (target,))
