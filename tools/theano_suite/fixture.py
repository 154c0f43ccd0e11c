"""The Theano side of the suite kept as a committed fixture, so a session needs only pytheano's.

`save` reads a work dir's Theano records (raw/theano/*.jsonl and the theano entries of
results/statuses.json) and writes a gzipped JSON with, per file, how its child ended and, per
test id, only the outcome and the internals markers (labels the plugin derived from the
test's source).  Nothing of Theano's code or messages is kept.  `load` writes those records
back into a work dir in the form run.py's children leave them, so report.py reads them as if
the Theano side had just run.
"""
from __future__ import annotations

import gzip
import json
import time

import report

FORMAT = 1


def save(workdir, path, all_files):
    """Write the fixture for the Theano records in `workdir`; returns its summary dict.

    `all_files` is the list of test files the suite has: those without a finished Theano child
    are listed as `missing` and the fixture is marked partial.
    """
    meta = json.loads((workdir / "results" / "statuses.json").read_text())
    files = {}
    for rel in meta["files"]:
        entry = meta["status"].get("theano|" + rel)
        if entry is None:
            continue
        status, seconds = entry
        tests, errors, _ = report.load_run(workdir / "raw/theano" / raw_name(rel))
        files[rel] = {
            "status": status, "seconds": seconds,
            "tests": {tid: [rec["outcome"], rec["marks"]] for tid, rec in sorted(tests.items())},
            "collect_errors": {nid: {"type": exc["type"]} for nid, exc in sorted(errors.items())},
        }
    missing = sorted(set(all_files) - set(files))
    timed_out = sorted(rel for rel, f in files.items() if f["status"] != "ok")
    data = {"format": FORMAT, "theano": "1.0.5", "created": time.strftime("%Y-%m-%d"),
            "flags": meta.get("flags"), "timeout": meta.get("timeout"),
            "partial": bool(missing), "missing": missing, "stopped_early": timed_out,
            "files": files}
    with open(path, "wb") as fh:
        # mtime=0: the same data gives the same bytes, so a re-save shows no spurious diff
        fh.write(gzip.compress(json.dumps(data, sort_keys=True, indent=0).encode(), mtime=0))
    return summary(data)


def load(path, workdir):
    """Put the fixture's Theano records into `workdir`; returns {(run, rel): (status, s)}."""
    data = read(path)
    raw = workdir / "raw/theano"
    raw.mkdir(parents=True, exist_ok=True)
    statuses = {}
    for rel, f in data["files"].items():
        lines = [{"collect_error": nid, "exc": exc} for nid, exc in f["collect_errors"].items()]
        lines += [{"id": tid, "outcome": outcome, "marks": marks}
                  for tid, (outcome, marks) in f["tests"].items()]
        (raw / raw_name(rel)).write_text("".join(json.dumps(x) + "\n" for x in lines))
        statuses[("theano", rel)] = (f["status"], f["seconds"])
    return statuses, data


def read(path):
    with gzip.open(path, "rt") as fh:
        data = json.load(fh)
    if data.get("format") != FORMAT:
        raise ValueError("%s: fixture format %r, this tool reads %d" % (
            path, data.get("format"), FORMAT))
    return data


def summary(data):
    outcomes = [t[0] for f in data["files"].values() for t in f["tests"].values()]
    return {"files": len(data["files"]), "tests": len(outcomes),
            "passed": outcomes.count("passed"), "partial": data["partial"],
            "missing": data["missing"], "stopped_early": data["stopped_early"]}


def raw_name(rel):
    return rel.replace("/", "__") + ".jsonl"
