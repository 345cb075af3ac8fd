"""Drivers and scenarios: PPML gravity with dated policy variables.

``ppml`` fits on arrays, ``design`` builds the corridor panel from the warehouse,
``policy`` computes membership variables for dates, ``scenarios`` applies named
changes to a fitted baseline and ``exposure`` measures remittance dependency.
"""
