/* The benchmark kernels in C, the same arithmetic as benchmarks/kernels.py.
 *
 * run.py builds this file twice into benchmarks/_build/ (clang-19 -O3 and
 * gcc -O3, both with -march=native -ffp-contract=off: pyjit and Numba emit
 * code for the host CPU and contract no a*b+c into an FMA) and calls the
 * kernels through ctypes.  Each call does the whole kernel, loop inside, so
 * the ctypes call (well under a microsecond) is noise beside it.
 */
#include <math.h>
#include <stdint.h>

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

double arrayexpr(const double *x, const double *y, int64_t n)
{
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) {
        s += sqrt(x[i] * x[i] + y[i] * y[i]);
    }
    return s;
}

/* For measuring the ctypes call itself. */
int64_t add(int64_t a, int64_t b)
{
    return a + b;
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
