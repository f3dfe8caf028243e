/*
** tbaa.c - type-based alias tags on the loads and stores of arrays.
**
** LLVM assumes that any store may change any memory it cannot prove
** apart.  A store to an element of an array held in a jitclass field
** (self.vel[i] -= ...) may then have changed the field itself, so each
** iteration loaded the array's data pointer and strides again.  Tags tell
** LLVM what such accesses cannot overlap: an element (the memory an
** array's data pointer points to) is never an array's header (the struct
** of meminfo, data pointer, shape and strides that a jitclass instance
** stores).  Accesses without a tag still alias everything, so only these
** two kinds are tagged, and every element access has the same tag
** whatever its dtype: a view of the same memory as another dtype
** (a.view(np.int64)) is still seen to overlap.  A list's header (its
** length and the address of its items) and its items have tags of their
** own, for the same reason.
*/
#include "pyjit.h"

static LLVMMetadataRef
md_string(LLVMContextRef ctx, const char *s)
{
    return LLVMMDStringInContext2(ctx, s, strlen(s));
}

static LLVMMetadataRef
md_int(LLVMContextRef ctx, int64_t v)
{
    return LLVMValueAsMetadata(
        LLVMConstInt(LLVMInt64TypeInContext(ctx), (uint64_t)v, 1));
}

/* The access tag of a scalar type node named name under pyjit's root:
   !{!node, !node, i64 0}, node = !{!"name", !root, i64 0}. */
static LLVMValueRef
access_tag(LLVMContextRef ctx, const char *name)
{
    LLVMMetadataRef root_name = md_string(ctx, "pyjit alias tags");
    LLVMMetadataRef root = LLVMMDNodeInContext2(ctx, &root_name, 1);
    LLVMMetadataRef node_ops[3] = {md_string(ctx, name), root,
                                   md_int(ctx, 0)};
    LLVMMetadataRef node = LLVMMDNodeInContext2(ctx, node_ops, 3);
    LLVMMetadataRef tag_ops[3] = {node, node, md_int(ctx, 0)};
    return LLVMMetadataAsValue(ctx, LLVMMDNodeInContext2(ctx, tag_ops, 3));
}

/* The tag names, by PjAliasClass. */
static const char *const class_names[] = {
    [PJ_ALIAS_ELEMENT] = "array element",
    [PJ_ALIAS_ARRAY_HEADER] = "array header",
    [PJ_ALIAS_LIST_HEADER] = "list header",
    [PJ_ALIAS_LIST_ITEM] = "list item",
};

/* Tags the load or store `access` with what it touches. */
void
pj_tbaa_tag(PjLower *lw, LLVMValueRef access, PjAliasClass what)
{
    unsigned kind = LLVMGetMDKindIDInContext(lw->ctx, "tbaa", 4);
    LLVMSetMetadata(access, kind, access_tag(lw->ctx, class_names[what]));
}
