"""Citizen ID numbers (CCCD, old CMND) and the QR code printed on chip ID cards.

A 12-digit CCCD number reads (Circular 07/2016/TT-BCA, Law on Identification 2023
art. 12): 3 digits for the province (or country) where the birth was registered, 1
century-and-sex digit (0/1 for men/women born in the 1900s, 2/3 in the 2000s, 4/5 in the
2100s and so on up to 8/9 in the 2300s), the last 2 digits of the birth year, then 6
random digits. There is no checksum, so none is checked. Old 9-digit CMND numbers carry
no decodable data.

The chip card QR holds 7 fields joined by "|": ID number, old ID (may be empty), full
name, birth date DDMMYYYY, sex (Nam/Nữ), permanent residence, issue date DDMMYYYY.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from motcua import clock
from motcua.citizen_id_places import PROVINCE_CODES
from motcua.errors import UserError
from motcua.i18n import T, Text

Sex = Literal["nam", "nu"]

_DIGITS = re.compile(r"^[0-9]+$")
_COMPACT_DATE = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_SLASHED_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_QR_MIN_FIELDS = 6


@dataclass(frozen=True)
class CitizenId:
    """A parsed ID number; the decoded fields are None for an old CMND.

    ``birth_century`` is the first year of the century (1900, 2000, ...), and
    ``birth_year_2`` the last two digits of the birth year as written ("85").
    """

    number: str
    kind: Literal["cccd", "cmnd"]
    birth_place_code: str | None = None
    sex: Sex | None = None
    birth_century: int | None = None
    birth_year_2: str | None = None

    @property
    def birth_year(self) -> int | None:
        """Return the birth year a CCCD encodes (1985), or None for a CMND."""
        if self.birth_century is None or self.birth_year_2 is None:
            return None
        return self.birth_century + int(self.birth_year_2)

    @property
    def birth_place_name(self) -> str | None:
        """Return the pre-merger province of birth registration, or None if not one of the 63."""
        return PROVINCE_CODES.get(self.birth_place_code or "")


@dataclass(frozen=True)
class ChipQr:
    """The content of the QR code on a chip ID card; ``raw`` is the text exactly as scanned.

    ``warnings`` name what the card's fields contradict in its number (the sex digit, the
    birth year digits), each with its rule: staff check the card, nothing is refused.
    """

    id_number: str
    old_id: str
    full_name: str
    birth_date: date
    sex: Sex
    address: str
    issue_date: date | None
    raw: str
    extra: tuple[str, ...] = ()
    warnings: tuple[Text, ...] = field(default=(), compare=False)


def parse_citizen_id(
    text: str, *, today: date | None = None, allow_unlisted_place: bool = False
) -> CitizenId:
    """Return the ID number in ``text`` decoded; spaces are ignored.

    12 digits are a CCCD, 9 digits an old CMND. ``today`` (default: the current date)
    bounds the birth year a CCCD may encode. The first 3 digits must be one of the 63
    province codes unless ``allow_unlisted_place`` is set, for people whose birth was
    registered abroad under a country code.

    :raises UserError: if ``text`` is empty, holds anything but digits and spaces, has
        another length, an unknown province code or a birth year in the future.
    """
    number = "".join(unicodedata.normalize("NFKC", text).split())
    if not number:
        raise UserError(
            T("Chưa nhập số CCCD/CMND", "No CCCD/CMND number was given"), field="id_number"
        )
    if not _DIGITS.match(number):
        raise UserError(
            T(
                "Số CCCD/CMND chỉ gồm chữ số; '{text}' có ký tự khác",
                "A CCCD/CMND number has only digits; '{text}' has other characters",
                text=text.strip(),
            ),
            field="id_number",
        )
    if len(number) == 9:
        return CitizenId(number=number, kind="cmnd")
    if len(number) != 12:
        raise UserError(
            T(
                "Số CCCD có 12 chữ số (CMND cũ có 9); số đã nhập có {count} chữ số",
                "A CCCD number has 12 digits (an old CMND 9); this one has {count}",
                count=len(number),
            ),
            field="id_number",
        )
    place = number[:3]
    if place not in PROVINCE_CODES and not allow_unlisted_place:
        raise UserError(
            T(
                "Ba số đầu '{code}' không phải mã tỉnh nơi đăng ký khai sinh (001 Hà Nội … 096 Cà Mau); hãy kiểm tra lại số CCCD",
                "The first three digits '{code}' are not a province code of birth registration (001 Hà Nội … 096 Cà Mau); check the CCCD number",
                code=place,
            ),
            field="id_number",
        )
    digit = int(number[3])
    century = 1900 + 100 * (digit // 2)
    year = century + int(number[4:6])
    current_year = (today or clock.today()).year
    if year > current_year:
        raise UserError(
            T(
                "Chữ số thứ tư ({digit}) và năm '{yy}' cho năm sinh {year}, sau năm hiện tại; hãy kiểm tra lại số CCCD",
                "The fourth digit ({digit}) and year '{yy}' give the birth year {year}, in the future; check the CCCD number",
                digit=digit,
                yy=number[4:6],
                year=year,
            ),
            field="id_number",
        )
    return CitizenId(
        number=number,
        kind="cccd",
        birth_place_code=place,
        sex="nam" if digit % 2 == 0 else "nu",
        birth_century=century,
        birth_year_2=number[4:6],
    )


def parse_chip_qr(text: str, *, today: date | None = None) -> ChipQr:
    """Return the fields of a chip ID card's QR text.

    Accepts 6 fields or more (the issue date may be missing), an empty old ID, extra
    trailing fields (kept in ``extra``), dates as DDMMYYYY or dd/mm/yyyy, and surrounding
    whitespace or line breaks. A sex or birth date that contradicts the ID number is a
    warning in ``warnings`` (:func:`number_warnings`), not a refusal.

    :raises UserError: if the text is not such a QR or a field is malformed.
    """
    cleaned = unicodedata.normalize("NFC", text).strip().lstrip("\ufeff").strip()
    fields = [part.strip() for part in cleaned.split("|")]
    if len(fields) < _QR_MIN_FIELDS:
        raise UserError(
            T(
                "Đây không phải mã QR trên thẻ căn cước: cần ít nhất 6 trường ngăn bởi '|', chỉ đọc được {count}",
                "This is not a chip ID card QR: it needs at least 6 fields separated by '|', found {count}",
                count=len(fields),
            ),
            field="qr",
        )
    id_text, old_id, full_name, birth_text, sex_text, address = fields[:6]
    citizen = parse_citizen_id(id_text, today=today, allow_unlisted_place=True)
    if citizen.kind != "cccd":
        raise UserError(
            T(
                "Số trên mã QR phải là số CCCD 12 chữ số, không phải '{number}'",
                "The number in the QR must be a 12-digit CCCD, not '{number}'",
                number=id_text,
            ),
            field="id_number",
        )
    old_id = "".join(old_id.split())
    if old_id and not (_DIGITS.match(old_id) and len(old_id) in (9, 12)):
        raise UserError(
            T(
                "Số CMND cũ '{old_id}' trên mã QR phải có 9 hoặc 12 chữ số",
                "The old ID '{old_id}' in the QR must have 9 or 12 digits",
                old_id=old_id,
            ),
            field="old_id",
        )
    if not full_name:
        raise UserError(T("Mã QR không có họ tên", "The QR has no full name"), field="full_name")
    birth_date = _parse_date(birth_text, "birth_date")
    sex = _parse_sex(sex_text)
    issue_text = fields[6] if len(fields) > 6 else ""
    issue_date = _parse_date(issue_text, "issue_date") if issue_text else None
    if issue_date is not None and issue_date < birth_date:
        raise UserError(
            T(
                "Ngày cấp {issue} trước ngày sinh {birth}",
                "The issue date {issue} is before the birth date {birth}",
                issue=issue_date.strftime("%d/%m/%Y"),
                birth=birth_date.strftime("%d/%m/%Y"),
            ),
            field="issue_date",
        )
    extra = fields[7:]
    while extra and not extra[-1]:
        extra.pop()  # a trailing "|" adds nothing
    return ChipQr(
        id_number=citizen.number,
        old_id=old_id,
        full_name=" ".join(full_name.split()),
        birth_date=birth_date,
        sex=sex,
        address=address,
        issue_date=issue_date,
        raw=text,
        extra=tuple(extra),
        warnings=tuple(number_warnings(citizen, sex, birth_date)),
    )


def number_warnings(citizen: CitizenId, sex: Sex | None, birth_date: date | None) -> list[Text]:
    """Return what ``sex`` and ``birth_date`` (from the card's fields) contradict in the
    CCCD number, each naming its rule; [] when they agree or the number is a CMND.

    The 4th digit codes the century and sex, the 5th and 6th the birth year's last two
    digits (structure of the personal ID number, Circular 59/2021/TT-BCA). A number is
    re-issued when a person's sex is re-determined, so a mismatch is worth a look at the
    card, never a refusal: the card may be older than the change, or the QR misread.
    """
    if citizen.kind != "cccd" or citizen.birth_century is None:
        return []
    found = []
    digit = citizen.number[3]
    if sex is not None and citizen.sex is not None and sex != citizen.sex:
        found.append(
            T(
                "Chữ số thứ tư của số CCCD ({digit}) là mã giới tính {coded}, nhưng giới tính "
                "ghi trên thẻ là {given} (quy tắc: mã thế kỷ và giới tính, Thông tư "
                "59/2021/TT-BCA; số định danh được cấp lại khi xác định lại giới tính). "
                "Hãy đối chiếu thẻ.",
                "The CCCD's fourth digit ({digit}) codes the sex {coded_en}, but the card "
                "says {given_en} (rule: century-and-sex digit, Circular 59/2021/TT-BCA; the "
                "number is re-issued when sex is re-determined). Check the card.",
                digit=digit,
                coded=_SEX_VI[citizen.sex],
                given=_SEX_VI[sex],
                coded_en=_SEX_EN[citizen.sex],
                given_en=_SEX_EN[sex],
            )
        )
    if birth_date is not None and citizen.birth_year != birth_date.year:
        found.append(
            T(
                "Chữ số thứ tư đến thứ sáu của số CCCD ({digits}) cho năm sinh {id_year}, "
                "nhưng ngày sinh là {birth} (quy tắc: mã thế kỷ và hai số cuối năm sinh, "
                "Thông tư 59/2021/TT-BCA). Hãy đối chiếu thẻ: mã QR có thể bị đọc sai.",
                "The CCCD's fourth to sixth digits ({digits}) give the birth year {id_year}, "
                "but the birth date is {birth} (rule: century digit and the birth year's "
                "last two digits, Circular 59/2021/TT-BCA). Check the card: the QR may have "
                "been misread.",
                digits=citizen.number[3:6],
                id_year=citizen.birth_year,
                birth=birth_date.strftime("%d/%m/%Y"),
            )
        )
    return found


_SEX_VI = {"nam": "Nam", "nu": "Nữ"}
_SEX_EN = {"nam": "male", "nu": "female"}


def _parse_date(text: str, field: str) -> date:
    match = _COMPACT_DATE.match(text) or _SLASHED_DATE.match(text)
    if match is not None:
        day, month, year = (int(group) for group in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            pass
    raise UserError(
        T(
            "Ngày '{text}' trên mã QR không hợp lệ: cần dạng DDMMYYYY hoặc dd/mm/yyyy",
            "The date '{text}' in the QR is invalid: expected DDMMYYYY or dd/mm/yyyy",
            text=text,
        ),
        field=field,
    )


def _parse_sex(text: str) -> Sex:
    word = text.lower()
    if word == "nam":
        return "nam"
    if word in ("nữ", "nu"):
        return "nu"
    raise UserError(
        T(
            "Giới tính '{text}' trên mã QR phải là Nam hoặc Nữ",
            "The sex '{text}' in the QR must be Nam or Nữ",
            text=text,
        ),
        field="sex",
    )
