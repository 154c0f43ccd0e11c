"""Record how Theano 1.0.5 reads THEANO_FLAGS strings and .theanorc values into
theano_flags.json.

Run with the Theano peer (Python 3.7), from the repository root:

    THEANO_FLAGS='cxx=,device=cpu' ~/peers/theano/bin/python tests/record_theano_flags.py

test_configparser.py compares pytheano's parser against the fixture (CI has no Theano).
Each rc case runs in a fresh interpreter (THEANORC names its file).
"""
import json
import os
import subprocess
import sys
import tempfile

FLAG_STRINGS = [
    "floatX=float32",
    "floatX=float32,device=cpu",
    r"blas.ldflags=-L/x -Wl\,-rpath\,/x",
    "floatX='float32'",
    'floatX="float32"',
    "blas.ldflags='-la,-lb',floatX=float32",
    'blas.ldflags="-la -lb",mode=FAST_RUN',
    "floatX=float32,,device=cpu,",
    " floatX=float32 , device=cpu ",
    "floatX = float32",
    "floatX=float32,junk",
    "a=1=2",
    "a=",
    "=b",
    "a=1,a=2",
    "a=x#comment,b=2",
    "#a=1,b=2",
    r"a=x\y",
    r"a=x\\y",
    r"a='x\y'",
    r'a="x\"y"',
    r'a="x\y"',
    "a='it''s'",
    "a=x'y'z",
    "a=\tx\t",
    "a=x y  z",
    "a='x,y',b=\"u,v\"",
    r"a=x\ y",
    "compiledir=/tmp/a b,floatX=float64",
    "gcc.cxxflags=-O3 -march=native",
    "a='unclosed",
    "a=trailing\\",
    "",
    ",",
]

RC_TEXTS = {
    "plain": "[global]\nmykey = float32\n",
    "quoted": "[global]\nmykey = 'float32'\n",
    "double_quoted": '[global]\nmykey = "x,y"\n',
    "mixed_case_name": "[global]\nMyKey = v\n",
    "section": "[blas]\nldflags = -L/x -Wl,-rpath,/x\n",
    "interpolation": "[global]\nmykey = %(USER)s/x\n",
    "lone_percent": "[global]\nmykey = 50%\n",
    "escaped_percent": "[global]\nmykey = 50%%\n",
    "backslash": "[global]\nmykey = a\\,b\n",
    "inline_comment": "[global]\nmykey = v # not a comment\n",
    "semicolon": "[global]\nmykey = v ; nor this\n",
    "colon": "[global]\nmykey: v\n",
    "continuation": "[global]\nmykey = a\n  b\n",
    "empty": "[global]\nmykey =\n",
    "spaces": "[global]\nmykey =   v w   \n",
    "dotted_section": "[a.b]\nc = v\n",
    "last_wins": "[global]\nmykey = 1\nother = 2\n[global2]\nmykey = 3\n",
}
RC_KEYS = ["mykey", "MyKey", "blas.ldflags", "a.b.c", "other", "global2.mykey"]

_QUERY = """
import json, theano.configparser as c
out = {}
for k in %r:
    try:
        out[k] = c.fetch_val_for_key(k)
    except KeyError:
        out[k] = None
print("RESULT" + json.dumps(out))
"""


def record_flags(parse):
    out = {}
    for text in FLAG_STRINGS:
        try:
            out[text] = {"parsed": parse(text)}
        except Exception as e:  # noqa: BLE001 - the class is what we record
            out[text] = {"raises": type(e).__name__}
    return out


def record_rc():
    out = {}
    for name, text in sorted(RC_TEXTS.items()):
        with tempfile.NamedTemporaryFile("w", suffix=".theanorc", delete=False) as f:
            f.write(text)
        env = dict(os.environ, THEANORC=f.name, USER="recorder")
        res = subprocess.run([sys.executable, "-c", _QUERY % (RC_KEYS,)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             universal_newlines=True)
        os.unlink(f.name)
        line = [ln for ln in res.stdout.splitlines() if ln.startswith("RESULT")]
        out[name] = json.loads(line[0][len("RESULT"):]) if line else {"error": res.stderr[-300:]}
    return out


if __name__ == "__main__":
    from theano.configparser import parse_config_string

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "theano_flags.json")
    with open(path, "w") as f:
        json.dump({"flags": record_flags(lambda t: parse_config_string(t, issue_warnings=False)),
                   "rc": record_rc(), "rc_texts": RC_TEXTS, "rc_user": "recorder"},
                  f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", path)
