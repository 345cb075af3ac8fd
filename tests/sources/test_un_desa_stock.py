"""UN DESA bilateral stocks: exact official values, accounting identities, layouts, bad input."""


import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.official_layout import write_origin_destination_workbook

from steppe.errors import ChecksumMismatchError, SourceFileError, UnknownAreaError
from steppe.sources.un_desa_stock import INFO, SOURCE
from steppe.warehouse import Warehouse
from steppe.warehouse.ingest import plan_file, run_plan
from steppe.warehouse.stock_query import StockQuery, query_stock

OFFICIAL_2020 = "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx"


def value(con, revision, origin, destination, year, sex="total"):
    row = con.execute(
        "SELECT value FROM migrant_stock s JOIN releases r USING (release_id) "
        "WHERE r.dataset = 'un_desa_stock' AND r.edition = ? AND origin = ? AND destination = ? "
        "AND year = ? AND sex = ?", [revision, origin, destination, year, sex]).fetchall()
    assert len(row) == 1, (revision, origin, destination, year, sex, row)
    return row[0][0]


# Figures published by UN DESA, as checked in ../shared/data/MANIFEST.md (KAZ←UZB from the
# 2024 file's published KAZ profile) — not computed by steppe.
@pytest.mark.parametrize(("revision", "origin", "destination", "year", "expected"), [
    ("2020", "KAZ", "RUS", 2020, 2_558_907),
    ("2024", "KAZ", "RUS", 2020, 1_635_008),
    ("2020", "UZB", "RUS", 2020, 1_146_175),
    ("2024", "UZB", "RUS", 2020, 871_154),
    ("2020", "TJK", "RUS", 2020, 466_252),
    ("2020", "M49:900", "RUS", 2020, 11_636_911),
    ("2024", "M49:900", "RUS", 2020, 7_297_611),
    ("2024", "M49:900", "M49:900", 2024, 304_021_813),
    ("2024", "OTHER", "RUS", 2020, 112_859),
])
def test_exact_official_values(undesa_warehouse, revision, origin, destination, year, expected):
    with undesa_warehouse.reader() as con:
        assert value(con, revision, origin, destination, year) == expected


def test_values_read_straight_from_the_file(undesa_warehouse, shared_data):
    raw = duckdb.connect()
    path = str(shared_data / "undesa/ims_msShiny/ms2024org.csv.gz")
    cases = [(398, 860, 2020.5, 0, "UZB", "KAZ", 2020, "total"),
             (398, 643, 1990.5, 1, "RUS", "KAZ", 1990, "male"),
             (860, 762, 2024.5, 2, "TJK", "UZB", 2024, "female"),
             (643, 417, 2015.5, 0, "KGZ", "RUS", 2015, "total")]
    with undesa_warehouse.reader() as con:
        for dest, org, year, sex, o, d, y, s in cases:
            expected = raw.execute(
                "SELECT value FROM read_csv(?) WHERE LocIDdest=? AND LocIDorg=? AND year=? AND sex=?",
                [path, dest, org, year, sex]).fetchone()[0]
            assert value(con, "2024", o, d, y, s) == expected


@pytest.mark.parametrize("revision", ["2020", "2024"])
def test_country_rows_plus_other_equal_each_destination_total(undesa_warehouse, revision):
    with undesa_warehouse.reader() as con:
        checked, off = con.execute("""
            WITH s AS (SELECT m.* FROM migrant_stock m JOIN releases r USING (release_id)
                       WHERE r.dataset = 'un_desa_stock' AND r.edition = ?),
            total AS (SELECT destination, year, sex, value FROM s WHERE origin = 'M49:900'),
            parts AS (SELECT destination, year, sex, sum(value) AS v FROM s
                      JOIN areas a ON a.area_id = s.origin WHERE a.kind IN ('country', 'unknown')
                      GROUP BY ALL)
            SELECT count(*), count(*) FILTER (WHERE t.value <> p.v)
            FROM total t JOIN parts p USING (destination, year, sex)
            JOIN areas d ON d.area_id = t.destination WHERE d.kind = 'country'
        """, [revision]).fetchone()
    assert checked > 4000 and off == 0


@pytest.mark.parametrize("revision", ["2020", "2024"])
def test_male_plus_female_equals_total(undesa_warehouse, revision):
    with undesa_warehouse.reader() as con:
        checked, off = con.execute("""
            WITH s AS (SELECT m.* FROM migrant_stock m JOIN releases r USING (release_id)
                       WHERE r.dataset = 'un_desa_stock' AND r.edition = ?)
            SELECT count(*), count(*) FILTER (WHERE t.value <> m.value + f.value)
            FROM s t JOIN s m USING (origin, destination, year) JOIN s f USING (origin, destination, year)
            WHERE t.sex = 'total' AND m.sex = 'male' AND f.sex = 'female'
        """, [revision]).fetchone()
    assert checked > 200_000 and off == 0


