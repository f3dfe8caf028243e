"""jitclass: classes whose instances compiled code makes and uses.

    @jitclass([("value", int32), ("array", float32[:])])
    class Bag:
        def __init__(self, value):
            self.value = value
            self.array = np.zeros(value, dtype=np.float32)

The decorator returns a new class of the same name.  Its instances are
blocks of reference-counted memory holding the fields (csrc/jitclass.c);
every method, property and static method is a jitted function, and the
constructor is a jitted function that allocates the block and calls
`__init__`.  Python reaches the fields, properties and methods of an
instance through jitted functions too, so an instance behaves the same
wherever it is used.  Cycles of instances are not freed (no collector
walks them), as in Numba.

The spec is a list of (name, type) pairs, a dict, or the class body's
annotations (`x: float64`).  A field whose type is not known when the
class is made (a linked list's next node) uses a `deferred_type()`,
defined later with `.define(Node.class_type.instance_type)`; field types
are resolved when an instance is first made.
"""
import linecache
import sys

from . import _core, types
from .decorators import njit

_Type = types.Type


class DeferredType:
    """A type named before it exists: `node_type = deferred_type()`, then
    `node_type.define(Node.class_type.instance_type)`."""

    def __init__(self):
        self._defined = None

    def define(self, typ):
        if self._defined is not None:
            raise TypeError("deferred type already defined")
        self._defined = _resolve(typ, "deferred_type.define()")

    def get(self):
        if self._defined is None:
            raise TypeError("deferred type not defined: call .define(type) "
                            "on it before the class using it makes an "
                            "instance")
        return self._defined

    def __repr__(self):
        return f"DeferredType#{id(self)}"


class _OptionalDeferred:
    """optional(t) where t is a deferred type: resolved with it."""

    def __init__(self, inner):
        self.inner = inner

    def __repr__(self):
        return f"OptionalType({self.inner!r})"


def deferred_type():
    """A type defined later, for recursive jitclasses."""
    return DeferredType()


def optional(typ):
    """The type of a value of type `typ` or None."""
    if isinstance(typ, (DeferredType, _OptionalDeferred)):
        return _OptionalDeferred(typ)
    return types.Optional(_resolve(typ, "optional()"))


_HINT_TYPES = {int: "int64", float: "float64", complex: "complex128",
               bool: "boolean", str: "unicode_type"}


def _from_hint(hint, where):
    """The pyjit type of a Python type hint, by Numba's `as_numba_type`
    rules: int, float, complex, bool, str, and typing's List, Dict, Set,
    Tuple and Optional of them; None when hint is not one."""
    import typing
    if isinstance(hint, type) and hint in _HINT_TYPES:
        return getattr(types, _HINT_TYPES[hint])
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is None:
        return None
    if origin is typing.Union and type(None) in args and len(args) == 2:
        inner = [a for a in args if a is not type(None)][0]
        return types.Optional(_hinted(inner, where))
    items = [_hinted(a, where) for a in args if a is not Ellipsis]
    if origin is list and len(items) == 1:
        return types.ListType(items[0])
    if origin is dict and len(items) == 2:
        return types.DictType(items[0], items[1])
    if origin is set and len(items) == 1:
        return types.Set(items[0])
    if origin is tuple and Ellipsis in args and len(items) == 1:
        raise TypeError(f"{where}: {hint!r} has no length; give one item "
                        f"type per item (Tuple[int, int])")
    if origin is tuple:
        return types.Tuple(items)
    return None


def _hinted(hint, where):
    """The pyjit type an annotation names: a Python type hint, or what a
    spec may give."""
    t = _from_hint(hint, where)
    return t if t is not None else _resolve(hint, where)


def _resolve(spec, where):
    """The pyjit type a field's spec names."""
    if isinstance(spec, DeferredType):
        return spec.get()
    if isinstance(spec, _OptionalDeferred):
        return types.Optional(_resolve(spec.inner, where))
    if isinstance(spec, ClassType):
        return spec.instance_type
    if isinstance(spec, type) and issubclass(spec, _Box) and spec is not _Box:
        return spec.class_type.instance_type
    if isinstance(spec, _Type) and spec != types.pyobject:
        return spec
    raise TypeError(f"{where}: {spec!r} is not a pyjit type (use "
                    f"pyjit.int64, pyjit.float64[:], "
                    f"pyjit.types.ListType(...), deferred_type()...)")


