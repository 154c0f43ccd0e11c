"""Every configuration option pytheano knows, with its default and documentation.

Names and defaults follow Theano 1.0 so that existing ``THEANO_FLAGS`` and ``.theanorc`` files
keep working. Importing this module declares them on ``pytheano.configparser.config``.
"""
import os
import platform
import re
import shutil
import struct

import numpy as np

from pytheano.configparser import (BoolParam, ConfigError, ConfigParam, EnumStr, FloatParam,
                                   IntParam, StrParam, config)

add = config.add


def _device_filter(value):
    value = str(value)
    if value == "cpu" or re.fullmatch(r"cuda\d*", value):
        return value
    if value.startswith("gpu"):
        raise ConfigError('device="%s": the old CUDA backend names are gone; use device=cuda '
                          '(or cuda0, cuda1, ...).' % value)
    if value.startswith("opencl"):
        raise ConfigError('device="%s": pytheano runs on cpu or NVIDIA GPUs (device=cuda); '
                          'OpenCL is not supported.' % value)
    raise ValueError('Invalid value ("%s") for configuration variable "device". Valid options '
                     'are cpu, cuda, cuda0, cuda1, ...' % value)


class DeviceParam(ConfigParam):
    def __init__(self, default, mutable=False):
        super().__init__(default, None, mutable)

    def filter(self, value):
        return _device_filter(value)

    def describe(self):
        return "cpu, cuda*"


def _find_cxx():
    for name in ("g++", "c++", "clang++"):
        path = shutil.which(name)
        if path:
            return path
    return ""


def _default_base_compiledir():
    # The user's cache directory (XDG), as compiled code is a cache: safe to delete.
    cache_home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"),
                                                                  ".cache")
    return os.path.join(cache_home, "pytheano")


def short_platform(r=None, p=None):
    """``platform.platform()`` (or ``p``) without the kernel's minor numbers, so a kernel
    update does not change it (Theano's): with release ``r`` = 'X.Y.Z-N.M-rest', 'X.Y.Z-N.M'
    becomes 'X.Y-' + what follows the leading numbers after the first '-'. A release of
    another form leaves the platform as it is. (pytheano's compiledir names only the system
    and the machine, see compiledir_format.)"""
    r = platform.release() if r is None else r
    p = platform.platform() if p is None else p
    parts = r.split("-")
    kernel = parts[0].split(".")
    if len(parts) < 2 or len(kernel) <= 2:
        return p
    rest = parts[1].split(".")
    while rest and rest[0].isdigit():
        rest.pop(0)
    short = "-".join([".".join(kernel[:2]), ".".join(rest)] + parts[2:])
    return p.replace(r, short)


def _compiledir_format_values():
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python_version": platform.python_version(),
        "python_bitwidth": str(8 * np.dtype(np.intp).itemsize),
        "numpy_version": np.__version__,
        "short_platform": re.sub(r"[^\w.-]", "_", "%s-%s" % (platform.system(),
                                                           platform.machine())),
    }


def _default_compiledir():
    name = config.compiledir_format % _compiledir_format_values()
    name = re.sub(r"[^\w.-]", "_", name)
    return os.path.join(config.base_compiledir, name)


# ---------------------------------------------------------------------------- numbers
add("floatX", "Default floating-point precision for python casts.\n\nNote: float16 support is "
    "experimental, use at your own risk.", EnumStr("float64", "float32", "float16"))
add("warn_float64", "Do an action when a tensor variable with float64 dtype is created.",
    EnumStr("ignore", "warn", "raise", "pdb"), in_c_key=False)
add("cast_policy", "Rules for implicit type casting", EnumStr("custom", "numpy+floatX"))
add("int_division", "What to do when one computes x / y, where both x and y are of integer "
    "types", EnumStr("int", "raise", "floatX"))
add("deterministic", "If `more`, sometimes we will select some implementation that are more "
    "deterministic, but slower.", EnumStr("default", "more"))

# ---------------------------------------------------------------------------- devices
add("device", "Default device for computations: cpu, or cuda / cudaN to run on an NVIDIA GPU "
    "through CuPy. Read-only once pytheano is imported.", DeviceParam("cpu"), in_c_key=False)
