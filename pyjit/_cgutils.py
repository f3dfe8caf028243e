"""numba.core.cgutils for pyjit's intrinsics: the helpers codegen
functions use that work on llvmlite objects alone (pyjit/_intrinsic.py).

Each does what Numba's helper of the same name does, for the IR of an
intrinsic: allocas go in the entry block, functions are declared once per
module.
"""
import contextlib

from ._intrinsic import _llvmlite_ir

_ir = _llvmlite_ir()

bool_t = _ir.IntType(1)
int8_t = _ir.IntType(8)
int16_t = _ir.IntType(16)
int32_t = _ir.IntType(32)
int64_t = _ir.IntType(64)
intp_t = int64_t
voidptr_t = int8_t.as_pointer()
true_bit = bool_t(1)
false_bit = bool_t(0)
true_byte = int8_t(1)
false_byte = int8_t(0)


def get_or_insert_function(module, fnty, name):
    """The function `name` of module, declared with fnty if it is not."""
    fn = module.globals.get(name)
    if fn is None:
        fn = _ir.Function(module, fnty, name)
    return fn


def insert_pure_function(module, fnty, name):
    fn = get_or_insert_function(module, fnty, name)
    fn.attributes.add("readonly")
    fn.attributes.add("nounwind")
    return fn


def alloca_once(builder, ty, size=None, name="", zfill=False):
    """A stack slot of ty in the function's entry block (so that a loop
    does not grow the stack), zeroed where the builder is if zfill."""
    with builder.goto_entry_block():
        slot = builder.alloca(ty, size=size, name=name)
        if zfill:
            builder.store(ty(None), slot)
    return slot


def alloca_once_value(builder, value, name="", zfill=False):
    slot = alloca_once(builder, value.type, name=name, zfill=zfill)
    builder.store(value, slot)
    return slot


def is_null(builder, val):
    return builder.icmp_unsigned("==", val, val.type(None))


def is_not_null(builder, val):
    return builder.icmp_unsigned("!=", val, val.type(None))


def is_true(builder, val):
    return is_not_null(builder, val)


def is_false(builder, val):
    return is_null(builder, val)


def is_scalar_zero(builder, value):
    if isinstance(value.type, (_ir.FloatType, _ir.DoubleType)):
        return builder.fcmp_ordered("==", value, value.type(0))
    return is_null(builder, value)


def increment_index(builder, val):
    """val + 1, which cannot wrap (an index)."""
    return builder.add(val, val.type(1), flags=["nsw"])


def pack_array(builder, values, ty=None):
    ty = ty or values[0].type
    out = _ir.ArrayType(ty, len(values))(_ir.Undefined)
    for i, v in enumerate(values):
        out = builder.insert_value(out, v, i)
    return out


def pack_struct(builder, values):
    out = _ir.LiteralStructType([v.type for v in values])(_ir.Undefined)
    for i, v in enumerate(values):
        out = builder.insert_value(out, v, i)
    return out


def unpack_tuple(builder, tup, count=None):
    if count is None:
        count = len(tup.type.elements)
    return [builder.extract_value(tup, i) for i in range(count)]


@contextlib.contextmanager
def if_likely(builder, pred):
    with builder.if_then(pred, likely=True):
        yield


@contextlib.contextmanager
def if_unlikely(builder, pred):
    with builder.if_then(pred, likely=False):
        yield


@contextlib.contextmanager
def ifnot(builder, pred):
    with builder.if_then(builder.not_(pred)):
        yield


def append_basic_block(builder, name=""):
    return builder.function.append_basic_block(name)


@contextlib.contextmanager
def for_range(builder, count, intp=None):
    """A loop of count iterations; yields a loop object whose .index is
    the current index."""
    intp = intp or count.type
    start = builder.block
    cond = append_basic_block(builder, "for.cond")
    body = append_basic_block(builder, "for.body")
    end = append_basic_block(builder, "for.end")
    builder.branch(cond)
    with builder.goto_block(cond):
        index = builder.phi(intp, name="loop.index")
        index.add_incoming(intp(0), start)
        builder.cbranch(builder.icmp_signed("<", index, count), body, end)
    builder.position_at_end(body)

    class Loop:
        pass
    loop = Loop()
    loop.index = index
    yield loop
    index.add_incoming(increment_index(builder, index), builder.block)
    builder.branch(cond)
    builder.position_at_end(end)
