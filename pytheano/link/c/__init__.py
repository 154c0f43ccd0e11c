"""The C backend: generated C per compiled function, compiled by the system compiler,
cached on disk (cache.py), called by the VM through C function pointers (_core/cthunk.pyx)."""