add("init_gpu_device", "Initialize the gpu device to use without moving computations to it.",
    DeviceParam("cpu"), in_c_key=False)
add("force_device", "Raise an error if we can't use the specified device",
    BoolParam(False, mutable=False), in_c_key=False)
add("contexts", "Context map for multi-gpu operation: 'name1->dev1;name2->dev2'.",
    StrParam("", mutable=False), in_c_key=False)
add("print_active_device", "Print active device at when the GPU device is initialized.",
    BoolParam(True, mutable=False), in_c_key=False)
add("gpuarray.preallocate", "Fraction of the GPU memory to reserve at start (0 disables). "
    "Accepted for compatibility; CuPy's memory pool is used.", FloatParam(0.0), in_c_key=False)
add("gpuarray.sched", "The sched parameter passed for context creation.",
    EnumStr("default", "multi", "single"), in_c_key=False)
add("gpuarray.single_stream", "If your computations are mostly lots of small elements, using "
    "single-stream will avoid the synchronization overhead.", BoolParam(True), in_c_key=False)

# ---------------------------------------------------------------------------- compilation
add("mode", "Default compilation mode", EnumStr("Mode", "DebugMode", "FAST_RUN",
                                                 "NanGuardMode", "FAST_COMPILE", "DEBUG_MODE"),
    in_c_key=False)
add("cxx", "The C++ compiler to use. Currently only g++ is supported, but clang++ usually works."
    " An empty string disables the C code backend.", StrParam(_find_cxx), in_c_key=False)
add("linker", "Default linker used if the theano flags mode is Mode",
    EnumStr("cvm", "c|py", "py", "c", "c|py_nogc", "vm", "vm_nogc", "cvm_nogc"),
    in_c_key=False)
add("allow_gc", "Do we default to delete intermediate results during Theano function calls? "
    "Doing so lowers the memory requirement, but asks that we reallocate memory at the next "
    "function call.", BoolParam(True), in_c_key=False)
add("optimizer", "Default optimizer. If not None, will use this optimizer with the Mode",
    EnumStr("o4", "o3", "o2", "o1", "unsafe", "fast_run", "fast_compile", "merge", "None"),
    in_c_key=False)
add("optimizer_verbose", "If True, we print all optimization being applied",
    BoolParam(False), in_c_key=False)
add("on_opt_error", "What to do when an optimization crashes: warn and skip it, raise the "
    "exception, or fall into the pdb debugger.", EnumStr("warn", "raise", "pdb", "ignore"),
    in_c_key=False)
add("optimizer_excluding", "When using the default mode, we will remove optimizer with these "
    "tags. Separate tags with ':'.", StrParam(""), in_c_key=False)
add("optimizer_including", "When using the default mode, we will add optimizer with these "
    "tags. Separate tags with ':'.", StrParam(""), in_c_key=False)
add("optimizer_requiring", "When using the default mode, we will require optimizer with these "
    "tags. Separate tags with ':'.", StrParam(""), in_c_key=False)
add("on_unused_input", "What to do if a variable in the 'inputs' list of theano.function() is "
    "not used in the graph.", EnumStr("raise", "warn", "ignore"), in_c_key=False)
add("nocleanup", "Suppress the deletion of code files that did not compile cleanly",
    BoolParam(False), in_c_key=False)
add("check_input", "Specify if types should check their input in their C code. It can be used "
    "to speed up compilation, reduce overhead (particularly for scalars) and reduce the number "
    "of generated C files.", BoolParam(True))
add("gcc.cxxflags", "Extra compiler flags for gcc", StrParam(""))
add("blas.ldflags", "lib[s] to include for [Fortran] level-3 blas implementation. Unused: "
    "pytheano calls the BLAS that scipy exports.", StrParam(""))
add("openmp", "Allow (or not) parallel computation on the CPU with OpenMP.", BoolParam(False))
add("openmp_elemwise_minsize", "If OpenMP is enabled, this is the minimum size of vectors for "
    "which the openmp parallelization is enabled in element wise ops.", IntParam(200000),
    in_c_key=False)
