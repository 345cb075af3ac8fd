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
