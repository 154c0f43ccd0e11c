"""Op parameters as a Type (Theano's ``gof.ParamsType``, ``gof.EnumType`` and friends).

An op whose class sets ``params_type = ParamsType(a=..., b=...)`` gets, from
``Op.get_params``, a ``Params`` object built from its attributes of those names (each
filtered by its type), passed as the last argument of ``perform``. ``EnumType`` /
``EnumList`` / ``CEnumType`` are types of named constants (an op parameter choosing a mode).

Theano also generated a C struct for these types; pytheano's C backend compiles scalar and
elementwise kernels, not ops' own C code, so only the Python side exists here.
"""
import hashlib
import re

import numpy as np

from pytheano.graph.type import Type

__all__ = ["Params", "ParamsType", "EnumType", "EnumList", "CEnumType"]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _signature(value):
    """A hashable stand-in for a parameter value (arrays by dtype, shape and bytes)."""
    if isinstance(value, np.ndarray):
        return ("ndarray", str(value.dtype), value.shape, value.tobytes())
    if isinstance(value, np.generic):
        return ("scalar", str(value.dtype), value.tobytes())
    try:
        hash(value)
    except TypeError:
        return ("repr", repr(value))
    return value


class Params(dict):
    """The values of a ParamsType's fields, read as attributes; immutable."""

    def __init__(self, params_type, **kwargs):
        if not isinstance(params_type, ParamsType):
            raise TypeError("Params: 1st constructor argument should be a ParamsType.")
        for field in params_type.fields:
            if field not in kwargs:
                raise TypeError('Params: ParamsType attribute "%s" not in Params args.'
                                % field)
        super().__init__(**kwargs)
        self.__dict__["__params_type__"] = params_type

    def __repr__(self):
        return "Params(%s)" % ", ".join("%s:%s:%s" % (k, type(self[k]).__name__, self[k])
                                        for k in sorted(self))

    def __getattr__(self, key):
        if key not in self:
            raise AttributeError('Params: attribute "%s" does not exist.' % key)
        return self[key]

    def _immutable(self, *args):
        raise NotImplementedError("Params is immutable")

    __setattr__ = __setitem__ = __delitem__ = _immutable

    def __hash__(self):
        ptype = self.__dict__["__params_type__"]
        return hash((type(self), ptype) + tuple(_signature(self[f]) for f in ptype.fields))

    def __eq__(self, other):
        ptype = self.__dict__["__params_type__"]
        return (type(self) is type(other) and ptype == other.__dict__["__params_type__"]
                and all(t.values_eq(self[f], other[f]) for f, t in zip(ptype.fields,
                                                                        ptype.types)))

    def __ne__(self, other):
        return not self == other


