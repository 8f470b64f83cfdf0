"""Accessibility sweep in a real browser: on every main screen, each form control has an
accessible name (label, aria-label or title), the page declares its language, has one h1,
and no image lacks alternative text. In Vietnamese and in English."""

from __future__ import annotations

import pytest

from browser_support import browser, live_server, page  # noqa: F401 - fixtures
from conftest import ward_of
from motcua.records.service import Applicant, receive
from records_support import CERTIFY, publish_form, sample_values

pytestmark = pytest.mark.browser

UNNAMED_CONTROLS = """
() => Array.from(document.querySelectorAll('input, select, textarea, button'))
  .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
  .filter(el => {
    const named = (el.labels && el.labels.length) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby') || el.getAttribute('title')
      || (el.tagName === 'BUTTON' && el.textContent.trim())
      || (el.type === 'submit' && el.value);
    return !named;
  })
  .map(el => el.outerHTML.slice(0, 160))
"""


def screens(slug: str, code: str) -> list[str]:
    return [
        f"/{slug}/",
        f"/{slug}/ho-so/",
        f"/{slug}/ho-so/tiep-nhan/",
        f"/{slug}/ho-so/tiep-nhan/{CERTIFY}",
        f"/{slug}/ho-so/{code}",
        f"/{slug}/thu-tuc/",
        f"/{slug}/quy-trinh/",
        f"/{slug}/quy-trinh/{CERTIFY}/",
        f"/{slug}/mau-in/",
        f"/{slug}/lich/",
        f"/{slug}/quay/",
        f"/{slug}/plugins/",
        f"/{slug}/in/so-theo-doi",
        f"/{slug}/bao-cao/",
        f"/{slug}/tra-cuu?ma={code}",
    ]


def test_every_main_screen_names_its_controls(live_server, page, users, ward_a):  # noqa: F811
    publish_form(ward_a, CERTIFY)
    from motcua.notebooks import read_ipynb
    from motcua.notebooks.service import import_notebook  # the editor needs a draft
    from records_support import FORMS

    import_notebook(ward_a, read_ipynb(FORMS / f"{CERTIFY}.ipynb"), actor="test")
    code = receive(
        ward_of(ward_a),
        CERTIFY,
        sample_values(CERTIFY),
        applicant=Applicant(name="Hà Thị Mai"),
        actor="quantri-a",
    ).record.code
    # The sweep itself can fail: an input with no label is caught, a labelled one is not.
    page.set_content('<main><input id="a"><label for="b">B</label><input id="b"></main>')
    assert len(page.evaluate(UNNAMED_CONTROLS)) == 1
    live_server.sign_in(page, "quantri-a")
    problems: list[str] = []
    for lang in ("vi", "en"):
        if lang == "en":
            page.goto(f"{live_server.url}/{ward_a.slug}/")
            page.get_by_role("button", name="English").click()
        for path in screens(ward_a.slug, code):
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, (
                f"{path}: {response and response.status}"
            )
            if page.evaluate("document.documentElement.lang") != lang:
                problems.append(f"{lang} {path}: <html lang> is not {lang}")
            if page.locator("h1").count() != 1:
                problems.append(f"{lang} {path}: {page.locator('h1').count()} h1 elements")
            for control in page.evaluate(UNNAMED_CONTROLS):
                problems.append(f"{lang} {path}: unnamed control {control}")
            if page.locator("img:not([alt])").count():
                problems.append(f"{lang} {path}: image without alt")
    assert not problems, "\n".join(problems)
