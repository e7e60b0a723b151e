"""Each kind of time limit has one name in the code (``deadlines.codes.KindCode``) and one entry,
with the rule it comes from, in ``deadlines.kinds.KINDS``."""

import pytest

from deadlines.codes import Counting, KindCode
from deadlines.kinds import KINDS
from deadlines.models import DeadlineKind


def test_every_code_names_one_installed_kind_and_every_kind_has_a_code():
    installed = [code for code, *_ in KINDS]
    assert sorted(installed) == sorted(KindCode)
    assert len(installed) == len(set(installed))


def test_every_kind_says_where_its_rule_comes_from_and_counts_in_a_known_way():
    for code, name, source, counting, length, steps in KINDS:
        assert name and source, code
        assert counting in Counting.values, code
        assert all(step_counting in Counting.values for _, step_counting, _ in steps), code
        assert length >= 0, code  # 0: the date is given (a timetable's end)


@pytest.mark.django_db
def test_the_installed_kinds_are_found_by_their_code(deadline_kinds):
    assert set(DeadlineKind.objects.values_list("code", flat=True)) >= set(KindCode)
    assert DeadlineKind.objects.get(code=KindCode.ALLOCATION).name == next(
        name for code, name, *_ in KINDS if code == KindCode.ALLOCATION
    )