add("base_compiledir", "platform-independent root directory for compiled modules",
    StrParam(_default_base_compiledir, mutable=False), in_c_key=False)
add("compiledir_format", "Format string for platform-dependent compiled module subdirectory "
    "(relative to base_compiledir).",
    StrParam("compiledir_%(short_platform)s-%(processor)s-%(python_version)s-"
             "%(python_bitwidth)s", mutable=False), in_c_key=False)
add("compiledir", "platform-dependent cache directory for compiled modules",
    StrParam(_default_compiledir, mutable=False), in_c_key=False)
add("cmodule.cache_size_mb", "Size cap of the on-disk cache of compiled C modules, in MB: "
    "beyond it the least recently used entries are removed.", IntParam(1024), in_c_key=False)
add("cmodule.warn_no_version", "If True, will print a warning when compiling one or more Op "
    "with C code that can't be cached because there is no c_code_cache_version() function "
    "associated to at least one of those Ops.", BoolParam(False), in_c_key=False)
add("cmodule.remove_gxx_opt", "If True, will remove the -O* parameter passed to g++.",
    BoolParam(False))
add("cmodule.compilation_warning", "If True, will print compilation warnings.",
    BoolParam(False), in_c_key=False)
add("cmodule.age_thresh_use", "In seconds. The time after which Theano won't reuse a compile "
    "c module.", IntParam(60 * 60 * 24 * 24), in_c_key=False)

# ---------------------------------------------------------------------------- debugging
add("exception_verbosity", "If 'low', the text of exceptions will generally refer to apply "
    "nodes with short names such as Elemwise{add_no_inplace}. If 'high', some exceptions will "
    "also refer to apply nodes with long descriptions.", EnumStr("low", "high"),
    in_c_key=False)
add("compute_test_value", "If 'True', Theano will run each op at graph build time, using Constants"
    ", SharedVariables and the tag 'test_value' as inputs to the function. This helps the user"
    " track down problems in the graph before it gets optimized.",
    EnumStr("off", "ignore", "warn", "raise", "pdb"), in_c_key=False)
add("print_test_value", "If 'True', the __eval__ of a Theano variable will return its test_value "
    "when this is available. This has the practical conseguence that, e.g., in debugging "
    "`my_var` will print the same as `my_var.tag.test_value` when a test value is defined.",
    BoolParam(False), in_c_key=False)
add("compute_test_value_opt", "For debugging Theano optimization only. Same as "
    "compute_test_value, but is used during Theano optimization",
    EnumStr("off", "ignore", "warn", "raise", "pdb"), in_c_key=False)
add("unpickle_function", "Replace unpickled Theano functions with None. This is useful to "
    "unpickle old graphs that pickled them when it shouldn't", BoolParam(True), in_c_key=False)
add("reoptimize_unpickled_function", "Re-optimize the graph when a theano function is "
    "unpickled from the disk.", BoolParam(False), in_c_key=False)
add("traceback.limit", "The number of stack to trace. -1 mean all.", IntParam(8),
    in_c_key=False)
add("traceback.compile_limit", "The number of stack to trace to keep during compilation. -1 "
    "mean all. If greater then 0, will also make us save Theano internal stack trace.",
    IntParam(0), in_c_key=False)
add("pickle_test_value", "Dump test values while pickling model. If True, test values will be "
    "dumped with model.", BoolParam(True), in_c_key=False)
add("DebugMode.check_finite", "True -> complain about NaN/Inf results", BoolParam(True),
    in_c_key=False)
add("DebugMode.check_strides", "Check that Python- and C-produced ndarrays have same strides. "
    "On difference: (0) - ignore, (1) warn, or (2) raise error",
    IntParam(0, lambda i: i in (0, 1, 2)), in_c_key=False)
add("DebugMode.patience", "Optimize graph this many times to detect inconsistency",
    IntParam(10, lambda i: i > 0), in_c_key=False)
add("NanGuardMode.nan_is_error", "Default value for nan_is_error", BoolParam(True),
    in_c_key=False)
add("NanGuardMode.inf_is_error", "Default value for inf_is_error", BoolParam(True),
    in_c_key=False)
