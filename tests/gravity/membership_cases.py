"""A small hand-made membership table (dates from the EEU and CIS treaties).

EEU: Treaty on the Eurasian Economic Union in force 2015-01-01 (Belarus, Kazakhstan,
Russia); Armenia's accession 2015-01-02; Kyrgyzstan's accession 2015-08-12.
CIS: Alma-Ata Protocol 1991-12-21; Georgia joined 1993-12-03 and left 2009-08-18.
"""

from __future__ import annotations

import datetime as dt

from steppe.gravity.policy import MembershipTable

D = dt.date
CIS_START = D(1991, 12, 21)

HAND_TABLE = MembershipTable(
    {
        "EEU": {
            "BLR": [(D(2015, 1, 1), None)],
            "KAZ": [(D(2015, 1, 1), None)],
            "RUS": [(D(2015, 1, 1), None)],
            "ARM": [(D(2015, 1, 2), None)],
            "KGZ": [(D(2015, 8, 12), None)],
        },
        "CIS": {
            **{c: [(CIS_START, None)] for c in ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB")},
            "GEO": [(D(1993, 12, 3), D(2009, 8, 18))],
        },
    }
)
