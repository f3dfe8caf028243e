/* The benchmark kernels in C, the same arithmetic as benchmarks/kernels.py.
 *
 * run.py builds this file twice into benchmarks/_build/ (clang-19 -O3 and
 * gcc -O3, both with -march=native -ffp-contract=off: pyjit and Numba emit
 * code for the host CPU and contract no a*b+c into an FMA) and calls the
 * kernels through ctypes.  Each call does the whole kernel, loop inside, so
 * the ctypes call (well under a microsecond) is noise beside it.
 */
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

/* Integer loop: a multiply-add hash, int64 arithmetic wrapping around as in
 * pyjit and Numba (done in uint64_t, where wrapping is defined).  The
 * shifted bits are masked to 35 bits, so an arithmetic (signed) and a logical
 * shift give the same value. */
int64_t intloop(int64_t n)
{
    uint64_t acc = 1;
    for (int64_t i = 0; i < n; i++) {
        acc = acc * 6364136223846793005ULL + (uint64_t)i;
        acc ^= (acc >> 29) & 0x7FFFFFFFFULL;
    }
    return (int64_t)acc;
}

/* Float loop with math: the sum of sqrt(i) * sin(i). */
double floatloop(int64_t n)
{
    double s = 0.0;
    for (int64_t i = 0; i < n; i++)
        s += sqrt((double)i) * sin((double)i);
    return s;
}

/* Recursive Fibonacci. */
int64_t fib(int64_t n)
{
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

/* Mandelbrot escape counts over a width x height grid, complex arithmetic
 * done on two doubles; returns the total number of iterations. */
int64_t mandelbrot(double x0, double x1, double y0, double y1,
                   int64_t width, int64_t height, int64_t maxiter)
{
    int64_t total = 0;
    double dx = (x1 - x0) / (double)width;
    double dy = (y1 - y0) / (double)height;
    for (int64_t j = 0; j < height; j++) {
        double ci = y0 + (double)j * dy;
        for (int64_t i = 0; i < width; i++) {
            double cr = x0 + (double)i * dx;
            double zr = 0.0, zi = 0.0;
            int64_t k = 0;
            while (k < maxiter && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                k += 1;
            }
            total += k;
        }
    }
    return total;
}

double dot(const double *a, const double *b, int64_t n)
{
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) {
        s += a[i] * b[i];
    }
    return s;
}

double stencil(const double *a, double *out, int64_t n, int64_t m)
{
    for (int64_t i = 1; i < n - 1; i++) {
        for (int64_t j = 1; j < m - 1; j++) {
            out[i * m + j] = 0.25 * (a[(i - 1) * m + j] + a[(i + 1) * m + j]
                                     + a[i * m + j - 1] + a[i * m + j + 1]);
        }
    }
    return out[(n / 2) * m + m / 2];
}

double arraysum(const double *a, int64_t n)
{
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) {
        s += a[i];
    }
    return s;
}

double listsum(int64_t n)
{
    double *items = NULL;
    int64_t len = 0, cap = 0;
    for (int64_t i = 0; i < n; i++) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4;
            double *grown = realloc(items, (size_t)cap * sizeof(double));
            if (grown == NULL) {
                free(items);
                return -1.0;
            }
            items = grown;
        }
        items[len++] = (double)i * 0.5;
    }
    double s = 0.0;
    for (int64_t i = 0; i < len; i++) {
        s += items[i];
    }
    free(items);
    return s;
}

double arrayexpr(const double *x, const double *y, int64_t n)
{
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) {
        s += sqrt(x[i] * x[i] + y[i] * y[i]);
    }
    return s;
}

/* parrayexpr is the same serial loop in C. */
double parrayexpr(const double *x, const double *y, int64_t n)
{
    return arrayexpr(x, y, n);
}

/* For measuring the ctypes call itself. */
/* histogram: counts in an open-addressed table of int64 keys, linear
   probing, doubled at half full. */
int64_t histogram(const int64_t *a, int64_t n)
{
    int64_t cap = 8, used = 0;
    int64_t *keys = malloc(sizeof(int64_t) * cap);
    int64_t *counts = calloc(cap, sizeof(int64_t));
    char *full = calloc(cap, 1);
    for (int64_t i = 0; i < n; i++) {
        if (2 * (used + 1) > cap) {
            int64_t ncap = cap * 2;
            int64_t *nk = malloc(sizeof(int64_t) * ncap);
            int64_t *nc = calloc(ncap, sizeof(int64_t));
            char *nf = calloc(ncap, 1);
            for (int64_t j = 0; j < cap; j++) {
                if (full[j]) {
                    uint64_t h = (uint64_t)keys[j] & (ncap - 1);
                    while (nf[h]) h = (h + 1) & (ncap - 1);
                    nk[h] = keys[j]; nc[h] = counts[j]; nf[h] = 1;
                }
            }
            free(keys); free(counts); free(full);
            keys = nk; counts = nc; full = nf; cap = ncap;
        }
        uint64_t h = (uint64_t)a[i] & (cap - 1);
        while (full[h] && keys[h] != a[i]) h = (h + 1) & (cap - 1);
        if (!full[h]) { full[h] = 1; keys[h] = a[i]; used++; }
        counts[h]++;
    }
    uint64_t h = (uint64_t)a[0] & (cap - 1);
    while (keys[h] != a[0]) h = (h + 1) & (cap - 1);
    int64_t r = used * 1000003 + counts[h];
    free(keys); free(counts); free(full);
    return r;
}

