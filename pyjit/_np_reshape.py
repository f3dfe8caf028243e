"""NumPy's functions that are an array method of the same name, for
nopython code: np.ravel(a) is a.ravel(), np.reshape(a, shape) is
a.reshape(shape) (a view of a C-contiguous array, as the methods give).
"""


def ravel(a):
    return a.ravel()


def reshape(a, newshape):
    return a.reshape(newshape)


FUNCTIONS = {"ravel": ravel, "reshape": reshape}

METHODS = ()

HELPERS = ()
