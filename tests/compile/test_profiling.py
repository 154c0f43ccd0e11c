"""ProfileStats (pytheano/compile/profiling.py): what a profiled function records and
Theano's report of it (``f.profile.summary()``)."""
import io
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import pytheano as theano
import pytheano.tensor as T
from pytheano.compile.mode import Mode
from pytheano.compile.profiling import ProfileStats, ScanProfileStats

NO_OPT = Mode(optimizer=None)


def _summary(profile, **kwargs):
    buf = io.StringIO()
    profile.summary(file=buf, **kwargs)
    return buf.getvalue()


@pytest.fixture
def fn():
    """exp(x * 2) + y and x, with floatX=float64, called 3 times."""
    theano.config.floatX = "float64"
    x = T.matrix("x")
    y = T.matrix("y")
    f = theano.function([x, y], [T.exp(x * 2) + y, x], mode=NO_OPT, profile=True)
    a = np.ones((3, 4))
    for _ in range(3):
        f(a, a)
    return f


def test_profile_true_attaches_a_profile(fn):
    p = fn.profile
    assert isinstance(p, ProfileStats)
    assert p.message == fn.name
    assert p.nb_nodes == len(fn.maker.fgraph.apply_nodes) == 5
    assert p.compile_time > 0 and p.linker_time > 0
    assert fn.maker.fgraph.profile is p
    assert theano.function([], T.constant(1.0)).profile is None


def test_call_counts_and_times(fn):
    p = fn.profile
    assert p.fct_callcount == 3
    assert set(p.apply_callcount.values()) == {3}
    assert set(p.apply_time) == set(fn.maker.fgraph.apply_nodes)
    assert all(t >= 0 for t in p.apply_time.values())
    # nested timers: thunks inside the VM call inside the function call
    assert 0 < sum(p.apply_time.values()) <= p.vm_call_time <= p.fct_call_time
    assert p.apply_cimpl and not any(p.apply_cimpl.values())
    fn(np.ones((3, 4)), np.ones((3, 4)))
    assert p.fct_callcount == 4
    assert set(p.apply_callcount.values()) == {4}


def test_per_class_and_op_aggregates(fn):
    p = fn.profile
    from pytheano.compile.ops import DeepCopyOp
    from pytheano.tensor.elemwise import DimShuffle, Elemwise

    assert p.class_nodes() == {Elemwise: 3, DimShuffle: 1, DeepCopyOp: 1}
    assert p.class_callcount() == {Elemwise: 9, DimShuffle: 3, DeepCopyOp: 3}
    assert p.class_impl() == {Elemwise: "Py", DimShuffle: "Py", DeepCopyOp: "Py"}
    assert sum(p.class_time().values()) == pytest.approx(sum(p.apply_time.values()))
    assert sum(p.op_time().values()) == pytest.approx(sum(p.apply_time.values()))
    assert sorted(str(op) for op in p.op_nodes()) == [
        "DeepCopyOp", "Elemwise{add,no_inplace}", "Elemwise{exp,no_inplace}",
        "Elemwise{mul,no_inplace}", "InplaceDimShuffle{x,x}"]
    assert set(p.op_callcount().values()) == {3}


def test_total_times_add_the_nodes_above(fn):
    p = fn.profile
    times = p.apply_time
    total = p.compute_total_times()
    for node, t in total.items():
        parents = [i.owner for i in node.inputs if i.owner is not None]
        assert t == pytest.approx(times[node] + sum(total[q] for q in parents))


