"""Reference data: the DfE reason codes and the guidance's numbers. Installed by a data
migration, and again by the test suite's database setup."""

# DfE school census reason codes for suspensions and permanent exclusions.
REASONS = [
    ("PP", "Physical assault against a pupil"),
    ("PA", "Physical assault against an adult"),
    ("VP", "Verbal abuse or threatening behaviour against a pupil"),
    ("VA", "Verbal abuse or threatening behaviour against an adult"),
    ("OW", "Use or threat of use of an offensive weapon or prohibited item"),
    ("BU", "Bullying"),
    ("RA", "Racist abuse"),
    ("LG", "Abuse against sexual orientation or gender identity"),
    ("DS", "Abuse relating to disability"),
    ("SM", "Sexual misconduct"),
    ("DA", "Drug and alcohol related"),
    ("DM", "Damage"),
    ("TH", "Theft"),
    ("DB", "Persistent or general disruptive behaviour"),
    ("MT", "Inappropriate use of social media or online technology"),
]


def install_reference_data(ReasonCode=None, ExclusionRules=None):
    if ReasonCode is None:
        from exclusions.models import ExclusionRules, ReasonCode
    for code, label in REASONS:
        ReasonCode.objects.update_or_create(code=code, defaults={"label": label})
    if not ExclusionRules.objects.exists():
        ExclusionRules.objects.create()
