"""Term dates. School-day arithmetic and deadlines build on these."""

import pghistory
from django.core.exceptions import ValidationError
from django.db import models


class TermName(models.TextChoices):
    AUTUMN_1 = "autumn_1", "Autumn 1"
    AUTUMN_2 = "autumn_2", "Autumn 2"
    SPRING_1 = "spring_1", "Spring 1"
    SPRING_2 = "spring_2", "Spring 2"
    SUMMER_1 = "summer_1", "Summer 1"
    SUMMER_2 = "summer_2", "Summer 2"


@pghistory.track()
class Term(models.Model):
    """One half term of an authority's calendar, or of one school that sets its own dates
    (academies may). A school's own rows replace the authority's for that academic year."""

    authority = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="terms",
        limit_choices_to={"kind": "local_authority"},
    )
    school = models.ForeignKey(
        "pupils.School", on_delete=models.CASCADE, null=True, blank=True, related_name="terms"
    )
    academic_year = models.PositiveSmallIntegerField(
        help_text="The calendar year the academic year starts in: 2026 for 2026 to 2027."
    )
    name = models.CharField(max_length=10, choices=TermName.choices)
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "school", "academic_year", "name"],
                nulls_distinct=False,
                name="one_term_per_calendar",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="term_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_name_display()} {self.academic_year}: {self.start_date} to {self.end_date}"
        )

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The term must end on or after the day it starts."})


@pghistory.track()
class InsetDay(models.Model):
    """A training day: school is closed to pupils though it falls in term."""

    authority = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="inset_days"
    )
    school = models.ForeignKey(
        "pupils.School", on_delete=models.CASCADE, null=True, blank=True, related_name="inset_days"
    )
    date = models.DateField()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "school", "date"],
                nulls_distinct=False,
                name="one_inset_day_per_calendar_date",
            )
        ]

    def __str__(self):
        return f"INSET day {self.date}"