class ParamsType(Type):
    """A struct of named fields, each of a Type: ``ParamsType(a=TensorType(...),
    b=Scalar('float64'))``. The constants of its EnumType fields read as its attributes
    (``params_type.MODE_A``)."""

    def __init__(self, **kwargs):
        if not kwargs:
            raise ValueError("Cannot create ParamsType from empty data.")
        for name, field_type in kwargs.items():
            if not _IDENTIFIER.match(name):
                raise AttributeError('ParamsType: attribute "%s" should be a valid '
                                     'identifier.' % name)
            if not isinstance(field_type, Type):
                raise TypeError('ParamsType: attribute "%s" should inherit from Theano Type, '
                                'got "%s".' % (name, type(field_type).__name__))
        self.fields = tuple(sorted(kwargs))
        self.types = tuple(kwargs[f] for f in self.fields)
        self.length = len(self.fields)
        self.name = self._struct_name()
        enums = [t for t in self.types if isinstance(t, EnumType)]
        constants = [c for t in enums for c in t]
        aliases = [a for t in enums for a in t.aliases]
        if len(constants) != len(set(constants)):
            raise AttributeError("ParamsType: found different enum types with common "
                                 "constants names.")
        if len(aliases) != len(set(aliases)):
            raise AttributeError("ParamsType: found different enum types with common "
                                 "constants aliases.")
        if set(aliases) & set(constants):
            raise AttributeError("ParamsType: found aliases that have same names as "
                                 "constants.")
        self._const_to_enum = {c: t for t in enums for c in t}
        self._alias_to_enum = {a: t for t in enums for a in t.aliases}

    def _struct_name(self):
        digest = [hashlib.sha256(",".join(parts).encode()).hexdigest()
                  for parts in (self.fields, [str(t) for t in self.types])]
        return "_Params_%s_%s" % tuple(digest)

    def __getattr__(self, key):
        consts = self.__dict__.get("_const_to_enum", {})
        if key in consts:
            return consts[key][key]
        raise AttributeError("%s has no attribute %r" % (type(self).__name__, key))

    def __repr__(self):
        return "ParamsType<%s>" % ", ".join("%s:%s" % (f, t)
                                           for f, t in zip(self.fields, self.types))

    __str__ = __repr__

    def __eq__(self, other):
        return (type(self) is type(other) and self.fields == other.fields
                and self.types == other.types)

    def __hash__(self):
        return hash((type(self),) + self.fields + self.types)

    def has_type(self, theano_type):
        return theano_type in self.types

    def get_type(self, field_name):
        return self.types[self.fields.index(field_name)]

    def get_field(self, theano_type):
        return self.fields[self.types.index(theano_type)]

    def get_enum(self, key):
        return self._const_to_enum[key][key]

    def enum_from_alias(self, alias):
        """The value of the enum constant called, or aliased, ``alias``."""
        if alias in self._alias_to_enum:
            return self._alias_to_enum[alias].fromalias(alias)
        return self._const_to_enum[alias][alias]

    def get_params(self, *objects, **kwargs):
        """Params whose fields are taken from the attributes of ``objects`` (later ones
        win), then from ``kwargs``, each filtered by its type."""
        values = {}
        for obj in objects:
            for field in self.fields:
                if hasattr(obj, field):
                    values[field] = getattr(obj, field)
        values.update((f, kwargs[f]) for f in self.fields if f in kwargs)
        missing = [f for f in self.fields if f not in values]
        if missing:
            raise AttributeError("ParamsType.get_params: no value for the fields %s"
                                 % (missing,))
        return Params(self, **{f: t.filter(values[f], strict=False, allow_downcast=True)
                               for f, t in zip(self.fields, self.types)})

    def extended(self, **kwargs):
        """This ParamsType with the fields of ``kwargs`` added (or replaced)."""
        fields = dict(zip(self.fields, self.types))
        fields.update(kwargs)
        return ParamsType(**fields)

    def filter(self, data, strict=False, allow_downcast=None):
        if strict and not isinstance(data, Params):
            raise TypeError("%s: strict mode: data should be an instance of Params." % self)
        filtered = {f: t.filter(getattr(data, f), strict, allow_downcast)
                    for f, t in zip(self.fields, self.types)}
        return data if strict or isinstance(data, Params) else Params(self, **filtered)

    def values_eq(self, a, b):
        return all(t.values_eq(getattr(a, f), getattr(b, f))
                   for f, t in zip(self.fields, self.types))

    def values_eq_approx(self, a, b):
        return all(t.values_eq_approx(getattr(a, f), getattr(b, f))
                   for f, t in zip(self.fields, self.types))