def test_summary_tables_match_theano():
    # Fixed times, so the text can be compared with what Theano 1.0.5 prints for them.
    theano.config.floatX = "float64"
    x = T.matrix("x")
    y = T.matrix("y")
    f = theano.function([x, y], [T.exp(x * 2) + y, x], mode=NO_OPT, profile=True)
    p = f.profile
    topo = f.maker.fgraph.toposort()
    times = [0.5, 0.25, 0.125, 0.0625, 0.03125]
    p.apply_time = {n: times[i] for i, n in enumerate(topo)}
    p.apply_callcount = {n: 4 for n in topo}
    buf = io.StringIO()
    p.summary_class(buf, 20)
    p.summary_ops(buf, 2)
    p.summary_nodes(buf, 3)
    assert buf.getvalue() == textwrap.dedent("""\
        Class
        ---
        <% time> <sum %> <apply time> <time per call> <type> <#call> <#apply> <Class name>
          51.6%    51.6%       0.500s       1.25e-01s     Py       4       1   pytheano.tensor.elemwise.DimShuffle
          45.2%    96.8%       0.438s       3.65e-02s     Py      12       3   pytheano.tensor.elemwise.Elemwise
           3.2%   100.0%       0.031s       7.81e-03s     Py       4       1   pytheano.compile.ops.DeepCopyOp
           ... (remaining 0 Classes account for   0.00%(0.00s) of the runtime)

        Ops
        ---
        <% time> <sum %> <apply time> <time per call> <type> <#call> <#apply> <Op name>
          51.6%    51.6%       0.500s       1.25e-01s     Py       4        1   InplaceDimShuffle{x,x}
          25.8%    77.4%       0.250s       6.25e-02s     Py       4        1   Elemwise{mul,no_inplace}
           ... (remaining 3 Ops account for  22.58%(0.22s) of the runtime)

        Apply
        ------
        <% time> <sum %> <apply time> <time per call> <#call> <id> <Apply name>
          51.6%    51.6%       0.500s       1.25e-01s      4     0   InplaceDimShuffle{x,x}(TensorConstant{2})
          25.8%    77.4%       0.250s       6.25e-02s      4     1   Elemwise{mul,no_inplace}(x, InplaceDimShuffle{x,x}.0)
          12.9%    90.3%       0.125s       3.12e-02s      4     2   Elemwise{exp,no_inplace}(Elemwise{mul,no_inplace}.0)
           ... (remaining 2 Apply instances account for 9.68%(0.09s) of the runtime)

        """)  # noqa: E501
    p.fct_callcount = 4
    p.fct_call_time = 2.0
    p.vm_call_time = 1.5
    p.compile_time = 0.5
    p.optimizer_time = 0.125
    p.validate_time = 0.0625
    p.linker_time = 0.25
    p.import_time = 0.015625
    p.linker_node_make_thunks = 0.0078125
    p.linker_make_thunk_time = {}
    buf = io.StringIO()
    p.summary_function(buf)
    assert buf.getvalue() == (
        "Function profiling\n==================\n  Message: %s\n"
        "  Time in 4 calls to Function.__call__: 2.000000e+00s\n"
        "  Time in Function.fn.__call__: 1.500000e+00s (75.000%%)\n"
        "  Time in thunks: 9.687500e-01s (48.438%%)\n  Total compile time: 5.000000e-01s\n"
        "    Number of Apply nodes: 5\n    Theano Optimizer time: 1.250000e-01s\n"
        "       Theano validate time: 6.250000e-02s\n"
        "    Theano Linker time (includes C, CUDA code generation/compiling): 2.500000e-01s\n"
        "       Import time 1.562500e-02s\n       Node make_thunk time 7.812500e-03s\n\n"
        % f.name)


