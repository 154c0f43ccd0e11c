"""Run Theano 1.0.5's own test suite on Theano 1.0.5 (the peer venv) and on pytheano.

    python tools/theano_suite/run.py                       # full run
    python tools/theano_suite/run.py 'tensor/tests/test_basic.py' 'scalar/tests/*'

Each test file is one child process per run (a per-file timeout; a hang or crash loses only
that file), two at a time by default.  Results go to <workdir>/results (see report.py).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import fnmatch
import os
import queue
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import fixture
import report

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CHILD = HERE / "child"
PEER_PYTHON = Path.home() / "peers/theano/bin/python"
# Pinned so that both runs see the same helper packages; pytest 7.4 is the last for Python 3.7.
PEER_REQUIREMENTS = ["pytest==7.4.4", "parameterized==0.9.0"]
PYTHEANO_REQUIREMENTS = ["parameterized==0.9.0"]
# Perform-only Theano: no C compilation, so the peer run stays fast.
DEFAULT_FLAGS = "cxx=,device=cpu"
RUNS = ("theano", "pytheano")


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def ensure_requirements(python, requirements, target=None):
    """pip-install `requirements` unless they already import (idempotent, quick when done)."""
    modules = [r.split("==")[0] for r in requirements]
    env = dict(os.environ, PYTHONPATH=str(target or ""))
    check = subprocess.run([str(python), "-c", "import " + ", ".join(modules)], env=env,
                           capture_output=True)
    if check.returncode == 0:
        return
    cmd = [str(python), "-m", "pip", "install", "-q", *requirements]
    if target:
        cmd += ["--target", str(target)]
    log("installing " + " ".join(requirements) + " for " + str(python))
    subprocess.run(cmd, check=True)


def theano_dir(python):
    out = subprocess.run([str(python), "-c", "import importlib.util as u; "
                          "print(u.find_spec('theano').submodule_search_locations[0])"],
                         check=True, capture_output=True, text=True)
    return Path(out.stdout.strip())


def test_files(theano_root, exclude):
    """The suite's test files, relative to the theano package, less the excluded globs."""
    files = [str(f.relative_to(theano_root)) for tests in sorted(theano_root.rglob("tests"))
             if tests.is_dir() and "__pycache__" not in tests.parts
             for f in sorted(tests.glob("test_*.py"))]
    return [f for f in files if not any(fnmatch.fnmatch(f, x) for x in exclude)]


def copy_tests(theano_root, workdir):
    """Copy every `tests` directory of the installed Theano into the work dir.

    src/ keeps them as packages (the import hook serves them from there); collect/ holds the
    test files alone, so pytest never imports a package __init__ by path.
    """
    src, collect = workdir / "src", workdir / "collect"
    for d in (src, collect):
        shutil.rmtree(d, ignore_errors=True)
    files = []
    for tests in sorted(theano_root.rglob("tests")):
        if not tests.is_dir() or "__pycache__" in tests.parts:
            continue
        rel = Path("theano") / tests.relative_to(theano_root)
        shutil.copytree(tests, src / rel, ignore=shutil.ignore_patterns("__pycache__"))
        for f in sorted(tests.glob("test_*.py")):
            (collect / rel).mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, collect / rel / f.name)
            files.append(str((rel / f.name).relative_to("theano")))
    return files


def select(files, patterns):
    if not patterns:
        return files
    return [f for f in files if any(fnmatch.fnmatch(f, p) or f.startswith(p.rstrip("/") + "/")
                                    for p in patterns)]