class _Box:
    """The base of every jitclass: an instance holds its block."""
    __slots__ = ("_owner",)


_core._register_jitclass_base(_Box)


def _new(instance_type):
    """The block of a new instance: compiled code only (csrc/jitclass.c)."""
    raise TypeError("_new is called by compiled code only")


class ClassType:
    """What Numba's `Cls.class_type` is: the class's name, fields and
    instance type."""

    def __init__(self, cls):
        self._cls = cls
        self.class_name = cls.__name__

    @property
    def instance_type(self):
        return _core.jitclass_instance_type(self._cls)

    @property
    def struct(self):
        return dict(self._cls._pj_layout())

    def __repr__(self):
        return f"jitclass.{self.class_name}"


_counter = [0]


def _generated(name, source, namespace, origin="jitclass"):
    """A function defined by `source`, whose text linecache holds so that
    pyjit compiles it like any other; `origin` names its maker in the
    file name errors show."""
    _counter[0] += 1
    filename = f"<pyjit {origin} {name} {_counter[0]}>"
    lines = source.splitlines(True)
    linecache.cache[filename] = (len(source), None, lines, filename)
    exec(compile(source, filename, "exec"), namespace)
    return namespace[name]


def _constructor(cls, init):
    """The jitted function making an instance: __init__'s parameters."""
    import inspect      # not at import: compiles load this module
    sig = inspect.signature(init)
    params = list(sig.parameters.values())[1:]
    namespace = {"_new": _new, "_instance_type":
                 _core.jitclass_instance_type(cls)}
    decl, call = [], []
    for i, p in enumerate(params):
        if p.kind is p.VAR_KEYWORD:
            raise TypeError(f"jitclass {cls.__name__}: __init__ cannot "
                            f"take **{p.name}")
        if p.kind is p.VAR_POSITIONAL:
            decl.append(f"*{p.name}")
            call.append(f"*{p.name}")
            continue
        if p.default is not p.empty:
            namespace[f"_default{i}"] = p.default
            decl.append(f"{p.name}=_default{i}")
        else:
            decl.append(p.name)
        call.append(p.name)
    source = (f"def {cls.__name__}({', '.join(decl)}):\n"
              f"    self = _new(_instance_type)\n"
              f"    self.__init__({', '.join(call)})\n"
              f"    return self\n")
    return njit(_generated(cls.__name__, source, namespace))


def _accessors(cls, name):
    """The jitted getter and setter of field `name`."""
    getter = _generated("get", f"def get(self):\n    return self.{name}\n",
                        {})
    setter = _generated("set", f"def set(self, value):\n"
                               f"    self.{name} = value\n", {})
    return njit(getter), njit(setter)


def _field_property(cls, name):
    getter, setter = _accessors(cls, name)
    return property(lambda self: getter(self),
                    lambda self, value: setter(self, value))


def _method(disp):
    def method(self, *args, **kwargs):
        return disp(self, *args, **kwargs)
    method.__name__ = disp.__name__
    method.__doc__ = disp.__doc__
    return method


def _spec_of(cls, spec):
    """The (name, spec) pairs of the fields: the spec's, then the
    annotations the spec does not name."""
    if spec is None:
        pairs = []
    elif isinstance(spec, dict):
        pairs = list(spec.items())
    else:
        pairs = [tuple(p) for p in spec]
    named = {n for n, _ in pairs}
    module = sys.modules.get(cls.__module__)
    for n, t in cls.__dict__.get("__annotations__", {}).items():
        if isinstance(t, str) and module is not None:
            # from __future__ import annotations: the text of the type
            t = eval(t, vars(module))
        hinted = _from_hint(t, f"jitclass {cls.__name__} field {n}")
        t = t if hinted is None else hinted
        if n not in named:
            pairs.append((n, t))
    if len(pairs) > _MAX_FIELDS:
        raise TypeError(f"jitclass {cls.__name__}: {len(pairs)} fields, "
                        f"more than the {_MAX_FIELDS} an instance can hold")
    for n, t in pairs:
        if not isinstance(n, str) or not n.isidentifier():
            raise TypeError(f"jitclass {cls.__name__}: field name {n!r} is "
                            f"not an identifier")
    return pairs


