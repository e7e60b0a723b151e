"""Reference data: the DfE reason codes and the Regulations' numbers. Installed by data
migrations, and again by the test suite's database setup."""

# The DfE's reason codes for suspensions and permanent exclusions, as the school census
# collects them: "School census 2025 to 2026: guide", code set "Exclusion reason" (DfE, 2025).
# PH was added in 2020 to 2021; LG and DM were relabelled with it. No code has been added since.
REASONS = [
    ("PP", "Physical assault against a pupil"),
    ("PA", "Physical assault against an adult"),
    ("VP", "Verbal abuse or threatening behaviour against a pupil"),
    ("VA", "Verbal abuse or threatening behaviour against an adult"),
    ("OW", "Use or threat of use of an offensive weapon or prohibited item"),
    ("BU", "Bullying"),
    ("RA", "Racist abuse"),
    ("LG", "Abuse against sexual orientation and gender identity"),
    ("DS", "Abuse relating to disability"),
    ("SM", "Sexual misconduct"),
    ("DA", "Drug and alcohol related"),
    ("DM", "Damage to property"),
    ("TH", "Theft"),
    ("DB", "Persistent or general disruptive behaviour"),
    ("MT", "Inappropriate use of social media or online technology"),
    (
        "PH",
        "Wilful and repeated transgression of protective measures in place to protect public "
        "health",
    ),
]


def install_reference_data(ReasonCode=None, ExclusionRules=None):
    if ReasonCode is None:
        from exclusions.models import ExclusionRules, ReasonCode
    for code, label in REASONS:
        ReasonCode.objects.update_or_create(code=code, defaults={"label": label})
    if not ExclusionRules.objects.exists():
        ExclusionRules.objects.create()
    if ReasonCode.__module__ == "exclusions.models":  # not from a migration's historical models
        from exclusions.model_letters import install_model_letters

        install_model_letters()