def run_file(run, rel, workdir, python, timeout, flags, provide, slot_dirs, one=None):
    """One test file in one child; returns (run, rel, status, seconds).

    With `one` (test ids inside `rel`, e.g. ['Class::test']) only those tests run, with long
    tracebacks, into <workdir>/one/ (the results are left as they are)."""
    if one is None:
        out = workdir / "raw" / run / fixture.raw_name(rel)
        logf = workdir / "logs" / run / (rel.replace("/", "__") + ".log")
    else:
        (workdir / "one").mkdir(exist_ok=True)
        out = workdir / "one" / (run + ".jsonl")
        logf = workdir / "one" / (run + ".log")
    out.unlink(missing_ok=True)
    compiledir = slot_dirs.get()
    pythonpath = [str(CHILD)]
    if run == "pytheano":
        pythonpath += [str(workdir / "deps-py3"), str(REPO)]
    env = dict(os.environ,
               PYTHONPATH=os.pathsep.join(pythonpath),
               THEANO_FLAGS="%s,base_compiledir=%s" % (flags, compiledir),
               THEANO_SUITE_TESTS_ROOT=str(workdir / "src"),
               THEANO_SUITE_COLLECT_ROOT=str(workdir / "collect"),
               THEANO_SUITE_ALIAS="pytheano" if run == "pytheano" else "",
               THEANO_SUITE_OUT=str(out),
               THEANO_SUITE_PROVIDE=";".join(provide) if run == "pytheano" else "",
               PYTHONDONTWRITEBYTECODE="1")
    # pytest 7.4 runs nose-style setup()/teardown() through its nose plugin, pytest 9 has none.
    no_nose = ["-p", "no:nose"] if run == "theano" else []
    cmd = [str(python), "-m", "pytest", "-p", "theano_suite_plugin", "-p", "no:cacheprovider",
           *no_nose, "-c", str(workdir / "pytest.ini"), "--rootdir", str(workdir / "collect"),
           "-q", "-rN", "--tb=short" if one is None else "--tb=long", "-W", "ignore",
           *(["%s::%s" % (workdir / "collect/theano" / rel, t) for t in one]
             if one else [str(workdir / "collect/theano" / rel)])]
    start = time.time()
    with open(logf, "w") as logfh:
        proc = subprocess.Popen(cmd, env=env, stdout=logfh, stderr=subprocess.STDOUT,
                                cwd=str(workdir), start_new_session=True)
        try:
            rc = proc.wait(timeout=timeout)
            status = "ok" if rc in (0, 1, 5) else "exit %d" % rc
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the child's whole session, nothing else
            proc.wait()
            status = "timeout"
    slot_dirs.put(compiledir)
    return run, rel, status, time.time() - start


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("patterns", nargs="*", help="test files relative to the theano package, "
                    "globs allowed (e.g. 'tensor/tests/test_basic.py', 'gof/tests/*')")
    ap.add_argument("--workdir", default="/tmp/theano_suite", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=900, help="seconds per file and run")
    ap.add_argument("--runs", default=",".join(RUNS), help="theano,pytheano or one of them")
    ap.add_argument("--flags", default=DEFAULT_FLAGS, help="THEANO_FLAGS for both runs")
    ap.add_argument("--exclude", nargs="*", default=["gpuarray/*"],
                    help="globs to leave out (default: the GPU-only gpuarray tests)")
    ap.add_argument("--provide", action="append", default=[], metavar="NAME=EXPR",
                    help="what-if, repeatable: set this name in the pytheano run before its "
                    "tests, e.g. theano.tensor.verify_grad=theano.gradient.verify_grad "
                    "(recorded in the summary; never the default)")
    ap.add_argument("--report-only", action="store_true", help="rebuild the tables only")
    ap.add_argument("--one", metavar="FILE::TEST", action="append",
                    help="run one test (e.g. 'tensor/tests/test_basic.py::T_Join::test_x') on "
                    "each side of --runs and print pytest's output; repeatable (tests of one "
                    "file); the results are untouched (needs a work dir that a run has set up)")
    ap.add_argument("--theano-from", type=Path, metavar="FILE",
                    help="take the Theano side from this fixture (see --save-theano) instead "
                    "of running it; e.g. tools/theano_suite/theano_outcomes.json.gz")
    ap.add_argument("--save-theano", type=Path, metavar="FILE",
                    help="after the run, write the work dir's Theano side to this fixture")
    args = ap.parse_args(argv)
    workdir = args.workdir.resolve()
    runs = [r for r in args.runs.split(",") if r]
    if args.theano_from:
        if runs == ["theano"]:
            ap.error("--theano-from replaces the Theano run; use --runs pytheano")
        runs = [r for r in runs if r != "theano"]
        args.runs = ",".join(runs)
        statuses, data = fixture.load(args.theano_from, workdir)
        report.save_statuses(workdir, statuses, sorted(data["files"]), None, args,
                             theano_from=data)
        log("Theano side from %s: %s" % (args.theano_from, fixture.summary(data)))
    pythons = {"theano": PEER_PYTHON, "pytheano": Path(sys.executable)}
    if args.one:
        rels = {one.partition("::")[0] for one in args.one}
        if len(rels) != 1:
            ap.error("--one: tests of one file at a time")
        rel, tests = rels.pop(), [one.partition("::")[2] for one in args.one]
        slots = queue.Queue()
        for run in runs:
            slots.put(workdir / "compiledir" / "one")
            _, _, status, secs = run_file(run, rel, workdir, pythons[run], args.timeout,
                                          args.flags, args.provide, slots, one=tests)
            print("=" * 30, run, status, "%.1fs" % secs, "=" * 30)
            print((workdir / "one" / (run + ".log")).read_text())
        return

    if not args.report_only:
        ensure_requirements(PEER_PYTHON, PEER_REQUIREMENTS)
        ensure_requirements(sys.executable, PYTHEANO_REQUIREMENTS, target=workdir / "deps-py3")
        files = copy_tests(theano_dir(PEER_PYTHON), workdir)
        files = [f for f in select(files, args.patterns)
                 if not any(fnmatch.fnmatch(f, x) for x in args.exclude)]
        (workdir / "pytest.ini").write_text(
            "[pytest]\n"
            # nose's test-name rule: (^|_)[Tt]est; plus any unittest.TestCase subclass.
            "python_files = test_*.py\n"
            "python_classes = [Tt]est* *_[Tt]est*\n"
            "python_functions = [Tt]est* *_[Tt]est*\n")
        for run in runs:
            (workdir / "raw" / run).mkdir(parents=True, exist_ok=True)
            (workdir / "logs" / run).mkdir(parents=True, exist_ok=True)
        slot_dirs = queue.Queue()
        for i in range(args.jobs):
            slot_dirs.put(workdir / "compiledir" / str(i))
        # Biggest files first so the long ones do not end the run alone.
        jobs = sorted(((run, f) for f in files for run in runs),
                      key=lambda j: -(workdir / "collect/theano" / j[1]).stat().st_size)
        log("%d files x %d runs, %d at a time" % (len(files), len(runs), args.jobs))
        t0 = time.time()
        statuses = {}
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            futures = [pool.submit(run_file, run, f, workdir, pythons[run], args.timeout,
                                   args.flags, args.provide, slot_dirs) for run, f in jobs]
            for fut in concurrent.futures.as_completed(futures):
                run, rel, status, secs = fut.result()
                statuses[(run, rel)] = (status, round(secs, 1))
                log("%-8s %-45s %-8s %6.1fs" % (run, rel, status, secs))
        report.save_statuses(workdir, statuses, files, time.time() - t0, args)
        log("wall time %.0f s" % (time.time() - t0))
    if args.save_theano:
        all_files = test_files(theano_dir(PEER_PYTHON), args.exclude)
        log("wrote %s: %s" % (args.save_theano, fixture.save(workdir, args.save_theano,
                                                             all_files)))
    summary = report.build(workdir)
    log("wrote " + str(workdir / "results"))
    print(summary)


if __name__ == "__main__":
    main()
