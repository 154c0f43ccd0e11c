"""The ``pytheano.config`` object: typed options read from four sources.

Precedence, lowest to highest: the option's default, the rc files (``~/.theanorc`` then
``~/.pytheanorc``, or the files named by ``THEANORC``/``PYTHEANORC``), the flags environment
variables (``THEANO_FLAGS`` then ``PYTHEANO_FLAGS``, comma separated ``name=value``), and
assignment in code (``pytheano.config.floatX = 'float32'``). Options are declared in
``configdefaults.py``; each validates its value and read-only options refuse assignment
after import.
"""
import configparser as _stdlib_configparser
import os
import shlex
import warnings
from functools import wraps
from io import StringIO

__all__ = ["config", "add_config_var", "AddConfigVar", "change_flags", "ConfigParam",
           "EnumStr", "TypedParam", "StrParam", "IntParam", "FloatParam", "BoolParam",
           "ConfigError"]


class ConfigError(Exception):
    """A configuration option was given a value it cannot take, or set when read-only."""


def _parse_flags(text, source):
    """``a=1,b.c=x`` -> {'a': '1', 'b.c': 'x'}, split as Theano 1.0 does: by a POSIX shlex
    whose only separator is the comma, so ``\\,`` is a literal comma, quotes group
    (``floatX='float32'``, ``ldflags="-la,-lb"``) and ``#`` starts a comment. An entry without
    ``=`` is ignored with a warning; a later value for a name wins."""
    splitter = shlex.shlex(text, posix=True)
    splitter.whitespace = ","
    splitter.whitespace_split = True
    flags = {}
    try:
        entries = list(splitter)
    except ValueError as exc:  # an unclosed quote, a trailing backslash
        # Theano 1.0 compat: shlex's ValueError and its words first.
        raise ValueError("%s (in %s=%r). Flags are written name=value, separated by commas; "
                         "close the quote, or write \\, for a comma inside a value."
                         % (exc, source, text)) from None
    for entry in entries:
        # Theano 1.0 compat: the entry is stripped, the name and value are not
        # ("floatX = float32" names the unknown flag "floatX ").
        entry = entry.strip()
        if not entry:
            continue
        if "=" not in entry:
            warnings.warn("%s: config key '%s' has no value, ignoring it (flags are written "
                          "name=value)" % (source, entry), stacklevel=3)
            continue
        key, value = entry.split("=", 1)
        flags[key] = value
    return flags


def _rc_files():
    """The rc files to read, lowest precedence first."""
    theano_rc = os.environ.get("THEANORC", "~/.theanorc:~/.theanorc.txt")
    pytheano_rc = os.environ.get("PYTHEANORC", "~/.pytheanorc:~/.pytheanorc.txt")
    paths = []
    for spec in (theano_rc, pytheano_rc):
        for path in spec.split(os.pathsep):
            path = os.path.expanduser(path)
            if path and os.path.isfile(path):
                paths.append(path)
    return paths


def _rc_key(name):
    """The key of option ``name`` among rc values: the option part is lower-cased, as
    configparser does with what it reads (``floatX = ...`` in an rc file is ``floatx``)."""
    section, _, option = name.rpartition(".")
    return "%s.%s" % (section or "global", option.lower())


def _rc_defaults():
    # The names Theano 1.0 lets rc values interpolate: ``base_compiledir = %(TMPDIR)s/x``.
    home = os.path.expanduser("~")
    return {"USER": os.getenv("USER", os.path.split(home)[-1]),
            "LSCRATCH": os.getenv("LSCRATCH", ""), "TMPDIR": os.getenv("TMPDIR", ""),
            "TEMP": os.getenv("TEMP", ""), "TMP": os.getenv("TMP", ""),
            "PID": str(os.getpid())}


def _read_rc_files(paths):
    """Options from ini files (``[global] floatX = float32``, ``[gpuarray] preallocate = 1``),
    keyed by ``_rc_key``. As in Theano 1.0: the files are read as one configparser, later
    files winning; ``%(USER)s`` and the other ``_rc_defaults`` interpolate, and a value that
    does not interpolate (a lone ``%``) is taken raw; quotes are part of the value."""
    parser = _stdlib_configparser.ConfigParser(_rc_defaults())
    raw = _stdlib_configparser.RawConfigParser()  # the names, without the defaults
    try:
        parser.read(paths)
        raw.read(paths)
    except _stdlib_configparser.Error as exc:
        warnings.warn("pytheano: could not parse config file(s) %s: %s" % (paths, exc))
        return {}
    values = {}
    for section in raw.sections():
        for option in raw.options(section):
            try:
                value = parser.get(section, option)
            except _stdlib_configparser.InterpolationError:
                value = raw.get(section, option)
            values["%s.%s" % (section, option)] = value
    return values


