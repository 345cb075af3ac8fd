"""UN location codes and names → steppe area ids, shared by the UN DESA loaders."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from steppe.areas.registry import registry
from steppe.errors import UnknownAreaError

SEX_CODES = {0: "total", 1: "male", 2: "female"}
SEX_CODE = {name: code for code, name in SEX_CODES.items()}  #: name -> stored code


def code_table(codes: Iterable[int], context: str) -> pa.Table:
    """A (m49, area_m49, area_id, kind) table for every code; one error listing all unknown codes."""
    table = registry()
    unique = sorted({int(c) for c in codes})
    missing = [c for c in unique if c not in table.by_m49]
    if missing:
        raise UnknownAreaError([f"M49 {c}" for c in missing], context)
    areas = [table.by_m49[c] for c in unique]
    return pa.table(
        {
            "m49": pa.array(unique, pa.int32()),
            "area_m49": pa.array([a.m49 for a in areas], pa.int16()),  # the area's own code
            "area_id": [a.area_id for a in areas],
            "kind": [a.kind for a in areas],
        }
    )
