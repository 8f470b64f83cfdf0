"""XLSForm import: sheets to cells, expressions translated, unsupported rows refused."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from motcua.expressions import EvalContext
from motcua.notebooks import NotebookFormatError, check_notebook, evaluate, read_xlsform

SURVEY_HEADER = [
    "type",
    "name",
    "label::Tiếng Việt (vi)",
    "label::English (en)",
    "hint::vi",
    "required",
    "relevant",
    "constraint",
    "constraint_message::vi",
    "calculation",
    "default",
    "appearance",
]
SURVEY = [
    ["start", "start"],
    ["note", "intro", "Nhập thông tin người yêu cầu", "Enter the applicant"],
    [
        "text",
        "ho_ten",
        "Họ và tên",
        "Full name",
        "Viết có dấu",
        "yes",
        None,
        "string-length(.) <= 100",
        "Tối đa 100 ký tự",
    ],
    [
        "integer",
        "so_trang",
        "Số trang",
        "Pages",
        None,
        "true",
        None,
        ". >= 1 and . mod 1 = 0",
        "Ít nhất 1 trang",
        None,
        "1",
    ],
    ["select_one gioi_tinh", "gioi_tinh", "Giới tính", "Sex"],
    [
        "select_multiple giay_to",
        "giay_to",
        "Giấy tờ",
        "Papers",
        None,
        None,
        "selected(${gioi_tinh}, 'nu')",
    ],
    ["text", "ghi_chu", "Ghi chú", "Notes", None, None, None, None, None, None, None, "multiline"],
    ["begin group", "nhom", "Nhóm", None, None, None, "${so_trang} > 1"],
    [
        "date",
        "ngay_sinh",
        "Ngày sinh",
        "Birth date",
        None,
        "${so_trang} > 1",
        "${gioi_tinh} = 'nam'",
    ],
    ["end group"],
    ["begin repeat", "ban_sao", "Bản sao", "Copies"],
    ["text", "ten_giay", "Tên giấy", "Paper"],
    ["integer", "so_ban", "Số bản", "Copies", None, "yes", None, ". <= 50"],
    ["end repeat"],
    [
        "calculate",
        "le_phi",
        "Lệ phí",
        "Fee",
        None,
        None,
        None,
        None,
        None,
        "${so_trang} * 2000 div 2",
    ],
]
CHOICES = [
    ["list_name", "name", "label::Tiếng Việt (vi)", "label::English (en)"],
    ["gioi_tinh", "nam", "Nam", "Male"],
    ["gioi_tinh", "nu", "Nữ", "Female"],
    ["giay_to", "cccd", "CCCD", "ID card"],
]


def workbook(
    tmp_path,
    survey=SURVEY,
    choices=CHOICES,
    settings=(
        ("form_id", "form_title", "default_language", "national_code"),
        ("chung_thuc", "Chứng thực", "vi", "2.000815"),
    ),
):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(SURVEY_HEADER)
    for row in survey:
        sheet.append(list(row))
    choices_sheet = book.create_sheet("choices")
    for row in choices:
        choices_sheet.append(row)
    settings_sheet = book.create_sheet("settings")
    for row in settings:
        settings_sheet.append(list(row))
    path = tmp_path / "form.xlsx"
    book.save(path)
    return path


def test_imports_cells_labels_and_choices(tmp_path):
    nb = read_xlsform(workbook(tmp_path))
    assert (
        nb.key == "chung-thuc" and nb.national_code == "2.000815" and nb.name["vi"] == "Chứng thực"
    )
    assert [c.kind for c in nb.cells] == [
        "markdown",
        "field",
        "field",
        "field",
        "field",
        "field",
        "field",
        "field",
        "formula",
    ]
    assert nb.cells[0].source == "Nhập thông tin người yêu cầu"
    ho_ten = nb.cell("field-ho_ten").field_def()
    assert ho_ten.label == {"vi": "Họ và tên", "en": "Full name"}
    assert ho_ten.help == {"vi": "Viết có dấu", "en": "Viết có dấu"}
    assert ho_ten.required is True and ho_ten.constraint == "len(ho_ten) <= 100"
    assert ho_ten.constraint_message["vi"] == "Tối đa 100 ký tự"
    gioi_tinh = nb.cell("field-gioi_tinh").field_def()
    assert gioi_tinh.type == "choice" and gioi_tinh.choice_codes() == ("nam", "nu")
    assert nb.cell("field-giay_to").field_def().type == "multi_choice"
    assert nb.cell("field-ghi_chu").field_def().type == "long_text"


def test_translates_expressions(tmp_path):
    nb = read_xlsform(workbook(tmp_path))
    assert nb.cell("field-so_trang").field_def().constraint == "so_trang >= 1 and so_trang % 1 = 0"
    assert nb.cell("field-so_trang").field_def().default == 1
    assert nb.cell("field-giay_to").field_def().relevant == 'selected(gioi_tinh, "nu")'
    ngay_sinh = nb.cell("field-ngay_sinh").field_def()
    assert ngay_sinh.relevant == '(so_trang > 1) and (gioi_tinh = "nam")'
    assert ngay_sinh.required == "so_trang > 1"
    assert nb.cell("formula-le_phi").source == "so_trang * 2000 / 2"
    repeat = nb.cell("field-ban_sao").field_def()
    assert repeat.type == "repeat" and [c.name for c in repeat.columns] == ["ten_giay", "so_ban"]
    assert repeat.columns[1].constraint == "so_ban <= 50"
    assert check_notebook(nb) == []
    context = EvalContext(today=date(2026, 3, 2), now=datetime(2026, 3, 2, 9))
    evaluation = evaluate(nb, {"so_trang": "3", "gioi_tinh": "nu"}, context)
    assert evaluation.values["le_phi"] == 3000
    assert evaluation.outputs["field-giay_to"].visible


@pytest.mark.parametrize(
    ("row", "sheet_row", "fragment"),
    [
        (["geopoint", "vi_tri", "Vị trí"], 3, "`geopoint` is not supported"),
        (["select_one khong_co", "x", "X"], 3, "`khong_co`"),
        (["text", "Ho-Ten", "X"], 3, "`Ho-Ten`"),
    ],
)
def test_refuses_unsupported_rows_with_sheet_and_row(tmp_path, row, sheet_row, fragment):
    path = workbook(tmp_path, survey=[["text", "a", "A"], row])
    with pytest.raises(NotebookFormatError) as error:
        read_xlsform(path)
    message = error.value.text.render("en")
    assert f"Sheet `survey`, row {sheet_row}" in message and fragment in message
    assert error.value.details == {"sheet": "survey", "row": sheet_row}


def test_refuses_unclosed_repeat_and_missing_survey(tmp_path):
    with pytest.raises(NotebookFormatError, match="end repeat"):
        read_xlsform(workbook(tmp_path, survey=[["begin repeat", "r", "R"], ["text", "a", "A"]]))
    book = openpyxl.Workbook()
    book.active.title = "other"
    path = tmp_path / "empty.xlsx"
    book.save(path)
    with pytest.raises(NotebookFormatError, match="survey"):
        read_xlsform(path)