def test_summary_sections(fn):
    text = _summary(fn.profile)
    lines = text.splitlines()
    assert lines[:3] == ["Function profiling", "==================",
                         "  Message: %s" % fn.name]
    assert re.fullmatch(r"  Time in 3 calls to Function.__call__: \d\.\d{6}e[+-]\d\ds",
                        lines[3])
    assert re.fullmatch(r"  Time in Function.fn.__call__: \d\.\d{6}e[+-]\d\ds \(\d+\.\d{3}%\)",
                        lines[4])
    assert re.fullmatch(r"  Time in thunks: \d\.\d{6}e[+-]\d\ds \(\d+\.\d{3}%\)", lines[5])
    assert re.fullmatch(r"  Total compile time: \d\.\d{6}e[+-]\d\ds", lines[6])
    # The stages are timed: the graph import and the thunks are no longer reported as 0.
    assert "       Import time 0.000000e+00s" not in lines
    assert "       Node make_thunk time 0.000000e+00s" not in lines
    assert lines[7] == "    Number of Apply nodes: 5"
    # The five slowest thunks to make, one line each (as Theano prints them).
    assert all(re.fullmatch(r"           Node .+ time \d\.\d{6}e[+-]\d\ds", line)
               for line in lines[13:18])
    assert lines[18] == ""
    assert re.fullmatch(r"Time in all call to theano.grad\(\) \S+s", lines[19])
    assert re.fullmatch(r"Time since theano import \d+\.\d{3}s", lines[20])
    row = r"\s+[\d.]+%\s+[\d.]+%\s+[\d.]+s\s+[\d.]+e[+-]\d\ds\s+"
    assert lines[21:23] == ["Class", "---"]
    classes = [re.fullmatch(row + r"Py\s+(\d+)\s+(\d+)\s+(\S+)", line).groups()
               for line in lines[24:27]]
    assert sorted(classes) == [("3", "1", "pytheano.compile.ops.DeepCopyOp"),
                               ("3", "1", "pytheano.tensor.elemwise.DimShuffle"),
                               ("9", "3", "pytheano.tensor.elemwise.Elemwise")]
    assert lines[27] == "   ... (remaining 0 Classes account for   0.00%(0.00s) of the runtime)"
    assert lines[29:31] == ["Ops", "---"]
    ops = [re.fullmatch(row + r"Py\s+3\s+1\s+(\S+)", line).group(1) for line in lines[32:37]]
    assert sorted(ops) == ["DeepCopyOp", "Elemwise{add,no_inplace}",
                           "Elemwise{exp,no_inplace}", "Elemwise{mul,no_inplace}",
                           "InplaceDimShuffle{x,x}"]
    assert lines[39:41] == ["Apply", "------"]
    rows = sorted(re.fullmatch(row + r"3\s+(\d)   (.+)", line).groups()
                  for line in lines[42:47])
    assert rows == [("0", "InplaceDimShuffle{x,x}(TensorConstant{2})"),
                    ("1", "Elemwise{mul,no_inplace}(x, InplaceDimShuffle{x,x}.0)"),
                    ("2", "Elemwise{exp,no_inplace}(Elemwise{mul,no_inplace}.0)"),
                    ("3", "Elemwise{add,no_inplace}(Elemwise{exp,no_inplace}.0, y)"),
                    ("4", "DeepCopyOp(x)")]
    assert lines[47] == ("   ... (remaining 0 Apply instances account for 0.00%(0.00s) of the "
                         "runtime)")
    assert lines[49] == "Here are tips to potentially make your code run faster"
    assert "  - Try the Theano flag floatX=float32" in lines


def test_summary_rows_are_sorted_and_cumulative(fn):
    text = _summary(fn.profile)
    rows = text.split("<Apply name>\n")[1].split("   ...")[0].splitlines()
    times = [float(r.split()[2][:-1]) for r in rows]
    assert times == sorted(times, reverse=True)
    sums = [float(r.split()[1][:-1]) for r in rows]
    assert sums == sorted(sums) and sums[-1] == 100.0


def test_summary_truncation(fn):
    text = _summary(fn.profile, n_ops_to_print=2, n_apply_to_print=1)
    assert re.search(r"   \.\.\. \(remaining 1 Classes account for [ \d]{2}\d\.\d\d%\(\d\.\d\ds\) "
                     r"of the runtime\)", text)
    assert re.search(r"   \.\.\. \(remaining 3 Ops account for ", text)
    assert re.search(r"   \.\.\. \(remaining 4 Apply instances account for \d+\.\d\d%", text)
    apply_rows = text.split("<Apply name>\n")[1].split("   ...")[0].splitlines()
    assert len(apply_rows) == 1


def test_summary_before_any_call():
    x = T.vector("x")
    f = theano.function([x], x * 2, profile=True)
    text = _summary(f.profile)
    assert "  Time in 0 calls to Function.__call__: 0.000000e+00s\n" in text
    assert "Time in Function.fn.__call__" not in text
    assert "Class\n" not in text and "Apply\n" not in text
    assert "No execution time accumulated" not in text
    assert f.profile.apply_time == {}


def test_without_thunk_timing():
    x = T.vector("x")
    f = theano.function([x], x * 2, profile=ProfileStats(flag_time_thunks=False,
                                                         atexit_print=False))
    f(np.ones(2))
    text = _summary(f.profile)
    assert "  No execution time accumulated (hint: try config profiling.time_thunks=1)" in text
    assert f.profile.fct_callcount == 1


