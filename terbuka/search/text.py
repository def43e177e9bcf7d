"""Indonesian text as the search index sees it: tokens, stems, query terms and snippets.

Pure functions, no database. The index and the query pass through the same :func:`tokens`
and :func:`stem`, so a word matches in whatever form it was written: "permohonan",
"memohon" and "dimohonkan" all become "mohon", and "anggaran", "penganggaran" and
"menganggarkan" all become "anggar".

Stemming is Sastrawi's (Nazief-Adriani with its improvements and a dictionary of about
30,000 root words). It costs about a tenth of a millisecond per new word; :func:`stem` keeps
recent results, and a document's vocabulary repeats, so indexing pays that cost once per
distinct word.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

# A run of letters or digits in any script (``\w`` without the underscore).
_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")
# Combining diacritics (Latin "é" decomposed) and Arabic vowel marks: removed, so that
# "kafé" and "kafe" are one word.
_COMBINING = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u064b-\u065f\u0670]"
)

MIN_TOKEN_LENGTH = 2
# Longer "words" are noise in extracted text (encoded data, run-together tables).
MAX_TOKEN_LENGTH = 40
# Words of a query that are used; the rest of a very long query is ignored.
MAX_QUERY_TERMS = 16
_MAX_QUERY_CHARS = 500
STEM_CACHE_SIZE = 1 << 17
# A shorter last word is not taken as a prefix: "pe" would match most of the index.
MIN_PREFIX_LENGTH = 3

# Function words only. Sastrawi's own list (about 750 words) is not used: it holds content
# words that people search for in public information, such as "mohon", "kerja", "hari",
# "bulan", "jumlah", "bagian", "tempat", "masalah", "kasus", "penting" and "mata" (as in
# "mata anggaran"). Stopwords are checked before stemming, so "pengadaan" (stem "ada") is
# kept although "ada" is dropped.
_STOPWORDS = """
ada adalah adanya agar akan akankah aku anda antara apa apabila apakah atau ataupun atas
bagaimana bagi bahwa beliau belum bila bukan dalam dan dapat dari daripada demi dengan di
dia dong hanya hingga ia ialah ini itu jika juga kah kalau kami kamu kan karena ke kenapa
kepada ketika kita lagi lah maka mana masih melainkan mengapa mereka merupakan namun nya
oleh pada padahal para pula pun saja sambil sampai saya se sebab sebagai sebelum secara
sedang sedangkan sehingga sejak selama seperti serta sesudah setelah siapa suatu sudah
supaya tanpa tapi telah tentang terhadap tersebut tetapi untuk yaitu yakni yang
"""
STOPWORDS = frozenset(_STOPWORDS.split())


@functools.cache
def _stemmer() -> Stemmer:
    # Sastrawi's factory wraps the stemmer in a cache that grows without bound; the bounded
    # cache of :func:`stem` replaces it.
    return Stemmer(ArrayDictionary(StemmerFactory().get_words_from_file()))


def _fold(text: str) -> str:
    """Lower case, compatibility forms unified (ligatures, full-width letters), no accents."""
    text = text.lower()
    if text.isascii():
        return text
    # Lower case first: "İ" lower-cases to "i" and a combining dot, which goes here too.
    return unicodedata.normalize("NFC", _COMBINING.sub("", unicodedata.normalize("NFKD", text)))


def tokens(text: str) -> list[str]:
    """The words of ``text`` that the index keeps, folded to lower case, in order."""
    return [
        word
        for word in _WORD.findall(_fold(text))
        if MIN_TOKEN_LENGTH <= len(word) <= MAX_TOKEN_LENGTH and word not in STOPWORDS
    ]


@functools.lru_cache(maxsize=STEM_CACHE_SIZE)
def stem(word: str) -> str:
    """The root of one word: ``stem("permohonan") == "mohon"``.

    Words with digits or letters outside a-z (codes such as "covid19", numbers, other
    scripts) are kept as they are: Sastrawi's rules are for Latin-script Indonesian.
    """
    word = word.lower()
    if not (word.isascii() and word.isalpha()):
        return word
    root: str = _stemmer().stem_word(word)
    return root or word


def stems(text: str) -> list[str]:
    """The stem of every indexed word of ``text``, in order."""
    return list(map(stem, tokens(text)))


# PostgreSQL refuses a tsvector whose lexemes and positions take more than 1 MiB. Each
# distinct lexeme costs its length plus about 6 bytes; positions add at most about 32 KiB
# (PostgreSQL stops counting positions at 16,383). The budget leaves room for the title.
VOCABULARY_BUDGET = 900_000
_LEXEME_OVERHEAD = 6


def within_budget(words: list[str], budget: int = VOCABULARY_BUDGET) -> list[str]:
    """``words`` cut off before the distinct words would take more than ``budget`` bytes.

    Only a text of many tens of thousands of distinct words (a long list of codes or
    numbers) is cut; its first part stays searchable.
    """
    if 4 * sum(map(len, words)) + _LEXEME_OVERHEAD * len(words) <= budget:
        return words  # even at four bytes a character, all of them fit
    seen: set[str] = set()
    used = 0
    for position, word in enumerate(words):
        if word in seen:
            continue
        used += len(word.encode()) + _LEXEME_OVERHEAD
        if used > budget:
            return words[:position]
        seen.add(word)
    return words


def stemmed(text: str) -> str:
    """The stems of ``text`` joined by spaces: what the index stores."""
    return " ".join(within_budget(stems(text)))


def query_terms(query: str) -> list[str]:
    """The distinct stems of a search query, in the order typed.

    An empty query, or one of stopwords only, has no terms. Nothing but letters and digits
    can come out, so no character of a query reaches a full-text query language.
    """
    terms: list[str] = []
    for word in stems(query[:_MAX_QUERY_CHARS]):
        if word not in terms:
            terms.append(word)
    return terms[:MAX_QUERY_TERMS]


# Prefixes a half-typed word may carry before its root; of two that begin alike, the
# longer comes first. Sastrawi cannot strip
# them from a word it does not know yet ("permoh…" is not a word), so the beginnings of the
# root are guessed instead: "permoh" may be "moh…" (permohonan), "pengangg" "angg…"
# (penganggaran). A nasal prefix replaces the first letter of some roots: memukul ← pukul,
# menulis ← tulis, menyapu ← sapu, mengirim ← kirim.
_PREFIXES = (
    *("memper", "diper", "meng", "meny", "peng", "peny", "mem", "men", "pem", "pen"),
    *("per", "ber", "ter", "me", "pe", "di", "ke", "se"),
)
_NASAL_ROOT_LETTER = {
    "meng": "k",
    "peng": "k",
    "meny": "s",
    "peny": "s",
    "mem": "p",
    "pem": "p",
    "men": "t",
    "pen": "t",
}
_VOWELS = frozenset("aeiou")
# The first letters of the suffixes -kan, -an and -nya, longest first.
_SUFFIX_PIECES = ("ka", "ny", "k", "a")


@dataclass(frozen=True)
class Terms:
    """A search query as the index sees it. Every one of ``complete`` must match; with
    ``starts`` (a word still being typed) so must a stem beginning with one of them."""

    complete: tuple[str, ...] = ()
    starts: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.complete or self.starts)


def beginnings(word: str) -> list[str]:
    """What the root of ``word``, perhaps half typed, may begin with: its stem, and what is
    left once its longest prefix is taken off (at least :data:`MIN_PREFIX_LENGTH` letters
    each)."""
    found = [stem(word)]
    if word.isascii() and word.isalpha():
        for prefix in _PREFIXES:
            if not word.startswith(prefix):
                continue
            rest = word[len(prefix) :]
            found.append(rest)
            letter = _NASAL_ROOT_LETTER.get(prefix)
            if letter and rest[:1] in _VOWELS:
                found.append(letter + rest)
            break  # the longest prefix only: "per" of "permoh", not "pe" leaving "rmoh"
    # A word typed into its suffix runs past its root: "pelayana" is "layan" and the "a" of
    # "-an", "dianggark" is "anggar" and the "k" of "-kan". A beginning that is not a
    # root word loses such a piece.
    for start in list(found):
        if not _stemmer().dictionary.contains(start):
            piece = next((piece for piece in _SUFFIX_PIECES if start.endswith(piece)), "")
            if piece:
                found.append(start[: -len(piece)])
    return [start for start in dict.fromkeys(found) if len(start) >= MIN_PREFIX_LENGTH]


def parse(query: str, *, prefix: bool = False) -> Terms:
    """The terms of ``query``; with ``prefix`` its last word may be half typed.

    Without a beginning of :data:`MIN_PREFIX_LENGTH` letters the last word must match
    whole: "pe" would match most of the index.
    """
    terms = query_terms(query)
    if not prefix or not terms:
        return Terms(tuple(terms))
    last = tokens(query[:_MAX_QUERY_CHARS])[-1]
    starts = beginnings(last)
    if not starts:
        return Terms(tuple(terms))
    typed = stem(last)
    return Terms(tuple(term for term in terms if term != typed), tuple(starts))


def snippet(text: str, query: str, length: int = 200, *, prefix: bool = False) -> str:
    """About ``length`` characters of ``text`` around the first word that matches ``query``.

    The passage is cut at spaces, its whitespace collapsed, and marked with "…" where text
    was left out; without a matching word it is the start of ``text``. Plain text: the
    template escapes it. With ``prefix`` the last query term (of at least
    :data:`MIN_PREFIX_LENGTH` letters) also matches as the start of a longer stem, as in
    :func:`terbuka.search.selectors.search`.
    """
    flat = _SPACES.sub(" ", text).strip()
    if len(flat) <= length:
        return flat
    hit = _first_match(flat, parse(query, prefix=prefix))
    start = 0
    if hit > 0:
        # The matching word sits about a fifth into the passage, after some context.
        start = max(0, min(hit - length // 5, len(flat) - length))
        if start > 0:
            space = flat.find(" ", start, hit)
            start = space + 1 if space != -1 else start
    end = start + length
    if end < len(flat):
        space = flat.rfind(" ", max(start, hit) + 1, end + 1)
        end = space if space != -1 else end
    passage = flat[start:end].strip()
    return ("…" if start > 0 else "") + passage + ("…" if end < len(flat) else "")


def _first_match(flat: str, terms: Terms) -> int:
    """Offset in ``flat`` of the first space-separated word whose stem is a query term."""
    if not terms:
        return 0
    if flat.isascii():
        return _first_match_ascii(flat, _matcher(terms))
    return _first_match_by_chunks(flat, _matcher(terms))


def _matcher(terms: Terms) -> Callable[[str], bool]:
    complete = set(terms.complete)
    starts = terms.starts

    def matches(word: str) -> bool:
        root = stem(word)
        return root in complete or root.startswith(starts)

    return matches


def _first_match_ascii(flat: str, matches: Callable[[str], bool]) -> int:
    """Folding ASCII text only lowers it, so its words keep their offsets: one pass over the
    whole text, each distinct word stemmed once."""
    known: dict[str, bool] = {}
    for found in _WORD.finditer(flat.lower()):
        word = found.group()
        if not MIN_TOKEN_LENGTH <= len(word) <= MAX_TOKEN_LENGTH or word in STOPWORDS:
            continue
        hit = known.get(word)
        if hit is None:
            hit = known[word] = matches(word)
        if hit:
            return flat.rfind(" ", 0, found.start()) + 1
    return 0


def _first_match_by_chunks(flat: str, matches: Callable[[str], bool]) -> int:
    """Any text: each space-separated chunk folded and cut into words on its own."""
    for chunk in re.finditer(r"\S+", flat):
        if any(matches(word) for word in tokens(chunk.group())):
            return chunk.start()
    return 0