def test_parse_counts_are_recorded(undesa_warehouse):
    with undesa_warehouse.reader() as con:
        message = con.execute(
            "SELECT message FROM load_runs WHERE file_name = 'ms2024org.csv.gz'").fetchone()[0]
    assert '"missing_value": 1' in message and '"aggregate_rows": 442776' in message


def test_revisions_are_kept_side_by_side_and_the_latest_is_the_default(undesa_warehouse):
    with undesa_warehouse.reader() as con:
        latest = query_stock(con, StockQuery(destination="RUS", origin="KAZ", year=2020))
        older = query_stock(con, StockQuery(destination="RUS", origin="KAZ", year=2020,
                                            revision="2020"))
    assert latest[0]["value"] == 1_635_008 and latest[0]["release"].startswith("un_desa_stock@2024")
    assert older[0]["value"] == 2_558_907 and older[0]["release"].startswith("un_desa_stock@2020")
    assert latest[0]["revisions"] == {"2020": 2_558_907, "2024": 1_635_008}


def test_reference_figures_are_shown_beside_each_revision(undesa_warehouse):
    with undesa_warehouse.reader() as con:
        (record,) = query_stock(con, StockQuery(destination="RUS", origin="KAZ", year=2015))
    assert record["reference"]["value"] == 2_562_000 and record["reference"]["year"] == 2017
    assert record["revisions"]["2019"] == record["revisions"]["2020"] == 2_560_269
    assert record["revisions"]["2024"] < 2_100_000  # the 2024 revision says far fewer


def test_top_origins_in_kazakhstan_2020(undesa_warehouse, shared_data):
    with undesa_warehouse.reader() as con:
        top = query_stock(con, StockQuery(destination="KAZ", year=2020, top=5))
        top_2020 = query_stock(con, StockQuery(destination="KAZ", year=2020, top=5, revision="2020"))
    assert [r["origin"] for r in top] == ["UZB", "RUS", "CHN", "TKM", "KGZ"]
    assert top[0]["value"] == 689_957
    assert [r["origin"] for r in top_2020][:2] == ["RUS", "UKR"]
    expected = duckdb.connect().execute(
        "SELECT value FROM read_csv(?) WHERE LocIDdest = 398 AND LocIDorg = 643 AND year = 2020.5 "
        "AND sex = 0", [str(shared_data / "undesa/ims_msShiny/ms2020org.csv.gz")]).fetchone()[0]
    assert top_2020[0]["value"] == expected


def test_the_official_workbook_layout_gives_the_same_rows(shared_data, tmp_path):
    raw = duckdb.connect()
    rows = raw.execute(
        "SELECT LocIDdest, LocIDorg, year, sex, value FROM read_csv(?) WHERE LocIDdest = 398 "
        "AND LocIDorg IN (860, 417, 643, 900, 2003) ORDER BY ALL",
        [str(shared_data / "undesa/ims_msShiny/ms2020org.csv.gz")]).fetchall()
    years = sorted({int(r[2]) for r in rows})
    by_pair: dict = {}
    for dest, org, year, sex, val in rows:
        by_pair.setdefault((dest, org), [None] * (3 * len(years)))[
            sex * len(years) + years.index(int(year))] = val
    names = {398: "Kazakhstan", 860: "Uzbekistan", 417: "Kyrgyzstan", 643: "Russian Federation",
             900: "World", 2003: "Other"}
    workbook = write_origin_destination_workbook(
        tmp_path / OFFICIAL_2020, years,
        [(names[d], d, names[o], o, [v if v is not None else ".." for v in vals])
         for (d, o), vals in by_pair.items()])
    parsed = SOURCE.read(workbook, SOURCE.recognise(workbook))
    table = parsed.tables["migrant_stock_facts"].to_pylist()
    assert len(table) == len(rows)
    # stored with the M49 codes of the areas and UN DESA's sex codes
    got = {(r["origin_m49"], r["year"], r["sex"]): r["value"] for r in table}
    assert got[(860, 2020, 0)] == 296_511
    assert {r["destination_m49"] for r in table} == {398}
    for _, org, year, sex, val in rows:
        assert got[(org, int(year), sex)] == val


