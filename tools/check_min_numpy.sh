#!/usr/bin/env bash
# Build pytheano against the lowest numpy that pyproject.toml declares and run the tests there.
#
#   tools/check_min_numpy.sh [pytest args...]     (default: the whole suite)
#
# Env: PYTHON (interpreter for the venv, default python3), VENV (default
# /tmp/pytheano-min-numpy), KEEP=1 keeps the venv between runs.
# The tree is copied (git ls-files + untracked, unignored files) so the in-place build here
# never touches the .so files of your checkout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-python3}
venv=${VENV:-/tmp/pytheano-min-numpy}
# The floor: the numpy>=X.Y in [project] dependencies.
floor=$(sed -n 's/^dependencies = .*"numpy>=\([0-9.]*\)".*/\1/p' "$root/pyproject.toml")
[ -n "$floor" ] || { echo "no numpy>= floor in pyproject.toml" >&2; exit 2; }
scipy_floor=$(sed -n 's/^dependencies = .*"scipy>=\([0-9.]*\)".*/\1/p' "$root/pyproject.toml")

if [ "${KEEP:-0}" != 1 ] || [ ! -x "$venv/bin/python" ]; then
    rm -rf "$venv"
    "$py" -m venv "$venv"
fi
pip() { "$venv/bin/python" -m pip -q --disable-pip-version-check "$@"; }
# The lowest release of the floor's series that has a wheel for this Python (1.23.0 has none
# for 3.11, 1.23.2 has); scipy and scikit-learn: the newest that accept that numpy.
np_pin=
for patch in 0 1 2 3 4 5 6 7 8 9; do
    if pip install --only-binary=numpy "numpy==$floor.$patch" 2>/dev/null; then
        np_pin="numpy==$floor.$patch"; break
    fi
done
[ -n "$np_pin" ] || { echo "no numpy $floor.x wheel for $("$py" -V)" >&2; exit 2; }
pip install "$np_pin" "Cython>=3.0" "setuptools>=64" wheel pytest hypothesis pydot
pip install "$np_pin" "scipy>=${scipy_floor:-0}"
pip install "$np_pin" "scikit-learn>=1.0" || echo "(no scikit-learn for $np_pin)"

work=$(mktemp -d /tmp/pytheano-min-numpy-src.XXXXXX)
trap 'rm -rf "$work"' EXIT
(cd "$root" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$work")
cd "$work"
export PYTHONPATH="$work"  # for the tests that start a fresh interpreter
"$venv/bin/python" -c "import numpy, scipy, sys; print('python', sys.version.split()[0], \
'numpy', numpy.__version__, 'scipy', scipy.__version__)"
"$venv/bin/python" setup.py build_ext --inplace -q >/dev/null
"$venv/bin/python" -m pytest -q -p no:warnings -p no:cacheprovider "$@"
