"""What the readers of the DfE's files (the looked-after children return, the Common Transfer
File) say when a file cannot be taken."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Why a file, or one of its rows, cannot be taken: the file, the line and the column."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self):
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}{f', {self.column}' if self.column else ''}: {self.message}"


class Refused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