def test_unknown_location_codes_are_all_listed(tmp_path):
    workbook = write_origin_destination_workbook(
        tmp_path / OFFICIAL_2020, [2020],
        [("Kazakhstan", 398, "Narnia", 99901, [1, 1, 0]),
         ("Atlantis", 99902, "Uzbekistan", 860, [2, 1, 1])])
    with pytest.raises(UnknownAreaError) as caught:
        SOURCE.read(workbook, SOURCE.recognise(workbook))
    assert caught.value.names == ["M49 99901", "M49 99902"]


def test_a_different_workbook_is_refused(shared_data, tmp_path):
    impostor = tmp_path / OFFICIAL_2020
    impostor.write_bytes((shared_data / "worldbank/wdi_databank_gdppc_selected_1960_2023.xlsx").read_bytes())
    with pytest.raises(SourceFileError, match="has no sheet 'Table 1'.*not the expected dataset"):
        SOURCE.read(impostor, SOURCE.recognise(impostor))


def test_a_truncated_workbook_is_refused(shared_data, tmp_path):
    full = (shared_data / "undesa/undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx").read_bytes()
    truncated = tmp_path / OFFICIAL_2020
    truncated.write_bytes(full[: len(full) // 2])
    with pytest.raises(SourceFileError, match="truncated or corrupt"):
        SOURCE.read(truncated, SOURCE.recognise(truncated))


def test_a_file_named_like_a_release_with_other_bytes_fails_its_checksum(shared_data, tmp_path):
    data = (shared_data / "undesa/ims_msShiny/ms2020org.csv.gz").read_bytes()
    copy = tmp_path / "ms2020org.csv.gz"
    copy.write_bytes(data[:-100])
    with pytest.raises(ChecksumMismatchError, match="sha256 is .*download it again"):
        SOURCE.recognise(copy)


def test_known_files_have_official_urls_and_checksums():
    for known in INFO.files:
        assert known.url.startswith("https://www.un.org/")
        assert known.sha256 is None or len(known.sha256) == 64


def test_loading_the_same_file_twice_adds_nothing(shared_data, tmp_path):
    warehouse = Warehouse(tmp_path / "w.duckdb")
    planned = plan_file(shared_data / "undesa/UN_MigrantStockByOriginAndDestination_2019_clean.csv",
                        "un_desa_stock")
    (first,) = run_plan(warehouse, [planned])
    (second,) = run_plan(warehouse, [planned])
    assert first.status == "loaded" and second.status == "already-loaded"
    with warehouse.reader() as con:
        assert con.execute("SELECT count(*) FROM migrant_stock").fetchone()[0] == first.rows
        assert con.execute("SELECT count(*) FROM releases").fetchone()[0] == 1


def test_the_2019_names_resolve_including_the_micronesia_region(undesa_warehouse):
    with undesa_warehouse.reader() as con:
        assert value(con, "2019", "KAZ", "RUS", 2019) > 2_000_000
        assert con.execute("SELECT count(DISTINCT destination) FROM migrant_stock s JOIN releases r "
                           "USING (release_id) WHERE r.edition='2019' AND r.dataset='un_desa_stock'"
                           ).fetchone()[0] >= 230


def _long_table(tmp_path, lines):
    """A small file in the layout of ms20xxorg.csv.gz (read with the long-table parser)."""
    import gzip

    path = tmp_path / "ms2024org.csv.gz"
    with gzip.open(path, "wt") as handle:
        handle.write("LocIDdest,LocIDorg,year,value,sex\n" + "".join(f"{line}\n" for line in lines))
    return path, next(k for k in INFO.files if k.fmt == "long-csv")


def test_identical_duplicates_are_kept_once_and_counted(tmp_path):
    path, known = _long_table(tmp_path, ["398,860,2020.5,100,0", "398,860,2020.5,100,0",
                                         "398,860,2020.5,,1", "900,860,2020.5,700,0"])
    parsed = SOURCE.read(path, known)
    assert parsed.tables["migrant_stock_facts"].num_rows == 2
    assert parsed.counts == {"rows_read": 4, "missing_value": 1, "aggregate_rows": 1,
                             "duplicate_identical_rows": 1, "negative_value": 0}


def test_a_key_repeated_with_different_values_is_refused(tmp_path):
    path, known = _long_table(tmp_path, ["398,860,2020.5,100,0", "398,860,2020.5,101,0"])
    with pytest.raises(SourceFileError, match="1 .* keys appear more than once with different"):
        SOURCE.read(path, known)


def test_negative_stocks_fail_validation(tmp_path):
    path, known = _long_table(tmp_path, ["398,860,2020.5,-5,0", "398,417,2020.5,5,0"])
    parsed = SOURCE.read(path, known)
    assert SOURCE.validate(parsed) == ["1 negative stock values"]


def test_sex_codes_other_than_0_1_2_are_refused(tmp_path):
    path, known = _long_table(tmp_path, ["398,860,2020.5,5,3"])
    with pytest.raises(SourceFileError, match="sex code other than 0, 1, 2"):
        SOURCE.read(path, known)


@pytest.mark.parametrize(("line", "match"), [
    (",860,2020.5,5,0", "1 rows have no destination code"),
    ("398,860,,5,0", "1 rows have no year"),
    ("398,860,20.5,5,0", "years from 20 to 2020; expected mid-year dates"),
])
def test_rows_without_a_usable_key_are_refused(tmp_path, line, match):
    path, known = _long_table(tmp_path, ["398,417,2020.5,5,0", line])
    with pytest.raises(SourceFileError, match=match):
        SOURCE.read(path, known)


def test_a_missing_duplicate_beside_a_value_keeps_the_value(tmp_path):
    path, known = _long_table(tmp_path, ["398,860,2020.5,,0", "398,860,2020.5,9,0"])
    parsed = SOURCE.read(path, known)
    assert parsed.tables["migrant_stock_facts"].column("value").to_pylist() == [9.0]
    assert parsed.counts["missing_value"] == 0 and parsed.counts["duplicate_identical_rows"] == 1


def test_a_cell_that_is_not_a_number_is_refused(tmp_path):
    path, known = _long_table(tmp_path, ["398,860,2020.5,12x,0"])
    with pytest.raises(SourceFileError, match="is not a UN DESA long table.*12x"):
        SOURCE.read(path, known)


def test_the_2019_table_counts_markers_and_refuses_text_cells(tmp_path):
    known = next(k for k in INFO.files if k.fmt == "wide-2019")
    path = tmp_path / known.file_name
    path.write_text('Year,Dest,Kazakhstan,Tajikistan\n2019,Uzbekistan,..,-\n'
                    '2019,Russian Federation,"2,500",7\n')
    parsed = SOURCE.read(path, known)
    assert sorted(parsed.tables["migrant_stock_facts"].column("value").to_pylist()) == [7.0, 2500.0]
    assert parsed.counts["missing_value"] == 2 and parsed.counts["rows_read"] == 4
    path.write_text("Year,Dest,Kazakhstan\n2019,Uzbekistan,12x\n")
    with pytest.raises(SourceFileError, match="1 cells are neither numbers nor '..'/'-'.*'12x'"):
        SOURCE.read(path, known)
    path.write_text("Year,Dest,Kazakhstan\n2019,Uzbekistan,1,2\n")
    with pytest.raises(SourceFileError, match="is not the 2019 origin × destination table"):
        SOURCE.read(path, known)

_CODES = [398, 417, 762, 795, 860, 643, 900, 2003]  # countries, the World, "Other"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_CODES), st.sampled_from(_CODES),
                          st.sampled_from([1990.5, 2020.5, 2024.5]), st.sampled_from([0, 1, 2]),
                          st.booleans()), max_size=40))