def test_profile_message_and_shared_profile():
    x = T.vector("x")
    p = ProfileStats(message="two functions", atexit_print=False)
    f = theano.function([x], x * 2, profile=p)
    g = theano.function([x], T.exp(x), profile=p)
    f(np.ones(2))
    g(np.ones(2))
    g(np.ones(2))
    assert p.fct_callcount == 3
    assert p.compile_time == pytest.approx(f.maker.compile_time + g.maker.compile_time)
    # Theano 1.0.5 profiles the same two ops: constant folding turns DimShuffle{x}(2) into
    # the constant (1,) of 2.0.
    assert {str(n.op) for n in p.apply_time} == {
        "Elemwise{mul,no_inplace}", "Elemwise{exp,no_inplace}"}
    text = _summary(p)
    assert "  Message: two functions\n" in text
    h = theano.function([x], x + 1, profile="named profile")
    assert h.profile.message == "named profile"


def test_reset_and_ignore_first_call():
    x = T.vector("x")
    f = theano.function([x], x * 2, profile=True)
    f(np.ones(2))
    f.profile.reset()
    assert f.profile.fct_callcount == 0 and f.profile.apply_time == {}
    f(np.ones(2))
    assert f.profile.fct_callcount == 1
    assert set(f.profile.apply_callcount.values()) == {1}
    with theano.change_flags(**{"profiling.ignore_first_call": True}):
        g = theano.function([x], x * 2, profile=True)
    g(np.ones(2))
    assert g.profile.fct_callcount == 0 and g.profile.fct_call_time == 0
    assert g.profile.apply_time == {}
    g(np.ones(2))
    g(np.ones(2))
    assert g.profile.fct_callcount == 2
    assert set(g.profile.apply_callcount.values()) == {2}


def test_config_profile_profiles_every_function():
    x = T.vector("x")
    with theano.change_flags(profile=True):
        f = theano.function([x], x * 2)
        g = theano.function([x], x * 2, profile=False)
    assert isinstance(f.profile, ProfileStats)
    assert g.profile is None
    f(np.ones(2))
    assert f.profile.fct_callcount == 1


def test_memory_profile():
    theano.config.floatX = "float64"
    x = T.matrix("x")
    y = T.matrix("y")
    with theano.change_flags(profile_memory=True):
        f = theano.function([x, y], [T.exp(x * 2) + y, x.T], mode=NO_OPT, profile=True)
        f(np.ones((20, 30)), np.ones((20, 30)))
        text = _summary(f.profile)
    assert "<#call> <id> <Mflops> <Gflops/s> <Apply name>" in text
    assert ("  Elemwise{mul,no_inplace}(x, InplaceDimShuffle{x,x}.0)\n"
            "    input 0: dtype=float64, shape=(20, 30), strides=c\n"
            "    input 1: dtype=int8, shape=(1, 1), strides=c\n"
            "    output 0: dtype=float64, shape=(20, 30), strides=c\n") in text
    assert ("InplaceDimShuffle{1,0}(x)\n    input 0: dtype=float64, shape=(20, 30), "
            "strides=c\n    output 0: dtype=float64, shape=(30, 20), strides=(8, 240)\n") in text
    memory = text.split("Memory Profile\n")[1].split("Here are tips")[0]
    # Theano 1.0.5 prints the same numbers for this graph (its new-order column aside).
    assert memory == textwrap.dedent("""\
        (Sparse variables are ignored)
        (For values in brackets, it's for linker = c|py
        ---
            Max peak memory with current setting
                CPU: 9KB (9KB)
                GPU: 0KB (0KB)
                CPU + GPU: 9KB (9KB)
            Max peak memory with current setting and Theano flag optimizer_excluding=inplace
                CPU: 9KB (9KB)
                GPU: 0KB (0KB)
                CPU + GPU: 9KB (9KB)
            Max peak memory if allow_gc=False (linker don't make a difference)
                CPU: 19KB
                GPU: 0KB
                CPU + GPU: 19KB
        ---

            <Sum apply outputs (bytes)> <Apply outputs shape> <created/inplace/view> <Apply node>

                  4800B  [(20, 30)] c Elemwise{mul,no_inplace}(x, InplaceDimShuffle{x,x}.0)
                  4800B  [(20, 30)] c Elemwise{exp,no_inplace}(Elemwise{mul,no_inplace}.0)
                  4800B  [(20, 30)] c Elemwise{add,no_inplace}(Elemwise{exp,no_inplace}.0, y)
                  4800B  [(30, 20)] v InplaceDimShuffle{1,0}(x)
                  4800B  [(30, 20)] c DeepCopyOp(x.T)
           ... (remaining 1 Apply account for    1B/24001B ((0.00%)) of the Apply with dense outputs sizes)

            <created/inplace/view> is taken from the Op's declaration.
            Apply nodes marked 'inplace' or 'view' may actually allocate memory, this is not reported here. If you use DebugMode, warnings will be emitted in those cases.

        """)  # noqa: E501
    # the values are still right with the recording thunks
    np.testing.assert_allclose(f(np.zeros((20, 30)), np.ones((20, 30)))[0], 2.0)


