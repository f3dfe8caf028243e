"""Each type kind's PJ_TK_* constant is named only in its own files.

csrc/README.md's table says which files each kind lives in, and the
paragraph after it which kinds belong to the type system itself and may be
named anywhere.  This test reads both and scans csrc/ for mentions of a
kind's constant outside its files.
"""
import pathlib
import re

CSRC = pathlib.Path(__file__).resolve().parent.parent / "csrc"

# The README's words for kinds, as the enum names in csrc/kinds.h.
KIND_WORDS = {
    "UniTuple": ["UNITUPLE"],
    "Tuple": ["TUPLE"],
    "the iterator over a tuple": ["TUPLE_ITER"],
    "Optional": ["OPTIONAL"],
    "ellipsis": ["ELLIPSIS"],
    "namedtuple classes as values": ["NAMEDTUPLE_CLASS"],
    "records": ["RECORD"],
    "datetime64": ["DATETIME"],
    "timedelta64": ["TIMEDELTA"],
    "range": ["RANGE", "RANGE_ITER"],
    "enumerate": ["ENUMERATE"],
    "zip": ["ZIP"],
    "the pair": ["PAIR"],
    "the iterators of `np.ndindex`": ["NDINDEX", "NDENUMERATE"],
    "arrays": ["ARRAY", "ARRAY_ITER", "FLAT_ITER"],
    "slices": ["SLICE"],
    "the dtype of arrays of fixed-width strings": ["CHARSEQ"],
    "lists": ["LIST", "LIST_ITER"],
    "dicts": ["DICT", "DICT_ITER"],
    "sets": ["SET", "SET_ITER"],
    "strings": ["UNICODE", "UNICODE_ITER", "STR_SPLIT"],
    "compile-time constants": ["STRLIT", "MODULE", "CLASS", "ENUM_CLASS",
                               "BOUND"],
    "`pyobject`": ["PYOBJECT"],
    "a `with objmode` block": ["OBJMODE"],
    "a caught exception": ["EXCEPTION", "EXC_ARGS"],
    "the generators generator functions return": ["GENERATOR"],
    "`numpy.random.Generator`": ["NPGEN"],
    "functions as values": ["DISPATCHER", "FUNCPTR"],
    "dtypes": ["DTYPE"],
    "Literal types": ["LITERAL"],
    "first-class function values": ["FUNCSET"],
    "members of plain `Enum` classes": ["ENUM_MEMBER"],
    "types passed as values": ["TYPEREF"],
    "jitclass instances": ["JITCLASS", "JITCLASS_CLASS"],
    "`@intrinsic` functions": ["INTRINSIC"],
    "the builtin": ["FUNCTION"],
    "None": ["NONE"],
    "bool": ["BOOL"], "int": ["INT"], "uint": ["UINT"],
    "float": ["FLOAT"], "complex": ["COMPLEX"],
}

# The README's words in the exception paragraph, as enum names.
EXCEPTION_WORDS = {
    "None": ["NONE"],
    "Optional": ["OPTIONAL"],
    "`pyobject`": ["PYOBJECT"],
    "the numbers": ["BOOL", "INT", "UINT", "FLOAT", "COMPLEX"],
}


def readme():
    return (CSRC / "README.md").read_text()


def kind_items(cell):
    """The kinds a table cell lists: its comma, semicolon and 'and'
    separated items, with what is said in parentheses left out."""
    cell = re.sub(r"\s*\([^()]*\)", "", cell)
    return [i.strip() for i in re.split(r",|;|:| and ", cell) if i.strip()]


def home_files():
    """Enum name -> set of files, from the README's file/kinds table."""
    text = readme()
    start = text.index("| file | kinds |")
    homes = {}
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        files, kinds = [c.strip() for c in line.strip("|").split("|", 1)]
        files = {f.strip() for f in files.split(",")}
        kinds = kinds.rstrip("|").strip()
        for item in kind_items(kinds):
            for word, names in KIND_WORDS.items():
                if item == word or item.startswith(word + " "):
                    for name in names:
                        homes.setdefault(name, set()).update(files)
    return homes


def exceptions():
    """Enum names any file may mention, from the paragraph after the table."""
    text = readme()
    start = text.index("A kind's files are the only ones")
    para = text[start:text.index("\n\n", start)].replace("\n", " ")
    found = set()
    for word, names in EXCEPTION_WORDS.items():
        if word in para:
            found.update(names)
    return found


def files_naming_any_kind():
    """Files the exception paragraph lets name every kind."""
    text = readme()
    start = text.index("A kind's files are the only ones")
    para = text[start:text.index("\n\n", start)]
    return set(re.findall(r"\b(\w+\.h) *\n?may name any kind", para))


def enum_names():
    text = (CSRC / "kinds.h").read_text()
    text = text[text.index("#define PJ_KINDS"):]
    return re.findall(r"\bX\((\w+),", text)


def test_readme_gives_every_kind_a_home():
    names = set(enum_names())
    homes = set(home_files()) | exceptions()
    assert homes <= names, sorted(homes - names)
    assert names <= homes, "kinds without files in csrc/README.md: %s" % (
        sorted(names - homes))
    assert exceptions(), "no exceptions found after the README table"


def test_kind_constants_stay_in_their_files():
    homes = home_files()
    allowed = exceptions()
    anywhere = files_naming_any_kind()
    bad = []
    for path in sorted(CSRC.glob("*.[ch]")):
        if path.name in anywhere:
            continue
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            for name in re.findall(r"\bPJ_TK_(\w+)", line):
                if name in allowed or name not in homes:
                    continue
                if path.name not in homes[name]:
                    bad.append("%s:%d: PJ_TK_%s belongs in %s" % (
                        path.name, lineno, name,
                        ", ".join(sorted(homes[name]))))
    assert not bad, "\n" + "\n".join(bad)
