"""Tables from the raw per-test records that run.py's children wrote.

<workdir>/results/: summary.md (per-file table, totals, categories, ranked missing names),
tests.csv and tests.json (one row per test: outcome on each run, category, internals), and
internals.md (the Theano-passing tests judged to be about optimizer/C-linker internals).
"""
from __future__ import annotations

import collections
import csv
import json
import re

# Whole files about Theano's optimizer, linkers or C machinery, which pytheano does not share.
INTERNAL_FILES = {
    "gof/tests/test_cc.py": "CLinker / C code generation",
    "gof/tests/test_cmodule.py": "C module cache",
    "gof/tests/test_compute_test_value.py": "test-value machinery of gof",
    "gof/tests/test_destroyhandler.py": "gof's DestroyHandler internals",
    "gof/tests/test_lazy.py": "lazy C VM (lazylinker_c)",
    "gof/tests/test_link.py": "gof linker classes",
    "gof/tests/test_opt.py": "gof optimizer framework",
    "gof/tests/test_optdb.py": "optimizer database",
    "gof/tests/test_sched.py": "gof scheduling internals",
    "gof/tests/test_toolbox.py": "gof fgraph features",
    "gof/tests/test_vm.py": "VM linker internals",
    "tensor/tests/test_opt.py": "tensor rewrites: graph after optimization",
    "tensor/tests/test_opt_uncanonicalize.py": "tensor rewrites: graph after optimization",
    "tensor/tests/test_blas_c.py": "BLAS C ops and their rewrites",
    "tensor/tests/test_blas_scipy.py": "scipy BLAS ops and their rewrites",
    "tensor/nnet/tests/test_opt.py": "nnet rewrites",
    "scan_module/tests/test_scan_opt.py": "scan rewrites",
    "compile/tests/test_debugmode.py": "DebugMode's C-vs-Python checks",
}


def save_statuses(workdir, statuses, files, seconds, args, theano_from=None):
    """Record how each child ended and how long it took; later partial runs (a subset, one
    side only) in the same workdir update the entries they ran and keep the others.

    With `theano_from` (a loaded fixture, see fixture.py) the entries are the fixture's Theano
    side; its flags and timeout are recorded as the Theano side's, the run's own are kept."""
    results = workdir / "results"
    results.mkdir(parents=True, exist_ok=True)
    path = results / "statuses.json"
    data = json.loads(path.read_text()) if path.exists() else {"status": {}, "files": []}
    data["status"].update({"%s|%s" % k: v for k, v in statuses.items()})
    data["files"] += [f for f in files if f not in data["files"]]
    if theano_from is not None:
        data["theano_from"] = {"path": str(args.theano_from), "created": theano_from["created"],
                               "flags": theano_from["flags"],
                               "timeout": theano_from["timeout"],
                               "partial": theano_from["partial"],
                               "missing": theano_from["missing"]}
        path.write_text(json.dumps(data, indent=1))
        return
    runs = args.runs.split(",")
    if "theano" in runs:
        data.pop("theano_from", None)  # this work dir's Theano side is now a real run
    if "pytheano" in runs:
        data["provide"] = args.provide
    data.update(last_wall_s=round(seconds, 1), flags=args.flags, timeout=args.timeout,
                jobs=args.jobs)
    path.write_text(json.dumps(data, indent=1))


def load_run(path):
    """(results by test id, collection errors by node id, ids started but never finished)."""
    tests, errors, started = {}, {}, set()
    if path.exists():
        for line in path.read_text().splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue  # a line cut short by a kill
            if "start" in rec:
                started.add(rec["start"])
            elif "collect_error" in rec:
                errors[rec["collect_error"]] = rec["exc"]
            else:
                tests[rec["id"]] = rec
    return tests, errors, started - set(tests)


def categorize(exc):
    """A short failure category and the missing module/name, if any."""
    kind, msg = exc.get("type", "?"), exc.get("msg", "")
    if exc.get("missing"):
        if exc["missing"].startswith("theano.config."):
            return "missing config option", exc["missing"]
        if kind == "ModuleNotFoundError":
            return "missing module", exc["missing"]
        if kind == "ImportError":
            return "missing name (import)", exc["missing"]
        obj = exc["missing"].split(".")[0]
        if exc["missing"].startswith("theano") or obj[:1].islower():
            return "missing name (module attribute)", exc["missing"]
        return "missing attribute (%s)" % obj, exc["missing"]
    if kind == "ImportError":
        return "ImportError (other)", None
    if kind == "NotImplementedError" or "not implemented" in msg.lower():
        return "not implemented (NotImplementedError or says so)", None
    if exc.get("in_assert_raises"):
        return "wrong exception type", None
    if kind == "AssertionError":
        if re.search(r"not raised|did not raise", msg):
            return "expected exception not raised", None
        if exc.get("raised_in_test"):
            return "wrong value (AssertionError)", None
        return "AssertionError inside library", None
    if kind in ("TypeError", "ValueError", "AttributeError", "KeyError", "IndexError"):
        return kind, None
    return "other: " + kind, None