add("NanGuardMode.big_is_error", "Default value for big_is_error", BoolParam(True),
    in_c_key=False)

# ---------------------------------------------------------------------------- profiling
add("profile", "If VM should collect profile information", BoolParam(False), in_c_key=False)
add("profile_optimizer", "If VM should collect optimizer profile information",
    BoolParam(False), in_c_key=False)
add("rewriting.max_new_nodes_ratio",
    "The most nodes one rewrite phase (a pass to its fixed point) may create, as a multiple of "
    "the graph's size (counted as at least 128 nodes); past it the phase stops with a warning "
    "naming the rules that created them. 0 disables the cap.", FloatParam(8.0, lambda r: r >= 0),
    in_c_key=False)
add("rewriting.cache",
    "Keep each rewritten graph in the compile cache (config.compiledir), keyed by the graph as "
    "given, the mode, the config and pytheano's own files: a process compiling a graph already "
    "compiled there skips the rewrites. Graphs holding ops, types or rewrites defined outside "
    "pytheano are never cached (their code may change without the key knowing).",
    BoolParam(True), in_c_key=False)
add("profile_memory", "If VM should collect memory profile information and print it",
    BoolParam(False), in_c_key=False)
add("profiling.n_apply", "Number of Apply instances to print by default",
    IntParam(20, lambda i: i > 0), in_c_key=False)
add("profiling.n_ops", "Number of Ops to print by default", IntParam(20, lambda i: i > 0),
    in_c_key=False)
add("profiling.output_line_width", "Max line width for the profiling output",
    IntParam(512, lambda i: i > 0), in_c_key=False)
add("profiling.min_memory_size", "For the memory profile, do not print Apply nodes if the size of"
    " their outputs (in bytes) is lower than this threshold", IntParam(1024, lambda i: i >= 0),
    in_c_key=False)
add("profiling.min_peak_memory", "The min peak memory usage of the order", BoolParam(False),
    in_c_key=False)
add("profiling.destination", "File destination of the profiling output", StrParam("stderr"),
    in_c_key=False)
add("profiling.debugprint", "Do a debugprint of the profiled functions", BoolParam(False),
    in_c_key=False)
add("profiling.ignore_first_call", "Do we ignore the first call of a Theano function.",
    BoolParam(False), in_c_key=False)
add("profiling.time_thunks", "Time individual thunks when profiling", BoolParam(True),
    in_c_key=False)
add("print_global_stats", "Print some global statistics (time spent) at the end",
    BoolParam(False), in_c_key=False)
add("lib.amdlibm", "Use amd's amdlibm numerical library (not supported by pytheano yet)",
    BoolParam(False))

# ---------------------------------------------------------------------------- numpy
_seterr_values = ("ignore", "warn", "raise", "call", "print", "log", "None")
add("numpy.seterr_all", "Sets numpy's behaviour for floating-point errors, see numpy.seterr. "
    "'None' means not to change numpy's default, which can be different for different numpy "
    "releases. This flag sets the default behaviour for all kinds of floating-point errors, "
    "its effect can be overriden for specific errors by the following flags: seterr_divide, "
    "seterr_over, seterr_under and seterr_invalid.", EnumStr(*_seterr_values), in_c_key=False)
for _kind in ("divide", "over", "under", "invalid"):
    add("numpy.seterr_" + _kind, "Sets numpy's behavior for %s floating-point errors, see "
        "numpy.seterr. 'None' means using the default, defined by numpy.seterr_all." % _kind,
        EnumStr("None", *_seterr_values[:-1]), in_c_key=False)

# ---------------------------------------------------------------------------- tensor
add("tensor.cmp_sloppy", "Relax pytheano.tensor.allclose tolerances", IntParam(0, lambda i: i in
    (0, 1, 2)), in_c_key=False)
add("tensor.local_elemwise_fusion", "Enable or not in fast_run mode(fast_run optimization) the "
    "elemwise fusion optimization", BoolParam(True), in_c_key=False)
add("scan.allow_gc", "Allow/disallow gc inside of Scan (default: False)", BoolParam(False),
    in_c_key=False)
