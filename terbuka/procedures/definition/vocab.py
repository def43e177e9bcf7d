"""The closed vocabularies of the SOP format.

The loader, the validator and the JSON Schema all read these enums, so a new role or symbol
is added here once and every layer learns it.
"""

from __future__ import annotations

from enum import StrEnum

FORMAT = "terbuka-sop/1"
"""The value of the ``format`` key that this package reads."""

SOP_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
"""SOP ids are lower-case slugs with hyphens, e.g. ``batang-dpmptsp-si``."""

NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
"""Lane, step and field ids: lower case, digits and underscores, starting with a letter."""

DATE_PATTERN = r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$"
"""A date at year, month or day precision: ``2024``, ``2024-03``, ``2024-03-01``."""


class LaneKind(StrEnum):
    INTERNAL = "internal"
    """A role inside the issuing agency (pelaksana)."""
    EXTERNAL = "external"
    """Someone outside the agency: the public, another agency, a provider."""
    SYSTEM = "system"
    """An application that does the step by itself (e.g. "Aplikasi SIP PPID")."""


class Role(StrEnum):
    """Internal role codes. Later layers map them onto positions (jabatan) in the organisation."""

    KEPALA = "kepala"
    SEKRETARIS = "sekretaris"
    KEPALA_BIDANG = "kepala_bidang"
    KEPALA_SUBBAGIAN = "kepala_subbagian"
    KEPALA_SEKSI = "kepala_seksi"
    KEPALA_UPT = "kepala_upt"
    STAF = "staf"
    FUNGSIONAL = "fungsional"
    PPID_UTAMA = "ppid_utama"
    PPID_PELAKSANA = "ppid_pelaksana"
    PETUGAS_PPID = "petugas_ppid"
    ATASAN_PPID = "atasan_ppid"
    ADMIN_OPD = "admin_opd"
    WALIDATA = "walidata"
    PRODUSEN_DATA = "produsen_data"
    OPERATOR = "operator"


class Actor(StrEnum):
    """Who an external lane stands for."""

    PUBLIC = "public"
    AGENCY = "agency"
    PROVIDER = "provider"
    BPS = "bps"
    MINISTRY = "ministry"
    OTHER = "other"


class Symbol(StrEnum):
    """Flowchart symbols that a step can carry (PermenPAN-RB 35/2012)."""

    START = "start"
    """Terminator that is also the first activity."""
    PROCESS = "process"
    DECISION = "decision"
    END = "end"
    """Terminator that is also the last activity."""


class Record(StrEnum):
    """What a step must leave on the case when it is done."""

    NOTE = "note"
    """A written note (e.g. the register entry, the correction asked for)."""
    FILE = "file"
    """An attached file (scan, draft, data file)."""
    DECISION = "decision"
    """The outcome chosen and its reason."""
    LETTER = "letter"
    """An outgoing letter with its number and date."""
    DISPOSITION = "disposition"
    """A routing instruction (disposisi) naming who acts next."""
    SIGNATURE = "signature"
    """A sign-off (tanda tangan, paraf, persetujuan)."""


class FieldType(StrEnum):
    """Types of the data a case of this SOP carries."""

    TEXT = "text"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    CHOICE = "choice"
    FILE = "file"
    REGION = "region"
    PERSON = "person"
