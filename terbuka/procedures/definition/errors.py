"""Problems found in an SOP definition file, each naming the file, the line and the field."""

from __future__ import annotations

from dataclasses import dataclass

from terbuka.core.errors import DomainError


@dataclass(frozen=True, slots=True)
class DefinitionError:
    """One problem. ``field`` is a path such as ``steps[3].lane`` (indexes count from 0)."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        if not self.field:
            return f"{where}: {self.message}"
        return f"{where}: {self.field}: {self.message}"


class DefinitionInvalid(DomainError):
    """An SOP definition cannot be used. ``errors`` holds every problem found, in file order."""

    def __init__(self, errors: list[DefinitionError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.file, e.line or 0))
        count = len(self.errors)
        heading = f"{count} problem{'s' if count != 1 else ''} in SOP definition"
        super().__init__("\n".join([heading + ":", *(str(error) for error in self.errors)]))
