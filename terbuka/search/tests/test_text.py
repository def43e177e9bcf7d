"""Tokens, stems, query terms and snippets: pure functions, no database."""

import pytest
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

from terbuka.search import text

# Sastrawi's actual roots (PySastrawi 1.2.1), including the ones a reader might not expect.
WORD_FAMILIES = {
    "mohon": ["permohonan", "memohon", "dimohonkan", "pemohon", "mohon"],
    "anggar": ["anggaran", "penganggaran", "menganggarkan", "dianggarkan"],
    "bijak": ["kebijakan", "bijak", "kebijakannya"],
    "layan": ["pelayanan", "layanan", "melayani", "dilayani"],
    "izin": ["perizinan", "izin", "perizinannya"],
    "informasi": ["informasi", "informasinya"],
    "atur": ["peraturan", "aturan", "mengatur"],
    "buka": ["keterbukaan", "terbuka"],
    "ada": ["pengadaan"],
    "kerja": ["pekerjaan", "kerja"],
}


@pytest.mark.parametrize(
    ("word", "root"), [(word, root) for root, words in WORD_FAMILIES.items() for word in words]
)
def test_word_families_share_one_stem(word: str, root: str) -> None:
    assert text.stem(word) == root


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("kebijaksanaan", "bijaksana"),  # a different root from "kebijakan"
        ("perijinan", "perijinan"),  # the non-standard spelling is not in the dictionary
        ("ijin", "ijin"),
    ],
)
def test_stems_that_stay_apart(word: str, root: str) -> None:
    assert text.stem(word) == root


@pytest.mark.parametrize("word", ["covid19", "2024", "apbd", "ppid", "kafe"])
def test_codes_numbers_and_unknown_words_are_kept(word: str) -> None:
    assert text.stem(word) == word


def test_stem_accepts_any_case() -> None:
    assert text.stem("Permohonan") == "mohon"


def test_repeated_words_come_from_the_cache() -> None:
    text.stem("penganggarannya")
    hits = text.stem.cache_info().hits
    text.stem("penganggarannya")
    assert text.stem.cache_info().hits == hits + 1


def test_tokens_fold_case_accents_and_compatibility_forms() -> None:
    assert text.tokens("Kafé ＡＰＢＤ ﬁnal İzin") == ["kafe", "apbd", "final", "izin"]


def test_tokens_split_on_everything_but_letters_and_digits() -> None:
    assert text.tokens("Perda No.5/2024: anggaran-belanja (APBD)_perubahan") == [
        "perda",
        "no",
        "2024",
        "anggaran",
        "belanja",
        "apbd",
        "perubahan",
    ]


def test_tokens_drop_stopwords_single_characters_and_runaway_words() -> None:
    noise = "x" * (text.MAX_TOKEN_LENGTH + 1)
    assert text.tokens(f"Daftar informasi yang dan di a 5 {noise} publik") == [
        "daftar",
        "informasi",
        "publik",
    ]


def test_content_words_of_sastrawis_stopword_list_stay_searchable() -> None:
    sastrawi = set(StopWordRemoverFactory().get_stop_words())
    for word in ["mohon", "kerja", "jumlah", "bagian", "tempat", "masalah", "kasus", "hari"]:
        assert word in sastrawi
        assert text.query_terms(word) == [text.stem(word)]


def test_stemmed_is_the_space_separated_stems() -> None:
    assert text.stemmed("Permohonan Informasi Penganggaran Daerah") == (
        "mohon informasi anggar daerah"
    )


def test_query_terms_are_distinct_stems_in_order() -> None:
    assert text.query_terms("Anggaran penganggaran, permohonan!") == ["anggar", "mohon"]


@pytest.mark.parametrize("query", ["", "   ", "yang dan di", "!!! ()*:&", "a"])
def test_query_without_words_has_no_terms(query: str) -> None:
    assert text.query_terms(query) == []


@pytest.mark.parametrize(
    "query",
    ['"anggaran', "anggaran) OR (x", "anggaran AND NOT x*", "anggar:* & !x | y", "kolom:nilai"],
)
def test_query_terms_hold_only_letters_and_digits(query: str) -> None:
    assert all(term.isalnum() for term in text.query_terms(query))


