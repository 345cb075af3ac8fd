"""Writes the small national test tables in this folder (run once; outputs are committed).

The layouts copy real published tables (see README.md); the numbers are made up for
testing and are NOT official statistics.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).parent


def kz_bns(folder: Path = HERE) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Внешняя миграция"
    sheet["A1"] = "Миграция населения Республики Казахстан по странам прибытия и выбытия"
    sheet["A1"].font = Font(bold=True)
    sheet["A2"] = "(человек)"
    sheet["A3"] = "Страна"
    sheet.merge_cells("A3:A4")
    for col, year in (("B", 2022), ("D", 2023)):
        sheet[f"{col}3"] = year
        nxt = chr(ord(col) + 1)
        sheet.merge_cells(f"{col}3:{nxt}3")
        sheet[f"{col}4"], sheet[f"{nxt}4"] = "Прибыло", "Выбыло"
        sheet[f"{col}3"].alignment = Alignment(horizontal="center")
    rows = [
        ("Всего", 18_125, 15_380, 20_410, 13_995),
        ("Страны СНГ", 15_010, 12_210, 16_950, 10_920),
        ("Российская Федерация", 4_120, 10_850, 4_560, 9_630),
        ("Узбекистан", 7_310, 420, 8_220, 395),
        ("Кыргызстан", 1_455, 390, 1_610, 360),
        ("Таджикистан", 410, 35, 455, 41),
        ("Туркменистан", 1_190, 28, 1_350, 30),
        ("Беларусь", 95, 310, 101, 290),
        ("Украина", 430, 177, 654, 174),
        ("Другие страны", 3_115, 3_170, 3_460, 3_075),
        ("Германия", 95, 2_010, 88, 1_920),
        ("Китай", 2_740, 260, 3_050, 247),
        ("Монголия", 230, 12, 255, 10),
        ("Турция", 50, 888, 67, 898),
    ]
    for r, row in enumerate(rows, 5):
        for c, value in enumerate(row):
            sheet.cell(r, c + 1, value)
    sheet.cell(5 + len(rows) + 1, 1, "Примечание: по данным органов внутренних дел о "
                                      "регистрации по месту жительства.")
    sheet.cell(5 + len(rows) + 2, 1, "Источник: Бюро национальной статистики АСПиР РК.")
    book.save(folder / "kz_bns_external_migration_by_country.xlsx")


def ru_mvd(folder: Path = HERE) -> None:
    lines = [
        "Сведения об отдельных показателях миграционной ситуации в Российской Федерации;;;;",
        "(человек);;;;",
        "Гражданство;2023;;2024;",
        (";Поставлено на миграционный учет по месту пребывания;Зарегистрировано по месту "
        "жительства;Поставлено на миграционный учет по месту пребывания;Зарегистрировано по "
        "месту жительства"),
        "Всего;14 261 004;270 110;14 810 570;255 402",
        "Узбекистан;6 255 318;58 360;6 401 112;54 881",
        "Таджикистан;3 641 007;79 045;3 598 260;71 930",
        "Кыргызстан;1 107 250;21 430;1 160 905;19 007",
        "Казахстан;552 874;11 620;571 020;10 915",
        "Армения;581 090;25 338;560 410;22 560",
        "Азербайджан;404 512;9 870;398 700;9 055",
        "Украина;347 030;14 560;301 544;16 210",
        "* Данные ГУВМ МВД России; значения для тестирования.;;;",
    ]
    (folder / "ru_mvd_migration_registration.csv").write_text("\n".join(lines) + "\n",
                                                            encoding="utf-8-sig")


def tj_migration_service(folder: Path = HERE) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Таблица 1"
    sheet["A1"] = ("Количество граждан Республики Таджикистан, выехавших за пределы республики "
                   "с целью трудовой деятельности, по странам назначения")
    sheet["A3"] = "Страна назначения"
    sheet.merge_cells("A3:A4")
    sheet["B3"] = "Годы"
    sheet.merge_cells("B3:D3")
    for c, year in enumerate((2021, 2022, 2023), 2):
        sheet.cell(4, c, f"{year} г.")
    rows = [("Всего", 421_508, 512_960, 497_240),
            ("Российская Федерация", 391_004, 474_120, 455_302),
            ("Казахстан", 21_330, 28_145, 30_911),
            ("Кыргызская Республика", 1_105, 990, 1_012),
            ("Республика Корея", 3_920, 4_810, 5_230),
            ("Турция", 1_402, 1_876, 2_104),
            ("прочие страны", 2_747, 3_019, 2_681)]
    for r, row in enumerate(rows, 5):
        for c, value in enumerate(row, 1):
            sheet.cell(r, c, value)
    sheet.cell(13, 1, "1) По данным Миграционной службы; значения для тестирования.")
    book.save(folder / "tj_migration_service_labour_migrants.xlsx")


def kg_citizens_abroad(folder: Path = HERE) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Лист1"
    sheet["A1"] = ("Численность граждан Кыргызской Республики, находящихся за рубежом, "
                   "по странам пребывания")
    sheet["A2"] = "№"
    sheet["B2"] = "Страна пребывания"
    sheet["C2"] = "Численность, человек"
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:D2")
    sheet["C3"], sheet["D3"] = "на 1 января 2023 г.", "на 1 января 2024 г."
    rows = [(1, "Российская Федерация", 352_100, 341_870),
            (2, "Республика Казахстан", 35_600, 38_950),
            (3, "Турецкая Республика", 29_400, 31_020),
            (4, "Республика Корея", 18_300, 19_760),
            (5, "Соединенные Штаты Америки", 11_050, 11_400),
            (6, "Федеративная Республика Германия", 5_870, "н/д"),
            (None, "Итого", 452_320, 442_000)]
    for r, row in enumerate(rows, 4):
        for c, value in enumerate(row, 1):
            sheet.cell(r, c, value)
    sheet.cell(12, 1, "Примечание: по данным загранучреждений; значения для тестирования.")
    book.save(folder / "kg_citizens_abroad.xlsx")


if __name__ == "__main__":
    kz_bns()
    ru_mvd()
    tj_migration_service()
    kg_citizens_abroad()
