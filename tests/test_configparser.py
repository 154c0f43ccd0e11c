"""pytheano.config: defaults, rc files, flags in the environment, assignment, validation."""
import builtins
import json
import os
import subprocess
import sys
import textwrap
import warnings

import pytest

import pytheano
from pytheano.configparser import ConfigError, change_flags


def _run(code, home, **env):
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("THEANO_FLAGS", "PYTHEANO_FLAGS", "THEANORC", "PYTHEANORC")}
    full_env["HOME"] = str(home)
    full_env.update(env)
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=full_env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip(), out.stderr


def test_defaults():
    c = pytheano.config
    assert c.device == "cpu"
    assert c.floatX == "float64"
    assert c.mode == "Mode"
    assert c.allow_gc is True
    assert c.on_unused_input == "raise"
    assert c.compute_test_value == "off"
    assert c.exception_verbosity == "low"
    assert c.profile is False


def test_precedence_rc_then_env_then_code(tmp_path):
    (tmp_path / ".theanorc").write_text("[global]\nfloatX = float16\nallow_gc = False\n")
    (tmp_path / ".pytheanorc").write_text("[global]\nfloatX = float32\n")
    code = """
        import pytheano
        print(pytheano.config.floatX, pytheano.config.allow_gc)
        pytheano.config.floatX = 'float64'
        print(pytheano.config.floatX)
    """
    out, _ = _run(code, tmp_path)
    assert out.splitlines() == ["float32 False", "float64"]
    out, _ = _run(code, tmp_path, THEANO_FLAGS="floatX=float16")
    assert out.splitlines()[0] == "float16 False"
    out, _ = _run(code, tmp_path, THEANO_FLAGS="floatX=float16", PYTHEANO_FLAGS="floatX=float64")
    assert out.splitlines()[0] == "float64 False"


def test_rc_sections_and_env_file(tmp_path):
    rc = tmp_path / "custom.rc"
    rc.write_text("[global]\ndevice = cpu\n[gpuarray]\npreallocate = 0.5\n")
    out, _ = _run("import pytheano; print(pytheano.config.gpuarray.preallocate)", tmp_path,
                  PYTHEANORC=str(rc))
    assert out == "0.5"


def test_unknown_flag_warns(tmp_path):
    _, err = _run("import pytheano", tmp_path, PYTHEANO_FLAGS="no_such_flag=1")
    assert "no_such_flag" in err


def test_invalid_value_lists_options():
    with pytest.raises(ValueError) as info:
        pytheano.config.floatX = "float33"
    assert str(info.value) == ('Invalid value ("float33") for configuration variable '
                               '"floatX". Valid options are (\'float64\', \'float32\', '
                               '\'float16\')')
    assert pytheano.config.floatX == "float64"


def test_invalid_env_value_fails_at_import(tmp_path):
    full_env = dict(os.environ, HOME=str(tmp_path), PYTHEANO_FLAGS="floatX=float33")
    out = subprocess.run([sys.executable, "-c", "import pytheano"], env=full_env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode != 0
    assert "float33" in out.stderr and "Valid options" in out.stderr


@pytest.mark.parametrize("name", ["device", "base_compiledir", "compiledir", "compiledir_format"])
def test_read_only_options_refuse_assignment(name):
    with pytest.raises(ConfigError, match="read-only"):
        setattr(pytheano.config, name, "something")


def test_read_only_option_from_env(tmp_path):
    out, _ = _run("import pytheano; print(pytheano.config.base_compiledir)", tmp_path,
                  PYTHEANO_FLAGS="base_compiledir=%s" % (tmp_path / "cache"))
    assert out == str(tmp_path / "cache")


def test_bool_and_typed_values():
    pytheano.config.profile = "True"
    assert pytheano.config.profile is True
    pytheano.config.profile = False
    with pytest.raises(ValueError):
        pytheano.config.allow_gc = "maybe"


def test_change_flags_restores():
    with change_flags(floatX="float32"):
        assert pytheano.config.floatX == "float32"
        assert str(pytheano.tensor.scalar().type) == "TensorType(float32, scalar)"
    assert pytheano.config.floatX == "float64"

    @change_flags(floatX="float16")
    def inner():
        return pytheano.config.floatX

    assert inner() == "float16"
    assert pytheano.config.floatX == "float64"


def test_print_config_lists_everything():
    text = str(pytheano.config)
    for name in ("floatX", "device", "mode", "optimizer", "exception_verbosity", "profile",
                 "profile_memory", "profile_optimizer", "allow_gc", "cxx", "base_compiledir",
                 "compiledir", "on_unused_input", "compute_test_value"):
        assert "\n%s (" % name in "\n" + text or "\n%s \n" % name in "\n" + text, name
    assert "floatX (('float64', 'float32', 'float16')) \n    Doc:  " in text
    assert "    Value:  float64\n" in text


def test_seed_config_session():
    from pytheano import theano

    assert theano.config.device == "cpu"
    assert theano.config.floatX == "float64"
    theano.config.floatX = "float32"
    assert theano.config.floatX == "float32"


def test_compiledir_under_base(tmp_path):
    assert pytheano.config.compiledir.startswith(pytheano.config.base_compiledir)


# --------------------------------------------------------------------------- Theano's parsing
# theano_flags.json: what Theano 1.0.5 made of flag strings and rc files
# (record_theano_flags.py).

_RECORDED = json.load(open(os.path.join(os.path.dirname(__file__), "theano_flags.json")))


@pytest.mark.parametrize("text", sorted(_RECORDED["flags"]))
def test_flags_parse_as_in_theano(text):
    from pytheano.configparser import _parse_flags

    expected = _RECORDED["flags"][text]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if "raises" in expected:
            with pytest.raises(getattr(builtins, expected["raises"])):
                _parse_flags(text, "THEANO_FLAGS")
        else:
            assert _parse_flags(text, "THEANO_FLAGS") == expected["parsed"]


def test_a_flag_without_value_is_ignored_with_a_warning():
    from pytheano.configparser import _parse_flags

    with pytest.warns(UserWarning, match="'junk' has no value"):
        assert _parse_flags("floatX=float32,junk", "THEANO_FLAGS") == {"floatX": "float32"}


@pytest.mark.parametrize("name", sorted(_RECORDED["rc"]))
def test_rc_values_read_as_in_theano(name, tmp_path, monkeypatch):
    from pytheano.configparser import _rc_key, _read_rc_files

    monkeypatch.setenv("USER", _RECORDED["rc_user"])
    path = tmp_path / ".theanorc"
    path.write_text(_RECORDED["rc_texts"][name])
    values = _read_rc_files([str(path)])
    got = {key: values.get(_rc_key(key)) for key in _RECORDED["rc"][name]}
    assert got == _RECORDED["rc"][name]


def test_escaped_commas_quotes_and_rc_names_end_to_end(tmp_path):
    (tmp_path / ".theanorc").write_text("[global]\nFloatX = float32\n[blas]\nldflags = -lx\n")
    out, _ = _run("""
        import pytheano
        print(repr(pytheano.config.blas.ldflags), pytheano.config.floatX)
    """, tmp_path, THEANO_FLAGS=r"blas.ldflags=-L/x -Wl\,-rpath\,/x")
    assert out.split() == ["'-L/x", "-Wl,-rpath,/x'", "float32"]  # rc names: any case
    out, _ = _run("import pytheano; print(pytheano.config.floatX)", tmp_path,
                  PYTHEANO_FLAGS="floatX='float64'")
    assert out == "float64"