add("scan.allow_output_prealloc", "Allow/disallow memory preallocation for outputs inside of "
    "scan (default: True)", BoolParam(True), in_c_key=False)
add("scan.debug", "If True, enable extra verbose output related to scan", BoolParam(False),
    in_c_key=False)


# ---------------------------------------------------------------------------- Theano's others
# Theano 1.0 compat: the rest of Theano 1.0.5's options, with its defaults, because Theano's
# code, tests and users read them (test_abstract_conv reads conv.assert_shape at import). Most
# configure Theano's C, GPU and optimizer internals and change nothing here; their docs say so.
SUPPORTED_DNN_CONV_ALGO_RUNTIME = ("guess_once", "guess_on_shape_change", "time_once",
                                   "time_on_shape_change")
SUPPORTED_DNN_CONV_ALGO_FWD = ("small", "none", "large", "fft", "fft_tiling", "winograd",
                               "winograd_non_fused") + SUPPORTED_DNN_CONV_ALGO_RUNTIME
SUPPORTED_DNN_CONV_ALGO_BWD_DATA = ("none", "deterministic", "fft", "fft_tiling", "winograd",
                                    "winograd_non_fused") + SUPPORTED_DNN_CONV_ALGO_RUNTIME
SUPPORTED_DNN_CONV_ALGO_BWD_FILTER = ("none", "deterministic", "fft", "small",
                                      "winograd_non_fused", "fft_tiling"
                                      ) + SUPPORTED_DNN_CONV_ALGO_RUNTIME
SUPPORTED_DNN_CONV_PRECISION = ("as_input_f32", "as_input", "float16", "float32", "float64")
# The first is the default; the warn.* defaults below are Theano's for it (all False but
# inc_subtensor1_opt: pytheano has none of those old bugs, so nothing reads them).
_BUG_VERSIONS = ("0.9", "None", "all", "0.3", "0.4", "0.4.1", "0.5", "0.6", "0.7", "0.8",
                 "0.8.1", "0.8.2", "0.9", "0.10", "1.0", "1.0.1", "1.0.2", "1.0.3", "1.0.4",
                 "1.0.5")


def _filter_vm_lazy(value):
    if value in ("None", None):
        return None
    if value in ("True", "true", "1", True, 1):
        return True
    if value in ("False", "false", "0", False, 0):
        return False
    raise ValueError("Invalid value (%r) for configuration variable \"vm.lazy\": expected "
                     "None, True or False." % (value,))


def _filter_rseed(value):
    # Theano 1.0 compat: an int, or 'random' for a seed of None.
    if value == "random":
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError("Invalid value (%r) for configuration variable \"unittests.rseed\": "
                         "expected an int or 'random'." % (value,)) from None


def local_bitwidth():
    """32 or 64: the size of a memory pointer (size_t), not of a C long."""
    return struct.calcsize("P") * 8


def python_int_bitwidth():
    """The bit width of a Python int as Theano defined it: a C long."""
    return struct.calcsize("l") * 8


add("conv.assert_shape",
    "If True, AbstractConv* ops will verify that user-provided shapes match the runtime shapes "
    "(debugging option, may slow down compilation)",
    BoolParam(False), in_c_key=False)
add("gpuarray.sync",
    "This flag is deprecated and will be removed in next Theano release. (Ignored by pytheano.)",
    BoolParam(False), in_c_key=False)
add("cuda.root",
    "Location of the cuda installation (Ignored by pytheano.)",
    StrParam("/usr/local"), in_c_key=False)
add("cuda.include_path",
    "Location of the cuda includes (Ignored by pytheano.)",
    StrParam("/usr/local/include"), in_c_key=False)
add("dnn.conv.workmem",
    "This flag is deprecated; use dnn.conv.algo_fwd. (Ignored by pytheano.)",
    StrParam(""), in_c_key=False)
add("dnn.conv.workmem_bwd",
    "This flag is deprecated; use `dnn.conv.algo_bwd_filter` and `dnn.conv.algo_bwd_data` "
    "instead. (Ignored by pytheano.)",
    StrParam(""), in_c_key=False)
