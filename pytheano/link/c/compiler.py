"""The C compiler driver: which compiler, its version, the flags, and one compile step.

The compiler is ``config.cxx`` (detected at start-up; empty: no C backend, every node runs
its perform after one warning). Generated code is plain C99 (``-x c``: a C++ driver compiles
it as C) with no Python or numpy header, so a machine needs nothing but the compiler.

The flags are chosen for this machine (``-O2 -march=native``); what ``native`` resolves to
(gcc's chosen -march and the CPU's feature flags) is part of the description that goes into
the cache key, so a cache directory shared between machines never hands one machine code
built for another's CPU. -O2, not -O3: the elementwise loops carry ``#pragma omp simd``,
which gcc vectorizes at -O2 as at -O3 (the same loops, -fopt-info-vec), and a module
compiles in about half the time; the whole-array kernels ask for -O3 themselves
(link/c/module.py). Probing the compiler costs a subprocess (gcc answers everything in one
run, see ``_probe``): the result is kept in ``compiler-info.json`` in the cache directory,
keyed by the compiler's path, size and mtime.

OpenMP: the probe also records whether the compiler takes ``-fopenmp-simd`` (the loops'
``#pragma omp simd``, no runtime library); whether it takes ``-fopenmp`` (threads, libgomp)
is probed only when ``config.openmp`` asks for it. With ``config.openmp`` and a compiler
that has it, modules build with ``-fopenmp``; else with ``-fopenmp-simd`` where it exists.
The flags are in the description, so in the cache key.
"""
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import warnings

import numpy as np

from pytheano.configparser import config

__all__ = ["CompileError", "Compiler", "get_compiler"]

# -ffp-contract=off: gcc's GNU dialects fuse a*b + c into one fma by default, which rounds
# once where perform (numpy, one ufunc per operation) rounds twice.
# -Werror=implicit-function-declaration: the generated code declares the libm functions
# itself (link/c/module.py); one it missed must not compile as an implicit ``int f()``
# (hence no -w, which would silence that error too: warnings go to the unread log).
BASE_FLAGS = ("-x", "c", "-std=gnu99", "-O2", "-fPIC", "-shared", "-fno-math-errno",
              "-ffp-contract=off", "-fvisibility=hidden",
              "-Werror=implicit-function-declaration")


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
        self.libs = ["-lm"]
        if _is_gcc(version) and "-fopenmp" not in openmp_flags and not extra_flags:
            # The module needs libm (and libmvec) only: libc is in every process that loads
            # it, and without the start files and default libraries (the C++ driver's
            # libstdc++ above all) gcc's link step takes a third of the time. libgcc, a
            # static archive, for any helper routine the code generator calls.
            self.flags.append("-nostdlib")
            self.libs.append("-lgcc")
        self.description = "\n".join([
            "compiler=%s" % path, "version=%s" % version, "march=%s" % native_arch,
            "cpu=%s" % _cpu_fingerprint(), "flags=%s" % " ".join(self.flags + self.libs),
            "python=%s" % sys.version.split()[0], "machine=%s" % platform.machine(),
            "numpy_abi=%s" % _numpy_abi(),
        ])

    def compile(self, c_path, so_path):
        """Compile ``c_path`` into the shared library ``so_path``; CompileError on failure."""
        self.start(c_path, so_path).wait()

    def start(self, c_path, so_path):
        """Start compiling ``c_path`` into ``so_path``: the running job, whose ``wait()``
        raises CompileError when the compiler fails."""
        cmd = [self.path] + self.flags + [c_path, "-o", so_path] + self.libs
        return _Job(cmd, c_path)

    def __repr__(self):
        return "<Compiler %s %s>" % (self.path, self.version)


class _Job:
    """One compiler run in the background; its messages go to an unnamed file (a pipe
    nobody reads before the end could fill and stall the compiler)."""

    def __init__(self, cmd, c_path):
        self.cmd = cmd
        self.c_path = c_path
        self.log = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self.log,
                                         stderr=subprocess.STDOUT)
        except BaseException:
            self.log.close()
            raise

    def wait(self):
        returncode = self.proc.wait()
        self.log.seek(0)
        message = self.log.read().decode(errors="replace")
        self.log.close()
        if returncode != 0:
            raise CompileError("Compilation failed (return status=%d):\n%s\nThe generated "
                               "code is in %s\nThe command was: %s"
                               % (returncode, message.strip(), self.c_path,
                                  " ".join(self.cmd)))


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
        version, arch, has_simd = _probe(path, cache_dir)
        if openmp and _probe_openmp(path, cache_dir):
            openmp_flags = ["-fopenmp"]
        else:
            openmp_flags = ["-fopenmp-simd"] if has_simd else []
        compiler = _compilers[key] = Compiler(path, version, arch, list(extra), openmp_flags)
    return compiler


def _is_gcc(version):
    return re.match(r"gcc version \d", version) is not None


def _accepts(path, flags, source):
    """Whether the compiler builds ``source`` into a shared library with ``flags``."""
    with tempfile.TemporaryDirectory(prefix="pytheano-probe-") as tmp:
        c_path = os.path.join(tmp, "probe.c")
        with open(c_path, "w") as f:
            f.write(source)
        rc, _, _ = _run([path, "-x", "c", "-fPIC", "-shared"] + flags
                        + [c_path, "-o", os.path.join(tmp, "probe.so")])
        return rc == 0