def test_profiler_printers_are_called(fn):
    from pytheano.compile import profiling

    seen = []

    @profiling.register_profiler_printer
    def printer(message, compile_time, fct_call_time, apply_time, apply_cimpl, output_size,
                file):
        seen.append((message, len(apply_time)))
        print("extra report", file=file)

    try:
        text = _summary(fn.profile)
    finally:
        profiling._profiler_printers.remove(printer)
    assert seen == [(fn.name, 5)]
    assert "extra report\nHere are tips" in text


def test_scan_profile_prints_nothing_before_a_call():
    p = ScanProfileStats(atexit_print=False, name="loop")
    buf = io.StringIO()
    p.summary_function(buf)
    assert buf.getvalue() == ""
    p.callcount, p.nbsteps, p.call_time, p.vm_call_time = 2, 10, 1.0, 0.25
    p.summary_function(buf)
    assert buf.getvalue().splitlines()[1:4] == [
        "Scan Op profiling ( loop )", "==================", "  Message: None"]
    assert "  Total time spent in calling the VM 2.500000e-01s (25.000%)" in buf.getvalue()


_SCRIPT = """
import numpy as np
import pytheano as theano
import pytheano.tensor as T
x = T.vector("x")
f = theano.function([x], T.exp(x) * 2, name="first")
g = theano.function([x], x + 1, name="second")
h = theano.function([x], x - 1, name="never called")
f(np.ones(3)); g(np.ones(3)); g(np.ones(3))
print("done")
"""


def test_config_profile_prints_summaries_at_exit(tmp_path):
    env = dict(os.environ, PYTHEANO_FLAGS="profile=True", THEANO_FLAGS="")
    res = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True,
                         text=True, timeout=120, cwd=str(tmp_path))
    assert res.returncode == 0, res.stderr
    assert res.stdout == "done\n"
    err = res.stderr
    assert err.count("Function profiling\n==================\n") == 3
    assert "  Message: first\n" in err and "  Message: second\n" in err
    assert "Skipping empty Profile\n" in err
    assert "  Message: Sum of all(2) printed profiles at exit excluding Scan op profile.\n" in err
    assert "  Time in 3 calls to Function.__call__" in err


def test_no_exit_report_without_config_profile(tmp_path):
    script = _SCRIPT.replace('name="first"', 'name="first", profile=True')
    env = dict(os.environ, PYTHEANO_FLAGS="", THEANO_FLAGS="")
    res = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, timeout=120, cwd=str(tmp_path))
    assert res.returncode == 0, res.stderr
    assert "Function profiling" not in res.stderr


def test_memory_profile_of_a_lazy_ifelse():
    # config.profile_memory wraps every thunk; the lazy ifelse's must stay lazy (it crashed
    # the lazy VM before).
    from pytheano.ifelse import ifelse
    a, b = T.scalars("a", "b")
    x, y = T.scalars("x", "y")
    with theano.change_flags(profile_memory=True):
        f = theano.function([a, b, x, y], ifelse(T.lt(a, b), x * 2, y * 2), profile=True)
        assert f(0.0, 1.0, 10.0, 11.0) == 20.0 and f(1.0, 0.0, 10.0, 11.0) == 22.0
        out = io.StringIO()
        f.profile.summary(file=out)
    assert "Memory Profile" in out.getvalue()
