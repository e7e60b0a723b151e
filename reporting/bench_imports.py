"""The imports of pupil data timed for ``make bench``: a Common Transfer File of 2,000 and of
10,000 pupils (half already recorded, matched by UPN; half new), and a looked-after children
return of 1,500 children, each applied as the worker applies it and rolled back afterwards.

Targets (issue: pupil data entered once): under 30 seconds each on this machine, and a cost
that grows linearly: the cost per pupil of the larger file at most 1.5 times the smaller's."""

import datetime
import time
from xml.sax.saxutils import escape

from django.db import transaction
from django.utils import timezone
from stdnum.gb import upn as upn_rules

from accounts.models import Organisation, User
from pupils.models import Pupil, School

TARGET_SECONDS = 30
TARGET_LINEAR = 1.5
CTF_SIZES = (2_000, 10_000)
RETURN_SIZE = 1_500


def _new_upns(count: int) -> list[str]:
    """UPNs that no pupil of the load has (its own are all of LA 873)."""
    upns = []
    for n in range(count * 2):
        body = f"330{9000 + n // 1000:04d}99{n % 1000:03d}"
        upns.append(upn_rules.calc_check_digit(body) + body)
    taken = set(Pupil.objects.filter(upn__in=upns).values_list("upn", flat=True))
    return [upn for upn in upns if upn not in taken][:count]


def transfer_file(school: School, known: list[Pupil], new_upns: list[str], made) -> bytes:
    """A CTF from ``school``: the ``known`` pupils as recorded, with an SEN history, and a new
    pupil for each of ``new_upns``."""
    la = school.organisation.local_authority.la_number

    def pupil(upn, surname, forename, dob, sex):
        return (
            f"<Pupil><UPN>{upn}</UPN><Surname>{escape(surname)}</Surname>"
            f"<Forename>{escape(forename)}</Forename><DOB>{dob:%Y-%m-%d}</DOB><Sex>{sex}</Sex>"
            "<BasicDetails><FSMhistory><FSMinstance><FSMstartDate>2024-09-02</FSMstartDate>"
            "</FSMinstance></FSMhistory></BasicDetails><SENhistory><SEN><StartDate>2025-09-08"
            "</StartDate><SENprovision>K</SENprovision></SEN><SENneeds><SENneed><SENtypeRank>1"
            "</SENtypeRank><SENtype>SEMH</SENtype></SENneed></SENneeds></SENhistory></Pupil>\n"
        )

    pupils = [pupil(p.upn, p.legal_last_name, p.legal_first_name, p.date_of_birth,
                    "M" if p.gender == "M" else "F") for p in known]  # fmt: skip
    pupils += [pupil(upn, f"Newcomer{n}", "Bench", datetime.date(2014, 1 + n % 12, 1 + n % 28),
                     "F") for n, upn in enumerate(new_upns)]  # fmt: skip
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<CTfile><Header>'
        "<DocumentName>Common Transfer File</DocumentName><CTFversion>26.0</CTFversion>"
        f"<DateTime>{made:%Y-%m-%dT%H:%M:%S}</DateTime><DocumentQualifier>full"
        f"</DocumentQualifier><SourceSchool><LEA>{la}</LEA><Estab>"
        f"{school.establishment_number}</Estab></SourceSchool><DestSchool><LEA>{la}</LEA>"
        "</DestSchool></Header><CTFpupilData>\n" + "".join(pupils) + "</CTFpupilData></CTfile>"
    ).encode()


def looked_after_return(known: list[Pupil]) -> tuple[bytes, bytes]:
    header = ["CHILD,SEX,DOB,UPN"] + [
        f"C{n},1,{p.date_of_birth:%d/%m/%Y},{p.upn}" for n, p in enumerate(known)
    ]
    episodes = ["CHILD,DECOM,DEC,REC"] + [f"C{n},01/09/2025,," for n in range(len(known))]
    return "\n".join(header).encode(), "\n".join(episodes).encode()


def _timed(apply) -> tuple[float, int]:
    with transaction.atomic():
        started = time.perf_counter()
        lines = apply()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds, len(lines)


def time_imports() -> list[dict]:
    from pupils.services import import_looked_after_children
    from pupils.transfers import import_transfer_file

    authority = Organisation.objects.get(code="northmoor")
    admin = User.objects.get(email="admin@northmoor.example")
    officer = User.objects.get(email="virtualschool@northmoor.example")
    school = School.objects.filter(organisation__local_authority=authority).order_by("pk").first()
    made = timezone.localtime() + datetime.timedelta(seconds=1)
    rows = []
    for size in CTF_SIZES:
        known = list(Pupil.objects.filter(care_status="none").order_by("pk")[: size // 2])
        data = transfer_file(school, known, _new_upns(size - len(known)), made)
        assert data.count(b"<Pupil>") == size, "every pupil of the file is a real one"
        seconds, count = _timed(lambda data=data: import_transfer_file(
            admin, authority=authority, data=data))  # fmt: skip
        rows.append({"import": "Common Transfer File", "pupils": count,
                     "seconds": round(seconds, 2)})  # fmt: skip
    known = list(Pupil.objects.filter(care_status="none").order_by("-pk")[:RETURN_SIZE])
    header, episodes = looked_after_return(known)
    seconds, count = _timed(lambda: import_looked_after_children(
        officer, authority=authority, header=header, episodes=episodes))  # fmt: skip
    rows.append({"import": "Looked-after children return", "pupils": count,
                 "seconds": round(seconds, 2)})  # fmt: skip
    per_pupil = [row["seconds"] / row["pupils"] for row in rows[:2]]
    for row in rows:
        row["ms_per_pupil"] = round(1000 * row["seconds"] / row["pupils"], 2)
        row["meets_target"] = row["seconds"] < TARGET_SECONDS
    rows[1]["meets_target"] = (
        rows[1]["meets_target"] and per_pupil[1] <= TARGET_LINEAR * per_pupil[0]
    )
    return rows


def table(rows) -> str:
    lines = [
        f"Imports, rolled back after timing (target: under {TARGET_SECONDS} s each; a file five "
        f"times larger at most {TARGET_LINEAR}x the cost per pupil)", "",
        "| Import | Pupils | Seconds | ms per pupil | Target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]  # fmt: skip
    for row in rows:
        verdict = "met" if row["meets_target"] else "MISSED"
        lines.append(f"| {row['import']} | {row['pupils']:,} | {row['seconds']} | "
                     f"{row['ms_per_pupil']} | {verdict} |")  # fmt: skip
    return "\n".join(lines) + "\n"
