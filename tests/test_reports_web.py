"""Report pages: the dashboard, the records behind a number, the Excel and CSV exports."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from conftest import csrf_token, login, make_tenant
from reports_support import EXPECTED_MARCH, MARCH, build_march

PERIOD = {"from": MARCH[0], "to": MARCH[1]}


def test_leader_sees_the_figures_and_charts(client, users, ward_a):
    build_march(ward_a)
    login(client, "lanhdao-a")
    page = client.get(f"/{ward_a.slug}/bao-cao/", query_string=PERIOD)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "01/03/2026 – 31/03/2026" in html and "22 ngày làm việc" in html
    assert 'class="figure figure-received"' in html and '<span class="value">6</span>' in html
    assert "62,50 %" in html and "66,67 %" in html  # rate B and rate A
    assert html.count('<svg class="chart') == 3 and "<title>" in html
    assert 'data-measure="overdue"' in html


def test_a_number_opens_the_records_behind_it(client, users, ward_a):
    made = build_march(ward_a)
    login(client, "lanhdao-a")
    page = client.get(f"/{ward_a.slug}/bao-cao/ho-so", query_string={**PERIOD, "measure": "overdue"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<strong id="drill-total">2</strong>' in html
    assert made["P3"].code in html and made["M3"].code in html and made["M4"].code not in html
    row = client.get(f"/{ward_a.slug}/bao-cao/ho-so",
                     query_string={**PERIOD, "measure": "received", "by": "procedure",
                                   "key": "chung-thuc-ban-sao"}).get_data(as_text=True)
    assert '<strong id="drill-total">1</strong>' in row and made["M2"].code in row
    bad = client.get(f"/{ward_a.slug}/bao-cao/ho-so", query_string={**PERIOD, "measure": "colour"})
    assert bad.status_code == 400 and "received" in bad.get_data(as_text=True)


def test_bad_period_is_explained(client, users, ward_a):
    login(client, "lanhdao-a")
    page = client.get(f"/{ward_a.slug}/bao-cao/", query_string={"from": "2026-03-31", "to": "2026-03-01"})
    assert page.status_code == 400 and "sau ngày kết thúc" in page.get_data(as_text=True)


def test_staff_may_not_see_reports(client, users, ward_a):
    login(client, "canbo-a")
    assert client.get(f"/{ward_a.slug}/bao-cao/").status_code == 403


def test_excel_export_has_headers_formats_and_a_sheet_per_breakdown(client, users, ward_a):
    build_march(ward_a)
    login(client, "lanhdao-a")
    response = client.get(f"/{ward_a.slug}/bao-cao/xuat.xlsx", query_string=PERIOD)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Tổng hợp", "Theo thủ tục", "Theo lĩnh vực", "Theo điểm tiếp nhận"]
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=4, values_only=True)}
    assert summary["Tiếp nhận trong kỳ"] == 6 and summary["Kỳ trước chuyển sang"] == 2
    assert summary["Tỷ lệ đúng hạn (B)"] == EXPECTED_MARCH["on_time_rate_b"]
    sheet = book["Theo thủ tục"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["STT", "Thủ tục", "Kỳ trước chuyển sang", "Tiếp nhận trong kỳ"]
    assert sheet.freeze_panes == "C2"
    total = [c.value for c in sheet[sheet.max_row]]
    assert total[1] == "Tổng cộng" and total[3] == 6
    rate_cell = sheet.cell(2, header.index("Tỷ lệ đúng hạn (A)") + 1)
    assert rate_cell.number_format == "0.00%" and sheet.cell(2, 4).number_format == "#,##0"


def test_csv_export_is_utf8_with_bom(client, users, ward_a):
    build_march(ward_a)
    login(client, "lanhdao-a")
    body = client.get(f"/{ward_a.slug}/bao-cao/xuat.csv", query_string={**PERIOD, "by": "field"}).data
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["STT", "Lĩnh vực", "Kỳ trước chuyển sang"]
    assert rows[-1][1] == "Tổng cộng" and rows[-1][3] == "6"
    assert rows[-1][rows[0].index("Tỷ lệ đúng hạn (B)")] == "0.625"


def test_province_admin_sees_wards_side_by_side(client, users, ward_a):
    build_march(ward_a)
    neighbour = make_tenant("07798")
    login(client, "tinh-a")
    page = client.get(f"/tinh/{ward_a.province.slug}/bao-cao/", query_string=PERIOD)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    table = html[html.index('id="breakdown"'):]
    assert ward_a.name in table and neighbour.name in table
    assert html.count('<svg class="chart') == 4  # trend, channels, wards, on-time by ward
    drill = client.get(f"/tinh/{ward_a.province.slug}/bao-cao/ho-so",
                       query_string={**PERIOD, "measure": "received", "by": "ward", "key": str(ward_a.id)})
    assert '<strong id="drill-total">6</strong>' in drill.get_data(as_text=True)
    assert f"/{ward_a.slug}/ho-so/" in drill.get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get(f"/tinh/{ward_a.province.slug}/bao-cao/xuat.xlsx",
                                               query_string=PERIOD).data))
    assert "Theo phường, xã" in book.sheetnames


def test_ward_admin_may_not_open_the_province_report(client, users, ward_a):
    login(client, "quantri-a")
    assert client.get(f"/tinh/{ward_a.province.slug}/bao-cao/").status_code == 403


def pdf_text(pdf: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_pdf_report_has_the_header_and_the_same_numbers(client, users, ward_a):
    build_march(ward_a)
    login(client, "lanhdao-a")
    response = client.get(f"/{ward_a.slug}/bao-cao/xuat.pdf", query_string=PERIOD)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = " ".join(pdf_text(response.data).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text.upper() and "ỦY BAN NHÂN DÂN PHƯỜNG NẾNH" in text.upper()
    assert "từ ngày 01/03/2026 đến ngày 31/03/2026" in text
    for label, value in (("Tiếp nhận trong kỳ", "6"), ("Kỳ trước chuyển sang", "2"),
                         ("Đang giải quyết quá hạn", "2"), ("Phi địa giới", "1")):
        assert f"{label} {value}" in text, label
    assert "62,50 %" in text and "66,67 %" in text and "33,33 %" in text
    assert "Theo thủ tục" in text and "Theo điểm tiếp nhận" in text and "Tổng cộng" in text


def test_english_page_writes_numbers_the_english_way(client, users, ward_a):
    build_march(ward_a)
    login(client, "lanhdao-a")
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client, f"/{ward_a.slug}/")})
    html = client.get(f"/{ward_a.slug}/bao-cao/", query_string=PERIOD).get_data(as_text=True)
    assert "On-time rate (B)" in html and "62.50%" in html and "62,50 %" not in html
