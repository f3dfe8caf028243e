"""NumPy's functions that are an array method of the same name, for
nopython code: np.ravel(a) is a.ravel(), np.reshape(a, shape) is
a.reshape(shape) (a view, as the methods give);
and the layout changes np.ascontiguousarray(a) (C: a itself when it is C,
otherwise a copy) and np.asfortranarray(a) (F for 2 or more dimensions:
a itself when it is F, otherwise a copy); of a 0-d array both are a 1-d
view of its element, as NumPy's.
"""


def ravel(a):
    return a.ravel()


def reshape(a, newshape):
    return a.reshape(newshape)


def ascontiguousarray(a):
    if a.ndim == 0:             # NumPy's have at least one dimension
        return a.reshape(1)
    # ravel is a view of a C array and a C copy of any other
    return a.ravel().reshape(a.shape)


def asfortranarray(a):
    # a.T of an F array is C, and of a C one F
    return ascontiguousarray(a.T).T


FUNCTIONS = {"ravel": ravel, "reshape": reshape,
             "ascontiguousarray": ascontiguousarray,
             "asfortranarray": asfortranarray}

METHODS = ()

HELPERS = ()
