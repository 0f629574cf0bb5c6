"""Reads of the mapping app. `density_for` is the contract campaigns build on."""

from .density import Density, DensityTable, density_for, total, units_of

__all__ = ["Density", "DensityTable", "density_for", "total", "units_of"]
