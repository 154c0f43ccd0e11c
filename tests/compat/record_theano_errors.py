"""Record what Theano 1.0.5 raises on each bad input of ``bad_inputs.py``.

Run with Theano 1.0.5's interpreter (nothing compiles C):

    THEANO_FLAGS='cxx=,device=cpu,compiledir=/tmp/theano_rec' \\
        ~/peers/theano/bin/python tests/compat/record_theano_errors.py

It writes ``theano_errors.json`` beside this file; ``test_errors_vs_theano.py`` reads it, so
the tests need no Theano.
"""
import json
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import theano  # noqa: E402
import theano.tensor as T  # noqa: E402
from theano.ifelse import ifelse  # noqa: E402

import bad_inputs  # noqa: E402


def main():
    rows = {}
    for row_id, snippet in bad_inputs.BAD_INPUTS:
        assert row_id not in rows, "duplicate row id %s" % row_id
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exc = bad_inputs.run(row_id, snippet, theano, T, ifelse)
        row = bad_inputs.describe(exc)
        row["snippet"] = snippet
        rows[row_id] = row
        print("%-40s %s" % (row_id, row.get("class", "(no error)")))
        if exc is not None:
            print("    " + row["first_line"][:150])
    out = {
        "theano_version": theano.__version__,
        "python": sys.version.split()[0],
        "rows": rows,
    }
    with open(os.path.join(HERE, "theano_errors.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