int64_t add(int64_t a, int64_t b)
{
    return a + b;
}

/* Words and characters of an ASCII text of n bytes. */
int64_t wordcount(const char *s, int64_t n)
{
    int64_t words = 0, chars = 0;
    int inword = 0;
    for (int64_t i = 0; i < n; i++) {
        chars++;
        if (s[i] == ' ' || s[i] == '\n')
            inword = 0;
        else if (!inword) {
            inword = 1;
            words++;
        }
    }
    return words * 1000000 + chars;
}

/* sqrtsum, psqrtsum and psqrtsum_1 are one serial loop in C. */
double sqrtsum(const double *a, int64_t n)
{
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) {
        s += sqrt(a[i]);
    }
    return s;
}

double psqrtsum(const double *a, int64_t n)
{
    return sqrtsum(a, n);
}

double psqrtsum_1(const double *a, int64_t n)
{
    return sqrtsum(a, n);
}

static double integrand(double x)
{
    return x * x * x - 0.5 * x;
}

static double integrate_with(double (*f)(double), double a, double b,
                             int64_t n)
{
    double h = (b - a) / n, s = 0.0;
    for (int64_t i = 0; i < n; i++) {
        s += f(a + (i + 0.5) * h);
    }
    return s * h;
}

double integrate(double a, double b, int64_t n)
{
    return integrate_with(integrand, a, b, n);
}

static double cubic(double x)
{
    return x * x * x - 2.0 * x - 5.0;
}

static double cubic_prime(double x)
{
    return 3.0 * x * x - 2.0;
}

static double newton(double (*f)(double), double (*fprime)(double),
                     double x0)
{
    double x = x0;
    for (int k = 0; k < 50; k++) {
        double step = f(x) / fprime(x);
        x -= step;
        if (fabs(step) < 1e-12) {
            break;
        }
    }
    return x;
}

double newton_solve(int64_t n)
{
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) {
        s += newton(cubic, cubic_prime, 1.0 + (i % 100) * 0.01);
    }
    return s;
}

double newton_solve_inline(int64_t n)
{
    return newton_solve(n);
}

/* The sum of (i * i) % 7 over range(n); i * i stays below 2**63 for the
 * n benchmarked, so C's % agrees with Python's. */
int64_t modsum(int64_t n)
{
    int64_t total = 0;
    for (int64_t i = 0; i < n; i++)
        total += (i * i) % 7;
    return total;
}

/* Floyd-Warshall over n nodes from the same starting distances; the sum
 * of the shortest paths. */
double shortest_paths(int64_t n)
{
    double *d = malloc(n * n * sizeof(double));
    if (d == NULL)
        return -1.0;
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++)
            d[i * n + j] = i == j ? 0.0 : (double)((i * 7 + j * 13) % 17) + 1.0;
    for (int64_t k = 0; k < n; k++)
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < n; j++) {
                double through = d[i * n + k] + d[k * n + j];
                if (through < d[i * n + j])
                    d[i * n + j] = through;
            }
    double total = 0.0;
    for (int64_t i = 0; i < n * n; i++)
        total += d[i];
    free(d);
    return total;
}

/* Sieve of Eratosthenes over n + 1 bool flags, then the count of primes. */
int64_t sieve(int64_t n)
{
    unsigned char *flags = malloc(n + 1);
    if (flags == NULL)
        return -1;
    memset(flags, 1, n + 1);
    flags[0] = flags[1] = 0;
    for (int64_t i = 2; i * i <= n; i++)
        if (flags[i])
            for (int64_t j = i * i; j <= n; j += i)
                flags[j] = 0;
    int64_t count = 0;
    for (int64_t k = 0; k <= n; k++)
        count += flags[k];
    free(flags);
    return count;
}

/* out = a * b + c, element by element; returns the middle element.  The C
 * figure for both @vectorize rows (target='cpu' and 'parallel'). */
static double muladd_loop(const double *a, const double *b, const double *c,
                          double *out, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        out[i] = a[i] * b[i] + c[i];
    return out[n / 2];
}

double vmuladd(const double *a, const double *b, const double *c,
               double *out, int64_t n)
{
    return muladd_loop(a, b, c, out, n);
}

double pvmuladd(const double *a, const double *b, const double *c,
                double *out, int64_t n)
{
    return muladd_loop(a, b, c, out, n);
}

/* pstencil and pstencil_serial: the 5-point sweep, serial, into out. */
double pstencil(const double *a, double *out, int64_t n, int64_t m)
{
    return stencil(a, out, n, m);
}

double pstencil_serial(const double *a, double *out, int64_t n, int64_t m)
{
    return stencil(a, out, n, m);
}

/* phistogram and phistogram_serial: one serial counting loop (bins is at
 * most 4096); returns sum(k * count[k]). */
static int64_t histogram_loop(const double *a, int64_t n, int64_t bins)
{
    int64_t counts[4096] = {0};
    for (int64_t i = 0; i < n; i++)
        counts[(int64_t)(a[i] * (double)bins)]++;
    int64_t s = 0;
    for (int64_t k = 0; k < bins; k++)
        s += k * counts[k];
    return s;
}

int64_t phistogram(const double *a, int64_t n, int64_t bins)
{
    return histogram_loop(a, n, bins);
}

int64_t phistogram_serial(const double *a, int64_t n, int64_t bins)
{
    return histogram_loop(a, n, bins);
}
