"""numba.experimental.structref, on jitclasses.

    @structref.register
    class PointType(types.StructRef):
        pass

    class Point(structref.StructRefProxy):
        pass

    structref.define_proxy(Point, PointType, ["x", "y"])

A structref is a reference-counted struct whose field types are those of
the values it is made from.  Here each set of field types gets a jitclass
(pyjit/_jitclass.py) of those fields, made the first time a Point is
built with them, in compiled code (an overload of the proxy class) or in
Python; the instance is that jitclass's, so its fields read and write in
both, and it passes to and from compiled code like any jitclass instance.
The type class's `preprocess_fields` is applied to the fields as Numba
applies it, and `overload_method(MyStructType, "name")` adds a method to
its instances: the type class answers isinstance for their types.
"""
from . import _jitclass
from . import typeof


class _StructRefClass(type):
    """A structref type class answers isinstance for the instance types of
    the jitclasses made for it, so that an overload_method typing
    function's `isinstance(other, MyStructType)` is True for them."""

    def __instancecheck__(cls, obj):
        if type.__instancecheck__(cls, obj):
            return True
        return any(issubclass(m.typeclass, cls) and
                   any(c.class_type.instance_type == obj
                       for c in m.classes.values())
                   for m in _makers.values())


class StructRef(metaclass=_StructRefClass):
    """numba.types.StructRef: the base of a structref's type class; an
    instance holds the (name, type) fields after preprocess_fields."""

    def __init__(self, fields):
        self._fields = tuple(self.preprocess_fields(tuple(fields)))

    def preprocess_fields(self, fields):
        return fields

    @property
    def field_dict(self):
        return dict(self._fields)


class StructRefProxy:
    """The Python class a structref is made with; `Proxy(*values)` makes
    one, with the values' types as the field types."""

    def __new__(cls, *args):
        maker = _makers.get(cls)
        if maker is None:
            raise TypeError(f"{cls.__name__} is a StructRefProxy without "
                            f"fields: call structref.define_proxy on it")
        return maker.instance_class(tuple(typeof(a) for a in args))(*args)


def register(typeclass):
    """numba.experimental.structref.register: the type class, as it is."""
    if not (isinstance(typeclass, type) and issubclass(typeclass, StructRef)):
        raise TypeError(f"structref.register takes a subclass of "
                        f"types.StructRef, not {typeclass!r}")
    return typeclass


class _Maker:
    """The jitclasses of one proxy class, by field types."""

    def __init__(self, proxy, typeclass, fields):
        self.proxy = proxy
        self.typeclass = typeclass
        self.fields = tuple(fields)
        self.classes = {}

    def instance_class(self, types):
        cls = self.classes.get(types)
        if cls is None:
            cls = self.classes[types] = self._make(types)
        return cls

    def _make(self, types):
        if len(types) != len(self.fields):
            raise TypeError(f"{self.proxy.__name__} takes "
                            f"{len(self.fields)} values "
                            f"({', '.join(self.fields)}), not {len(types)}")
        spec = list(self.typeclass(zip(self.fields, types))._fields)
        params = ", ".join(self.fields)
        body = "".join(f"    self.{f} = {f}\n" for f in self.fields)
        init = _jitclass._generated(
            "__init__", f"def __init__(self, {params}):\n{body}", {},
            origin="structref")
        cls = type(self.proxy.__name__, (), {"__init__": init,
                                            "__module__":
                                            self.proxy.__module__})
        return _jitclass.jitclass(cls, spec)


_makers = {}


def define_constructor(proxy, typeclass, fields):
    """Proxy(*values) in compiled code and in Python."""
    from .extending import overload
    maker = _makers[proxy] = _Maker(proxy, typeclass, fields)
    params = ", ".join(maker.fields)
    namespace = {"_maker": maker}
    typer = _jitclass._generated(
        "typer", f"def typer({params}):\n"
        f"    return _implementation(_maker, ({params},))\n",
        dict(namespace, _implementation=_implementation), origin="structref")
    overload(proxy)(typer)


def _implementation(maker, types):
    """The compiled constructor of maker's proxy for these field types."""
    cls = maker.instance_class(tuple(types))
    params = ", ".join(maker.fields)
    return _jitclass._generated(
        "impl", f"def impl({params}):\n    return _cls({params})\n",
        {"_cls": cls}, origin="structref")


def define_attributes(typeclass):
    """The fields are the jitclass's: nothing to define."""


def define_boxing(typeclass, proxy):
    """Instances cross to and from Python as jitclass instances."""


def define_proxy(proxy, typeclass, fields):
    define_constructor(proxy, typeclass, fields)
    define_attributes(typeclass)
    define_boxing(typeclass, proxy)