class ConfigParam:
    """One option: its default, how a value is validated, and whether code may change it."""

    def __init__(self, default, filter=None, mutable=True):
        self.default = default
        self._filter = filter
        self.mutable = mutable
        self.fullname = None
        self.doc = ""
        self.in_c_key = True
        self.is_default = True

    def filter(self, value):
        return self._filter(value) if self._filter is not None else value

    def describe(self):
        return ""

    def __str__(self):
        return "%s (%s) " % (self.fullname, self.describe())


class EnumStr(ConfigParam):
    """A string taken from a fixed list; the first one is the default."""

    def __init__(self, default, *options, mutable=True, convert=None):
        self.all = (default,) + tuple(options)
        for val in self.all:
            if not isinstance(val, str):
                raise ValueError("Valid values for an EnumStr parameter should be strings",
                                 val, type(val))
        self._convert = convert
        super().__init__(default, None, mutable)

    def filter(self, value):
        if self._convert is not None:
            value = self._convert(value)
        if value in self.all:
            return value
        raise ValueError('Invalid value ("%s") for configuration variable "%s". Valid options '
                         'are %s' % (value, self.fullname, self.all))

    def describe(self):
        return str(self.all)


class TypedParam(ConfigParam):
    """A value of a Python type (str, int, float), optionally checked by ``is_valid``."""

    def __init__(self, default, mytype, is_valid=None, mutable=True):
        self.mytype = mytype
        self.is_valid = is_valid
        super().__init__(default, None, mutable)

    def filter(self, value):
        try:
            cast = self.mytype(value)
        except (TypeError, ValueError):
            raise ValueError('Invalid value (%r) for configuration variable "%s": expected a %s.'
                             % (value, self.fullname, self.mytype.__name__)) from None
        if self.is_valid is not None and not self.is_valid(cast):
            raise ValueError('Invalid value (%s) for configuration variable "%s".'
                             % (value, self.fullname), value)
        return cast

    def describe(self):
        return self.mytype.__name__


def StrParam(default, is_valid=None, mutable=True):
    return TypedParam(default, str, is_valid, mutable)


def IntParam(default, is_valid=None, mutable=True):
    return TypedParam(default, int, is_valid, mutable)


def FloatParam(default, is_valid=None, mutable=True):
    return TypedParam(default, float, is_valid, mutable)


