"""Reporting quarters: April to June, July to September, October to December, January to
March (seed 004)."""

import datetime
from dataclasses import dataclass

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip


@dataclass(frozen=True, order=True)
class Quarter:
    start: datetime.date

    @classmethod
    def of(cls, day: datetime.date) -> "Quarter":
        return cls(datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1))

    @classmethod
    def parse(cls, text: str, default: datetime.date) -> "Quarter":
        """'2026-04' (the quarter's first month); anything else is the default's quarter."""
        try:
            year, month = (int(part) for part in text.split("-"))
            if not 2000 <= year <= 2100:
                raise ValueError(year)
            return cls.of(datetime.date(year, month, 1))
        except (ValueError, AttributeError):
            return cls.of(default)

    @property
    def end(self) -> datetime.date:
        return self.next().start - datetime.timedelta(days=1)

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        last = MONTHS[self.start.month + 1]
        return f"{MONTHS[self.start.month - 1]} to {last} {self.start.year}"

    @property
    def short_label(self) -> str:
        first, last = MONTHS[self.start.month - 1][:3], MONTHS[self.start.month + 1][:3]
        return f"{first} to {last} {self.start:%y}"

    def next(self) -> "Quarter":
        month = self.start.month + 3
        year = self.start.year + (month > 12)
        return Quarter(datetime.date(year, (month - 1) % 12 + 1, 1))

    def previous(self) -> "Quarter":
        month = self.start.month - 3
        year = self.start.year - (month < 1)
        return Quarter(datetime.date(year, (month - 1) % 12 + 1, 1))

    def year_before(self) -> "Quarter":
        return Quarter(self.start.replace(year=self.start.year - 1))
