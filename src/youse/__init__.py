"""Youse (有色): the platform with which a province carries out its nonferrous metals industry policy."""

__version__ = "0.1.0"