add("dnn.conv.algo_bwd",
    "This flag is deprecated; use dnn.conv.algo_bwd_data and dnn.conv.algo_bwd_filter. (Ignored "
    "by pytheano.)",
    StrParam(""), in_c_key=False)
add("dnn.conv.algo_fwd",
    "Default implementation to use for cuDNN forward convolution. (Ignored by pytheano.)",
    EnumStr(*SUPPORTED_DNN_CONV_ALGO_FWD), in_c_key=False)
add("dnn.conv.algo_bwd_data",
    "Default implementation to use for cuDNN backward convolution to get the gradients of the "
    "convolution with regard to the inputs. (Ignored by pytheano.)",
    EnumStr(*SUPPORTED_DNN_CONV_ALGO_BWD_DATA), in_c_key=False)
add("dnn.conv.algo_bwd_filter",
    "Default implementation to use for cuDNN backward convolution to get the gradients of the "
    "convolution with regard to the filters. (Ignored by pytheano.)",
    EnumStr(*SUPPORTED_DNN_CONV_ALGO_BWD_FILTER), in_c_key=False)
add("dnn.conv.precision",
    "Default data precision to use for the computation in cuDNN convolutions (defaults to the "
    "same dtype as the inputs of the convolutions, or float32 if inputs... (Ignored by "
    "pytheano.)",
    EnumStr(*SUPPORTED_DNN_CONV_PRECISION), in_c_key=False)
add("dnn.base_path",
    "Install location of cuDNN. (Ignored by pytheano.)",
    StrParam(""), in_c_key=False)
add("dnn.include_path",
    "Location of the cudnn header (Ignored by pytheano.)",
    StrParam(""), in_c_key=False)
add("dnn.library_path",
    "Location of the cudnn link library. (Ignored by pytheano.)",
    StrParam(""), in_c_key=False)
add("dnn.bin_path",
    "Location of the cuDNN load library (on non-windows platforms, this is the same as "
    "dnn.library_path) (Ignored by pytheano.)",
    StrParam(""), in_c_key=False)
add("dnn.enabled",
    "'auto', use cuDNN if available, but silently fall back to not using it if not present. "
    "(Ignored by pytheano.)",
    EnumStr("auto", "True", "False", "no_check"), in_c_key=False)
add("magma.include_path",
    "Location of the magma header (Ignored by pytheano.)",
    StrParam(""), in_c_key=False)
add("magma.library_path",
    "Location of the magma library (Ignored by pytheano.)",
    StrParam(""), in_c_key=False)
add("magma.enabled",
    "If True, use magma for matrix computation. (Ignored by pytheano.)",
    BoolParam(False), in_c_key=False)
add("assert_no_cpu_op",
    "Raise an error/warning if there is a CPU op in the computational graph. (Ignored by "
    "pytheano.)",
    EnumStr("ignore", "warn", "raise", "pdb"), in_c_key=False)
add("gpu.local_elemwise_fusion",
    "Enable or not in fast_run mode(fast_run optimization) the gpu elemwise fusion optimization "
    "(Ignored by pytheano.)",
    BoolParam(True), in_c_key=False)
add("gpuelemwise.sync",
    "when true, wait that the gpu fct finished and check it error code. (Ignored by pytheano.)",
    BoolParam(True), in_c_key=False)
add("experimental.unpickle_gpu_on_cpu",
    "Allow unpickling of pickled GpuArrays as numpy.ndarrays.This is useful, if you want to "
    "open a GpuArray without having cuda installed.If you have cuda... (Ignored by pytheano.)",
    BoolParam(False), in_c_key=False)
add("warn.ignore_bug_before",
    "If 'None', we warn about all Theano bugs found by default.",
    EnumStr(*_BUG_VERSIONS), in_c_key=False)
add("warn.argmax_pushdown_bug",
    "Warn if in past version of Theano we generated a bug with the "
    "theano.tensor.nnet.nnet.local_argmax_pushdown optimization.",
    BoolParam(False), in_c_key=False)