_OPENMP_PROBE = ("#include <omp.h>\nint f(int n, float *x) {\n#pragma omp parallel for\n"
                 "  for (int i = 0; i < n; i++) x[i] *= 2;\n  return omp_get_max_threads();\n}\n")


def _warn_no_compiler(why):
    if not _warned_no_compiler:
        _warned_no_compiler.append(why)
        warnings.warn("No C compiler (%s): every node runs its Python implementation "
                      "(perform), which is slower. Set config.cxx (THEANO_FLAGS=cxx=/path/to/"
                      "g++) to use the C backend." % why, stacklevel=3)


def _probe(path, cache_dir):
    """(version line, what -march=native resolves to, takes -fopenmp-simd), from the info
    file when it is fresh, else from one compiler run (gcc: ``-### -march=native
    -fopenmp-simd``, a few milliseconds; a compiler that refuses it is asked one question
    per run)."""
    stamp = _stamp(path, "probe-v2")
    found = _read_info(cache_dir, stamp)
    if isinstance(found, list) and len(found) == 3:
        return tuple(found)
    version, arch, has_simd = _probe_at_once(path) or _probe_one_by_one(path)
    _write_info(cache_dir, stamp, [version, arch, has_simd])
    return version, arch, has_simd


def _probe_openmp(path, cache_dir):
    """Whether the compiler builds and links OpenMP threads (-fopenmp); asked only when
    config.openmp is on (a compile and a link: the dearest probe)."""
    stamp = _stamp(path, "fopenmp-v2")
    found = _read_info(cache_dir, stamp)
    if isinstance(found, bool):
        return found
    has_openmp = _accepts(path, ["-fopenmp"], _OPENMP_PROBE)
    _write_info(cache_dir, stamp, has_openmp)
    return has_openmp


def _stamp(path, what):
    # The compiler file's identity: a new compiler at the same path is probed again.
    # ``what`` never reuses a suffix older code reads from the same shared file (":openmp":
    # a list of 4 fields, which processes running that code still expect there).
    st = os.stat(path)
    return "%s:%d:%d:%s" % (path, st.st_size, int(st.st_mtime), what)


def _run(cmd):
    """(return code, stdout, stderr) of ``cmd``; (None, "", "") when it cannot run."""
    try:
        # Pipes, not DEVNULL: waiting on pipes returns when the process ends, where a
        # timeout on a process without pipes polls it with sleeps (tens of ms lost).
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None, "", ""
    return (proc.returncode, proc.stdout.decode(errors="replace"),
            proc.stderr.decode(errors="replace"))


def _native_arch(help_text):
    for line in help_text.splitlines():
        parts = line.split()
        if parts and parts[0] == "-march=" and len(parts) > 1:
            return parts[1]
    return ""


def _probe_at_once(path):
    """gcc's answers to all three questions in one driver run, or None: ``-###`` prints the
    version and the compiler proper's command line, -march=native resolved, and runs nothing
    (a few ms; ``-Q --help=target`` ran the compiler proper, 3 times as long). The driver
    refuses an option it does not know, -fopenmp-simd included."""
    rc, _, err = _run([path, "-###", "-march=native", "-fopenmp-simd", "-x", "c", "-c",
                       os.devnull, "-o", os.devnull])
    version = next((line.strip() for line in err.splitlines()
                    if re.match(r"\S+ version \d", line)), "")
    arch = next((m for m in re.findall(r'"-march=([^"]+)"', err) if m != "native"), "")
    if rc != 0 or not version or not arch:
        return None
    return version, arch, True


def _probe_one_by_one(path):
    rc, out, _ = _run([path, "--version"])
    version = out.splitlines()[0].strip() if rc == 0 and out else "unknown"
    _, out, _ = _run([path, "-march=native", "-Q", "--help=target"])
    has_simd = _accepts(path, ["-fopenmp-simd"], "int f(int x) { return x; }\n")
    return version, _native_arch(out), has_simd


def _read_info(cache_dir, stamp):
    """What ``compiler-info.json`` in the cache directory records under ``stamp``."""
    if cache_dir is None:
        return None
    try:
        with open(os.path.join(cache_dir, "compiler-info.json")) as f:
            return json.load(f).get(stamp)
    except (OSError, ValueError, AttributeError):
        return None


def _write_info(cache_dir, stamp, value):
    """Add ``stamp: value`` to the info file (entries of other stamps kept: processes
    running older code read their own from the same shared file)."""
    if cache_dir is None:
        return
    info_path = os.path.join(cache_dir, "compiler-info.json")
    try:
        with open(info_path) as f:
            known = json.load(f)
        if not isinstance(known, dict):
            known = {}
    except (OSError, ValueError):
        known = {}
    known[stamp] = value
    tmp = "%s.%d.tmp" % (info_path, os.getpid())
    try:
        os.makedirs(cache_dir, exist_ok=True)
        with open(tmp, "w") as f:
            json.dump(known, f)
        os.replace(tmp, info_path)  # atomic: concurrent writers each write whole files
    except OSError:
        pass


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
