"""Tests that prove a rule of the service say which rule, in their docstrings: the seed it comes
from and the rule in the users' words, or the regulation. A reader goes from a rule to its tests
with a search for "Seed 000" or "Schedule 1", and from a test back to its rule."""

import ast
import pathlib

import pytest

TESTS = pathlib.Path(__file__).parent

# The files whose tests are worked examples of the service's rules.
RULE_FILES = [
    "referrals/test_rules.py",
    "referrals/test_parent_referral.py",
    "exclusions/test_statutory_steps.py",
    "exclusions/test_worked_examples.py",
    "exclusions/test_letters.py",
    "deadlines/test_calendar.py",
    "cases/test_allocation.py",
    "cases/test_closure.py",
    "cases/test_reviews.py",
    "cases/test_ways_out.py",
    "plans/test_plans.py",
    "plans/test_peps_and_risk.py",
    "pupils/test_ssda903.py",
    "pupils/test_care_status.py",
    "pupils/test_upn.py",
    "pupils/test_years.py",
]

# Each source of the service's rules, and how a docstring names it.
SOURCES = {
    "the BOSS and PRT procedure": "Seed 000",
    "BASS's targets and figures": "Seed 001",
    "the virtual school's policy": "Seed 002",
    "BACME's part-time timetable form": "Seed 003",
    "the behaviour officer's procedure": "Seed 004",
    "the School Discipline Regulations 2012": "2012 Regulations",
    "the Full-Time Education for Excluded Pupils Regulations 2007": "2007 Regulations",
}


def functions_in(path: pathlib.Path):
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            yield node.name, ast.get_docstring(node) or ""


@pytest.mark.parametrize("name", RULE_FILES)
def test_every_test_of_a_rule_says_which_rule(name):
    undocumented = [test for test, doc in functions_in(TESTS / name) if not doc.strip()]
    assert not undocumented, f"{name}: no rule named in {', '.join(undocumented)}"


def test_every_source_of_the_rules_has_tests_that_cite_it():
    docstrings = " ".join(doc for name in RULE_FILES for _, doc in functions_in(TESTS / name))
    uncited = [source for source, words in SOURCES.items() if words not in docstrings]
    assert not uncited, f"No test cites {', '.join(uncited)}"
