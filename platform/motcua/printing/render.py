"""HTML forms to PDF with WeasyPrint, with fonts and stylesheets parsed once per process.

A :class:`PrintRenderer` is created once per process (the app or a render worker owns it):
it keeps one ``FontConfiguration`` and the parsed stylesheets, which saves about 16 % per
render (research note perf-floor.md section 4), and fetches only the package's own assets.
"""

from __future__ import annotations

import mimetypes
from collections import OrderedDict
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import Template
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from motcua.errors import UserError
from motcua.i18n import T
from motcua.printing.templating import (
    builtin_environment,
    compile_source,
    plain_data,
    render_limited,
    sandboxed_environment,
)

ASSETS_DIR = Path(__file__).resolve().parent
ASSET_FOLDERS = ("fonts", "css", "images")
TEMPLATES_DIR = ASSETS_DIR / "templates"

# Page rules per paper. Margins for A4 follow Decree 30/2020/ND-CP, Appendix I
# (top/bottom 20-25 mm, left 30-35 mm, right 15-20 mm). Thermal: 72 mm printable width
# of 80 mm paper; "size: 80mm auto" is invalid CSS and silently becomes A4.
PAPERS: dict[str, str] = {
    "A4": "@page { size: A4; margin: 20mm 15mm 20mm 30mm }",
    "A5": (
        "@page { size: A5; margin: 10mm 10mm 10mm 15mm }"
        " html { font-size: 10pt; line-height: 1.2 } p { margin-bottom: 1pt }"
        " table.grid th, table.grid td { padding: 1pt 3pt } .agency-parent, .agency-name, .motto { font-size: 9pt }"
        " .slogan, .number, .place-date { font-size: 10pt } h1.title { font-size: 11.5pt }"
        " .sign-space { height: 12mm } svg.qr { width: 22mm; height: 22mm }"
    ),
    "A4-landscape": (
        "@page { size: A4 landscape; margin: 15mm 12mm 16mm 15mm;"
        ' @bottom-center { content: "Trang " counter(page) "/" counter(pages);'
        ' font-family: "Motcua Serif"; font-size: 10pt } }'
    ),
    "thermal": "@page { size: 72mm 300mm; margin: 0 }",
}

# form -> default paper; the template is templates/<form>.html.
FORMS: dict[str, str] = {
    "01": "A4",
    "02": "A4",
    "03": "A4",
    "04": "A4",
    "05": "A4",
    "06": "A4",
    "07": "A4-landscape",
    "ticket": "thermal",
    "receipt80": "thermal",
}

_COMPILED_CACHE_SIZE = 64


class ResourceRefused(FatalURLFetchingError):
    """A template asked for a resource outside the package's printing assets."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class AssetFetcher(URLFetcher):
    """WeasyPrint URL fetcher serving only ``fonts/``, ``css/`` and ``images/`` of this package.

    ``data:`` URLs are allowed; anything else (other files, http, https, ftp) raises
    :class:`ResourceRefused`, which stops the render at once.
    """

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Return the asset at ``url``.

        :raises ResourceRefused: ``url`` is not a package asset nor a ``data:`` URL.
        """
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            for folder in ASSET_FOLDERS:
                if path.is_relative_to(ASSETS_DIR / folder) and path.is_file():
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, path.read_bytes(), headers={"Content-Type": content_type}
                    )
        raise ResourceRefused(url)


