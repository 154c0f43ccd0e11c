"""The C compiler driver: which compiler, its version, the flags, and one compile step.

The compiler is ``config.cxx`` (detected at start-up; empty: no C backend, every node runs
its perform after one warning). Generated code is plain C99 (``-x c``: a C++ driver compiles
it as C) with no Python or numpy header, so a machine needs nothing but the compiler.

The flags are chosen for this machine (``-O3 -march=native``); what ``native`` resolves to
(gcc's chosen -march and the CPU's feature flags) is part of the description that goes into
the cache key, so a cache directory shared between machines never hands one machine code
built for another's CPU. Probing the compiler costs subprocess calls: the result is kept in
``compiler-info.json`` in the cache directory, keyed by the compiler's path, size and mtime.

OpenMP: the probe also records whether the compiler takes ``-fopenmp-simd`` (the loops'
``#pragma omp simd``, no runtime library) and ``-fopenmp`` (threads, libgomp). With
``config.openmp`` and a compiler that has it, modules build with ``-fopenmp``; else with
``-fopenmp-simd`` where it exists. The flags are in the description, so in the cache key.
"""
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import warnings

import numpy as np

from pytheano.configparser import config

__all__ = ["CompileError", "Compiler", "get_compiler"]

BASE_FLAGS = ("-x", "c", "-std=gnu99", "-O3", "-fPIC", "-shared", "-fno-math-errno",
              "-fvisibility=hidden", "-w")


class CompileError(Exception):
    """The C compiler refused the generated code: its message and the generated file's path."""


class Compiler:
    """One compiler on this machine. ``description``: what the cache key needs of it."""

    def __init__(self, path, version, native_arch, extra_flags, openmp_flags=()):
        self.path = path
        self.version = version
        self.native_arch = native_arch
        self.flags = list(BASE_FLAGS)
        if native_arch:
            self.flags.append("-march=native")
        self.flags += list(openmp_flags)
        self.flags += extra_flags
        self.description = "\n".join([
            "compiler=%s" % path, "version=%s" % version, "march=%s" % native_arch,
            "cpu=%s" % _cpu_fingerprint(), "flags=%s" % " ".join(self.flags),
            "python=%s" % sys.version.split()[0], "machine=%s" % platform.machine(),
            "numpy_abi=%s" % _numpy_abi(),
        ])

    def compile(self, c_path, so_path):
        """Compile ``c_path`` into the shared library ``so_path``; CompileError on failure."""
        cmd = [self.path] + self.flags + [c_path, "-o", so_path, "-lm"]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if proc.returncode != 0:
            message = proc.stdout.decode(errors="replace")
            raise CompileError("Compilation failed (return status=%d):\n%s\nThe generated "
                               "code is in %s\nThe command was: %s"
                               % (proc.returncode, message.strip(), c_path, " ".join(cmd)))

    def __repr__(self):
        return "<Compiler %s %s>" % (self.path, self.version)


_compilers = {}
_warned_no_compiler = []


def get_compiler(cache_dir=None):
    """The Compiler of config.cxx, or None (with one warning) when there is none."""
    name = config.cxx
    if not name:
        _warn_no_compiler("config.cxx is empty")
        return None
    extra = tuple(config.gcc.cxxflags.split())
    openmp = bool(config.openmp)
    key = (name, extra, cache_dir, openmp)
    compiler = _compilers.get(key)
    if compiler is None:
        path = shutil.which(name)
        if path is None:
            _warn_no_compiler("config.cxx=%r is not found" % name)
            return None
        version, arch, has_simd, has_openmp = _probe(path, cache_dir)
        if openmp and has_openmp:
            openmp_flags = ["-fopenmp"]
        else:
            openmp_flags = ["-fopenmp-simd"] if has_simd else []
        compiler = _compilers[key] = Compiler(path, version, arch, list(extra), openmp_flags)
    return compiler


def _accepts(path, flags, source):
    """Whether the compiler builds ``source`` into a shared library with ``flags``."""
    with tempfile.TemporaryDirectory(prefix="pytheano-probe-") as tmp:
        c_path = os.path.join(tmp, "probe.c")
        with open(c_path, "w") as f:
            f.write(source)
        try:
            proc = subprocess.run([path, "-x", "c", "-fPIC", "-shared"] + flags
                                  + [c_path, "-o", os.path.join(tmp, "probe.so")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  timeout=60)
        except (OSError, subprocess.SubprocessError):
            return False
        return proc.returncode == 0


_OPENMP_PROBE = ("#include <omp.h>\nint f(int n, float *x) {\n#pragma omp parallel for\n"
                 "  for (int i = 0; i < n; i++) x[i] *= 2;\n  return omp_get_max_threads();\n}\n")


def _warn_no_compiler(why):
    if not _warned_no_compiler:
        _warned_no_compiler.append(why)
        warnings.warn("No C compiler (%s): every node runs its Python implementation "
                      "(perform), which is slower. Set config.cxx (THEANO_FLAGS=cxx=/path/to/"
                      "g++) to use the C backend." % why, stacklevel=3)


def _probe(path, cache_dir):
    """(version line, what -march=native resolves to, takes -fopenmp-simd, takes -fopenmp),
    from the info file when it is fresh."""
    st = os.stat(path)
    # ":openmp": entries of this form (4 fields) beside those of older versions (2 fields),
    # which processes running older code still read from the same shared file.
    stamp = "%s:%d:%d:openmp" % (path, st.st_size, int(st.st_mtime))
    info_path = os.path.join(cache_dir, "compiler-info.json") if cache_dir else None
    known = {}
    if info_path is not None:
        try:
            with open(info_path) as f:
                known = json.load(f)
        except (OSError, ValueError):
            known = {}
        if stamp in known and len(known[stamp]) == 4:
            return tuple(known[stamp])
    try:
        out = subprocess.run([path, "--version"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, timeout=60).stdout.decode()
        version = out.splitlines()[0].strip() if out else "unknown"
    except (OSError, subprocess.SubprocessError):
        version = "unknown"
    arch = ""
    try:
        out = subprocess.run([path, "-march=native", "-Q", "--help=target"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             timeout=60).stdout.decode()
        for line in out.splitlines():
            parts = line.split()
            if parts and parts[0] == "-march=" and len(parts) > 1:
                arch = parts[1]
                break
    except (OSError, subprocess.SubprocessError):
        arch = ""
    has_simd = _accepts(path, ["-fopenmp-simd"], "int f(int x) { return x; }\n")
    has_openmp = _accepts(path, ["-fopenmp"], _OPENMP_PROBE)
    if info_path is not None:
        known[stamp] = [version, arch, has_simd, has_openmp]
        tmp = "%s.%d.tmp" % (info_path, os.getpid())
        try:
            os.makedirs(cache_dir, exist_ok=True)
            with open(tmp, "w") as f:
                json.dump(known, f)
            os.replace(tmp, info_path)  # atomic: concurrent writers each write whole files
        except OSError:
            pass
    return version, arch, has_simd, has_openmp


def _cpu_fingerprint():
    """A short hash of the CPU's feature flags (what -march=native depends on)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith(("flags", "Features")):
                    return hashlib.sha256(line.encode()).hexdigest()[:12]
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _numpy_abi():
    core = getattr(np, "_core", None)
    try:
        return "%s/%x" % (np.__version__.split(".")[0],
                          core._multiarray_umath._get_ndarray_c_version())
    except AttributeError:
        return np.__version__
