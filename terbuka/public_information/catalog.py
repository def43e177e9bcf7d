"""One Pemda's public list kept in memory, so that the public browse page can filter, count
its facets and order the list without asking the database again for each of them.

The browse page shows, beside the results, how many entries each body, category, topic and
year would give, counted over whatever the person has narrowed the list to (their words and
every *other* filter). Counted in SQL, that is a grouped query per facet, and with words each
of them evaluates the full-text match again. Here the page asks the search index once for
the matches (:func:`terbuka.search.selectors.scores`) and does the rest in Python over a
:class:`Catalog`: for each public entry of the Pemda its body, category, year and topics,
and the order of the list (newest ``published_at`` first). For 100,000 entries that is a
few megabytes, read with two queries.

A catalog is kept per process and per Pemda until the Pemda's :class:`DipRevision` number
changes. Every change to an entry goes through :func:`touch` in the writer's own
transaction (:func:`terbuka.public_information.index.entry_changed`), so a reader that sees
the change committed also sees a new number and reads the list again. Checking the number
is one primary-key lookup per page.
"""

from __future__ import annotations

import heapq
import threading
from collections import Counter, OrderedDict, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from terbuka.core.counters import add_one
from terbuka.public_information.models import DipEntry, DipRevision

# Pemdas whose catalog a process keeps (one site usually serves one Pemda; a provincial
# instance serves a few).
KEPT = 8

_ONE = ord("1")

# The facets, and the filters of the same names.
OPD, CATEGORY, TOPIC, YEAR = "opd", "category", "topic", "year"

# Of one public entry: its OPD id, category, year and topic ids.
Row = tuple[int, str, int, tuple[int, ...]]


@dataclass(frozen=True)
class Counts:
    """Entries per OPD id, category, topic id and year."""

    opd: Counter[int] = field(default_factory=Counter)
    category: Counter[str] = field(default_factory=Counter)
    topic: Counter[int] = field(default_factory=Counter)
    year: Counter[int] = field(default_factory=Counter)


@dataclass(frozen=True)
class Catalog:
    """The public entries of one Pemda.

    Each entry has a position in the list's order. For each value of each facet (an OPD, a
    category, a topic, a year) a bitmask holds the positions of the entries with that value,
    so that counting a facet over any set of entries is an AND and a popcount per value,
    done in C. The columns (entry id → value) and the topics' members narrow lists of ids.
    """

    pemda_id: int
    revision: int
    # Public entry ids, newest published first (then the highest id), and each one's index.
    order: list[int]
    position: dict[int, int]
    opd: dict[int, int]
    category: dict[int, str]
    year: dict[int, int]
    members: dict[int, frozenset[int]]  # topic id → its public entries
    masks: dict[str, dict[Any, int]]  # facet → value → bitmask over positions
    # The facets of the whole list, counted once.
    counts: Counts

    @classmethod
    def build(
        cls,
        pemda_id: int,
        revision: int,
        columns: tuple[list[int], list[int], list[str], list[int]],
        links: Iterable[tuple[int, int]],
    ) -> Catalog:
        """A catalog of the entries ``columns`` hold (ids, OPD ids, categories, years, in the
        list's order) with their topic ``links`` (entry id, topic id; others are dropped)."""
        ids, opds, categories, years = columns
        position = {entry_id: index for index, entry_id in enumerate(ids)}
        tagged: defaultdict[int, list[int]] = defaultdict(list)
        for entry_id, topic_id in links:
            if entry_id in position:
                tagged[topic_id].append(entry_id)
        size = len(ids)
        masks = {
            OPD: _masks(opds, size),
            CATEGORY: _masks(categories, size),
            YEAR: _masks(years, size),
            TOPIC: {
                topic_id: _mask(map(position.__getitem__, entry_ids), size)
                for topic_id, entry_ids in tagged.items()
            },
        }
        whole = (1 << size) - 1
        return cls(
            pemda_id,
            revision,
            ids,
            position,
            dict(zip(ids, opds, strict=True)),
            dict(zip(ids, categories, strict=True)),
            dict(zip(ids, years, strict=True)),
            {topic_id: frozenset(entry_ids) for topic_id, entry_ids in tagged.items()},
            masks,
            _counted(masks, {name: whole for name in masks}),
        )

    @classmethod
    def of(cls, pemda_id: int, revision: int, order: list[int], rows: dict[int, Row]) -> Catalog:
        """A catalog of ``rows`` (entry id → OPD id, category, year, topic ids) in ``order``."""
        columns = (
            list(order),
            [rows[entry_id][0] for entry_id in order],
            [rows[entry_id][1] for entry_id in order],
            [rows[entry_id][2] for entry_id in order],
        )
        links = [(entry_id, topic_id) for entry_id in order for topic_id in rows[entry_id][3]]
        return cls.build(pemda_id, revision, columns, links)

    def row(self, entry_id: int) -> Row:
        topics = sorted(topic for topic, members in self.members.items() if entry_id in members)
        return (self.opd[entry_id], self.category[entry_id], self.year[entry_id], tuple(topics))


def _mask(positions: Iterable[int], size: int) -> int:
    """The bitmask with the bits of ``positions`` set: a '1' written at each position of a
    string of '0's (in C, through ``map``), read back as a base-2 number."""
    if not size:
        return 0
    digits = bytearray(b"0") * size
    deque(map(digits.__setitem__, positions, repeat(_ONE)), maxlen=0)
    return int(digits[::-1], 2)  # position 0 is the lowest bit


def _masks(values: Sequence[Any], size: int) -> dict[Any, int]:
    """For each distinct value, the bitmask of the positions holding it."""
    spots: defaultdict[Any, list[int]] = defaultdict(list)
    for spot, value in enumerate(values):
        spots[value].append(spot)
    return {value: _mask(positions, size) for value, positions in spots.items()}


