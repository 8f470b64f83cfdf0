"""Attachments: checked by content (never by name), size-limited, stored per ward with a
checksum and a random name, served only to users of that ward; nothing kept on refusal."""

from __future__ import annotations

import hashlib
import io

import pytest

from conftest import csrf_token, login, ward_of
from motcua.errors import UserError
from motcua.records.attachments import check_file, sniff
from motcua.records.models import Attachment, Record
from motcua.records.service import Applicant, receive
from records_support import MARITAL, at_counter, publish_form, sample_values


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 40)).save(out, "JPEG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
HTML = b"<!doctype html><script>alert(1)</script>"


def test_content_decides_not_the_name():
    assert check_file("giay-khai-sinh.pdf", PDF, 10_000).content_type == "application/pdf"
    assert check_file("anh.png", png_bytes(), 10_000).content_type == "image/png"
    scanned = check_file("scan.jpeg", jpeg_bytes(), 10_000)
    assert scanned.content_type == "image/jpeg" and scanned.name == "scan.jpeg"
    # A real PNG sent under a PDF name keeps its content's type and gets the right extension.
    assert check_file("hop-dong.pdf", png_bytes(), 10_000).name == "hop-dong.png"
    assert check_file("../../etc/passwd.png", png_bytes(), 10_000).name == "passwd.png"
    assert check_file("a.pdf", PDF, 10_000).sha256 == hashlib.sha256(PDF).hexdigest()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("setup.pdf", EXE),
        ("trang.pdf", HTML),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 50),
        ("anh.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 50),
        ("cut.pdf", b"%PDF-1.4\n" + b"x" * 2000),  # no %%EOF: truncated or not a PDF
        ("rong.pdf", b""),
    ],
)
def test_disguised_or_broken_files_are_refused(name, data):
    with pytest.raises(UserError) as refused:
        check_file(name, data, 10_000)
    assert refused.value.details["field"] == "attachments"
    assert sniff(data) is None


def test_oversized_file_is_refused_with_the_limit():
    with pytest.raises(UserError) as refused:
        check_file("to.pdf", PDF + b" " * 2_000_000, 1024 * 1024)
    assert "1 MB" in refused.value.text.render("vi")


def files_in(app) -> list:
    root = app.extensions["motcua.settings"].data_dir / "attachments"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def reception_form(token: str, **extra: object) -> dict[str, object]:
    values = {
        f"v.{k}": ("true" if v is True else "false" if v is False else str(v))
        for k, v in sample_values().items()
        if not isinstance(v, list)
    }
    return {"csrf_token": token, **values, "channel": "direct", **at_counter(), **extra}


