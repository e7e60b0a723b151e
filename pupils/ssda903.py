"""Reading the authority's looked-after children return (the DfE's SSDA903, "Children looked
after return: technical specification"): its header file (one row per child: CHILD, SEX, DOB,
UPN, …) and its episodes file (one row per episode of care: CHILD, DECOM, RNE, LS, …, DEC,
REC). Dates are written dd/mm/yyyy.

From a child's episodes this module works out their care status today: an episode with no
ceased date (DEC) means looked after, from the start (DECOM) of the unbroken run of episodes it
ends (an episode that ceases with REC ``X1`` is followed at once by the next); a last episode
that ceased with an adoption order (REC ``E11``, ``E12``), a special guardianship order
(``E45`` to ``E48``) or a child arrangements order (``E41``) leaves the child previously looked
after; any other reason, not looked after. Nothing here writes: ``pupils.services`` applies it.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from config.upn import validate_upn
from pupils.files import Problem, Refused

HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "UPN")
EPISODE_COLUMNS = ("CHILD", "DECOM", "DEC", "REC")
CONTINUES = "X1"  # the episode ceased and a new one began the same day
ADOPTED = {"E11", "E12"}
SPECIAL_GUARDIANSHIP = {"E45", "E46", "E47", "E48"}
CHILD_ARRANGEMENTS = {"E41"}
PREVIOUSLY_LOOKED_AFTER = ADOPTED | SPECIAL_GUARDIANSHIP | CHILD_ARRANGEMENTS


@dataclass
class Child:
    """One child of the return, as its two files describe them."""

    child_id: str
    upn: str
    date_of_birth: datetime.date
    line: int
    episodes: list = field(default_factory=list)

    def status_on(self, today: datetime.date) -> tuple[str, datetime.date | None]:
        """(care status, the date it began) from the episodes: ``cla``, ``pla`` or ``none``."""
        runs = sorted(self.episodes, key=lambda e: e.started)
        if not runs:
            return "none", None
        last = runs[-1]
        if last.ceased is None or last.ceased > today:
            start = last.started
            for earlier in reversed(runs[:-1]):
                if earlier.reason == CONTINUES and earlier.ceased == start:
                    start = earlier.started
                else:
                    break
            return "cla", start
        if last.reason in PREVIOUSLY_LOOKED_AFTER:
            return "pla", last.ceased
        return "none", last.ceased

    def arrangement(self) -> str:
        """For a child who left care to be adopted or under a special guardianship or child
        arrangements order: which (``CareArrangement``); else empty."""
        last = max(self.episodes, key=lambda e: e.started, default=None)
        reason = last.reason if last and last.ceased else ""
        if reason in ADOPTED:
            return "adoption"
        if reason in SPECIAL_GUARDIANSHIP:
            return "special_guardianship"
        return "child_arrangements" if reason in CHILD_ARRANGEMENTS else ""


@dataclass(frozen=True)
class Episode:
    started: datetime.date
    ceased: datetime.date | None
    reason: str
    line: int


def read_return(header: bytes, episodes: bytes, *, today: datetime.date) -> list[Child]:
    """The children of the return, or :class:`Refused` with every problem found: a file that
    is not UTF-8 text, a column missing, a date that is not a real one or is in the future, a
    UPN that fails its check letter, an episode of a child the header does not list."""
    problems: list[Problem] = []
    header_rows = _rows("header file", header, HEADER_COLUMNS, problems)
    episode_rows = _rows("episodes file", episodes, EPISODE_COLUMNS, problems)
    if problems:
        raise Refused(problems)
    children: dict[str, Child] = {}
    for line, row in header_rows:
        dob = _date("header file", line, "DOB", row["DOB"], today, problems, required=True)
        upn = row["UPN"].strip().upper()
        if upn and not upn.startswith("UN"):
            try:
                validate_upn(upn)
            except ValidationError:
                wrong = f"{upn} is not a valid UPN: its check letter is wrong"
                problems.append(Problem("header file", line, "UPN", wrong))
        child_id = row["CHILD"].strip()
        if not child_id:
            problems.append(Problem("header file", line, "CHILD", "Enter the child's ID"))
        elif child_id in children:
            problems.append(Problem("header file", line, "CHILD",
                                    f"Child {child_id} is listed twice"))  # fmt: skip
        elif dob is not None:
            children[child_id] = Child(child_id, upn, dob, line)
    for line, row in episode_rows:
        started = _date("episodes file", line, "DECOM", row["DECOM"], today, problems,
                        required=True)  # fmt: skip
        ceased = _date("episodes file", line, "DEC", row["DEC"], today, problems)
        child = children.get(row["CHILD"].strip())
        if child is None:
            unknown = f"Child {row['CHILD'].strip()} is not in the header file"
            problems.append(Problem("episodes file", line, "CHILD", unknown))
            continue
        if started and ceased and ceased < started:
            problems.append(Problem("episodes file", line, "DEC",
                                    "The episode ceased before it began"))  # fmt: skip
        if started:
            child.episodes.append(Episode(started, ceased, row["REC"].strip().upper(), line))
    if problems:
        raise Refused(problems)
    return list(children.values())


def _rows(name: str, data: bytes, columns, problems) -> list[tuple[int, dict]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(name, None, None, "The file must be saved as CSV in UTF-8"))
        return []
    reader = csv.DictReader(io.StringIO(text))
    present = {(column or "").strip().upper() for column in reader.fieldnames or []}
    missing = [column for column in columns if column not in present]
    if missing:
        problems.append(Problem(name, 1, None, f"The file has no {', '.join(missing)} column"))
        return []
    return [
        (reader.line_num, {(k or "").strip().upper(): (v or "") for k, v in row.items()})
        for row in reader
    ]


def _date(file, line, column, text, today, problems, *, required=False):
    text = text.strip()
    if not text:
        if required:
            problems.append(Problem(file, line, column, "Enter the date"))
        return None
    try:
        day = datetime.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        problems.append(Problem(file, line, column, f"{text} is not a real date as dd/mm/yyyy"))
        return None
    if day > today:
        problems.append(Problem(file, line, column, f"{text} is in the future"))
        return None
    return day
