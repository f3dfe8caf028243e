from pyjit import njit


def test_add_compiles_and_runs():
    @njit
    def add(a, b):
        return a + b

    assert add(1, 2) == 3
    assert add.signatures == [add.signatures[0]]
    assert str(add.signatures[0]) == "(int64, int64)"
