"""The ward admin manages the ward's people from the web: add staff with a role and
counters, change them, reset a password, disable and enable; every change audited, nothing
reaching another ward."""

from __future__ import annotations

from conftest import PASSWORD, csrf_token, login
from motcua.accounts.models import Membership, User
from motcua.audit import AuditLog
from motcua.tenancy.models import Counter

NEW_PASSWORD = "mat-khau-moi-cua-lan"


def actions(target: str) -> list[str]:
    return [row.action for row in AuditLog.select().where(AuditLog.target == target).order_by(AuditLog.id)]


def test_the_ward_admin_adds_and_manages_a_staff_member(client, users, ward_a):
    login(client, "quantri-a")
    url = f"/{ward_a.slug}/nguoi-dung/"
    page = client.get(url).get_data(as_text=True)
    assert "canbo-a" in page and "canbo-b" not in page  # only the ward's own people
    token = csrf_token(client, url)
    desk = Counter.get(Counter.tenant == ward_a)

    short = client.post(url, data={"csrf_token": token, "login": "canbo-moi", "password": "ngan",
                                   "role": "staff"})
    assert short.status_code == 422 and "ít nhất 10 ký tự" in short.get_data(as_text=True)
    assert not User.select().where(User.login == "canbo-moi").exists()

    added = client.post(url, data={"csrf_token": token, "login": "canbo-moi", "password": PASSWORD,
                                   "role": "staff", "full_name": "Lê Văn Mới", "counters": [str(desk.id)]})
    assert added.status_code == 302
    assert "Đã thêm người dùng canbo-moi" in client.get(added.headers["Location"]).get_data(as_text=True)
    member = Membership.get(Membership.user == User.get(User.login == "canbo-moi").id)
    assert member.tenant_id == ward_a.id and member.role == "staff" and member.counters == [desk.id]

    changed = client.post(f"{url}canbo-moi", data={"csrf_token": token, "role": "leader", "counters": []})
    assert changed.status_code == 302
    member = Membership.get_by_id(member.id)
    assert member.role == "leader" and member.counters == []

    reset = client.post(f"{url}canbo-moi/mat-khau", data={"csrf_token": token, "password": NEW_PASSWORD})
    assert reset.status_code == 302
    disabled = client.post(f"{url}canbo-moi/trang-thai", data={"csrf_token": token, "active": "0"})
    assert disabled.status_code == 302 and not Membership.get_by_id(member.id).active

    other = client.application.test_client()
    assert login(other, "canbo-moi", PASSWORD).status_code == 401  # the old password is gone
    login(other, "canbo-moi", NEW_PASSWORD)
    assert other.get(f"/{ward_a.slug}/ho-so/").status_code == 403  # disabled in the ward

    client.post(f"{url}canbo-moi/trang-thai", data={"csrf_token": token, "active": "1"})
    assert other.get(f"/{ward_a.slug}/ho-so/").status_code == 200
    assert [a for a in actions("canbo-moi") if a.startswith("user.")] == [
        "user.create", "user.add", "user.update", "user.password_reset", "user.disable", "user.enable"
    ]


def test_an_admin_cannot_lock_themself_out_nor_touch_another_wards_user(client, users, ward_a):
    login(client, "quantri-a")
    url = f"/{ward_a.slug}/nguoi-dung/"
    token = csrf_token(client, url)
    himself = client.post(f"{url}quantri-a/trang-thai", data={"csrf_token": token, "active": "0"})
    assert himself.status_code == 403 and Membership.get(Membership.user == users.admin_a.id).active
    demoted = client.post(f"{url}quantri-a", data={"csrf_token": token, "role": "staff"})
    assert demoted.status_code == 403
    for path in ("canbo-b", "canbo-b/mat-khau", "canbo-b/trang-thai"):
        answer = client.post(f"{url}{path}", data={"csrf_token": token, "role": "staff", "active": "0",
                                                   "password": NEW_PASSWORD})
        assert answer.status_code == 404, path
    assert Membership.get(Membership.user == users.staff_b.id).active


def test_staff_do_not_see_the_page(client, users, ward_a):
    login(client, "canbo-a")
    assert client.get(f"/{ward_a.slug}/nguoi-dung/").status_code == 403


def test_reception_preselects_the_users_counter(client, users, ward_a):
    from motcua.accounts.ward_users import update_member
    from records_support import MARITAL, publish_form

    publish_form(ward_a, MARITAL)
    desk = Counter.get(Counter.tenant == ward_a)
    update_member(ward_a, "canbo-a", role="staff", counters=[desk.id], actor=users.admin_a)
    login(client, "canbo-a")
    page = client.get(f"/{ward_a.slug}/ho-so/tiep-nhan/{MARITAL}").get_data(as_text=True)
    assert f'<option value="{desk.id}" selected>' in page