def test_reception_stores_files_and_serves_them_to_the_ward_only(
    app, client, users, ward_a, ward_b
):
    publish_form(ward_a, MARITAL)
    login(client, "canbo-a")
    base = f"/{ward_a.slug}/ho-so"
    token = csrf_token(client, f"{base}/tiep-nhan/{MARITAL}")
    saved = client.post(
        f"{base}/tiep-nhan/{MARITAL}",
        data=reception_form(
            token,
            files=[(io.BytesIO(PDF), "don.pdf"), (io.BytesIO(png_bytes()), "cccd mat truoc.png")],
        ),
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    record = Record.get()
    stored = list(Attachment.select().where(Attachment.record == record.id).order_by(Attachment.id))
    assert [a.name for a in stored] == ["don.pdf", "cccd mat truoc.png"]
    on_disk = files_in(app)
    assert len(on_disk) == 2 and all(p.parent.name == ward_a.code for p in on_disk)
    assert {p.name for p in on_disk} == {a.stored_name for a in stored}
    assert all("don" not in p.name and "cccd" not in p.name for p in on_disk)  # random names
    assert stored[0].sha256 == hashlib.sha256(PDF).hexdigest()

    page = client.get(f"{base}/{record.code}").get_data(as_text=True)
    assert "don.pdf" in page and "cccd mat truoc.png" in page
    got = client.get(f"{base}/{record.code}/tep/{stored[1].id}")
    assert got.status_code == 200 and got.data == png_bytes()
    assert got.headers["Content-Type"] == "image/png"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert "cccd%20mat%20truoc.png" in got.headers["Content-Disposition"]

    # Another ward's user never gets the file, whatever URL they try.
    client.post("/logout", data={"csrf_token": token})
    login(client, "canbo-b")
    assert client.get(f"{base}/{record.code}/tep/{stored[1].id}").status_code in (403, 404)
    assert client.get(f"/{ward_b.slug}/ho-so/{record.code}/tep/{stored[1].id}").status_code == 404


def test_an_attachment_of_another_record_or_ward_is_not_found(app, client, users, ward_a, ward_b):
    publish_form(ward_a, MARITAL)
    publish_form(ward_b, MARITAL)
    data_dir = app.extensions["motcua.settings"].data_dir
    mine = receive(ward_of(ward_a), MARITAL, sample_values(), applicant=Applicant(""), actor="x").record
    theirs = receive(
        ward_of(ward_b),
        MARITAL,
        sample_values(),
        applicant=Applicant(""),
        actor="x",
        attachments=[check_file("b.pdf", PDF, 10_000)],
    ).record
    foreign = Attachment.get(Attachment.record == theirs.id)
    login(client, "canbo-a")
    assert client.get(f"/{ward_a.slug}/ho-so/{mine.code}/tep/{foreign.id}").status_code == 404
    # A stored file changed on the server is refused rather than served.
    (data_dir / "attachments" / ward_b.code / foreign.stored_name).write_bytes(b"%PDF-tampered")
    login(client, "canbo-b")
    assert client.get(f"/{ward_b.slug}/ho-so/{theirs.code}/tep/{foreign.id}").status_code == 404


def test_refused_uploads_write_nothing(app, client, users, ward_a):
    publish_form(ward_a, MARITAL)
    login(client, "canbo-a")
    base = f"/{ward_a.slug}/ho-so"
    token = csrf_token(client, f"{base}/tiep-nhan/{MARITAL}")
    disguised = client.post(
        f"{base}/tiep-nhan/{MARITAL}",
        data=reception_form(token, files=[(io.BytesIO(EXE), "don.pdf")]),
        content_type="multipart/form-data",
    )
    assert disguised.status_code == 422
    assert "không phải PDF, JPEG hay PNG" in disguised.get_data(as_text=True)
    assert Record.select().count() == 0 and Attachment.select().count() == 0 and not files_in(app)

    # A valid file with an invalid dossier: nothing either.
    invalid = client.post(
        f"{base}/tiep-nhan/{MARITAL}",
        data=reception_form(token, **{"v.ngay_sinh": "x"}, files=[(io.BytesIO(PDF), "don.pdf")]),
        content_type="multipart/form-data",
    )
    assert invalid.status_code == 422
    assert Record.select().count() == 0 and Attachment.select().count() == 0 and not files_in(app)

    record = receive(ward_of(ward_a), MARITAL, sample_values(), applicant=Applicant(""), actor="x").record
    settings = app.extensions["motcua.settings"]
    app.extensions["motcua.settings"] = settings.with_overrides(attachment_max_bytes=1024)
    try:
        for name, data, message in (
            ("to.pdf", PDF + b" " * 4096, "lớn hơn 1 KB cho phép"),
            ("anh.png", HTML, "không phải PDF, JPEG hay PNG"),
            ("x.jpg", EXE, "không phải PDF, JPEG hay PNG"),
        ):
            refused = client.post(
                f"{base}/{record.code}/tep",
                data={"csrf_token": token, "files": [(io.BytesIO(data), name)]},
                content_type="multipart/form-data",
            )
            assert refused.status_code == 422 and message in refused.get_data(as_text=True), name
        assert Attachment.select().count() == 0 and not files_in(app)
        added = client.post(
            f"{base}/{record.code}/tep",
            data={"csrf_token": token, "files": [(io.BytesIO(PDF), "bo-sung.pdf")]},
            content_type="multipart/form-data",
        )
        assert added.status_code == 302
        assert [a.name for a in Attachment.select()] == ["bo-sung.pdf"] and len(files_in(app)) == 1
    finally:
        app.extensions["motcua.settings"] = settings