class EnumType(Type, dict):
    """Named numeric constants: ``EnumType(A=1, B=(\"beta\", 2), ctype='int')``; a name is
    capitals, digits and underscores; a pair gives the constant an alias. Values read as
    attributes (``enum.A``); ``filter`` accepts a value, a bool, or an alias or name."""

    def __init__(self, **kwargs):
        ctype = " ".join(kwargs.pop("ctype", "double").split())
        if not all(_IDENTIFIER.match(part) for part in ctype.split()):
            raise TypeError("%s: invalid C type." % type(self).__name__)
        cname = kwargs.pop("cname", ctype.replace(" ", "_"))
        if not _IDENTIFIER.match(cname):
            raise TypeError("%s: invalid C name." % type(self).__name__)
        aliases = {}
        for name, value in list(kwargs.items()):
            if re.match(r"^[A-Z][A-Z0-9_]*$", name) is None:
                raise AttributeError('%s: invalid enum name: "%s". Only capital letters, '
                                     'underscores and digits are allowed.'
                                     % (type(self).__name__, name))
            if isinstance(value, (list, tuple)):
                if len(value) != 2:
                    raise TypeError("%s: when using a tuple to define a constant, your tuple "
                                    "should contain 2 values: constant alias followed by "
                                    "constant value." % type(self).__name__)
                alias, value = value
                if not isinstance(alias, str):
                    raise TypeError('%s: constant alias should be a string, got "%s".'
                                    % (type(self).__name__, alias))
                if alias == name:
                    raise TypeError("%s: it's useless to create an alias with the same name "
                                    "as its associated constant." % type(self).__name__)
                if alias in aliases:
                    raise TypeError('%s: constant alias "%s" already used.'
                                    % (type(self).__name__, alias))
                aliases[alias] = name
            if isinstance(value, bool):
                value = int(value)
            elif not isinstance(value, (int, float)):
                raise TypeError('%s: constant "%s": expected integer or floating value, got '
                                '"%s".' % (type(self).__name__, name, type(value).__name__))
            kwargs[name] = value
        if set(aliases) & set(kwargs):
            raise TypeError("%s: some aliases have same names as constants."
                            % type(self).__name__)
        dict.__init__(self, **kwargs)
        object.__setattr__(self, "ctype", ctype)
        object.__setattr__(self, "cname", cname)
        object.__setattr__(self, "aliases", aliases)

    def fromalias(self, alias):
        """The value of the constant aliased (or named) ``alias``."""
        return self[self.aliases[alias]] if alias in self.aliases else self[alias]

    def has_alias(self, alias):
        return alias in self.aliases

    def get_aliases(self):
        return tuple(sorted(self.aliases))

    def __repr__(self):
        alias_of = {name: "(%s)" % alias for alias, name in self.aliases.items()}
        return "%s<%s>(%s)" % (type(self).__name__, self.ctype, ", ".join(
            "%s%s:%s" % (k, alias_of.get(k, ""), self[k]) for k in sorted(self)))

    __str__ = __repr__

    def __getattr__(self, key):
        if key in self:
            return self[key]
        raise AttributeError("%s has no attribute %r" % (type(self).__name__, key))

    def __setattr__(self, key, value):
        if key in self:
            raise NotImplementedError("constant values are immutable.")
        object.__setattr__(self, key, value)

    def _immutable(self, *args):
        raise NotImplementedError("constant values are immutable.")

    __setitem__ = __delitem__ = _immutable

    def __hash__(self):
        return hash((type(self), self.ctype) + tuple(sorted(self.items()))
                    + tuple(sorted(self.aliases.items())))

    def __eq__(self, other):
        return (type(self) is type(other) and self.ctype == other.ctype
                and dict(self) == dict(other) and self.aliases == other.aliases)

    def __ne__(self, other):
        return not self == other

    def filter(self, data, strict=False, allow_downcast=None):
        if not strict:
            if isinstance(data, bool):
                data = int(data)
            elif isinstance(data, str):
                data = self.fromalias(data)
        if data not in self.values():
            raise TypeError("%s: %r is none of the constants %s" % (type(self).__name__, data,
                                                                    dict(self)))
        return data

    def values_eq(self, a, b):
        return a == b

    def values_eq_approx(self, a, b):
        return a == b


def _enum_list_kwargs(type_name, constants):
    """{name: i or (alias, i)} for EnumList's constants (names, or (name, alias) pairs)."""
    kwargs = {}
    for i, constant in enumerate(constants):
        if isinstance(constant, (list, tuple)):
            if len(constant) != 2:
                raise TypeError("%s: when using a tuple to define a constant, your tuple "
                                "should contain 2 values: constant name followed by constant "
                                "alias." % type_name)
            name, alias = constant
            if not isinstance(alias, str):
                raise TypeError('%s: constant alias should be a string, got "%s".'
                                % (type_name, alias))
            value = (alias, i)
        else:
            name, value = constant, i
        if not isinstance(name, str):
            raise TypeError('%s: constant name should be a string, got "%s".'
                            % (type_name, name))
        if name in kwargs:
            raise TypeError('%s: constant name already used ("%s").' % (type_name, name))
        kwargs[name] = value
    return kwargs


class EnumList(EnumType):
    """An EnumType whose constants are numbered 0, 1, ... in the order given:
    ``EnumList('A', ('B', 'beta'), 'C')`` (default C type int)."""

    def __init__(self, *constants, **kwargs):
        if set(kwargs) - {"ctype", "cname"}:
            raise TypeError("%s: keys other than ctype and cname are not allowed."
                            % type(self).__name__)
        kwargs.setdefault("ctype", "int")
        kwargs.update(_enum_list_kwargs(type(self).__name__, constants))
        super().__init__(**kwargs)


class CEnumType(EnumList):
    """An EnumList naming constants defined in C; in Python the values only choose."""
