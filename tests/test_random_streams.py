"""Compiled code's generators (csrc/random.c): each thread draws its own
stream, a forked child does not repeat its parent's, an unseeded process
starts from fresh entropy; and the distributions of draws from unseeded
generators have the moments they should."""
import random
import threading

import numpy as np

from difftest import assert_compiled
from pyjit import njit
from test_process import check, run_python


@njit(nogil=True)
def draws(n):
    out = np.empty(n)
    for i in range(n):
        out[i] = np.random.random()
    return out


@njit(nogil=True)
def seeded_draws(s, n):
    np.random.seed(s)
    return draws(n)


def in_threads(f, *args, count=2):
    results = [None] * count

    def run(k):
        results[k] = f(*args)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_threads_draw_different_streams():
    a, b = in_threads(draws, 64)
    assert not np.array_equal(a, b)
    assert_compiled(draws)


def test_a_seed_is_the_threads_own():
    seeded_draws(11, 8)
    a, b = in_threads(seeded_draws, 5, 1000)
    assert np.array_equal(a, b)
    np.random.seed(5)
    assert np.array_equal(a, np.random.random(1000))
    # The main thread's generator was not reseeded by the threads' seeds.
    np.random.seed(11)
    np.random.random(8)
    assert np.array_equal(draws(8), np.random.random(8))


def test_a_new_thread_does_not_inherit_the_seed():
    seeded_draws(7, 4)
    after_seed = draws(16)
    seeded_draws(7, 4)
    (in_thread,) = in_threads(draws, 16, count=1)
    assert not np.array_equal(after_seed, in_thread)


FORK = """
import os
import numpy as np
from pyjit import njit

@njit
def draws(n):
    out = np.empty(n)
    for i in range(n):
        out[i] = np.random.random()
    return out

@njit
def seed(s):
    np.random.seed(s)

if {seeded}:
    seed(1234)
draws(3)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.write(w, draws(4).tobytes())
    os._exit(0)
os.waitpid(pid, 0)
child = np.frombuffer(os.read(r, 32), np.float64)
parent = draws(4)
assert len(child) == 4
print("same" if np.array_equal(child, parent) else "differ")
"""


def test_a_forked_child_does_not_repeat_its_parent(tmp_path):
    for seeded in (False, True):
        proc = check(run_python(FORK.format(seeded=seeded),
                                tmp_path=tmp_path))
        assert proc.stdout.strip() == "differ", seeded


def test_processes_start_from_fresh_entropy(tmp_path):
    code = ("import numpy as np\nfrom pyjit import njit\n"
            "@njit\ndef f():\n    return np.random.randint(0, 2**62)\n"
            "print(f())\n")
    outs = {check(run_python(code, tmp_path=tmp_path)).stdout
            for _ in range(2)}
    assert len(outs) == 2


@njit
def moments_np(n):
    u = np.random.random(n)
    z = np.random.standard_normal(n)
    e = np.random.exponential(2.0, n)
    p = np.random.poisson(4.0, n)
    q = np.random.poisson(50.0, n)
    k = np.random.randint(0, 10, n)
    return (u.mean(), u.var(), z.mean(), z.var(), e.mean(), p.mean(),
            p.var(), q.mean(), q.var(), k.mean(), k.min(), k.max())


def test_numpy_distributions_have_their_moments():
    n = 200_000
    (um, uv, zm, zv, em, pm, pv, qm, qv, km, kmin,
     kmax) = moments_np(n)
    tol = 6 / np.sqrt(n)        # six standard errors, in units of sigma
    assert abs(um - 0.5) < tol * 0.29 and abs(uv - 1 / 12) < 0.002
    assert abs(zm) < tol and abs(zv - 1) < 0.02
    assert abs(em - 2.0) < tol * 2
    assert abs(pm - 4) < tol * 2 and abs(pv - 4) < 0.15
    assert abs(qm - 50) < tol * 7.1 and abs(qv - 50) < 2
    assert abs(km - 4.5) < tol * 2.9 and (kmin, kmax) == (0, 9)
    assert_compiled(moments_np)


@njit
def moments_python(n):
    s = 0.0
    s2 = 0.0
    g = 0.0
    g2 = 0.0
    counts = np.zeros(7, np.int64)
    big = 0
    for _ in range(n):
        u = random.uniform(-1.0, 3.0)
        s += u
        s2 += u * u
        x = random.gauss(1.0, 2.0)
        g += x
        g2 += x * x
        counts[random.randint(-3, 3) + 3] += 1
        big += random.randrange(2**40) >= 2**39
    return s / n, s2 / n, g / n, g2 / n, counts, big / n


def test_random_module_distributions_have_their_moments():
    n = 200_000
    um, u2, gm, g2, counts, big = moments_python(n)
    tol = 6 / np.sqrt(n)
    assert abs(um - 1.0) < tol * 1.2 and abs(u2 - um * um - 16 / 12) < 0.03
    assert abs(gm - 1.0) < tol * 2 and abs(g2 - gm * gm - 4.0) < 0.08
    assert counts.sum() == n
    assert np.all(np.abs(counts / n - 1 / 7) < tol * 0.35)
    assert abs(big - 0.5) < tol * 0.5
    assert_compiled(moments_python)
