"""Reading a Common Transfer File (the DfE's CTF: "Common transfer file: specification", and
the Education (Pupil Information) (England) Regulations 2005, which make schools send it).

A CTF is one XML document: a ``Header`` (``DocumentName`` "Common Transfer File",
``CTFversion``, ``DateTime`` the file was made, ``DocumentQualifier`` full or partial, the
``SourceSchool`` and ``DestSchool`` by LA number and establishment number) and ``CTFpupilData``,
one ``Pupil`` each: ``UPN``, ``Surname``, ``Forename``, ``DOB``, ``Sex``; ``BasicDetails``
(``FormerUPN``, ``PreferredSurname``, ``FormerSurname``, ``PreferredForename``, ``InCare`` with
``InCareAtCurrentSchool`` and ``CareAuthority``, ``FSMhistory`` of ``FSMinstance`` periods);
``SENhistory`` (each ``SEN`` provision with its ``StartDate``, and ``SENneeds`` ranked); and
``SchoolHistory`` (each ``School`` with its ``EntryDate`` and ``LeavingDate``). An XML data
transfer has the same shape.

The file is read as a stream (one pupil in memory at a time, then let go), so a large file costs
no more memory than a small one; a document type declaration is refused (no entity is ever
expanded). Every element this service reads is checked against the schema's rules for it
(``RULES``): present where required, a real date, a code from its list, a UPN with a right check
letter. Any problem refuses the whole file, each named with its line and element. Nothing here
writes: ``pupils.services`` applies what it reads.
"""

import datetime
import io
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from lxml import etree

from config.upn import validate_upn
from pupils.files import Problem, Refused

# The current version of the CTF and the one before it: a school's system may not have been
# updated yet when the new one takes effect each September.
VERSIONS = ("26.0", "25.0")
FILE = "transfer file"
SEN_PROVISION = {"N": "none", "K": "sen_support", "E": "ehcp"}
SEXES = {"M": "M", "F": "F"}
# The school census's primary need codes; "NSA" (SEN support, no specialist assessment of the
# type of need) is kept as "other".
SEN_NEEDS = {
    code: code
    for code in (
        "SPLD",
        "MLD",
        "SLD",
        "PMLD",
        "SEMH",
        "SLCN",
        "HI",
        "VI",
        "MSI",
        "PD",
        "ASD",
        "OTH",
    )
} | {"NSA": "OTH"}
MOST_PROBLEMS = 100


@dataclass
class School:
    la: str
    estab: str
    name: str
    entry: datetime.date | None
    leaving: datetime.date | None

    @property
    def dfe_number(self) -> str:
        return f"{self.la}/{self.estab}"


@dataclass
class Header:
    version: str
    made_at: datetime.datetime
    source: School
    destination_la: str
    partial: bool


@dataclass
class Sen:
    start: datetime.date
    provision: str
    end: datetime.date | None = None


@dataclass
class TransferPupil:
    """One pupil of the file, as its elements say."""

    line: int
    upn: str
    surname: str
    forename: str
    date_of_birth: datetime.date
    sex: str
    former_upn: str = ""
    preferred_surname: str = ""
    preferred_forename: str = ""
    former_surname: str = ""
    in_care: bool | None = None
    care_authority: str = ""
    free_meals: list[tuple[datetime.date, datetime.date | None]] = field(default_factory=list)
    sen: list[Sen] = field(default_factory=list)
    primary_need: str = ""
    schools: list[School] = field(default_factory=list)

    @property
    def name(self) -> str:
        first = self.preferred_forename or self.forename
        return f"{first} {self.preferred_surname or self.surname}"

    def free_meals_since(self, day: datetime.date) -> bool:
        """Eligible for free school meals at any time on or after ``day``."""
        return any(end is None or end >= day for _, end in self.free_meals)

    def as_json(self) -> dict:
        """For keeping with a job's report until a person confirms the match."""
        return _jsonable(asdict(self))

    @classmethod
    def from_json(cls, data: dict) -> "TransferPupil":
        values = dict(data)
        values["date_of_birth"] = _day(values["date_of_birth"])
        values["free_meals"] = [(_day(s), _day(e)) for s, e in values["free_meals"]]
        values["sen"] = [
            Sen(_day(s["start"]), s["provision"], _day(s["end"])) for s in values["sen"]
        ]
        values["schools"] = [
            School(s["la"], s["estab"], s["name"], _day(s["entry"]), _day(s["leaving"]))
            for s in values["schools"]
        ]
        return cls(**values)


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _day(text):
    return datetime.date.fromisoformat(text) if text else None