_MAX_FIELDS = 255      # csrc/jitclass.c builds the struct of at most these

_RESERVED = {"__dict__", "__module__", "__qualname__", "__weakref__",
             "__annotations__", "__doc__", "__slots__"}


def _namespace_of(cls):
    """The class's own names and those it inherits from plain Python
    base classes, the nearest definition winning, as Numba gathers them
    along the method resolution order.  A jitclass is not a base."""
    names = {}
    for base in reversed(cls.__mro__[:-1]):
        if base is not cls and hasattr(base, "_pj_ctor"):
            raise TypeError(f"jitclass {cls.__name__}: a jitclass "
                            f"({base.__name__}) cannot be a base class")
        names.update(base.__dict__)
    return names


def _members(cls):
    """name -> (what, function, setter) for the class's methods,
    properties and static methods (its own and those it inherits), as
    jitted functions."""
    import inspect
    members = {}
    for name, value in _namespace_of(cls).items():
        if name in _RESERVED or (name == "__hash__" and value is None):
            continue            # __eq__ without __hash__ leaves None
        if isinstance(value, staticmethod):
            members[name] = ("static", njit(value.__func__), None)
        elif isinstance(value, property):
            if value.fget is None:
                raise TypeError(f"jitclass {cls.__name__}: property {name} "
                                f"has no getter")
            fset = njit(value.fset) if value.fset is not None else None
            members[name] = ("property", njit(value.fget), fset)
        elif inspect.isfunction(value):
            members[name] = ("method", njit(value), None)
        elif isinstance(value, classmethod):
            raise TypeError(f"jitclass {cls.__name__}: class method {name} "
                            f"is not supported")
        else:
            raise TypeError(f"jitclass {cls.__name__}: class member {name} "
                            f"is not a method, property or static method "
                            f"(class members are not supported)")
    return members


def _python_member(name, what, fn, setter):
    if what == "static":
        return staticmethod(fn)
    if what == "property":
        return property(lambda self: fn(self),
                        None if setter is None
                        else (lambda self, value: setter(self, value)))
    return _method(fn)


def _register(cls, spec):
    import inspect
    if not isinstance(cls, type):
        raise TypeError(f"jitclass decorates a class, not {cls!r}")
    pairs = _spec_of(cls, spec)
    members = _members(cls)
    overlap = {n for n, _ in pairs} & set(members)
    if overlap:
        raise TypeError(f"jitclass {cls.__name__}: {sorted(overlap)[0]} is "
                        f"both a field and a member")
    namespace = {"__slots__": (), "__module__": cls.__module__,
                 "__qualname__": cls.__qualname__, "__doc__": cls.__doc__}
    for name, (what, fn, setter) in members.items():
        if name != "__init__":
            namespace[name] = _python_member(name, what, fn, setter)
    box = type(cls.__name__, (_Box,), namespace)
    layout_cache = []

    def _pj_layout():
        if not layout_cache:
            layout_cache.append(tuple(
                (n, _resolve(t, f"jitclass {cls.__name__} field {n}"))
                for n, t in pairs))
        return layout_cache[0]

    init = _namespace_of(cls).get("__init__")
    if init is None or not inspect.isfunction(init):
        raise TypeError(f"jitclass {cls.__name__}: the class needs an "
                        f"__init__ method")
    box._pj_layout = staticmethod(_pj_layout)
    box._pj_members = members
    box._pj_fields = tuple(n for n, _ in pairs)
    box._pj_ctor = _constructor(box, init)
    box.class_type = ClassType(box)
    for n, _ in pairs:
        setattr(box, n, _field_property(box, n))

    def __new__(klass, *args, **kwargs):
        return klass._pj_ctor(*args, **kwargs)
    box.__new__ = __new__
    return box


def jitclass(cls_or_spec=None, spec=None):
    """Compile a class: `@jitclass(spec)`, `@jitclass` (fields from the
    annotations) or `jitclass(cls, spec)`."""
    if isinstance(cls_or_spec, type):
        return _register(cls_or_spec, spec)
    if cls_or_spec is not None and spec is not None:
        raise TypeError("jitclass(spec) takes the spec once")
    spec = cls_or_spec if cls_or_spec is not None else spec

    def wrap(cls):
        return _register(cls, spec)
    return wrap