add("warn.gpusum_01_011_0111_bug",
    "Warn if we are in a case where old version of Theano had a silent bug with GpuSum pattern "
    "01,011 and 0111 when the first dimensions was bigger then 4096.",
    BoolParam(False), in_c_key=False)
add("warn.sum_sum_bug",
    "Warn if we are in a case where Theano version between version 9923a40c7b7a and the 2 "
    "august 2010 (fixed date), generated an error in that case.",
    BoolParam(False), in_c_key=False)
add("warn.sum_div_dimshuffle_bug",
    "Warn if previous versions of Theano (between rev.",
    BoolParam(False), in_c_key=False)
add("warn.subtensor_merge_bug",
    "Warn if previous versions of Theano (before 0.5rc2) could have given incorrect results "
    "when indexing into a subtensor with negative stride (for instance,...",
    BoolParam(False), in_c_key=False)
add("warn.gpu_set_subtensor1",
    "Warn if previous versions of Theano (before 0.6) could have given incorrect results when "
    "moving to the gpu set_subtensor(x[int vector], new_value)",
    BoolParam(False), in_c_key=False)
add("warn.vm_gc_bug",
    "There was a bug that existed in the default Theano configuration, only in the development "
    "version between July 5th 2012 and July 30th 2012.",
    BoolParam(False), in_c_key=False)
add("warn.signal_conv2d_interface",
    "Warn we use the new signal.conv2d() when its interface changed mid June 2014",
    BoolParam(False), in_c_key=False)
add("warn.reduce_join",
    "Your current code is fine, but Theano versions prior to 0.7 (or this development version) "
    "might have given an incorrect result.",
    BoolParam(False), in_c_key=False)
add("warn.inc_set_subtensor1",
    "Warn if previous versions of Theano (before 0.7) could have given incorrect results for "
    "inc_subtensor and set_subtensor when using some patterns of advanced...",
    BoolParam(False), in_c_key=False)
add("warn.round",
    "Warn when using `tensor.round` with the default mode.",
    BoolParam(False), in_c_key=False)
add("warn.inc_subtensor1_opt",
    "Warn if previous versions of Theano (before 0.10) could have given incorrect results when "
    "computing inc_subtensor(zeros[idx], x)[idx], when idx is an array...",
    BoolParam(True), in_c_key=False)
add("cache_optimizations",
    "WARNING: work in progress, does not work yet. (Ignored by pytheano.)",
    BoolParam(False), in_c_key=False)
add("unittests.rseed",
    "Seed to use for randomized unit tests.",
    ConfigParam(666, _filter_rseed), in_c_key=False)
add("NanGuardMode.action",
    "What NanGuardMode does when it finds a problem (Ignored by pytheano.)",
    EnumStr("raise", "warn", "pdb"), in_c_key=False)
add("DebugMode.check_c",
    "Run C implementations where possible (Ignored by pytheano.)",
    BoolParam(False), in_c_key=False)
add("DebugMode.check_py",
    "Run Python implementations where possible (Ignored by pytheano.)",
    BoolParam(True), in_c_key=False)
add("DebugMode.warn_input_not_reused",
    "Generate a warning when destroy_map or view_map says that an op works inplace, but the op "
    "did not reuse the input for its output. (Ignored by pytheano.)",
    BoolParam(True), in_c_key=False)
add("DebugMode.check_preallocated_output",
    "Test thunks with pre-allocated memory as output storage. (Ignored by pytheano.)",
    StrParam(""), in_c_key=False)
add("DebugMode.check_preallocated_output_ndim",
    "When testing with \"strided\" preallocated output memory, test all combinations of strides "
    "over that number of (inner-most) dimensions. (Ignored by pytheano.)",
    IntParam(4), in_c_key=False)
add("optdb.position_cutoff",
    "Where to stop eariler during optimization. (Ignored by pytheano.)",
    FloatParam(float("inf")), in_c_key=False)
add("optdb.max_use_ratio",
    "A ratio that prevent infinite loop in EquilibriumOptimizer. (Ignored by pytheano.)",
    IntParam(8), in_c_key=False)
add("cmodule.preload_cache",
    "If set to True, will preload the C module cache at import time (Ignored by pytheano.)",
    BoolParam(False), in_c_key=False)
