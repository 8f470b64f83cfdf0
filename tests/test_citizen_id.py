"""CCCD / CMND numbers and the chip card QR."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.citizen_id import ChipQr, CitizenId, parse_chip_qr, parse_citizen_id
from motcua.citizen_id_places import PROVINCE_CODES
from motcua.errors import UserError

TODAY = date(2026, 3, 10)
NHUNG = "079185012345|123456789|Nguyễn Thị Hồng Nhung|15031985|Nữ|12 Lê Lợi, P. Bến Thành, Q.1, TP.HCM|10052021"


def test_province_table() -> None:
    assert len(PROVINCE_CODES) == 63
    assert PROVINCE_CODES["001"] == "Hà Nội"
    assert PROVINCE_CODES["079"] == "Hồ Chí Minh"
    assert PROVINCE_CODES["096"] == "Cà Mau"
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCE_CODES)
    assert "003" not in PROVINCE_CODES


@pytest.mark.parametrize(
    ("text", "place", "sex", "century", "year"),
    [
        ("079185012345", "079", "nu", 1900, 1985),
        ("001090001234", "001", "nam", 1900, 1990),
        ("036 2 05 123456", "036", "nam", 2000, 2005),
        ("  048303000001 ", "048", "nu", 2000, 2003),
        ("096200000000", "096", "nam", 2000, 2000),
        ("０３１０９９１２３４５６", "031", "nam", 1900, 1999),  # full-width digits from a form
    ],
)
def test_cccd_decoded(text: str, place: str, sex: str, century: int, year: int) -> None:
    citizen = parse_citizen_id(text, today=TODAY)
    assert citizen.kind == "cccd"
    assert len(citizen.number) == 12 and citizen.number.isdigit()
    assert citizen.birth_place_code == place
    assert citizen.birth_place_name == PROVINCE_CODES[place]
    assert citizen.sex == sex
    assert citizen.birth_century == century
    assert citizen.birth_year == year
    assert citizen.birth_year_2 == str(year)[2:]


def test_cmnd() -> None:
    assert parse_citizen_id("123 456 789") == CitizenId(number="123456789", kind="cmnd")
    assert parse_citizen_id("123456789").birth_year is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12345678",
        "1234567890",
        "07918501234",
        "0791850123456",
        "07918501234A",
        "079-185-012345",
        "CMND123456",
    ],
)
def test_refused_numbers(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_citizen_id(text, today=TODAY)
    assert caught.value.details == {"field": "id_number"}
    assert caught.value.text.vi != caught.value.text.en


def test_length_message_says_what_was_counted() -> None:
    with pytest.raises(UserError) as caught:
        parse_citizen_id("07918501234", today=TODAY)
    assert "11" in caught.value.text.render("vi")
    assert "12 digits" in caught.value.text.render("en")


@pytest.mark.parametrize("code", ["000", "003", "013", "097", "999"])
def test_unknown_province_code(code: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_citizen_id(f"{code}185012345", today=TODAY)
    assert code in caught.value.text.render("en")
    # Birth registered abroad: a country code is accepted on request.
    citizen = parse_citizen_id(f"{code}185012345", today=TODAY, allow_unlisted_place=True)
    assert citizen.birth_place_code == code
    assert citizen.birth_place_name is None
    assert citizen.birth_year == 1985


@pytest.mark.parametrize("number", ["079485012345", "079985012345", "079230000001"])
def test_century_digit_in_the_future(number: str) -> None:
    # 4 and 9 mean the 2100s and 2300s; 2 with "30" means 2030.
    with pytest.raises(UserError) as caught:
        parse_citizen_id(number, today=TODAY)
    assert "future" in caught.value.text.render("en")


def test_all_century_digits_decode() -> None:
    decoded = [
        parse_citizen_id(f"001{digit}00000001", today=date(2400, 1, 1)) for digit in range(10)
    ]
    assert [c.birth_century for c in decoded] == [
        1900,
        1900,
        2000,
        2000,
        2100,
        2100,
        2200,
        2200,
        2300,
        2300,
    ]
    assert [c.sex for c in decoded] == ["nam", "nu"] * 5


def test_default_today_accepts_a_real_number() -> None:
    assert parse_citizen_id("079185012345").birth_year == 1985


# --- chip QR ---------------------------------------------------------------------------


def test_chip_qr_sample() -> None:
    qr = parse_chip_qr(NHUNG, today=TODAY)
    assert qr == ChipQr(
        id_number="079185012345",
        old_id="123456789",
        full_name="Nguyễn Thị Hồng Nhung",
        birth_date=date(1985, 3, 15),
        sex="nu",
        address="12 Lê Lợi, P. Bến Thành, Q.1, TP.HCM",
        issue_date=date(2021, 5, 10),
        raw=NHUNG,
        extra=(),
    )


def test_chip_qr_empty_old_id_and_scanner_noise() -> None:
    raw = "\ufeff  001090001234||Trần Văn  An|02/09/1990|Nam|Số 5 ngõ 12 Hoàng Hoa Thám, Ba Đình, Hà Nội|01/07/2021\r\n"
    qr = parse_chip_qr(raw, today=TODAY)
    assert qr.raw == raw
    assert qr.old_id == ""
    assert qr.full_name == "Trần Văn An"
    assert qr.birth_date == date(1990, 9, 2)
    assert qr.sex == "nam"
    assert qr.issue_date == date(2021, 7, 1)


def test_chip_qr_six_fields_and_extra_fields() -> None:
    six = parse_chip_qr(
        "036205123456||Lê Minh Khoa|01012005|Nam|Xóm 3, Hải Hậu, Nam Định", today=TODAY
    )
    assert six.issue_date is None
    assert six.extra == ()
    extra = parse_chip_qr(NHUNG + "|Nguyễn Văn Bình|Lê Thị Hoa|", today=TODAY)
    assert extra.extra == ("Nguyễn Văn Bình", "Lê Thị Hoa")
    assert extra.issue_date == date(2021, 5, 10)


def test_chip_qr_accepts_a_country_code() -> None:
    # The card itself is authoritative: a birth registered abroad carries a country code.
    qr = parse_chip_qr("999190000001||Nguyễn Văn Tâm|05051990|Nam|Hà Nội|01012022", today=TODAY)
    assert qr.id_number == "999190000001"


def test_chip_qr_decomposed_unicode() -> None:
    import unicodedata

    qr = parse_chip_qr(unicodedata.normalize("NFD", NHUNG), today=TODAY)
    assert qr.sex == "nu"
    assert qr.full_name == "Nguyễn Thị Hồng Nhung"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("hello world", "qr"),
        ("https://example.com/?id=079185012345", "qr"),
        ("079185012345|123456789|Nguyễn Thị Hồng Nhung|15031985|Nữ", "qr"),
        ("123456789||Nguyễn Văn A|15031985|Nam|Hà Nội|10052021", "id_number"),
        ("07918501234X||Nguyễn Văn A|15031985|Nam|Hà Nội|10052021", "id_number"),
        ("079185012345|12345|Nguyễn Thị Hồng Nhung|15031985|Nữ|Hà Nội|10052021", "old_id"),
        ("079185012345|||15031985|Nữ|Hà Nội|10052021", "full_name"),
        ("079185012345||Nguyễn Thị Hồng Nhung|31021985|Nữ|Hà Nội|10052021", "birth_date"),
        ("079185012345||Nguyễn Thị Hồng Nhung|1985-03-15x|Nữ|Hà Nội|10052021", "birth_date"),
        ("079185012345||Nguyễn Thị Hồng Nhung|15031985|F|Hà Nội|10052021", "sex"),
        ("079185012345||Nguyễn Thị Hồng Nhung|15031985|Nữ|Hà Nội|2021", "issue_date"),
        ("079185012345||Nguyễn Thị Hồng Nhung|15031985|Nữ|Hà Nội|10051980", "issue_date"),
    ],
)
def test_chip_qr_refused(raw: str, field: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_chip_qr(raw, today=TODAY)
    assert caught.value.details == {"field": field}
    assert caught.value.text.vi and caught.value.text.en


@pytest.mark.parametrize(
    "raw",
    [
        "079185012345||Nguyễn Thị Hồng Nhung|15031986|Nữ|Hà Nội|10052021",  # year 85 vs 1986
        "079085012345||Nguyễn Văn Nam|15032085|Nam|Hà Nội|10052100",  # century 1900s vs 2085
    ],
)
def test_chip_qr_birth_year_mismatch_is_a_warning_naming_the_rule(raw: str) -> None:
    qr = parse_chip_qr(raw, today=date(2100, 1, 1))  # accepted: staff check the card
    [warning] = qr.warnings
    assert "birth year" in warning.render("en") and "Circular 59/2021/TT-BCA" in warning.render("en")
    assert "năm sinh" in warning.render("vi")


def test_chip_qr_sex_digit_mismatch_is_a_warning_naming_the_rule() -> None:
    # 4th digit 1: a woman born in the 1900s; the card says Nam.
    qr = parse_chip_qr("079185012345||Nguyễn Văn Nam|15031985|Nam|Hà Nội|10052021", today=TODAY)
    assert qr.sex == "nam" and qr.id_number == "079185012345"
    [warning] = qr.warnings
    text = warning.render("en")
    assert "fourth digit (1)" in text and "female" in text and "says male" in text
    assert "Circular 59/2021/TT-BCA" in text and "re-issued" in text
    assert "giới tính" in warning.render("vi")


def test_chip_qr_consistent_fields_give_no_warning() -> None:
    assert parse_chip_qr(NHUNG, today=TODAY).warnings == ()
    both = parse_chip_qr("079085012345||Nguyễn Thị A|15031986|Nữ|Hà Nội|10052021", today=TODAY)
    assert len(both.warnings) == 2  # sex digit 0 (male) and year 85 vs 1986
