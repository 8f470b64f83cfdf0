"""Old addresses typed at the counter convert to the 2025 wards: the seeds' units, ``motcua units convert``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from motcua.cli import main
from motcua.units import convert_old_address

# The seeds' old units and the ward each went into (codes of the 2025 catalogue).
SEEDS = [
    ("Phường Phương Đông, Thành phố Uông Bí, Tỉnh Quảng Ninh", "Phường Phương Đông", "06832"),
    ("Phường Phương Nam, Thành phố Uông Bí, Tỉnh Quảng Ninh", "Phường Phương Nam", "06832"),
    ("Xã Thượng Yên Công, Thành phố Uông Bí, Tỉnh Quảng Ninh", "Xã Thượng Yên Công", "06832"),
    ("Phường Vân Trung, Thị xã Việt Yên, Tỉnh Bắc Giang", "Phường Vân Trung", "07795"),
    ("Phường Quang Châu, Thị xã Việt Yên, Tỉnh Bắc Giang", "Phường Quang Châu", "07795"),
    ("Phường Tăng Tiến, Thị xã Việt Yên, Tỉnh Bắc Giang", "Phường Tăng Tiến", "07795"),
    ("Phường Phượng Mao, Thị xã Quế Võ, Tỉnh Bắc Ninh", "Phường Phượng Mao", "09265"),
    ("Xã Thành Lợi, Huyện Vụ Bản, Tỉnh Nam Định", "Xã Thành Lợi", "13777"),
]

# How people actually type them: no diacritics, abbreviations, old kinds ("xã" for a
# unit that had become a "phường"), a village before the commune.
TYPED = [
    ("xa Thuong Yen Cong, tp Uong Bi, Quang Ninh", "06832"),
    ("P. Phương Đông, TP. Uông Bí, Quảng Ninh", "06832"),
    ("phuong phuong nam, uong bi, quang ninh", "06832"),
    ("Xã Quang Châu, Huyện Việt Yên, Tỉnh Bắc Giang", "07795"),
    ("xa tang tien, h. viet yen, bac giang", "07795"),
    ("P. Vân Trung, TX. Việt Yên, Bắc Giang", "07795"),
    ("phuong mao, que vo, bac ninh", "09265"),
    ("Thôn 3, xã Thành Lợi, H. Vụ Bản, T. Nam Định", "13777"),
]

NEW_NAMES = {
    "06832": "Phường Yên Tử",
    "07795": "Phường Nếnh",
    "09265": "Phường Phương Liễu",
    "13777": "Phường Trường Thi",
}


@pytest.mark.parametrize(("address", "old_name", "new_code"), SEEDS)
def test_seed_units_convert_to_their_new_ward(address, old_name, new_code):
    conversion = convert_old_address(address)
    assert conversion.old is not None and conversion.old.name == old_name
    assert [w.code for w in conversion.candidates] == [new_code]
    assert f"nay thuộc {NEW_NAMES[new_code]}" in conversion.hint.render("vi")


@pytest.mark.parametrize(("address", "new_code"), TYPED)
def test_typed_variants_convert_too(address, new_code):
    assert [w.code for w in convert_old_address(address).candidates] == [new_code]


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_prints_old_and_new_codes():
    result = run("units", "convert", "xa Thuong Yen Cong, tp Uong Bi, Quang Ninh")
    assert result.exit_code == 0, result.output
    assert (
        "cũ (old):  Xã Thượng Yên Công [06829], Thành phố Uông Bí, Tỉnh Quảng Ninh" in result.output
    )
    assert "mới (new): Phường Yên Tử [06832], Tỉnh Quảng Ninh" in result.output


def test_cli_json():
    result = run("units", "convert", "--json", "P. Vân Trung, TX. Việt Yên, Bắc Giang")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["old"]["code"] == "07801" and report["old"]["province_name"] == "Tỉnh Bắc Giang"
    assert report["candidates"] == [
        {"code": "07795", "name": "Phường Nếnh", "province_code": "24", "province": "Tỉnh Bắc Ninh"}
    ]
    assert "Phường Nếnh" in report["hint"]["vi"] and "now part of" in report["hint"]["en"]


def test_cli_split_ward_lists_candidates_and_exits_2():
    result = run("units", "convert", "--json", "Xã Tân Thạnh, Huyện Thới Lai, Thành phố Cần Thơ")
    assert result.exit_code == 2
    assert [c["name"] for c in json.loads(result.output)["candidates"]] == [
        "Xã Trường Thành",
        "Xã Tân Thạnh",
    ]


def test_cli_unrecognised_exits_1_with_advice():
    result = run("units", "convert", "số 5 đường không tên")
    assert result.exit_code == 1
    assert "Không nhận ra tỉnh" in result.output and "Could not recognise" in result.output


# Without the district: enough when the old province had one unit of that name.
@pytest.mark.parametrize(
    ("address", "old_name", "district", "new_code"),
    [
        ("xã Thượng Yên Công, tỉnh Quảng Ninh", "Xã Thượng Yên Công", "Thành phố Uông Bí", "06832"),
        ("thuong yen cong, quang ninh", "Xã Thượng Yên Công", "Thành phố Uông Bí", "06832"),
        ("Phường Phương Đông, Quảng Ninh", "Phường Phương Đông", "Thành phố Uông Bí", "06832"),
        ("Thôn 3, xã Thành Lợi, T. Nam Định", "Xã Thành Lợi", "Huyện Vụ Bản", "13777"),
    ],
)
def test_an_old_unit_unique_in_its_province_converts_without_the_district(
    address, old_name, district, new_code
):
    conversion = convert_old_address(address)
    assert conversion.old is not None
    assert (conversion.old.name, conversion.old.district_name) == (old_name, district)
    assert [w.code for w in conversion.candidates] == [new_code]
    assert district in conversion.hint.render("vi")  # the district it found is shown


def test_a_name_shared_in_the_province_gives_candidates_not_a_guess():
    conversion = convert_old_address("xã Đồng Tiến, tỉnh Bắc Giang")
    assert conversion.old is None and len(conversion.candidates) == 2
    hint = conversion.hint.render("en")
    assert "2 units of that name" in hint and "Huyện Yên Thế" in hint and "Huyện Hiệp Hòa" in hint
    assert run("units", "convert", "xã Đồng Tiến, tỉnh Bắc Giang").exit_code == 2


def test_accents_typed_are_respected_without_the_district():
    # Bắc Giang had a "Xã Tân Thanh" but no "Xã Tân Thành": typed with accents, no match.
    assert convert_old_address("Xã Tân Thành, Tỉnh Bắc Giang").candidates == []
    assert convert_old_address("xa tan thanh, bac giang").old.name == "Xã Tân Thanh"  # type: ignore[union-attr]