def test_long_tables_give_one_row_per_key_like_a_plain_dictionary(tmp_path_factory, keys):
    """Each key's value is a function of the key (so repeats are identical) or missing."""
    def value_of(dest, org, year, sex):
        return dest * 7 + org * 3 + int(year) + sex

    lines = [f"{d},{o},{y},{value_of(d, o, y, s) if present else ''},{s}"
             for d, o, y, s, present in keys]
    path, known = _long_table(tmp_path_factory.mktemp("long"), lines)
    if not keys:
        return
    parsed = SOURCE.read(path, known)
    expected: dict = {}
    for d, o, y, s, present in keys:
        seen = expected.get((d, o, int(y), s))
        expected[(d, o, int(y), s)] = value_of(d, o, y, s) if present or seen else None
    got = {(r["destination_m49"], r["origin_m49"], r["year"], r["sex"]): r["value"]
           for r in parsed.tables["migrant_stock_facts"].to_pylist()}
    assert got == {k: v for k, v in expected.items() if v is not None}
    assert parsed.counts["rows_read"] == len(keys)
    assert parsed.counts["duplicate_identical_rows"] == len(keys) - len(expected)
    assert parsed.counts["missing_value"] == sum(v is None for v in expected.values())
    assert parsed.counts["aggregate_rows"] == sum(d == 900 or o == 900 for d, o, *_ in keys)
