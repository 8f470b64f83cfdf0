"""Small things a new user trips on: the print event's label, the favicon, the public
lookup's rate limit (only misses count) and its styling."""

from __future__ import annotations

from conftest import login, ward_of
from motcua.printing.jobs import print_record
from motcua.records.service import Applicant, receive
from records_support import MARITAL, publish_form, sample_values


def test_the_print_event_is_named_in_the_control_sheet(client, users, ward_a):
    publish_form(ward_a, MARITAL)
    record = receive(ward_of(ward_a), MARITAL, sample_values(), applicant=Applicant(""), actor="x").record
    print_record(ward_of(ward_a), record.code, "01", actor="canbo-a")
    login(client, "canbo-a")
    page = client.get(f"/{ward_a.slug}/ho-so/{record.code}").get_data(as_text=True)
    row = page.split('data-action="printed"', 1)[1].split("</tr>", 1)[0]
    assert "<td>In phiếu</td>" in row and ">printed<" not in row


def test_the_favicon_is_served(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 200 and answer.mimetype == "image/svg+xml"


def test_the_lookup_limits_misses_only(app, client, users, ward_a):
    publish_form(ward_a, MARITAL)
    code = receive(ward_of(ward_a), MARITAL, sample_values(), applicant=Applicant(""), actor="x").record.code
    app.config["RATELIMIT_ENABLED"] = True
    app.extensions["motcua.limiter"].reset()
    limit = int(app.extensions["motcua.settings"].lookup_rate_limit.split()[0])
    url = f"/{ward_a.slug}/tra-cuu"
    hits = [client.get(f"{url}?ma={code}").status_code for _ in range(limit + 5)]
    assert set(hits) == {200}  # checking one's own record again and again is never slowed
    misses = [client.get(f"{url}?ma=KHONG-CO-{n}").status_code for n in range(limit + 2)]
    assert misses[:limit] == [404] * limit and misses[limit:] == [429, 429]
    page = client.get(f"{url}?ma={code}")
    assert page.status_code == 429 and "Quá nhiều yêu cầu" in page.get_data(as_text=True)


def test_the_lookup_page_is_styled(client, ward_a):
    page = client.get(f"/{ward_a.slug}/tra-cuu").get_data(as_text=True)
    assert "records.css" in page and 'class="card lookup-form"' in page