def read_transfer_file(data: bytes, *, today: datetime.date, schools: set[str]):
    """(``Header``, pupils) of the file, or :class:`Refused` with every problem found (at most
    ``MOST_PROBLEMS``). ``schools``: the DfE numbers ("LLL/EEEE") of the schools on the
    schools list: the file must come from one of them."""
    problems: list[Problem] = []
    header = None
    pupils: list[TransferPupil] = []
    seen: dict[str, int] = {}
    parser = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        for event, element in parser:
            name = etree.QName(element).localname
            if event == "start":
                if element.getparent() is None:
                    _check_root(element, parser, problems)
                continue
            if name == "Header" and _depth(element) == 1:
                header = _header(element, today, schools, problems)
                element.clear()
            elif name == "Pupil" and _depth(element) == 2:
                pupil = _pupil(element, today, problems)
                if pupil is not None:
                    if pupil.upn in seen:
                        problems.append(
                            Problem(
                                FILE,
                                pupil.line,
                                "UPN",
                                f"{pupil.upn} is also on line {seen[pupil.upn]}: each pupil once",
                            )
                        )
                    else:
                        seen[pupil.upn] = pupil.line
                        pupils.append(pupil)
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
            if len(problems) >= MOST_PROBLEMS:
                break
    except etree.XMLSyntaxError as error:
        line = error.lineno or None
        problems.append(Problem(FILE, line, None, f"The file is not well-formed XML: {error.msg}"))
    if header is None and not problems:
        problems.append(Problem(FILE, None, "Header", "The file has no CTF header"))
    if problems:
        raise Refused(problems[:MOST_PROBLEMS])
    return header, pupils


def _check_root(root, parser, problems) -> None:
    if etree.QName(root).localname != "CTfile":
        problems.append(
            Problem(
                FILE,
                root.sourceline,
                None,
                "This is not a Common Transfer File: it must begin with CTfile",
            )
        )
    if root.getroottree().docinfo.doctype:
        problems.append(
            Problem(
                FILE,
                1,
                None,
                "A Common Transfer File has no document type "
                "declaration: export the file again from the school's system",
            )
        )


def _depth(element) -> int:
    depth = 0
    while (element := element.getparent()) is not None:
        depth += 1
    return depth


def _child(element, path: str):
    """The first element at ``path`` (names separated by "/"), whatever its namespace."""
    for step in path.split("/"):
        if element is None:
            return None
        element = next(
            (c for c in element if isinstance(c.tag, str) and etree.QName(c).localname == step),
            None,
        )
    return element


def _children(element, name: str):
    if element is None:
        return []
    return [c for c in element if isinstance(c.tag, str) and etree.QName(c).localname == name]


def _text(element, path: str) -> str:
    found = _child(element, path)
    return (found.text or "").strip() if found is not None else ""


class _Reader:
    """Reads the elements of one part of the file, noting each problem with its line."""

    def __init__(self, element, problems, today):
        self.element, self.problems, self.today = element, problems, today

    def problem(self, path, message, element=None):
        found = element if element is not None else _child(self.element, path)
        found = found if found is not None else self.element
        self.problems.append(Problem(FILE, found.sourceline, path.split("/")[-1], message))

    def text(self, path, *, required=False, within=None):
        element = within if within is not None else self.element
        value = _text(element, path)
        if required and not value:
            where = _child(element, path) if _child(element, path) is not None else element
            self.problems.append(
                Problem(
                    FILE,
                    where.sourceline,
                    path.split("/")[-1],
                    "This element is required and is empty or missing",
                )
            )
        return value

    def date(self, path, *, required=False, within=None, future=False):
        element = within if within is not None else self.element
        value = self.text(path, required=required, within=element)
        if not value:
            return None
        try:
            day = datetime.date.fromisoformat(value[:10])
            if len(value) != 10:
                raise ValueError
        except ValueError:
            self.problem(path, f"{value} is not a real date as yyyy-mm-dd", _child(element, path))
            return None
        if day > self.today and not future:
            self.problem(path, f"{value} is in the future", _child(element, path))
            return None
        return day