def classify_missing_test(test_id, errors, status):
    """Category for a test the pytheano run did not report."""
    owners = [e for e in errors if test_id.startswith(e)]
    if owners:
        cat, name = categorize(errors[max(owners, key=len)])
        return "not collected: " + cat, name
    if status == "timeout":
        return "timeout (file stopped before the test)", None
    if status not in ("ok", None):
        return "child crashed (%s)" % status, None
    return "not collected on pytheano", None


def build(workdir):
    results = workdir / "results"
    meta = json.loads((results / "statuses.json").read_text())
    status = meta["status"]
    rows, per_file = [], []
    for rel in meta["files"]:
        name = rel.replace("/", "__") + ".jsonl"
        th, th_err, _ = load_run(workdir / "raw/theano" / name)
        py, py_err, py_hung = load_run(workdir / "raw/pytheano" / name)
        py_status = status.get("pytheano|" + rel, (None, 0))[0]
        counts = collections.Counter()
        file_cats = collections.Counter()
        for tid in sorted(set(th) | set(py)):
            t, p = th.get(tid), py.get(tid)
            row = {"file": rel, "test": tid.split("::", 1)[-1],
                   "theano": t["outcome"] if t else "absent",
                   "pytheano": p["outcome"] if p else ("timeout" if tid in py_hung else "absent"),
                   "category": "", "detail": "", "missing": "",
                   "internal": ""}
            marks = (t or p)["marks"]
            if rel in INTERNAL_FILES:
                marks = [INTERNAL_FILES[rel]] + marks
            row["internal"] = "; ".join(marks)
            if row["theano"] == "passed" and row["pytheano"] != "passed":
                if p and p.get("exc"):
                    cat, missing = categorize(p["exc"])
                    row["detail"] = "%s: %s" % (p["exc"]["type"], p["exc"]["msg"][:200])
                elif p:
                    cat, missing = "skipped on pytheano" if p["outcome"] == "skipped" \
                        else "failed (no exception)", None
                elif tid in py_hung:
                    cat, missing = "timeout", None
                else:
                    cat, missing = classify_missing_test(tid, py_err, py_status)
                row["category"], row["missing"] = cat, missing or ""
                file_cats[cat] += 1
            counts["collected"] += t is not None
            counts["theano"] += row["theano"] == "passed"
            counts["pytheano"] += row["pytheano"] == "passed"
            counts["both"] += row["theano"] == row["pytheano"] == "passed"
            internal_pass = row["theano"] == "passed" and bool(marks)
            counts["th_internal"] += internal_pass
            counts["both_internal"] += internal_pass and row["pytheano"] == "passed"
            rows.append(row)
        if not th and th_err:
            counts["collect_error_theano"] = 1
        per_file.append((rel, counts, file_cats, status.get("theano|" + rel, (None, 0))[0],
                         py_status))

    (results / "tests.json").write_text(json.dumps(rows, indent=0))
    with open(results / "tests.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["file"])
        writer.writeheader()
        writer.writerows(rows)
    summary = render(meta, per_file, rows)
    (results / "summary.md").write_text(summary)
    (results / "internals.md").write_text(render_internals(rows))
    return summary


def _pct(a, b):
    return "%.1f%%" % (100.0 * a / b) if b else "-"


def render(meta, per_file, rows):
    total = collections.Counter()
    for _, counts, _, _, _ in per_file:
        total.update(counts)
    lost = [r for r in rows if r["category"]]
    lost_plain = [r for r in lost if not r["internal"]]
    plain_th = total["theano"] - total["th_internal"]
    plain_both = total["both"] - total["both_internal"]
    busy = collections.Counter()
    for key, entry in meta["status"].items():
        # (status, seconds); older work dirs stored (seconds, status)
        busy[key.split("|")[0]] += next((x for x in entry if isinstance(x, (int, float))), 0)
    out = ["# Theano 1.0.5's test suite on pytheano", "",
           "%d files; THEANO_FLAGS=%s; %d s per-file timeout; %d jobs. Child time summed over"
           " files: %s (wall time is about that sum over the jobs)." % (
               len(meta["files"]), meta.get("flags"), meta.get("timeout", 0), meta.get("jobs", 0),
               ", ".join("%s %.0f min" % (run, s / 60) for run, s in sorted(busy.items()))),
           ""]
    src = meta.get("theano_from")
    if src:
        out += ["Theano side from the fixture `%s` (recorded %s, THEANO_FLAGS=%s, %s s per-file"
                " timeout)%s." % (src["path"], src["created"], src["flags"], src["timeout"],
                                  "; **partial**: %d files not run on Theano (%s)" % (
                                      len(src["missing"]), ", ".join(src["missing"]))
                                  if src["partial"] else ""), ""]
    if meta.get("provide"):
        out += ["**What-if run**: before its tests pytheano was given " + ", ".join(
            "`%s`" % p for p in meta["provide"]) + ".", ""]
    out += [
           "| | tests |", "|---|---:|",
           "| collected (Theano run) | %d |" % total["collected"],
           "| pass on Theano 1.0.5 | %d |" % total["theano"],
           "| pass on pytheano | %d |" % total["pytheano"],
           "| pass on both | %d (%s of Theano's) |" % (total["both"],
                                                     _pct(total["both"], total["theano"])),
           "| Theano-passing, not about optimizer/C internals | %d |" % plain_th,
           "| ... of which pass on pytheano | %d (**%s**) |" % (plain_both,
                                                             _pct(plain_both, plain_th)),
           "", "## Why Theano-passing tests fail on pytheano", "",
           "| category | all | not internals |", "|---|---:|---:|"]
    cats = collections.Counter(r["category"] for r in lost)
    cats_plain = collections.Counter(r["category"] for r in lost_plain)
    out += ["| %s | %d | %d |" % (c, n, cats_plain[c]) for c, n in cats.most_common()]
    out += ["", "## Missing modules and names, ranked by Theano-passing tests they fail", "",
            "| # | missing | tests | files |", "|---:|---|---:|---:|"]
    missing = collections.Counter(r["missing"] for r in lost if r["missing"])
    files_of = collections.defaultdict(set)
    for r in lost:
        if r["missing"]:
            files_of[r["missing"]].add(r["file"])
    out += ["| %d | `%s` | %d | %d |" % (i, m, n, len(files_of[m]))
            for i, (m, n) in enumerate(missing.most_common(60), 1)]
    out += ["", "## Per file", "",
            "| file | collected | Theano | pytheano | both"
            " | top reasons (Theano pass, pytheano not) | status |",
            "|---|---:|---:|---:|---:|---|---|"]
    for rel, c, cats_f, st_th, st_py in per_file:
        reasons = ", ".join("%s %d" % kv for kv in cats_f.most_common(3))
        st = "" if (st_th, st_py) == ("ok", "ok") else "theano %s, pytheano %s" % (st_th, st_py)
        out.append("| %s | %d | %d | %d | %d | %s | %s |" % (
            rel, c["collected"], c["theano"], c["pytheano"], c["both"], reasons, st))
    out.append("| **total** | %d | %d | %d | %d | | |" % (
        total["collected"], total["theano"], total["pytheano"], total["both"]))
    return "\n".join(out) + "\n"


def render_internals(rows):
    """Per file: Theano-passing tests flagged as internals that fail on pytheano, and why."""
    out = ["# Theano-passing tests about optimizer/C internals", "",
           "A test counts as internal when its file is one of report.INTERNAL_FILES or its own",
           "source matches a marker of theano_suite_plugin.INTERNAL_MARKERS.", "",
           "| file | Theano-passing internal tests | fail on pytheano | why (tests per reason) |",
           "|---|---:|---:|---|"]
    by_file = collections.defaultdict(list)
    flagged = collections.defaultdict(list)
    for r in rows:
        if r["theano"] == "passed" and r["internal"]:
            flagged[r["file"]].append(r)
        if r["category"] and r["internal"]:
            by_file[r["file"]].append(r)
    for rel in sorted(flagged):
        why = collections.Counter(m for r in flagged[rel] for m in r["internal"].split("; "))
        out.append("| %s | %d | %d | %s |" % (rel, len(flagged[rel]), len(by_file[rel]), ", ".join(
            "%s %d" % kv for kv in why.most_common())))
    out += ["", "# The internal tests that fail on pytheano, per file", ""]
    for rel in sorted(by_file):
        out += ["## " + rel, ""]
        out += ["- `%s`: %s" % (r["test"], r["internal"]) for r in by_file[rel]]
        out.append("")
    return "\n".join(out)
