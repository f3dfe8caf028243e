"""Numba's `numba.experimental`: jitclass."""
from ._jitclass import jitclass

__all__ = ["jitclass"]