def _header(element, today, schools, problems) -> Header | None:
    read = _Reader(element, problems, today)
    if read.text("DocumentName", required=True) not in {"", "Common Transfer File"}:
        read.problem("DocumentName", "The document must be a Common Transfer File")
    version = read.text("CTFversion", required=True)
    if version and version not in VERSIONS:
        read.problem(
            "CTFversion",
            f"Version {version} is not one this service reads: send the "
            f"file as CTF {VERSIONS[0]} or {VERSIONS[1]}",
        )
    made = read.text("DateTime", required=True)
    made_at = None
    if made:
        try:
            made_at = datetime.datetime.fromisoformat(made)
        except ValueError:
            read.problem("DateTime", f"{made} is not a real date and time")
        else:
            if made_at.date() > today:
                read.problem("DateTime", f"{made} is in the future")
                made_at = None
    qualifier = read.text("DocumentQualifier", required=True)
    if qualifier and qualifier not in {"full", "partial"}:
        read.problem("DocumentQualifier", f"{qualifier} must be full or partial")
    la = read.text("SourceSchool/LEA", required=True)
    estab = read.text("SourceSchool/Estab", required=True)
    source = School(la, estab, read.text("SourceSchool/SchoolName"), None, None)
    if la and estab and source.dfe_number not in schools:
        read.problem(
            "SourceSchool/Estab",
            f"School {source.dfe_number} is not on the schools "
            "list: an LA administrator adds it first",
        )
    destination = read.text("DestSchool/LEA", required=True)
    if problems or made_at is None:
        return None
    return Header(version, made_at, source, destination, qualifier == "partial")


def _pupil(element, today, problems) -> TransferPupil | None:
    before = len(problems)
    read = _Reader(element, problems, today)
    upn = read.text("UPN", required=True).upper()
    if upn:
        try:
            validate_upn(upn)
        except ValidationError:
            read.problem("UPN", f"{upn} is not a valid UPN: its check letter is wrong")
    former = read.text("BasicDetails/FormerUPN").upper()
    if former:
        try:
            validate_upn(former)
        except ValidationError:
            read.problem("BasicDetails/FormerUPN", f"{former} is not a valid UPN")
    surname = read.text("Surname", required=True)
    forename = read.text("Forename", required=True)
    dob = read.date("DOB", required=True)
    sex = read.text("Sex", required=True).upper()
    if sex and sex not in SEXES:
        read.problem("Sex", f"{sex} must be M or F")
    in_care_text = read.text("BasicDetails/InCare/InCareAtCurrentSchool").lower()
    if in_care_text and in_care_text not in {"true", "false", "1", "0"}:
        read.problem("BasicDetails/InCare/InCareAtCurrentSchool", "This must be true or false")
    meals = []
    for instance in _children(_child(element, "BasicDetails/FSMhistory"), "FSMinstance"):
        start = read.date("FSMstartDate", required=True, within=instance)
        end = read.date("FSMendDate", within=instance)
        if start and end and end < start:
            read.problem(
                "FSMendDate",
                "Free school meals ended before they began",
                _child(instance, "FSMendDate"),
            )
        if start:
            meals.append((start, end))
    sen = []
    for entry in _children(_child(element, "SENhistory"), "SEN"):
        start = read.date("StartDate", required=True, within=entry)
        code = read.text("SENprovision", required=True, within=entry).upper()
        if code and code not in SEN_PROVISION:
            read.problem("SENprovision", f"{code} must be N, K or E", _child(entry, "SENprovision"))
        end = read.date("EndDate", within=entry)
        if start and code in SEN_PROVISION:
            sen.append(Sen(start, SEN_PROVISION[code], end))
    needs = []
    for need in _children(_child(element, "SENhistory/SENneeds"), "SENneed"):
        code = read.text("SENtype", required=True, within=need).upper()
        if code and code not in SEN_NEEDS:
            read.problem(
                "SENtype",
                f"{code} is not a primary need code of the school census",
                _child(need, "SENtype"),
            )
        elif code:
            needs.append((_text(need, "SENtypeRank") or "9", SEN_NEEDS[code]))
    needs.sort()
    schools = []
    for school in _children(_child(element, "SchoolHistory"), "School"):
        entry = read.date("EntryDate", within=school)
        leaving = read.date("LeavingDate", within=school)
        schools.append(
            School(
                _text(school, "LEA"),
                _text(school, "Estab"),
                _text(school, "SchoolName"),
                entry,
                leaving,
            )
        )
    if dob and dob > today:
        dob = None
    if len(problems) > before or dob is None:
        return None
    return TransferPupil(
        line=element.sourceline,
        upn=upn,
        surname=surname,
        forename=forename,
        date_of_birth=dob,
        sex=SEXES[sex],
        former_upn=former if former != upn else "",
        preferred_surname=read.text("BasicDetails/PreferredSurname"),
        preferred_forename=read.text("BasicDetails/PreferredForename"),
        former_surname=read.text("BasicDetails/FormerSurname"),
        in_care=in_care_text in {"true", "1"} if in_care_text else None,
        care_authority=read.text("BasicDetails/InCare/CareAuthority"),
        free_meals=meals,
        sen=sorted(sen, key=lambda s: s.start),
        primary_need=needs[0][1] if needs else "",
        schools=schools,
    )