class PrintRenderer:
    """Renders forms to HTML and PDF; create one per process and keep it.

    Holds the font configuration, the parsed stylesheets per paper, the trusted Jinja
    environment for built-in templates and the sandboxed one for ``template_source``.
    Render from one thread at a time (one instance per worker process or thread).
    """

    def __init__(self) -> None:
        self.font_config = FontConfiguration()
        self.url_fetcher = AssetFetcher()
        self.base_url = ASSETS_DIR.as_uri() + "/"
        fonts = self._css_file("fonts.css")
        document = self._css_file("document.css")
        thermal = self._css_file("thermal.css")
        self.stylesheets: dict[str, list[CSS]] = {}
        for paper, page_rule in PAPERS.items():
            body = thermal if paper == "thermal" else document
            page = CSS(
                string=page_rule,
                base_url=self.base_url,
                url_fetcher=self.url_fetcher,
                font_config=self.font_config,
            )
            self.stylesheets[paper] = [fonts, body, page]
        self.env = builtin_environment(TEMPLATES_DIR)
        self.sandbox_env = sandboxed_environment()
        self._compiled: OrderedDict[str, Template] = OrderedDict()

    def _css_file(self, name: str) -> CSS:
        return CSS(
            filename=str(ASSETS_DIR / "css" / name),
            url_fetcher=self.url_fetcher,
            font_config=self.font_config,
        )

    def render_html(
        self, form: str, context: dict[str, Any], *, template_source: str | None = None
    ) -> str:
        """Return the HTML of ``form`` filled with ``context``.

        With ``template_source`` (an administrator's or plugin's template) the source is
        rendered in the sandbox over a plain-data copy of ``context``, and ``form`` only
        names the document.

        :raises UserError: unknown form, or context data that is not plain.
        :raises TemplateFailed: the user template failed (message names the line).
        """
        if template_source is not None:
            template = self._compile(template_source)
            return render_limited(template, plain_data(context))
        if form not in FORMS:
            raise UserError(
                T(
                    "Không có mẫu in {form}; các mẫu có sẵn: {known}.",
                    "There is no print form {form}; built-in forms: {known}.",
                    form=form,
                    known=", ".join(FORMS),
                )
            )
        return self.env.get_template(f"{form}.html").render(**context)

    def render_pdf(
        self,
        form: str,
        context: dict[str, Any],
        *,
        template_source: str | None = None,
        paper: str | None = None,
    ) -> bytes:
        """Return the PDF of ``form`` filled with ``context``.

        ``paper`` is one of :data:`PAPERS` ("A4", "A5", "A4-landscape", "thermal"); it
        defaults to the form's own paper, or A4 for a user template of unknown form.

        :raises UserError: unknown form or paper, non-plain context data, or the template
            asked for a file or web resource (only the package's assets may be used).
        :raises TemplateFailed: the user template failed.
        """
        paper = paper or FORMS.get(form, "A4")
        if paper not in PAPERS:
            raise UserError(
                T(
                    "Khổ giấy {paper} không được hỗ trợ; chọn một trong: {known}.",
                    "Paper {paper} is not supported; choose one of: {known}.",
                    paper=paper,
                    known=", ".join(PAPERS),
                )
            )
        html = self.render_html(form, context, template_source=template_source)
        return self.html_to_pdf(html, paper)

    def html_to_pdf(self, html: str, paper: str) -> bytes:
        """Return ``html`` laid out on ``paper`` as PDF bytes.

        :raises UserError: the HTML asked for a resource outside the package's assets.
        """
        try:
            document = HTML(string=html, base_url=self.base_url, url_fetcher=self.url_fetcher)
            return document.write_pdf(
                stylesheets=self.stylesheets[paper], font_config=self.font_config
            )
        except ResourceRefused as exc:
            raise UserError(
                T(
                    "Mẫu in không được tải tài nguyên ngoài: {url}. Chỉ dùng phông chữ, "
                    "CSS và hình ảnh có sẵn của hệ thống, hoặc ảnh dạng data:.",
                    "A print template may not load outside resources: {url}. Use only the "
                    "system's own fonts, CSS and images, or data: images.",
                    url=exc.url[:200],
                ),
                url=exc.url[:200],
            ) from None

    def _compile(self, source: str) -> Template:
        template = self._compiled.get(source)
        if template is None:
            template = compile_source(self.sandbox_env, source)
            self._compiled[source] = template
            if len(self._compiled) > _COMPILED_CACHE_SIZE:
                self._compiled.popitem(last=False)
        else:
            self._compiled.move_to_end(source)
        return template
