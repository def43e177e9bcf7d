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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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
    pemda_id: int
    revision: int
    # Public entry ids, newest published first (then the highest id).
    order: list[int]
    rows: dict[int, Row]
    # The facets of the whole list, counted once.
    counts: Counts


@dataclass(frozen=True)
class Criteria:
    """The filters of the browse page; ``topic_id`` 0 names a topic that does not exist."""

    opd_id: int | None = None
    category: str = ""
    topic_id: int | None = None
    year: int | None = None

    def tests(self) -> dict[str, Callable[[Row], bool]]:
        tests: dict[str, Callable[[Row], bool]] = {}
        if self.opd_id is not None:
            opd_id = self.opd_id
            tests[OPD] = lambda row: row[0] == opd_id
        if self.category:
            category = self.category
            tests[CATEGORY] = lambda row: row[1] == category
        if self.topic_id is not None:
            topic_id = self.topic_id
            tests[TOPIC] = lambda row: topic_id in row[3]
        if self.year is not None:
            year = self.year
            tests[YEAR] = lambda row: row[2] == year
        return tests


@dataclass(frozen=True)
class Selection:
    """The entries that pass, and the facets counted over the other filters."""

    chosen: Sequence[int]  # in the list's order, or in no order when ranked by ``scores``
    counts: Counts
    scores: dict[int, float] | None = None

    @property
    def total(self) -> int:
        return len(self.chosen)

    def window(self, offset: int, limit: int) -> list[int]:
        """Entry ids ``[offset, offset + limit)``: best first, ties by id, when ranked."""
        if self.scores is None:
            return list(self.chosen[offset : offset + limit])
        scores = self.scores
        best = heapq.nsmallest(
            offset + limit, self.chosen, key=lambda entry_id: (-scores[entry_id], entry_id)
        )
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
    public = (
        DipEntry.objects.public()
        .filter(pemda_id=pemda_id)
        .order_by("-published_at", "-id")
        .values_list("id", "opd_id", "category", "year")
    )
    listed = list(public)
    topics: defaultdict[int, list[int]] = defaultdict(list)
    links = DipEntry.topics.through.objects.filter(dipentry__pemda_id=pemda_id)
    for entry_id, topic_id in links.values_list("dipentry_id", "topic_id").order_by():
        topics[entry_id].append(topic_id)
    rows: dict[int, Row] = {
        entry_id: (opd_id, category, year, tuple(sorted(topics.get(entry_id, ()))))
        for entry_id, opd_id, category, year in listed
    }
    order = [entry_id for entry_id, *_ in listed]
    return Catalog(pemda_id, revision, order, rows, _counted(order, rows))


def _counted(ids: Sequence[int], rows: dict[int, Row]) -> Counts:
    chosen = [rows[entry_id] for entry_id in ids]
    return Counts(
        opd=Counter(row[0] for row in chosen),
        category=Counter(row[1] for row in chosen),
        topic=Counter(topic for row in chosen for topic in row[3]),
        year=Counter(row[2] for row in chosen),
    )


def select(
    found: Catalog, criteria: Criteria, *, scores: dict[int, float] | None = None
) -> Selection:
    """The entries passing ``criteria``, and the facets.

    Without ``scores`` the entries keep the list's order. With ``scores`` (entry id →
    relevance, from the search index) only those entries are considered, to be ranked by
    them; an id the catalog does not hold (not public any more) is left out.
    """
    rows = found.rows
    tests = criteria.tests()
    if scores is None:
        if not tests:
            return Selection(found.order, found.counts)
        candidates: Sequence[int] = found.order
    else:
        candidates = [entry_id for entry_id in scores if entry_id in rows]

    def passing(skip: str = "") -> list[int]:
        active = [test for name, test in tests.items() if name != skip]
        if not active:
            return list(candidates)
        if len(active) == 1:
            (test,) = active
            return [entry_id for entry_id in candidates if test(rows[entry_id])]
        return [entry_id for entry_id in candidates if all(test(rows[entry_id]) for test in active)]

    chosen = passing()
    # Each facet counts the entries passing every filter but its own.
    over = {name: passing(skip=name) for name in tests}
    counts = Counts(
        opd=Counter(rows[entry_id][0] for entry_id in over.get(OPD, chosen)),
        category=Counter(rows[entry_id][1] for entry_id in over.get(CATEGORY, chosen)),
        topic=Counter(topic for entry_id in over.get(TOPIC, chosen) for topic in rows[entry_id][3]),
        year=Counter(rows[entry_id][2] for entry_id in over.get(YEAR, chosen)),
    )
    return Selection(chosen, counts, scores)
