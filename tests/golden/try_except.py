"""try/except/finally: the blocks of the try body name their handler."""
from pyjit import njit


@njit
def safe_div(x, y):
    try:
        r = x // y
    except (ZeroDivisionError, OverflowError) as e:
        r = len(str(e))
    finally:
        x = 0
    return r

# >>> ir (int64, int64)
# label 0
#   x = arg(0, name=x)
#   y = arg(1, name=y)
#   jump 2
# label 1
#   $exc2 = catch
#   $1.1 = const(int, 0)
#   x.1 = $1.1
#   reraise $exc2
# label 2  (except: label 1)
#   jump 5
# label 3  (except: label 1)
#   $exc1 = catch
#   $3.1 = exc_match(value=$exc1, classes=(<class 'ZeroDivisionError'>, <class 'OverflowError'>))
#   branch $3.1, 7, 8
# label 4  (except: label 1)
#   jump 9
# label 5  (except: label 3)
#   $5.1 = x // y
#   r = $5.1
#   jump 6
# label 6  (except: label 1)
#   jump 4
# label 7  (except: label 1)
#   e = $exc1
#   $7.1 = global(len: <built-in function len>)
#   $7.2 = global(str: <class 'str'>)
#   $7.3 = call $7.2(e)
#   $7.4 = call $7.1($7.3)
#   r = $7.4
#   jump 4
# label 8  (except: label 1)
#   reraise $exc1
# label 9
#   $9.1 = const(int, 0)
#   x.2 = $9.1
#   jump 10
# label 10
#   $10.1 = cast(value=r)
#   return $10.1
# <<<
