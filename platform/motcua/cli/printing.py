"""``motcua print``: a form of a record, or the tracking book, to a file (``motcua worker``, in
:mod:`motcua.cli.connectors`, renders queued print jobs and delivers the portal outbox)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import click

from motcua.cli import app_context, fail, say, user_errors
from motcua.i18n import T

FORM_CHOICES = ("01", "02", "03", "04", "05", "06", "07", "ticket", "receipt80")


def register(main: click.Group) -> None:
    """Add ``print`` to ``main``."""

    @main.command("print")
    @click.option(
        "--tenant", "tenant_code", required=True, help="Mã phường/xã (ward code), ví dụ 07795"
    )
    @click.option("--record", "record_code", help="Mã hồ sơ (record code); không dùng cho mẫu 07")
    @click.option(
        "--form", "form", required=True, help="01..07, ticket, receipt80 hoặc mẫu của thủ tục"
    )
    @click.option(
        "--from",
        "start",
        type=click.DateTime(["%Y-%m-%d"]),
        help="Mẫu 07: từ ngày (from, YYYY-MM-DD)",
    )
    @click.option(
        "--to",
        "end",
        type=click.DateTime(["%Y-%m-%d"]),
        help="Mẫu 07: đến ngày, tính cả ngày đó (to, inclusive)",
    )
    @click.option("--copies", default=1, show_default=True, type=int, help="Số bản (copies)")
    @click.option(
        "--reprint/--no-reprint",
        default=None,
        help="Đánh dấu in lại (mark as a reprint); mặc định tự nhận biết",
    )
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Tệp PDF ghi ra (PDF file)",
    )
    @click.option(
        "--raster",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Ghi ảnh 1-bit 203 dpi cho máy in nhiệt (write the thermal PNG) thay cho PDF",
    )
    @click.option(
        "--actor",
        default="cli",
        show_default=True,
        help="Người in ghi vào nhật ký (who prints, for the audit log)",
    )
    @user_errors
    def print_command(
        tenant_code: str,
        record_code: str | None,
        form: str,
        start: object,
        end: object,
        copies: int,
        reprint: bool | None,
        output: Path | None,
        raster: Path | None,
        actor: str,
    ) -> None:
        """In một mẫu của hồ sơ ra tệp (print a record's form to a file): tạo lệnh in, ghi nhật ký."""
        from motcua.printing import pdf_to_thermal, png_bytes
        from motcua.printing.jobs import pdf_for, print_record, print_register
        from motcua.tenancy.models import Tenant
        from motcua.web.ward import ward_for

        if (output is None) == (raster is None):
            fail(
                T(
                    "Cần đúng một trong -o FILE.pdf hoặc --raster FILE.png",
                    "Give exactly one of -o FILE.pdf or --raster FILE.png",
                ),
                code=2,
            )
        with app_context() as app:
            tenant = Tenant.get_or_none(Tenant.code == tenant_code)
            if tenant is None:
                fail(
                    T(
                        "Không có phường/xã mã {code}",
                        "There is no ward with code {code}",
                        code=tenant_code,
                    )
                )
            ward = ward_for(app, tenant)
            if form == "07":
                if start is None or end is None:
                    fail(T("Mẫu 07 cần --from và --to", "Form 07 needs --from and --to"), code=2)
                first: date = start.date()  # type: ignore[attr-defined]
                last: date = end.date()  # type: ignore[attr-defined]
                job = print_register(ward, first, last + timedelta(days=1), actor=actor)
            else:
                if not record_code:
                    fail(T("Cần --record MÃ_HỒ_SƠ", "--record RECORD_CODE is required"), code=2)
                job = print_record(
                    ward, record_code, form, copies=copies, actor=actor, reprint=reprint
                )
            pdf = pdf_for(ward, job)
        if raster is not None:
            raster.write_bytes(png_bytes(pdf_to_thermal(pdf)))
            target = raster
        else:
            assert output is not None
            output.write_bytes(pdf)
            target = output
        say(
            T(
                "Lệnh in số {id} ({form}) đã ghi ra {file}",
                "Print job {id} ({form}) written to {file}",
                id=job.id,
                form=form,
                file=str(target),
            )
        )