def _counted(masks: dict[str, dict[Any, int]], over: Mapping[str, int]) -> Counts:
    """Each facet's values counted over the entries of its bitmask in ``over``."""
    counted: dict[str, Counter[Any]] = {}
    for name, values in masks.items():
        within = over[name]
        hits = ((value, (mask & within).bit_count()) for value, mask in values.items())
        counted[name] = Counter({value: count for value, count in hits if count})
    return Counts(
        opd=counted[OPD], category=counted[CATEGORY], topic=counted[TOPIC], year=counted[YEAR]
    )


@dataclass(frozen=True)
class Criteria:
    """The filters of the browse page; ``topic_id`` 0 names a topic that does not exist."""

    opd_id: int | None = None
    category: str = ""
    topic_id: int | None = None
    year: int | None = None

    def value(self, name: str) -> Any:
        return {OPD: self.opd_id, CATEGORY: self.category, TOPIC: self.topic_id, YEAR: self.year}[
            name
        ]

    def active(self) -> list[str]:
        """The facets this narrows, in the order they are applied (the narrowest first)."""
        names = [
            (TOPIC, self.topic_id is not None),
            (OPD, self.opd_id is not None),
            (YEAR, self.year is not None),
            (CATEGORY, bool(self.category)),
        ]
        return [name for name, on in names if on]


@dataclass(frozen=True)
class Selection:
    """The entries that pass, and the facets counted over the other filters."""

    chosen: Sequence[int]  # in the list's order; ascending ids when ranked by ``scores``
    counts: Counts
    scores: dict[int, float] | None = None

    @property
    def total(self) -> int:
        return len(self.chosen)

    def window(self, offset: int, limit: int) -> list[int]:
        """Entry ids ``[offset, offset + limit)``: best first, ties by id, when ranked."""
        if self.scores is None:
            return list(self.chosen[offset : offset + limit])
        # ``nlargest`` keeps the order of equal scores, and ``chosen`` ascends by id.
        best = heapq.nlargest(offset + limit, self.chosen, key=self.scores.__getitem__)
        return best[offset:]


_kept: OrderedDict[int, Catalog] = OrderedDict()
_lock = threading.Lock()


def touch(pemda_id: int) -> None:
    """Mark the Pemda's list as changed, in the caller's transaction (one query; three the
    first time)."""
    add_one(DipRevision.objects.filter(pemda_id=pemda_id), "number", DipRevision(pemda_id=pemda_id))


def forget() -> None:
    """Drop every kept catalog (tests, and after writes that bypass :func:`touch`)."""
    with _lock:
        _kept.clear()


def catalog(pemda_id: int) -> Catalog:
    """The Pemda's public list as committed now: one query, three when it changed."""
    revision = (
        DipRevision.objects.filter(pemda_id=pemda_id).values_list("number", flat=True).first() or 0
    )
    with _lock:
        kept = _kept.get(pemda_id)
        if kept is not None and kept.revision == revision:
            _kept.move_to_end(pemda_id)
            return kept
    # Read after the number: a change committed in between only makes the copy newer than
    # its number, and the next page reads the list again.
    built = _build(pemda_id, revision)
    with _lock:
        _kept[pemda_id] = built
        _kept.move_to_end(pemda_id)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return built


def _build(pemda_id: int, revision: int) -> Catalog:
    # In the order of the ``dip_catalog`` index, which holds every column read here.
    listed = list(
        DipEntry.objects.public()
        .filter(pemda_id=pemda_id)
        .order_by("-published_at", "-id")
        .values_list("id", "opd_id", "category", "year")
    )
    columns = (
        [row[0] for row in listed],
        [row[1] for row in listed],
        [row[2] for row in listed],
        [row[3] for row in listed],
    )
    # Through the Pemda's few topics, so that no entry row is read; the links of entries
    # that are not public are dropped by the catalog.
    links = DipEntry.topics.through.objects.filter(topic__pemda_id=pemda_id).order_by()
    return Catalog.build(
        pemda_id, revision, columns, links.values_list("dipentry_id", "topic_id").iterator()
    )


def select(
    found: Catalog, criteria: Criteria, *, scores: dict[int, float] | None = None
) -> Selection:
    """The entries passing ``criteria``, and the facets.

    Without ``scores`` the entries keep the list's order. With ``scores`` (entry id →
    relevance, from the search index) only those entries are considered, to be ranked by
    them; an id the catalog does not hold (not public any more) is left out.
    """
    active = criteria.active()
    size = len(found.order)
    if scores is None:
        if not active:
            return Selection(found.order, found.counts)
        candidates: list[int] = found.order
        base = (1 << size) - 1
    else:
        candidates = sorted(scores.keys() & found.position.keys())
        base = _mask(map(found.position.__getitem__, candidates), size)

    def narrowed(ids: list[int], name: str) -> list[int]:
        if name == TOPIC:
            members = found.members.get(criteria.topic_id or 0, frozenset())
            return [entry_id for entry_id in ids if entry_id in members]
        columns: dict[str, Mapping[int, object]] = {
            OPD: found.opd,
            CATEGORY: found.category,
            YEAR: found.year,
        }
        column, value = columns[name], criteria.value(name)
        return [entry_id for entry_id in ids if column[entry_id] == value]

    chosen = candidates
    for name in active:
        chosen = narrowed(chosen, name)
    # Each facet counts the entries passing every filter but its own.
    filters = {name: found.masks[name].get(criteria.value(name), 0) for name in active}
    over = {}
    for facet in found.masks:
        mask = base
        for name, filtered in filters.items():
            if name != facet:
                mask &= filtered
        over[facet] = mask
    return Selection(chosen, _counted(found.masks, over), scores)