add("cmodule.debug",
    "If True, define a DEBUG macro (if not exists) for any compiled C code. (Ignored by "
    "pytheano.)",
    BoolParam(False))
add("blas.check_openmp",
    "Check for openmp library conflict. (Ignored by pytheano.)",
    BoolParam(True), in_c_key=False)
add("metaopt.verbose",
    "0 for silent, 1 for only warnings, 2 for full output withtimings and selected "
    "implementation (Ignored by pytheano.)",
    IntParam(0), in_c_key=False)
add("metaopt.optimizer_excluding",
    "exclude optimizers with these tags. (Ignored by pytheano.)",
    StrParam(""), in_c_key=False)
add("metaopt.optimizer_including",
    "include optimizers with these tags. (Ignored by pytheano.)",
    StrParam(""), in_c_key=False)
add("vm.lazy",
    "Useful only for the vm linkers. (Ignored by pytheano.)",
    ConfigParam(None, _filter_vm_lazy), in_c_key=False)
add("warn.identify_1pexp_bug",
    "Warn if Theano versions prior to 7987b51 (2011-12-18) could have yielded a wrong result "
    "due to a bug in the is_1pexp function",
    BoolParam(False), in_c_key=False)
add("on_shape_error",
    "warn: print a warning and use the default value. (Ignored by pytheano.)",
    EnumStr("warn", "raise"), in_c_key=False)
add("tensor.insert_inplace_optimizer_validate_nb",
    "-1: auto, if graph have less then 500 nodes 1, else 10 (Ignored by pytheano.)",
    IntParam(-1), in_c_key=False)
add("experimental.local_alloc_elemwise",
    "DEPRECATED: If True, enable the experimental optimization local_alloc_elemwise. (Ignored "
    "by pytheano.)",
    BoolParam(True), in_c_key=False)
add("experimental.local_alloc_elemwise_assert",
    "When the local_alloc_elemwise is applied, add an assert to highlight shape errors. "
    "(Ignored by pytheano.)",
    BoolParam(True), in_c_key=False)
add("compile.wait",
    "Time to wait before retrying to acquire the compile lock. (Ignored by pytheano.)",
    IntParam(5), in_c_key=False)
add("cycle_detection",
    "If cycle_detection is set to regular, most inplaces are allowed,but it is slower. (Ignored "
    "by pytheano.)",
    EnumStr("regular", "fast"), in_c_key=False)
add("check_stack_trace",
    "A flag for checking the stack trace during the optimization process. (Ignored by "
    "pytheano.)",
    EnumStr("off", "log", "warn", "raise"), in_c_key=False)
add("compile.timeout",
    "In seconds, time that a process will wait before deciding to override an existing lock. "
    "(Ignored by pytheano.)",
    IntParam(120), in_c_key=False)
add("gpuarray.cache_path",
    "Directory to cache pre-compiled kernels for the gpuarray backend. (Ignored by pytheano.)",
    StrParam(os.path.join(config.compiledir, "gpuarray_kernels")), in_c_key=False)
add("ctc.root",
    "Directory which contains the root of Baidu CTC library. (Ignored by pytheano.)",
    StrParam(""), in_c_key=False)


def _apply_numpy_seterr():
    # Theano 1.0 compat: Theano sets numpy's floating-point error handling at import
    # (ignore by default), so log(-1) is nan without a RuntimeWarning, as in the seeds.
    if config.numpy.seterr_all == "None" and all(
            getattr(config.numpy, "seterr_" + k) == "None"
            for k in ("divide", "over", "under", "invalid")):
        return
    kwargs = {}
    if config.numpy.seterr_all != "None":
        kwargs["all"] = config.numpy.seterr_all
    for kind in ("divide", "over", "under", "invalid"):
        value = getattr(config.numpy, "seterr_" + kind)
        if value != "None":
            kwargs[kind] = value
    np.seterr(**kwargs)


_apply_numpy_seterr()

_unknown = config.unknown_flags()
if _unknown:
    import warnings

    warnings.warn("pytheano does not recognise these flags: %s" % ", ".join(_unknown),
                  stacklevel=2)
