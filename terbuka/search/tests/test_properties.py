"""Property tests: no text a person types can break tokenising, snippets or the search query."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terbuka.search import text
from terbuka.search.selectors import matching_ids, search
from terbuka.search.tests.conftest import KIND, Index

# No example database: the suite must not write a .hypothesis directory into the tree.
PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Query-language syntax of FTS5 and tsquery, operator words, and ordinary words.
SYNTAX = st.sampled_from(
    [
        *['"', "'", "(", ")", "*", ":", "&", "|", "!", "<->", "-", "^", "{", "}", "\\", "\x00"],
        *[" ", "AND", "OR", "NOT", "NEAR", "anggaran", "penganggaran", "izin", "a", "di"],
    ]
)
QUERIES = st.one_of(
    st.text(max_size=80),
    st.lists(SYNTAX, max_size=12).map("".join),
)


@PROPERTY_SETTINGS
@given(QUERIES)
def test_query_terms_are_letters_and_digits_only(query: str) -> None:
    terms = text.query_terms(query)
    assert len(terms) <= text.MAX_QUERY_TERMS
    assert len(set(terms)) == len(terms)
    assert all(term and term.isalnum() for term in terms)


@PROPERTY_SETTINGS
@given(st.text(max_size=600), QUERIES, st.integers(min_value=20, max_value=300))
def test_snippet_is_a_bounded_passage(source: str, query: str, length: int) -> None:
    passage = text.snippet(source, query, length)
    assert len(passage) <= length + 2  # an ellipsis at either end


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(query=QUERIES, prefix=st.booleans())
def test_no_query_raises(index: Index, query: str, prefix: bool) -> None:
    index(1, "Anggaran daerah", "and or not near penganggaran izin")
    result = search(KIND, query, prefix=prefix, limit=5)
    assert result.ids in ([], [1])
    assert list(matching_ids(KIND, query, prefix=prefix)) == result.ids


ASCII_WORDS = st.sampled_from(
    [
        *["anggaran", "Penganggaran", "dianggarkan", "izin", "PERIZINAN", "yang", "di", "a"],
        *["mohon", "permohonan,", "(pemohon)", "2026", "covid19", "x_y", "-", "...", "ke-2"],
    ]
)


@PROPERTY_SETTINGS
@given(
    st.lists(ASCII_WORDS, max_size=40).map(" ".join),
    st.sampled_from(["anggaran", "izin", "mohon", "2026", "perizin", "covid19"]),
    st.booleans(),
)
def test_the_one_pass_match_of_ascii_text_finds_the_word_chunk_by_chunk_does(
    flat: str, query: str, prefix: bool
) -> None:
    matches = text._matcher(text.parse(query, prefix=prefix))
    assert text._first_match_ascii(flat, matches) == text._first_match_by_chunks(flat, matches)
