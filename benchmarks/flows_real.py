"""Real-data flow estimates: global totals and a comparison with Abel & Sander (2014).

Reads the runs stored by ``steppe flows estimate`` in a warehouse and the published
flows in ``Flow_Data_for_Online_Viz_Version2.csv`` (Abel & Sander 2014, 1990–2010).

    .venv/bin/python benchmarks/flows_real.py --db /tmp/flows_real.duckdb

Prints, per stored demographic-accounting run: regions, global total, share of world
population (WPP, start of period); and for the periods both cover: Abel & Sander's
total, the totals over the countries both have, the correlation of log flows over
common corridors, and the Central Asian corridors side by side; and, for stored
``pseudo-bayes`` runs, the point total, the sums of the corridor bounds and how often the
point estimate lies inside its own interval. With ``--abel-cohen bilat_mig.csv`` (Abel &
Cohen's figshare file, not available offline) it also prints their global totals per
period for ``da_min_closed`` (steppe's method) and ``da_pb_closed`` beside steppe's.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import duckdb
import numpy as np

from steppe.warehouse import Warehouse

CA = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--published", type=Path, default=Path(os.environ.get(
        "STEPPE_DATA", "/work/shared/data")) / "other" / "Flow_Data_for_Online_Viz_Version2.csv")
    parser.add_argument("--abel-cohen", type=Path, default=None,
                        help="bilat_mig.csv from https://doi.org/10.6084/m9.figshare.c.4470464")
    args = parser.parse_args()
    pub = duckdb.sql(f"SELECT * FROM read_csv('{args.published}', header = true)")
    with Warehouse(args.db).reader() as con:
        runs = con.execute("""
            SELECT run_id, period_start, period_end, revision, parameters->>'wpp_edition',
                   parameters->>'regions',
                   (SELECT sum(value) FROM flow_estimate e WHERE e.run_id = r.run_id)
            FROM flow_runs r WHERE method = 'demographic-accounting'
            QUALIFY row_number() OVER (PARTITION BY period_start, revision
                                       ORDER BY created_at DESC) = 1
            ORDER BY revision, period_start""").fetchall()
        print("| period | UN DESA | WPP | regions | global flows | % of world population |")
        print("|---|---|---|---|---|---|")
        for run_id, start, end, rev, wpp, regions, total in runs:
            world, _ = con.execute("""
                SELECT sum(value), count(*) FROM area_indicator i JOIN releases r USING (release_id)
                WHERE r.dataset = 'un_wpp' AND r.edition = ? AND indicator = 'population'
                  AND i.sex = 'total' AND year = ? AND area IN (
                    SELECT origin FROM flow_estimate WHERE run_id = ? UNION
                    SELECT destination FROM flow_estimate WHERE run_id = ?)""",
                                         [wpp, start, run_id, run_id]).fetchone()
            print(f"| {start}-{end} | {rev} | {wpp} | {regions} | {total / 1e6:.2f} M | "
                  f"{100 * total / world:.2f} % |")
        print()
        print("| period | Abel & Sander total | over common countries: A&S | steppe (rev 2020) "
              "| corridors both > 0 | corr. of log flows |")
        print("|---|---|---|---|---|---|")
        ca_rows = []
        for run_id, start, end, rev, _, _, _ in runs:
            col = f"countryflow_{start}"
            if rev != "2020" or col not in pub.columns:
                continue
            ours = con.execute("SELECT origin, destination, value FROM flow_estimate "
                               "WHERE run_id = ?", [run_id]).fetchall()
            theirs = duckdb.sql(f"SELECT origin_iso, destination_iso, {col} FROM pub "
                                "WHERE origin_iso <> destination_iso").fetchall()
            ours_map = {(o, d): v for o, d, v in ours}
            countries_ours = {o for o, _, _ in ours} | {d for _, d, _ in ours}
            countries_pub = {o for o, _, _ in theirs}
            common = countries_ours & countries_pub
            pairs = [(o, d, v) for o, d, v in theirs if o in common and d in common]
            a = np.array([v for _, _, v in pairs], dtype=float)
            b = np.array([ours_map.get((o, d), 0.0) for o, d, _ in pairs])
            both = (a > 0) & (b > 0)
            corr = np.corrcoef(np.log(a[both]), np.log(b[both]))[0, 1]
            print(f"| {start}-{end} | {sum(v for _, _, v in theirs) / 1e6:.2f} M | "
                  f"{a.sum() / 1e6:.2f} M ({len(common)} countries) | {b.sum() / 1e6:.2f} M | "
                  f"{int(both.sum()):,} | {corr:.2f} |")
            for o, d, v in pairs:
                if o in CA and d in CA:
                    ca_rows.append((f"{start}-{end}", o, d, v, ours_map.get((o, d), 0.0)))
        _pseudo_bayes_table(con)
        if args.abel_cohen:
            _abel_cohen_table(args.abel_cohen, {(start, rev): total for _, start, _, rev, _, _, total
                                                in runs})
    print()
    print("| period | corridor | Abel & Sander | steppe (rev 2020) |")
    print("|---|---|---|---|")
    for period, o, d, v, w in sorted(ca_rows, key=lambda r: -r[3])[:15]:
        print(f"| {period} | {o} → {d} | {v:,.0f} | {w:,.0f} |")


def _abel_cohen_table(path: Path, ours: dict[tuple[int, str], float]) -> None:
    """Abel & Cohen's global totals per period and method beside steppe's."""
    totals = duckdb.sql(f"""
        SELECT year0, sum(da_min_closed), sum(da_pb_closed)
        FROM read_csv('{path}', header = true) WHERE orig <> dest GROUP BY year0 ORDER BY year0
    """).fetchall()
    print()
    print("| period | Abel & Cohen da_min_closed | Abel & Cohen da_pb_closed | steppe rev 2020 "
          "| steppe rev 2024 |")
    print("|---|---|---|---|---|")
    for year0, minimum, pseudo_bayes in totals:
        cells = [f"{ours[(year0, rev)] / 1e6:.2f} M" if (year0, rev) in ours else "–"
                 for rev in ("2020", "2024")]
        print(f"| {year0}-{year0 + 5} | {minimum / 1e6:.2f} M | {pseudo_bayes / 1e6:.2f} M | "
              f"{cells[0]} | {cells[1]} |")


def _pseudo_bayes_table(con: duckdb.DuckDBPyConnection) -> None:
    """Stored pseudo-bayes runs: point total, sums of the corridor bounds, coverage of the point."""
    rows = con.execute("""
        SELECT r.period_start, r.period_end, r.revision, r.parameters->>'regions',
               r.parameters->>'draws', r.parameters->>'level', sum(e.value), sum(e.lower),
               sum(e.upper), avg(CASE WHEN e.value BETWEEN e.lower AND e.upper THEN 1 ELSE 0 END),
               sum(CASE WHEN e.value > 0 THEN 1 ELSE 0 END),
               median(CASE WHEN e.value >= 1000 THEN (e.upper - e.lower) / e.value END)
        FROM flow_runs r JOIN flow_estimate e USING (run_id)
        WHERE r.method = 'pseudo-bayes'
        GROUP BY ALL ORDER BY r.revision, r.period_start""").fetchall()
    if not rows:
        return
    print()
    print("| period | UN DESA | regions | draws | level | point total | Σ lower | Σ upper "
          "| corridors with point inside | median (upper − lower)/point, flows ≥ 1,000 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for start, end, rev, regions, draws, level, total, low, high, inside, n, width in rows:
        print(f"| {start}-{end} | {rev} | {regions} | {draws} | {level} | {total / 1e6:.2f} M "
              f"| {low / 1e6:.2f} M | {high / 1e6:.2f} M | {100 * inside:.1f} % of {n:,} "
              f"| {width:.2f} |")


if __name__ == "__main__":
    main()
