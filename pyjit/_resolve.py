"""What a name in a jitted function's source refers to when it compiles:
the frontend's Python helpers (objmode blocks, literal_unroll loops) ask
this to recognize pyjit's own objects, as frontend.c resolves globals."""
import ast
import builtins


def resolve(func, node):
    """The object the Name or attribute chain of names `node` refers to in
    func (its closure, then its globals, then the builtins), or None."""
    if isinstance(node, ast.Name):
        code = func.__code__
        if node.id in code.co_freevars:
            cell = func.__closure__[code.co_freevars.index(node.id)]
            try:
                return cell.cell_contents
            except ValueError:          # an empty cell
                return None
        if node.id in func.__globals__:
            return func.__globals__[node.id]
        return getattr(builtins, node.id, None)
    if isinstance(node, ast.Attribute):
        try:
            return getattr(resolve(func, node.value), node.attr, None)
        except Exception:               # a property that fails
            return None
    return None
