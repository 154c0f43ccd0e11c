"""The randomized differential test of the rewrites (tests/rewriting/test_random_graphs.py)
with a bigger budget and fresh random draws, for hunting bugs outside CI:

    python tools/random_graphs.py --examples 2000            # a few minutes
    python tools/random_graphs.py --examples 2000 --exclude logsumexp log_1m_sigmoid

``--exclude`` drops ops of the test's OPS table by name (to look past a known failure).
Prints the shrunk failing graph and the mismatch, or "all passed".
"""
import argparse
import os
import sys

from hypothesis import HealthCheck, given, settings

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.rewriting import test_random_graphs as suite  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--exclude", nargs="*", default=[])
    args = parser.parse_args()
    suite.OPS[:] = [op for op in suite.OPS if op[0] not in args.exclude]
    inner = suite.test_rewrites_do_not_change_what_a_random_graph_computes.hypothesis.inner_test
    run = settings(max_examples=args.examples, deadline=None, derandomize=False, database=None,
                   suppress_health_check=list(HealthCheck))(given(suite.programs())(inner))
    try:
        run()
    except AssertionError as exc:
        print("FAILED:", exc)
        return 1
    print("all passed (%d examples)" % args.examples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
