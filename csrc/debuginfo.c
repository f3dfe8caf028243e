/*
** debuginfo.c - DWARF line information for debug=True.
**
** With debug=True (or PYJIT_DEBUGINFO=1) the native function gets a
** DISubprogram in a compile unit for the function's source file, and each
** instruction lowered from the IR carries the line and column of the
** Python code it came from, so the object code has a line table: a
** debugger or a profiler maps machine code back to Python lines, and
** inspect_asm() shows the `.loc` directives.  Only lines are described
** (DWARF's line-tables-only level): variables have no locations.
**
** lower.c calls begin() once the native function exists, at() before each
** IR instruction, leave() before it builds the wrapper (which has no debug
** information, so must not inherit a location) and finish() at the end.
*/
#include "pyjit.h"


#include <string.h>

/* The file name and directory of the function's source. */
static void
split_path(const char *path, const char **dir, size_t *dirlen,
           const char **base)
{
    const char *slash = strrchr(path, '/');
    *dir = slash ? path : ".";
    *dirlen = slash ? (size_t)(slash - path) : 1;
    *base = slash ? slash + 1 : path;
}

static void
add_module_flags(PjLower *lw)
{
    LLVMValueRef version = LLVMConstInt(lw->t_i32, LLVMDebugMetadataVersion(),
                                        0);
    LLVMValueRef dwarf = LLVMConstInt(lw->t_i32, 4, 0);
    LLVMAddModuleFlag(lw->mod, LLVMModuleFlagBehaviorWarning,
                      "Debug Info Version", 18,
                      LLVMValueAsMetadata(version));
    LLVMAddModuleFlag(lw->mod, LLVMModuleFlagBehaviorWarning,
                      "Dwarf Version", 13, LLVMValueAsMetadata(dwarf));
}

/* The compile unit, the file and the function's subprogram. */
int
pj_debuginfo_begin(PjLower *lw)
{
    PjCompile *cx = lw->cx;
    if (!cx->opts.debug) {
        return 0;
    }
    const char *path = PyUnicode_AsUTF8(cx->info->filename);
    if (path == NULL) {
        return -1;
    }
    const char *dir, *base;
    size_t dirlen;
    split_path(path, &dir, &dirlen, &base);
    lw->dib = LLVMCreateDIBuilder(lw->mod);
    LLVMMetadataRef file = LLVMDIBuilderCreateFile(lw->dib, base,
                                                   strlen(base), dir, dirlen);
    LLVMDIBuilderCreateCompileUnit(
        lw->dib, LLVMDWARFSourceLanguagePython, file, "pyjit", 5, 1, "", 0,
        0, "", 0, LLVMDWARFEmissionLineTablesOnly, 0, 0, 0, "", 0, "", 0);
    LLVMMetadataRef fty = LLVMDIBuilderCreateSubroutineType(
        lw->dib, file, NULL, 0, LLVMDIFlagZero);
    const char *name = cx->fn->name;
    unsigned line = (unsigned)cx->info->first_line;
    lw->di_scope = LLVMDIBuilderCreateFunction(
        lw->dib, file, name, strlen(name), cx->native_name,
        strlen(cx->native_name), file, line, fty, 0, 1, line, LLVMDIFlagZero,
        1);
    LLVMSetSubprogram(lw->func, lw->di_scope);
    add_module_flags(lw);
    pj_debuginfo_at(lw, (PjLoc){(int)line, 0});
    return 0;
}

/* What the builder builds from here on comes from loc. */
void
pj_debuginfo_at(PjLower *lw, PjLoc loc)
{
    if (lw->dib == NULL || loc.line <= 0) {
        return;
    }
    LLVMMetadataRef where = LLVMDIBuilderCreateDebugLocation(
        lw->ctx, (unsigned)loc.line, (unsigned)(loc.col + 1), lw->di_scope,
        NULL);
    LLVMSetCurrentDebugLocation2(lw->b, where);
}

/* Code built after this belongs to no line of the function. */
void
pj_debuginfo_leave(PjLower *lw)
{
    if (lw->dib != NULL) {
        LLVMSetCurrentDebugLocation2(lw->b, NULL);
    }
}

void
pj_debuginfo_finish(PjLower *lw)
{
    if (lw->dib != NULL) {
        LLVMDIBuilderFinalize(lw->dib);
        LLVMDisposeDIBuilder(lw->dib);
        lw->dib = NULL;
    }
}