def test_a_very_long_query_is_cut() -> None:
    query = " ".join(f"kata{number}" for number in range(100))
    assert len(text.query_terms(query)) == text.MAX_QUERY_TERMS


def test_within_budget_keeps_ordinary_text_whole() -> None:
    words = text.stems("anggaran daerah " * 10_000)
    assert text.within_budget(words) == words


def test_within_budget_cuts_a_huge_vocabulary() -> None:
    words = [f"kode{number}" for number in range(200_000)]
    kept = text.within_budget(words, budget=100_000)
    assert kept == words[: len(kept)]
    assert 0 < sum(len(word) + 6 for word in kept) <= 100_000


LONG_TEXT = (
    "Pemerintah daerah menyusun dokumen perencanaan setiap tahun. " * 5
    + "Rincian Penganggaran Dinas Kesehatan tahun 2024 memuat belanja obat. "
    + "Dokumen ini terbuka untuk umum. " * 5
)


def test_snippet_shows_the_original_words_around_the_first_match() -> None:
    passage = text.snippet(LONG_TEXT, "anggaran", length=80)
    assert "Rincian Penganggaran Dinas Kesehatan" in passage
    assert passage.startswith("…")
    assert passage.endswith("…")
    assert len(passage) <= 82


def test_snippet_cuts_at_spaces_and_collapses_whitespace() -> None:
    passage = text.snippet("awal\n\n" + LONG_TEXT, "belanja", length=60)
    core = passage.strip("…")
    assert "\n" not in passage
    assert core == core.strip()
    assert all(word in LONG_TEXT or word == "awal" for word in core.split())


def test_snippet_without_a_match_is_the_start_of_the_text() -> None:
    passage = text.snippet(LONG_TEXT, "perizinan", length=50)
    assert passage.startswith("Pemerintah daerah")
    assert passage.endswith("…")


def test_snippet_of_a_short_text_is_the_whole_text() -> None:
    assert text.snippet("  Laporan  keuangan ", "uang") == "Laporan keuangan"


def test_snippet_matches_the_last_term_as_a_prefix_when_asked() -> None:
    assert "Kesehatan" not in text.snippet(LONG_TEXT, "seha", length=60)
    assert "Kesehatan" in text.snippet(LONG_TEXT, "seha", length=60, prefix=True)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("permoh", ["permoh", "moh"]),  # "per" off; not "pe", which would leave "rmoh"
        ("pengangg", ["pengangg", "angg", "kangg"]),  # a nasal may stand for a root's k
        ("menyal", ["sal"]),  # meny- stands for a root's s: menyalin ← salin
        ("perizin", ["izin"]),
        # Typed into the suffix: the piece of -an or -kan comes off a beginning that is not
        # a root word.
        ("pelayana", ["pelayana", "layana", "pelayan", "layan"]),
        ("dianggark", ["dianggark", "anggark", "dianggar", "anggar"]),
        ("data", ["data"]),
        ("pengelo", ["elo", "kelo"]),
        ("realis", ["realis"]),
        ("pe", []),
        ("2026", ["2026"]),
    ],
)
def test_beginnings_of_a_half_typed_word(word: str, expected: list[str]) -> None:
    assert text.beginnings(word) == expected


def test_parse_keeps_typed_words_whole_and_only_the_last_as_a_beginning() -> None:
    assert text.parse("laporan permoh", prefix=True) == text.Terms(("lapor",), ("permoh", "moh"))
    assert text.parse("laporan permoh") == text.Terms(("lapor", "permoh"))
    assert text.parse("laporan pe", prefix=True) == text.Terms(("lapor", "pe"))
    # The same word typed before and being typed again is asked for once.
    assert text.parse("izin perizin", prefix=True) == text.Terms((), ("izin",))
    assert not text.parse("yang dan", prefix=True)


def test_snippet_finds_a_half_typed_word_without_its_prefix() -> None:
    assert "permohonan" in text.snippet(
        "x " * 200 + "permohonan salinan", "permoh", 60, prefix=True
    )


def test_snippet_takes_no_prefix_shorter_than_three_letters() -> None:
    assert "obat" not in text.snippet(LONG_TEXT, "ob", length=60, prefix=True)
    assert "obat" in text.snippet(LONG_TEXT, "oba", length=60, prefix=True)
