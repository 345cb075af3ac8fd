import gzip
from pathlib import Path

import pandas as pd
import pytest

from steppe import areas
from steppe.errors import UnknownAreaError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KAZ", "KAZ"), ("kaz", "KAZ"), ("398", "KAZ"), (398, "KAZ"), ("Kazakhstan", "KAZ"),
        ("Казахстан", "KAZ"), ("Республика Казахстан", "KAZ"), ("Қазақстан", "KAZ"),
        ("Kyrgyzstan", "KGZ"), ("Киргизия", "KGZ"), ("Кыргызстан", "KGZ"), ("Kyrgyz Republic", "KGZ"),
        ("Russian Federation", "RUS"), ("Россия", "RUS"), ("Российская Федерация", "RUS"),
        ("Uzbekistan", "UZB"), ("Узбекистан", "UZB"), ("Tajikistan", "TJK"), ("Туркмения", "TKM"),
        ("Iran (Islamic Republic of)", "IRN"), ("China, Hong Kong SAR", "HKG"),
        ("Channel Islands*", "CHI"), ("Kosovo", "XKX"), ("M49:900", "M49:900"), ("WORLD", "M49:900"),
        ("  russian   federation ", "RUS"),
    ],
)
def test_resolves_codes_and_names_in_three_languages(text, expected):
    assert areas.resolve(text).area_id == expected


def test_names_in_english_russian_and_kazakh():
    assert areas.name("KAZ", "en") == "Kazakhstan"
    assert areas.name("KAZ", "ru") == "Казахстан"
    assert areas.name("KAZ", "kk") == "Қазақстан"
    assert areas.name("KGZ", "kk") == "Қырғызстан"


def test_central_asia_grouping():
    assert set(areas.group("central_asia")) == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}


def test_aggregates_are_kept_apart_from_countries():
    country_ids = {a.area_id for a in areas.countries()}
    aggregate_ids = {a.area_id for a in areas.aggregates()}
    assert not country_ids & aggregate_ids
    assert "M49:900" in aggregate_ids and "M49:5500" in aggregate_ids
    assert {"KAZ", "RUS", "XKX", "TWN"} <= country_ids
    assert areas.get("M49:1503").category == "income_group"


def test_unknown_names_are_all_listed_in_one_error():
    with pytest.raises(UnknownAreaError) as caught:
        areas.resolve_many(["Narnia", "KAZ", "Atlantis", "Россия"], context="table.csv")
    assert caught.value.names == ["Atlantis", "Narnia"]
    message = str(caught.value)
    assert "'Atlantis'" in message and "'Narnia'" in message and "table.csv" in message


def test_every_location_of_the_un_desa_files_resolves(shared_data: Path):
    frame = pd.read_csv(shared_data / "undesa/ims_msShiny/ms2024org.csv.gz")
    codes = set(frame.LocIDdest) | set(frame.LocIDorg)
    assert [c for c in codes if areas.try_resolve(int(c)) is None] == []
    with gzip.open(shared_data / "undesa/ims_msShiny/MS_Locations.csv.gz", "rt") as handle:
        locations = pd.read_csv(handle)
    for row in locations.itertuples():
        assert areas.resolve(row.LocName).area_id == row.ISO3, row.LocName
        assert areas.resolve(int(row.LocID)).area_id == row.ISO3, row.LocID


def test_every_aggregate_code_of_the_2024_revision_has_its_wpp_2024_name(shared_data):
    """The six codes new in the 2024 migrant stock are named as in WPP 2024's location list."""
    wpp = pd.read_csv(shared_data / "undesa/wpp2024_pkg/countries.csv.gz").set_index("country_code")
    stock = pd.read_csv(shared_data / "undesa/ims_msShiny/ms2024.csv.gz")
    codes = sorted(set(stock["LocID"]) - set(pd.read_csv(
        shared_data / "undesa/ims_msShiny/ms2020.csv.gz")["LocID"]))
    for code in (1831, 1834, 1836, 1859, 5503, 5504):
        assert code in codes
        area = areas.get(f"M49:{code}")
        assert area.kind == "aggregate"
        assert wpp.loc[code, "name"].lower() in area.name_en.lower()
    total = stock[(stock["sex"] == 0) & (stock["year"] == 2020.5)].set_index("LocID")["value"]
    # income groups partition the world (up to "no income group available", 1518)
    assert total[5503] + total[5504] == total[1503] + total[1859]
    assert total[1503] + total[1859] + total.get(1518, 0) == pytest.approx(total[900], rel=0.01)
