"""Printing: built-in forms, fonts, QR, thermal raster and the template sandbox."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from fontTools.ttLib import TTFont
from PIL import Image

from motcua.errors import UserError
from motcua.printing import (
    FORMS,
    PrintRenderer,
    SandboxedRenderer,
    TemplateFailed,
    pdf_to_thermal,
    png_bytes,
    sample_context,
)
from motcua.printing.formatting import format_datetime, place_date
from motcua.printing.render import ASSETS_DIR, AssetFetcher, ResourceRefused
from motcua.printing.templating import plain_data

FONTS_DIR = Path(ASSETS_DIR) / "fonts"
GOOD_TEMPLATE = "<h1>Xin chào {{ name }}</h1><p>{{ when|dt }}</p>"


@pytest.fixture(scope="module")
def renderer() -> PrintRenderer:
    return PrintRenderer()


@pytest.fixture(scope="module")
def sandbox():
    with SandboxedRenderer(timeout=5) as sandboxed:
        yield sandboxed


def vietnamese_letters() -> set[str]:
    letters = {"đ", "Đ"}
    for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY":
        for tone in ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"):
            letters.add(unicodedata.normalize("NFC", base + tone))
    return letters


def page_texts(pdf: bytes) -> list[str]:
    """Return the NFC text of each page, whitespace runs collapsed to one space."""
    document = pdfium.PdfDocument(pdf)
    texts = []
    for page in document:
        raw = page.get_textpage().get_text_range()
        texts.append(re.sub(r"\s+", " ", unicodedata.normalize("NFC", raw)))
    return texts


def test_every_font_covers_every_vietnamese_letter():
    letters = vietnamese_letters()
    assert len(letters) == 12 * 6 * 2 + 2
    fonts = sorted(FONTS_DIR.glob("*.ttf"))
    assert {font.name for font in fonts} >= {
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
        "LiberationSerif-BoldItalic.ttf",
        "LiberationSans-Regular.ttf",
        "LiberationSans-Bold.ttf",
    }
    for font in fonts:
        cmap = TTFont(font).getBestCmap()
        missing = sorted(letter for letter in letters if ord(letter) not in cmap)
        assert missing == [], f"{font.name} lacks {missing}"
    assert "SIL OPEN FONT LICENSE" in (FONTS_DIR / "LICENSE-Liberation-OFL-1.1.txt").read_text()


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_form_renders_its_sample(renderer, form):
    context = sample_context(form, rows=12)
    pdf = renderer.render_pdf(form, context)
    assert pdf.startswith(b"%PDF-")
    text = " ".join(page_texts(pdf))
    assert "Trung tâm Phục vụ hành chính công".upper() in text or context["agency"]["name"] in text
    if form == "07":
        for row in context["rows"]:
            assert row["code"] in text
            assert row["applicant_name"] in text
        return
    if form == "ticket":
        assert context["ticket"]["number"] in text
        assert "08:12 05/11/2025" in text
        return
    record = context["record"]
    assert record["code"] in text
    assert unicodedata.normalize("NFC", record["applicant"]["name"]) in text
    assert record["procedure_name"] in text
    if form not in ("receipt80",):
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Độc lập - Tự do - Hạnh phúc" in text
        assert "Nếnh, ngày" in text


def test_slip_01_content_is_exact(renderer):
    context = sample_context("01")
    pages = page_texts(renderer.render_pdf("01", context))
    assert len(pages) == 1
    text = pages[0]
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Nguyễn Thị Hồng Ánh" in text
    assert "000.45.17.H24-251105-0042" in text
    assert "14:35 05/11/2025" in text
    assert "16:30 12/11/2025" in text
    assert "Nếnh, ngày 05 tháng 11 năm 2025" in text
    assert "03 ngày làm việc" in text
    for number, document in enumerate(context["record"]["documents"], start=1):
        assert f"{number} {document['name']} {document['form_label']} {document['count']}" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text


def test_slip_01_fits_one_a5_page(renderer):
    pages = page_texts(renderer.render_pdf("01", sample_context("01"), paper="A5"))
    assert len(pages) == 1
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in pages[0]


def test_slip_01_qr_decodes_to_lookup_url(renderer):
    context = sample_context("01")
    document = pdfium.PdfDocument(renderer.render_pdf("01", context))
    image = document[0].render(scale=200 / 72).to_pil()
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    assert decoded == [context["lookup_url"]]


def test_form_specific_content(renderer):
    text_02 = " ".join(page_texts(renderer.render_pdf("02", sample_context("02"))))
    assert "Thiếu chữ ký của người đi đăng ký" in text_02
    text_03 = " ".join(page_texts(renderer.render_pdf("03", sample_context("03"))))
    assert "Khoản 1 Điều 13 Luật Hộ tịch năm 2014" in text_03
    text_04 = " ".join(page_texts(renderer.render_pdf("04", sample_context("04"))))
    assert "16:30 12/11/2025" in text_04 and "10:00 17/11/2025" in text_04
    assert "Đỗ Mạnh Cường" in text_04
    text_06 = " ".join(page_texts(renderer.render_pdf("06", sample_context("06"))))
    assert "Trước hạn" in text_06 and "Đúng hạn" in text_06 and "Quá hạn" in text_06


def test_register_07_repeats_header_and_keeps_rows_whole(renderer):
    context = sample_context("07", rows=120)
    pages = page_texts(renderer.render_pdf("07", context))
    assert len(pages) >= 4
    for number, text in enumerate(pages, start=1):
        assert "STT Mã hồ sơ Tên thủ tục hành chính" in text
        assert f"Trang {number}/{len(pages)}" in text
    for row in context["rows"]:
        holding = [i for i, text in enumerate(pages) if row["code"] in text]
        assert len(holding) == 1, row["code"]
        page = pages[holding[0]]
        for value in (row["applicant_name"], row["procedure_name"]):
            assert value in page, (row["code"], value)


def test_thermal_raster_is_576_wide_1bit_and_trimmed(renderer):
    for form in ("ticket", "receipt80"):
        image = pdf_to_thermal(renderer.render_pdf(form, sample_context(form)))
        assert image.mode == "1"
        assert image.width == 576
        # 300 mm page at 203 dpi is 2398 rows; the slip itself is far shorter.
        assert 300 < image.height < 1800
        last_row = image.crop((0, image.height - 1, 576, image.height))
        assert last_row.getextrema()[0] == 0, "trailing white rows were not trimmed"
        png = png_bytes(image)
        assert png.startswith(b"\x89PNG")
        assert Image.open(io.BytesIO(png)).size == image.size


def test_thermal_ticket_qr_decodes(renderer):
    context = sample_context("ticket")
    image = pdf_to_thermal(renderer.render_pdf("ticket", context))
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(image.convert("L"))]
    assert decoded == [context["lookup_url"]]


def test_date_lines_follow_decree_30():
    from datetime import date, datetime

    assert place_date(date(2026, 2, 5), "Nếnh") == "Nếnh, ngày 05 tháng 02 năm 2026"
    assert place_date(date(2025, 3, 15), "Nếnh") == "Nếnh, ngày 15 tháng 3 năm 2025"
    assert place_date(None) == "ngày … tháng … năm …"
    assert format_datetime(datetime(2025, 1, 2, 7, 5)) == "07:05 02/01/2025"


def test_fetcher_serves_only_package_assets():
    fetcher = AssetFetcher()
    font_url = (FONTS_DIR / "LiberationSans-Regular.ttf").as_uri()
    assert fetcher.fetch(font_url).read(4) == b"\x00\x01\x00\x00"
    for url in (
        "file:///etc/passwd",
        (FONTS_DIR / ".." / ".." / "errors.py").as_uri(),
        "http://example.com/x.css",
        "https://example.com/x.png",
    ):
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,xin%20ch%C3%A0o").read() == "xin chào".encode()


def test_unknown_form_and_paper_are_refused(renderer):
    with pytest.raises(UserError, match="Không có mẫu in"):
        renderer.render_pdf("99", {})
    with pytest.raises(UserError, match="Khổ giấy"):
        renderer.render_pdf("01", sample_context("01"), paper="Letter")


def test_plain_data_copies_and_refuses_objects():
    from decimal import Decimal

    from markupsafe import Markup

    source = {"a": (1, Decimal("2.5")), "b": Markup("<b>x</b>")}
    copy = plain_data(source)
    assert copy == {"a": [1, Decimal("2.5")], "b": "<b>x</b>"}
    assert type(copy["b"]) is str
    with pytest.raises(UserError, match=r"context\.obj"):
        plain_data({"obj": object()})
    looped: dict = {}
    looped["self"] = looped
    with pytest.raises(UserError):
        plain_data(looped)


def test_user_template_in_process_escapes_and_renders(renderer):
    html = renderer.render_html("custom", {"name": "<script>"}, template_source="<p>{{ name }}</p>")
    assert html == "<p>&lt;script&gt;</p>"


HOSTILE = [
    ("{{ ''.__class__.__mro__ }}", "Dòng 1"),
    ("<p>ok</p>\n{% include '/etc/passwd' %}", "Dòng 2: mẫu in không được dùng include"),
    ("{% extends 'base.html' %}", "không được dùng include"),
    ("{% import 'x.html' as x %}", "không được dùng include"),
    ('<img src="file:///etc/passwd">', "file:///etc/passwd"),
    ('<link rel="stylesheet" href="http://example.com/x.css">', "http://example.com/x.css"),
    ("<style>@import url(/etc/passwd);</style>", "file:///etc/passwd"),
    ("{% for i in range(10**9) %}x{% endfor %}", "vòng lặp hoặc số quá lớn"),
    ("{{ 'x' * 100000000 }}", "thao tác bị chặn"),
    ("{{ [1] * 100000000 }}", "thao tác bị chặn"),
    ("{{ 9 ** 99999999 }}", "thao tác bị chặn"),
    ("{{ x|attr('__class__') }}", "bộ lọc hoặc phép thử không tồn tại hoặc bị cấm"),
    ("{{ '{0.__class__.__mro__}'.format(x) }}", "thao tác bị chặn"),
    ("{% for i in range(99999) %}{{ 'y' * 99999 }}{% endfor %}", "quá nhiều nội dung"),
    ("<p>\n\n{{ broken }</p>", "Dòng 3: lỗi cú pháp"),
    ("{{ 'x'|center(2000000000) }}", "quá nhiều bộ nhớ"),
]


@pytest.mark.parametrize(("source", "expected"), HOSTILE)
def test_hostile_templates_are_refused(sandbox, source, expected):
    with pytest.raises(UserError) as caught:
        sandbox.render_user_template(source, {"x": "chuỗi"}, "A4")
    assert expected in caught.value.text.render("vi")
    assert caught.value.text.render("en")  # English half present too
    pdf = sandbox.render_user_template(GOOD_TEMPLATE, {"name": "Lưu Ánh", "when": None}, "A5")
    assert "Xin chào Lưu Ánh" in page_texts(pdf)[0]


def test_sandbox_kills_slow_template_and_recovers(sandbox):
    slow = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    with pytest.raises(TemplateFailed) as caught:
        sandbox.render_user_template(slow, {}, "A4", timeout=1)
    assert "quá 1 giây" in caught.value.text.render("vi")
    assert "longer than 1 seconds" in caught.value.text.render("en")
    from datetime import datetime

    pdf = sandbox.render_user_template(
        GOOD_TEMPLATE, {"name": "Đặng Thị Ưng", "when": datetime(2025, 11, 5, 9, 0)}, "thermal"
    )
    text = page_texts(pdf)[0]
    assert "Xin chào Đặng Thị Ưng" in text and "09:00 05/11/2025" in text


def test_sandbox_refuses_non_plain_context(sandbox):
    with pytest.raises(UserError, match="không được phép"):
        sandbox.render_user_template(GOOD_TEMPLATE, {"name": object()}, "A4")


def test_sandbox_renders_builtin_qr_filter(sandbox):
    url = "https://nenh.example.vn/tra-cuu?ma=ABC"
    pdf = sandbox.render_user_template(
        "<div style='width:40mm'>{{ url|qr }}</div>", {"url": url}, "A4"
    )
    image = pdfium.PdfDocument(pdf)[0].render(scale=200 / 72).to_pil()
    assert [barcode.text for barcode in zxingcpp.read_barcodes(image)] == [url]
