"""Common Transfer Files for the tests, written element by element from the DfE's "Common
transfer file: specification" (its header, and each pupil's identifiers, basic details, free
school meal history, looked-after flag, SEN history and school history). Not copies of any
school's file."""

import datetime
from dataclasses import dataclass, field
from xml.sax.saxutils import escape


@dataclass
class Pupil:
    upn: str
    surname: str = "Khan"
    forename: str = "Amira"
    dob: str = "2014-05-03"
    sex: str = "F"
    former_upn: str = ""
    preferred_forename: str = ""
    preferred_surname: str = ""
    in_care: str = ""
    care_authority: str = ""
    free_meals: list = field(default_factory=list)  # [(start, end or "")]
    sen: list = field(default_factory=list)  # [(start, "K"|"E"|"N")]
    needs: list = field(default_factory=list)  # ["SEMH", ...] by rank
    schools: list = field(default_factory=list)  # [(la, estab, name, entry, leaving)]
    extra: str = ""

    def xml(self) -> str:
        def el(name, value):
            return f"<{name}>{escape(value)}</{name}>" if value != "" else ""

        basic = "".join([
            el("FormerUPN", self.former_upn), el("PreferredSurname", self.preferred_surname),
            el("PreferredForename", self.preferred_forename),
            f"<InCare>{el('InCareAtCurrentSchool', self.in_care)}"
            f"{el('CareAuthority', self.care_authority)}</InCare>" if self.in_care else "",
            "<FSMhistory>" + "".join(
                f"<FSMinstance>{el('FSMstartDate', s)}{el('FSMendDate', e)}"
                "<UKcountry>ENG</UKcountry></FSMinstance>" for s, e in self.free_meals
            ) + "</FSMhistory>" if self.free_meals else "",
        ])  # fmt: skip
        sen = "".join(f"<SEN>{el('StartDate', s)}{el('SENprovision', p)}</SEN>"
                      for s, p in self.sen)  # fmt: skip
        needs = "".join(f"<SENneed>{el('SENtypeRank', str(rank))}{el('SENtype', code)}</SENneed>"
                        for rank, code in enumerate(self.needs, start=1))  # fmt: skip
        schools = "".join(
            f"<School>{el('LEA', la)}{el('Estab', estab)}{el('SchoolName', name)}"
            f"{el('EntryDate', entry)}{el('LeavingDate', leaving)}</School>"
            for la, estab, name, entry, leaving in self.schools
        )
        return (
            f"<Pupil>\n{el('UPN', self.upn)}{el('Surname', self.surname)}"
            f"{el('Forename', self.forename)}{el('DOB', self.dob)}{el('Sex', self.sex)}"
            f"<BasicDetails>{basic}</BasicDetails>"
            + (f"<SENhistory>{sen}<SENneeds>{needs}</SENneeds></SENhistory>" if sen else "")
            + (f"<SchoolHistory>{schools}</SchoolHistory>" if schools else "")
            + f"{self.extra}</Pupil>\n"
        )


def transfer_file(school, pupils, *, version="26.0", made="2026-02-20T09:30:00", dest_la=None,
                  header_extra="") -> bytes:  # fmt: skip
    """A CTF from ``school`` to its authority (a "school to LA" file) holding ``pupils``."""
    la = school.organisation.local_authority.la_number
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<CTfile>\n<Header>\n'
        "<DocumentName>Common Transfer File</DocumentName>\n"
        f"<CTFversion>{version}</CTFversion>\n<DateTime>{made}</DateTime>\n"
        "<DocumentQualifier>full</DocumentQualifier>\n<SupplierID>Example MIS</SupplierID>\n"
        f"<SourceSchool><LEA>{la}</LEA><Estab>{school.establishment_number}</Estab>"
        f"<URN>{school.urn}</URN><SchoolName>{escape(school.name)}</SchoolName>"
        f"<AcademicYear>2025</AcademicYear></SourceSchool>\n"
        f"<DestSchool><LEA>{dest_la or la}</LEA></DestSchool>{header_extra}\n</Header>\n"
        "<CTFpupilData>\n" + "".join(p.xml() for p in pupils) + "</CTFpupilData>\n</CTfile>\n"
    ).encode()


D = datetime.date


def new_upn(n: int) -> str:
    """A valid UPN no factory makes (the factories' are of LA 873): for the pupils a file
    brings, and for records a test gives a UPN of its own."""
    from stdnum.gb import upn as upn_rules

    body = f"330{5000 + n // 1000:04d}26{n % 1000:03d}"
    return upn_rules.calc_check_digit(body) + body
