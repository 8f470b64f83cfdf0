"""Name search by fragment: the trigram index for rare names, the newest-first walk for common ones."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from motcua.db.connection import insert_rows
from motcua.records import queries
from motcua.records.models import Record
from motcua.records.queries import WorkFilters, work_list
from motcua.units import fold

NAMES = ["Nguyễn Văn An", "Nguyễn Văn Bình", "Nguyễn Thị Thảo", "Khúc Thị Gấm", "Trần Văn An", "NGUYỄN VĂN AN"]


def seed(tenant, names=NAMES):  # noqa: ANN001, ANN201
    start = datetime(2026, 3, 2, 8, 0)
    insert_rows(Record, [
        {"tenant": tenant.id, "code": f"{tenant.code}-T-{i:04d}", "procedure_key": "x", "status": "received",
         "channel": "direct", "applicant_name": name, "applicant_search": fold(name),
         "received_at": start + timedelta(minutes=i)}
        for i, name in enumerate(names)
    ])


def names(tenant, text: str) -> list[str]:  # noqa: ANN001
    return [r.applicant_name for r in work_list(tenant, WorkFilters(search=text), limit=50).records]


def test_the_index_exists_on_both_databases(db):
    assert queries._has_name_index()


@pytest.mark.parametrize(("typed", "expected"), [
    ("nguyen van an", ["NGUYỄN VĂN AN", "Nguyễn Văn An"]),  # no diacritics, any case, newest first
    ("Khúc", ["Khúc Thị Gấm"]),
    ("VĂN AN", ["NGUYỄN VĂN AN", "Trần Văn An", "Nguyễn Văn An"]),
    ("thao", ["Nguyễn Thị Thảo"]),
    ("Ngô Tất Tố", []),
    ("an", ["NGUYỄN VĂN AN", "Trần Văn An", "Nguyễn Văn Bình", "Nguyễn Văn An"]),  # under 3 letters: the walk
])
def test_fragments_any_case_without_diacritics(ward_a, ward_b, typed, expected):
    seed(ward_a)
    seed(ward_b, ["Nguyễn Văn An", "Khúc Thị Gấm"])  # another ward's records never show
    found = names(ward_a, typed)
    assert sorted(found) == sorted(expected)
    assert found == [n for n in reversed(NAMES) if n in expected]


def test_a_common_fragment_walks_and_gives_the_same_page(ward_a, monkeypatch):
    seed(ward_a)
    by_index = names(ward_a, "nguyen")
    monkeypatch.setattr(queries, "FEW_MATCHES", 2)  # now "nguyen" (4 matches) is common
    assert names(ward_a, "nguyen") == by_index == ["NGUYỄN VĂN AN", "Nguyễn Thị Thảo", "Nguyễn Văn Bình", "Nguyễn Văn An"]


def test_the_index_follows_renames_and_deletes(ward_a):
    seed(ward_a)
    Record.update(applicant_name="Khổng Minh", applicant_search="khong minh").where(
        Record.applicant_search == "khuc thi gam").execute()
    assert names(ward_a, "khuc") == [] and names(ward_a, "khong") == ["Khổng Minh"]
    Record.delete().where(Record.applicant_search == "khong minh").execute()
    assert names(ward_a, "khong") == []


def test_rows_written_in_bulk_are_in_the_index(ward_a):
    seed(ward_a)
    assert len(queries._few_name_matches(ward_a, "nguyen")) == 4
