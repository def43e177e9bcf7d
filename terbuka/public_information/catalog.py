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
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

from django.db.models import F

from terbuka.public_information.models import DipEntry, DipRevision

# Pemdas whose catalog a process keeps (one site usually serves one Pemda; a provincial
# instance serves a few).
KEPT = 8

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
    """The public entries of one Pemda, a column per facet (entry id → value), so that
    counting and filtering run over dictionaries in C rather than row by row in Python."""

    pemda_id: int
    revision: int
    # Public entry ids, newest published first (then the highest id).
    order: list[int]
    opd: dict[int, int]
    category: dict[int, str]
    year: dict[int, int]
    topics: dict[int, tuple[int, ...]]  # every entry, () without topics
    # The facets of the whole list, counted once.
    counts: Counts

    @classmethod
    def of(cls, pemda_id: int, revision: int, order: list[int], rows: dict[int, Row]) -> Catalog:
        """A catalog of ``rows`` (entry id → OPD id, category, year, topic ids)."""
        opd = {entry_id: row[0] for entry_id, row in rows.items()}
        category = {entry_id: row[1] for entry_id, row in rows.items()}
        year = {entry_id: row[2] for entry_id, row in rows.items()}
        topics = {entry_id: row[3] for entry_id, row in rows.items()}
        counts = Counts(
            opd=Counter(opd.values()),
            category=Counter(category.values()),
            topic=Counter(chain.from_iterable(topics.values())),
            year=Counter(year.values()),
        )
        return cls(pemda_id, revision, order, opd, category, year, topics, counts)

    def row(self, entry_id: int) -> Row:
        return (
            self.opd[entry_id],
            self.category[entry_id],
            self.year[entry_id],
            self.topics[entry_id],
        )


@dataclass(frozen=True)
class Criteria:
    """The filters of the browse page; ``topic_id`` 0 names a topic that does not exist."""

    opd_id: int | None = None
    category: str = ""
    topic_id: int | None = None
    year: int | None = None

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
    """Mark the Pemda's list as changed, in the caller's transaction (two queries at most)."""
    revisions = DipRevision.objects.filter(pemda_id=pemda_id)
    if revisions.update(number=F("number") + 1):
        return
    # The first change of this Pemda. A writer racing this one waits on the new row's key
    # and then increments it, so neither change is lost.
    DipRevision.objects.bulk_create([DipRevision(pemda_id=pemda_id)], ignore_conflicts=True)
    revisions.update(number=F("number") + 1)


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
    if not listed:
        return Catalog.of(pemda_id, revision, [], {})
    ids, opds, categories, years = (list(column) for column in zip(*listed, strict=True))
    # Through the Pemda's few topics, so that no entry row is read; other entries' links
    # are dropped below.
    links = DipEntry.topics.through.objects.filter(topic__pemda_id=pemda_id).order_by()
    tagged: defaultdict[int, list[int]] = defaultdict(list)
    for entry_id, topic_id in links.values_list("dipentry_id", "topic_id"):
        tagged[entry_id].append(topic_id)
    empty: tuple[int, ...] = ()
    topics = dict.fromkeys(ids, empty)
    for entry_id, topic_ids in tagged.items():
        if entry_id in topics:
            topics[entry_id] = tuple(sorted(topic_ids))
    counts = Counts(
        opd=Counter(opds),
        category=Counter(categories),
        topic=Counter(chain.from_iterable(topics.values())),
        year=Counter(years),
    )
    return Catalog(
        pemda_id,
        revision,
        ids,
        dict(zip(ids, opds, strict=True)),
        dict(zip(ids, categories, strict=True)),
        dict(zip(ids, years, strict=True)),
        topics,
        counts,
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
    if scores is None:
        if not active:
            return Selection(found.order, found.counts)
        candidates: list[int] = found.order
    else:
        candidates = sorted(scores.keys() & found.opd.keys())

    def narrowed(ids: list[int], name: str) -> list[int]:
        if name == TOPIC:
            topic_id, topics = criteria.topic_id, found.topics
            return [entry_id for entry_id in ids if topic_id in topics[entry_id]]
        columns: dict[str, tuple[Mapping[int, object], object]] = {
            OPD: (found.opd, criteria.opd_id),
            CATEGORY: (found.category, criteria.category),
            YEAR: (found.year, criteria.year),
        }
        column, value = columns[name]
        return [entry_id for entry_id in ids if column[entry_id] == value]

    def passing(skip: str = "") -> list[int]:
        ids = candidates
        for name in active:
            if name != skip:
                ids = narrowed(ids, name)
        return ids

    chosen = passing()
    # Each facet counts the entries passing every filter but its own.
    over = {name: passing(skip=name) for name in active}
    counts = Counts(
        opd=Counter(map(found.opd.__getitem__, over.get(OPD, chosen))),
        category=Counter(map(found.category.__getitem__, over.get(CATEGORY, chosen))),
        topic=Counter(chain.from_iterable(map(found.topics.__getitem__, over.get(TOPIC, chosen)))),
        year=Counter(map(found.year.__getitem__, over.get(YEAR, chosen))),
    )
    return Selection(chosen, counts, scores)