class BoolParam(ConfigParam):
    _TRUE = ("True", "true", "1", True, 1)
    _FALSE = ("False", "false", "0", False, 0)

    def __init__(self, default, mutable=True):
        super().__init__(default, None, mutable)

    def filter(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self._TRUE:
            return True
        if value in self._FALSE:
            return False
        raise ValueError('Invalid value ("%s") for configuration variable "%s". Valid options '
                         'are (True, False)' % (value, self.fullname))

    def describe(self):
        return "bool"


class _Section:
    """A group of options, e.g. ``config.gpuarray``; attribute access reads and writes them."""

    def __init__(self, prefix):
        object.__setattr__(self, "_prefix", prefix)
        object.__setattr__(self, "_children", {})

    def _param(self, name):
        child = self._children.get(name)
        if child is None:
            where = "config" if not self._prefix else "config." + self._prefix
            # Theano 1.0's words first (people search for them), then ours.
            raise AttributeError("'TheanoConfigParser' object has no attribute %r\n%s has no "
                                 "option %r" % (name, where, name))
        return child

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        child = self._param(name)
        if isinstance(child, _Section):
            return child
        return _ROOT._get(child)

    def __setattr__(self, name, value):
        child = self._param(name)
        if isinstance(child, _Section):
            raise AttributeError("config.%s is a section, not an option" % child._prefix)
        _ROOT._set(child, value)

    def __dir__(self):
        return sorted(self._children)


class Config(_Section):
    """The configuration. ``print(config)`` lists every option with its doc and value."""

    def __init__(self):
        super().__init__("")
        object.__setattr__(self, "_params", [])
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_pending", {})  # from the flags: name -> value
        object.__setattr__(self, "_pending_rc", {})  # from rc files: _rc_key(name) -> value
        object.__setattr__(self, "_loaded", False)

    def _load_sources(self):
        """Collect values from rc files and the environment (called once, before options)."""
        self._pending_rc.update(_read_rc_files(_rc_files()))
        for env in ("THEANO_FLAGS", "PYTHEANO_FLAGS"):
            self._pending.update(_parse_flags(os.environ.get(env, ""), env))
        object.__setattr__(self, "_loaded", True)

    def add(self, name, doc, param, in_c_key=True):
        """Declare option ``name`` ("section.option" for grouped ones)."""
        if not self._loaded:
            self._load_sources()
        param.fullname = name
        param.doc = doc
        param.in_c_key = in_c_key
        parts = name.split(".")
        section = self
        for i, part in enumerate(parts[:-1]):
            child = section._children.get(part)
            if child is None:
                child = _Section(".".join(parts[: i + 1]))
                section._children[part] = child
                object.__setattr__(section, part, child)
            elif not isinstance(child, _Section):
                raise AttributeError("config option %s is not a section" % child.fullname)
            section = child
        if parts[-1] in section._children:
            raise AttributeError("This name is already taken", name)
        section._children[parts[-1]] = param
        param.section = section
        param.leaf = parts[-1]
        self._params.append(param)
        from_rc = self._pending_rc.pop(_rc_key(name), None)
        if name in self._pending or from_rc is not None:
            param.is_default = False
            value = self._pending.pop(name) if name in self._pending else from_rc
            self._store(param, param.filter(value))
        elif not callable(param.default):
            self._store(param, param.filter(param.default))

    def _store(self, param, value):
        # The value also becomes a plain attribute of its section: reading config.floatX is
        # then an ordinary attribute lookup (it is read on every op call), and __getattr__
        # only runs for options not computed yet.
        self._values[param.fullname] = value
        object.__setattr__(param.section, param.leaf, value)

    def _get(self, param):
        try:
            return self._values[param.fullname]
        except KeyError:
            # Callable defaults (e.g. finding the C++ compiler) are computed on first use.
            value = param.filter(param.default())
            self._store(param, value)
            return value

    def _set(self, param, value):
        if not param.mutable:
            raise ConfigError(
                "Can't change the value of this config parameter after initialization! "
                "config.%s is read-only once pytheano is imported (its value is %r). Set it "
                "before the import, with PYTHEANO_FLAGS='%s=...' or in ~/.pytheanorc."
                % (param.fullname, self._get(param), param.fullname))
        self._store(param, param.filter(value))
        param.is_default = False

    def unknown_flags(self):
        """Flags given in the environment or rc files that name no option."""
        rc_names = {k[len("global."):] if k.startswith("global.") else k
                    for k in self._pending_rc}
        return sorted(set(self._pending) | rc_names)

    def params(self):
        return list(self._params)

    def __str__(self, print_doc=True):
        out = StringIO()
        for param in self._params:
            print(param, file=out)
            if print_doc:
                print("    Doc: ", param.doc, file=out)
            print("    Value: ", self._get(param), file=out)
            print("", file=out)
        return out.getvalue()

    def c_key(self):
        """The values of the options that affect generated C code, as one string."""
        return "\n".join("%s = %s" % (p.fullname, self._get(p))
                         for p in sorted(self._params, key=lambda p: p.fullname) if p.in_c_key)

    def change_flags(self, **kwargs):
        return change_flags(**kwargs)


config = Config()
_ROOT = config


def add_config_var(name, doc, param, root=None, in_c_key=True):
    config.add(name, doc, param, in_c_key=in_c_key)


AddConfigVar = add_config_var  # Theano 1.0 name


class change_flags:
    """Set options for the duration of a ``with`` block or a decorated function.

    >>> with change_flags(floatX='float32'):
    ...     x = pytheano.tensor.scalar()
    """

    def __init__(self, *args, **kwargs):
        flags = dict(*args, **kwargs)
        self.params = []
        for name, value in flags.items():
            section = config
            parts = name.replace("__", ".").split(".")
            for part in parts[:-1]:
                section = section._param(part)
            self.params.append((section._param(parts[-1]), value))
        self.saved = []

    def __enter__(self):
        self.saved = [(p, config._get(p)) for p, _ in self.params]
        for param, value in self.params:
            config._store(param, param.filter(value))
        return self

    def __exit__(self, *exc):
        for param, value in self.saved:
            config._store(param, value)
        return False

    def __call__(self, fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            with change_flags(**{p.fullname: v for p, v in self.params}):
                return fn(*args, **kwargs)

        return wrapper
