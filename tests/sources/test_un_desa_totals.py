"""UN DESA totals by destination, population and refugees; the cited reference figures."""

import csv

import pytest

from steppe.sources import reference_documents


def indicator(con, edition, area, year, name, sex="total", dataset="un_desa_stock_totals"):
    rows = con.execute(
        "SELECT DISTINCT value FROM area_indicator a JOIN releases r USING (release_id) "
        "WHERE r.dataset = ? AND r.edition = ? AND area = ? AND year = ? AND indicator = ? "
        "AND sex = ?", [dataset, edition, area, year, name, sex]).fetchall()
    assert len(rows) == 1, rows
    return rows[0][0]


@pytest.mark.parametrize(("edition", "area", "year", "name", "expected"), [
    ("2020", "RUS", 2020, "migrant_stock_total", 11_636_911),   # MANIFEST caution 1
    ("2024", "RUS", 2020, "migrant_stock_total", 7_297_611),
    ("2024", "M49:900", 2024, "migrant_stock_total", 304_021_813),
    ("2020", "M49:900", 1990, "refugee_stock", 18_977_581),     # MANIFEST, ms2020rfg
])
def test_published_totals(undesa_warehouse, edition, area, year, name, expected):
    with undesa_warehouse.reader() as con:
        assert indicator(con, edition, area, year, name) == expected


def test_workbook_population_is_converted_from_thousands(undesa_warehouse):
    with undesa_warehouse.reader() as con:
        population = indicator(con, "2020", "KAZ", 2020, "population")
        stock = indicator(con, "2020", "KAZ", 2020, "migrant_stock_total")
    assert 18_000_000 < population < 19_500_000
    assert 3_500_000 < stock < 3_900_000


def test_2019_workbook_with_two_header_rows(undesa_warehouse):
    with undesa_warehouse.reader() as con:
        world = indicator(con, "2019", "M49:900", 1990, "migrant_stock_total")
    assert world == 153_011_473  # row 'WORLD', 1990, in UN_MigrantStockTotal_2019.xlsx Table 1


def test_male_plus_female_equals_total_in_the_workbook(undesa_warehouse):
    with undesa_warehouse.reader() as con:
        off = con.execute("""
            WITH s AS (SELECT a.* FROM area_indicator a JOIN releases r USING (release_id)
                       WHERE r.file_name = 'undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx'
                       AND indicator = 'migrant_stock_total')
            SELECT count(*) FILTER (WHERE abs(t.value - m.value - f.value) > 1), count(*)
            FROM s t JOIN s m USING (area, year) JOIN s f USING (area, year)
            WHERE t.sex = 'total' AND m.sex = 'male' AND f.sex = 'female'""").fetchone()
    assert off[1] > 1500 and off[0] == 0


def test_every_reference_figure_is_cited():
    with reference_documents.bundled_path().open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 13
    assert all(r["document"].strip() and r["citation"].strip() for r in rows)


def test_reference_figures_are_loaded(undesa_warehouse):
    with undesa_warehouse.reader() as con:
        assert indicator(con, "2017", "M49:900", 2015, "migrant_stock_total",
                         dataset="reference_documents") == 244_000_000
        assert indicator(con, "2017", "M49:900", 2020, "migrant_share_of_population",
                         dataset="reference_documents") == 3.6
        kaz_in_rus = con.execute(
            "SELECT value FROM migrant_stock s JOIN releases r USING (release_id) WHERE "
            "r.dataset = 'reference_documents' AND origin = 'KAZ' AND destination = 'RUS'").fetchone()
    assert kaz_in_rus == (2_562_000,)


def test_a_totals_table_with_an_unknown_sex_code_is_refused(tmp_path):
    import gzip

    from steppe.errors import SourceFileError
    from steppe.sources.un_desa_totals import INFO, SOURCE

    known = next(k for k in INFO.files if k.fmt == "long-csv")
    path = tmp_path / known.file_name
    with gzip.open(path, "wt") as handle:
        handle.write("LocID,year,sex,value\n398,2020.5,0,3732074\n398,2020.5,4,1\n")
    with pytest.raises(SourceFileError, match="1 rows have a sex code other than 0, 1, 2"):
        SOURCE.read(path, known)
    with gzip.open(path, "wt") as handle:
        handle.write("LocID,year,sex,value\n398,2020.5,1,10\n900,2020.5,2,11\n")
    parsed = SOURCE.read(path, known)
    assert parsed.tables["area_indicator"].select(["area", "sex"]).to_pylist() == [
        {"area": "KAZ", "sex": "male"}, {"area": "M49:900", "sex": "female"}]
    assert parsed.counts["aggregate_rows"] == 1
