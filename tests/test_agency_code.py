"""The agency's electronic ID (agency_code): record codes start with it when set, and the
ward admin sees a notice while it is empty."""

from __future__ import annotations

from datetime import datetime

from conftest import login, ward_of
from motcua.records import Applicant, receive
from motcua.tenancy.models import Tenant
from records_support import MARITAL, publish_form, sample_values

APPLICANT = Applicant("Vũ Hoàng Nam", "024096003333", "0977111222", "Tổ 3, phường Nếnh")


def test_admin_sees_a_notice_while_the_agency_code_is_empty(client, users, ward_a):
    login(client, "quantri-a")
    page = client.get(f"/{ward_a.slug}/").get_data(as_text=True)
    assert 'data-agency-code="missing"' in page and "Quyết định 20/2020/QĐ-TTg" in page
    client.post("/logout")
    login(client, "canbo-a")  # counter staff cannot change it: no notice for them
    assert 'data-agency-code="missing"' not in client.get(f"/{ward_a.slug}/").get_data(as_text=True)


def test_the_notice_goes_and_record_codes_use_the_agency_code_once_set(client, users, ward_a):
    publish_form(ward_a, MARITAL)
    received = datetime(2026, 3, 2, 9, 0)
    first = receive(ward_of(ward_a), MARITAL, sample_values(), applicant=APPLICANT, actor="cb",
                    now=received).record
    assert first.code == f"{ward_a.code}-260302-0001"
    Tenant.update(agency_code="000.00.24.H10").where(Tenant.id == ward_a.id).execute()
    tenant = Tenant.get_by_id(ward_a.id)
    second = receive(ward_of(tenant), MARITAL, sample_values(), applicant=APPLICANT, actor="cb",
                     now=received).record
    assert second.code == "000.00.24.H10-260302-0002"
    login(client, "quantri-a")
    assert 'data-agency-code="missing"' not in client.get(f"/{ward_a.slug}/").get_data(as_text=True)
