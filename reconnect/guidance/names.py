"""Find which of a therapist's own clients a typed name means.

Therapists write names as people do: full name, first or preferred name, surname, lower case,
possessives, a small misspelling. Matching runs only over the caseload it is given, so a name
of another therapist's client can never match.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Iterable, List, Optional, Sequence, TypeVar

from reconnect.guidance.client import ClientLike

# Close enough for a small misspelling ("Whitfeild", "Kathrine"), not for another name.
FUZZY_THRESHOLD = 0.8
# Words that are never names, so the free-text fallback does not match a client called "May".
STOPWORDS = frozenset("""
a about after again all also am an and any anything appt appointment appointments are as at
attendance back be been before being but by can cancel cancelled cancellations check client
clients come coming could did didnt do does doing dont for from get give had has hasnt have
havent he her here hers him his history how i im in is isnt it its just know last lately let
like look lot made many may me miss missed misses missing month months more my need no not
now of on one or our out over please pls pull pt record records session sessions she show
showed shown shows since so some sorry summary tell than thanks that the their them then
there they this time times to today too up us was wasnt we week weeks were what when where
which who why will with without would yes yet you your
mr mrs ms mx dr miss client clients patient other second first one another new named called
""".split())


@dataclass(frozen=True)
class Match:
    client_id: str
    score: float


def without_accents(text: str) -> str:
    """"chloe" for "chloé": a name as typed on a keyboard without accents."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))


def normalize(text: str) -> str:
    """Lower case, no accents, possessives and punctuation dropped."""
    text = without_accents(text).lower()
    text = re.sub(r"['’]s\b", "", text)
    return re.sub(r"[^a-z\s-]", " ", text).replace("-", " ")


def _tokens(text: str) -> List[str]:
    return [t for t in normalize(text).split() if t]


def _similar(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if len(a) < 4 or len(b) < 4:
        return 0.0  # short names must match exactly: "Ann" is not "Dan"
    return SequenceMatcher(None, a, b).ratio()


def _score(query: List[str], client: ClientLike) -> float:
    firsts = {t for name in (client.first_name, client.preferred_name) if name
              for t in _tokens(name)}
    lasts = set(_tokens(client.last_name))

    def best(token: str, names: Iterable[str]) -> float:
        return max((_similar(token, n) for n in names), default=0.0)

    if len(query) == 1:
        token = query[0]
        if len(token) == 1:
            return 0.0
        return max(best(token, firsts), best(token, lasts) * 0.95)
    # Several words: a first (or preferred) name and a surname, in either order, or an
    # initial for one of them ("k morales", "maya p"). Both must fit: "Dana Whitfield" must not
    # fall back to some other Dana.
    first_score = max(best(t, firsts) for t in query)
    last_score = max(best(t, lasts) for t in query)
    if first_score < FUZZY_THRESHOLD and any(len(t) == 1 and t in {n[0] for n in firsts}
                                             for t in query):
        first_score = FUZZY_THRESHOLD
    if last_score < FUZZY_THRESHOLD and any(len(t) == 1 and t in {n[0] for n in lasts}
                                            for t in query):
        last_score = FUZZY_THRESHOLD
    if first_score >= FUZZY_THRESHOLD and last_score >= FUZZY_THRESHOLD:
        return 1.0 + (first_score + last_score) / 2  # full-name matches outrank partial ones
    return 0.0


def match_clients(name: str, caseload: Sequence[ClientLike]) -> List[Match]:
    """The caseload clients `name` most likely means, best first; ties are all returned."""
    query = [t for t in _tokens(name) if t not in STOPWORDS]
    if not query:
        return []
    scored = [(Match(c.id, _score(query, c))) for c in caseload]
    scored = [m for m in scored if m.score >= FUZZY_THRESHOLD]
    if not scored:
        return []
    top = max(m.score for m in scored)
    # Keep every candidate near the best, so that "Maya" returns both Mayas.
    return sorted((m for m in scored if m.score >= top - 0.02), key=lambda m: -m.score)


def names_in_text(text: str, caseload: Sequence[ClientLike]) -> List[Match]:
    """Fallback when NER finds no person: look for caseload names among the words typed."""
    words = [t for t in _tokens(text) if t not in STOPWORDS]
    best: List[Match] = []
    # Try adjacent word pairs first (a full name), then single words.
    for size in (2, 1):
        for i in range(len(words) - size + 1):
            found = match_clients(" ".join(words[i:i + size]), caseload)
            if found and (not best or found[0].score > best[0].score):
                best = found
        if best and best[0].score > 1.0:
            break
    return best


# "it's Thandiwe", "client fatou diop please": a few words besides the stopwords, no more.
MOST_WORDS_IN_A_NAME = 3


def only_a_name(text: str, caseload: Sequence[ClientLike]) -> List[Match]:
    """The caseload clients a message means when it is nothing but a client's name.

    For messages the intent classifier was unsure of: a name it never saw ("Thandiwe") is
    still a name when it is one of the therapist's own clients. A longer message that merely
    mentions a client ("can Marcus stop his meds") is not taken for a lookup.
    """
    words = [t for t in _tokens(text) if t not in STOPWORDS]
    if not 1 <= len(words) <= MOST_WORDS_IN_A_NAME:
        return []
    return match_clients(" ".join(words), caseload)


# Words of courtesy after a name ("pull up dana ortiz please"): never part of it.
_COURTESY = r"(?:please|pls|plz|thanks|thx|thank\s+you|ty)"
# "closing letter for jamal carter", "leo fischer's attendance", "pull up leo fischer":
# words in the place of a client's name, whether or not any client has it.
_ADDRESSED = re.compile(
    r"\b(?:for|to|re|regarding|up|open|check|find)\s+(?P<a>[a-z][a-z'-]+(?:\s+(?!"
    + _COURTESY + r"\b)[a-z][a-z'-]+)?)(?:\s+" + _COURTESY + r")?\s*(?:[?.!,;:]|\s-\s|$)"
    r"|\b(?:called|rang|phoned|texted|emailed|e-mailed|messaged|reached|spoke\s+(?:to|with|w)"
    r"|talked\s+(?:to|with)|left)\s+(?P<c>[a-z][a-z'-]+(?:\s+[a-z][a-z'-]+)?)\b"
    r"|(?P<b>[a-z][a-z'-]+(?:\s+[a-z][a-z'-]+)?)'s\s+(?:attendance|file|record|chart|history"
    r"|sessions|appointments|notes|case|plan|letter|summary)\b")


def addressed_name(text: str) -> Optional[str]:
    """Words standing where a client's name goes ("for X", "X's file", "pull up X" at the
    end), when none of them is a common word of the trade; None otherwise."""
    low = re.sub(r"[’]", "'", (text or "").lower().strip())
    match = _ADDRESSED.search(low)
    if match is None:
        return None
    words = [w.strip("'-") for w in (match["a"] or match["b"] or match["c"]).split()]
    if match["c"]:  # "called lucia this morning": the first word after the verb, if a name
        words = words[:1] if len(words) < 2 or words[1] in STOPWORDS | _NOT_NAMES else words
    if not words or any(w in STOPWORDS or w in _NOT_NAMES or len(w) < 2 for w in words):
        return None
    return " ".join(words)


# Words that follow "for", "to" or "about" in requests and are never names.
_NOT_NAMES = frozenset("""
tomorrow tonight yesterday monday tuesday wednesday thursday friday saturday sunday mon tue
tues wed thu thur thurs fri sat sun week weeks month later now asap soon email e-mail text
sms letter voicemail call phone draft note message it them him her this that these those
sure real free fees fee money cost costs insurance medicaid medicare payment payments plan
plans safety risk therapy treatment telehealth video review closing discharge ending
reminders reminder outreach options barriers help advice ideas everything anything nothing
something everyone anyone nobody someone here there what why how when where which who
offer offers ask asks check checks confirm confirms discuss talk see go move moves switch try
tries book books rebook rebooks cancel update remind set arrange schedule reschedule find
figure sort agree agreed keep start stop pay bring get give make meet follow explain go over
evening evenings morning mornings afternoon afternoons weekend weekends weekday weekdays
session sessions slot slots time times appointment appointments schedule goals fit feedback
form forms worksheet link sliding scale scales fortnightly biweekly weekly monthly online
in-person person zoom supervisor supervision front desk reception admin office team clinic
sup supv fd recep reviews reviewed reviewing
ok okay alright fine good well great cool nah nope yeah yep yup scrap scratch ditch forget
lol thx ty
""".split())


_DATE_WORDS = frozenset("""
jan feb mar apr jun jul aug sep sept oct nov dec january february march april july august
september october november december mon tue tues wed weds thu thur thurs fri sat sun
""".split())


def name_words(text: str) -> List[str]:
    """The words of a name spaCy found that can be part of a person's name: no dates, no
    numbers ("dana wed 25 nov" is "dana")."""
    return [w for w in names_words(text) if w.isalpha() and w not in _DATE_WORDS]


def names_words(text: str) -> List[str]:
    """The words of a message that could be part of a name (no stopwords)."""
    return [t for t in _tokens(text) if t not in STOPWORDS and t not in _NOT_NAMES]


_CONTACTED = re.compile(r"\b(?:called|rang|phoned|texted|emailed|e-mailed|messaged|reached"
                        r"|spoke\s+(?:to|with|w)|talked\s+(?:to|with))\s+(?P<name>[a-z][a-z'-]+)\b")


def contacted_name(text: str) -> Optional[str]:
    """The one word after a contact verb when it is no pronoun or common word: "called lucia
    this morning" names Lucia, whoever she is."""
    match = _CONTACTED.search((text or "").lower())
    if match is None:
        return None
    word = match["name"].strip("'-")
    if word in STOPWORDS or word in _NOT_NAMES or word in _NOT_CONTACTS or len(word) < 2:
        return None
    return word


# Whom else a therapist calls: never a client's name.
_NOT_CONTACTS = frozenset("""
back again twice reception office clinic front desk insurance insurer gp doctor mom mum dad
mother father sister brother partner husband wife son daughter aunt uncle family parents
school work police pharmacy hospital everyone everybody round around earlier home cell
mobile landline number obviously finally eventually luckily thankfully briefly quickly
already actually really properly successfully immediately straight fine ok okay
""".split())


def full_name_decides(matches: List[Match], text: str,
                      caseload: Sequence[ClientLike]) -> List[Match]:
    """Between clients of one first name, the one whose full name the message types ("called
    maya patel ... maya told her ..."): the matches otherwise unchanged."""
    if len(matches) > 1:
        whole = {m.client_id: m for m in names_in_text(text, caseload) if m.score > 1.0}
        if len(whole) == 1 and next(iter(whole)) in {m.client_id for m in matches}:
            return list(whole.values())
    return matches


def name_of_span(span: str) -> Optional[str]:
    """A name as spaCy tagged it, cut to the name: words that are no name at its edges (a
    verb, a date, a stop word: "rang - kwame", "called Dana") left out, as typed otherwise;
    None when no word of it could be a name."""
    words = re.findall(r"[^\W\d_][\w'.-]*", span or "")
    def no_name(word: str) -> bool:
        low = word.lower().strip(".'-")
        if low in ("dr", "mr", "mrs", "ms", "mx", "miss", "prof"):
            return False  # a title stays with its name
        return (low in STOPWORDS or low in _NOT_NAMES or low in _VERBS or low in _DATE_WORDS
                or len(low) < 2 and not word.isupper())
    while words and no_name(words[0]):
        words.pop(0)
    while words and no_name(words[-1]):
        words.pop()
    if not words:
        return None
    return span if len(words) == len(re.findall(r"[^\W\d_][\w'.-]*", span)) else " ".join(words)


def unmatched_full_name(text: str, caseload: Sequence[ClientLike]) -> Optional[str]:
    """"maya singh" when the caseload's Mayas are Chen and Patel: a first name followed by a
    surname none of them has is another person, not any of them."""
    words = _tokens(text)
    for i, (first, last) in enumerate(zip(words, words[1:], strict=False)):
        if not _could_be_surname(last) or re.search(
                rf"\b{re.escape(first)}'s\s+{re.escape(last)}\b", text or "", re.IGNORECASE):
            continue  # "maya said", "maya usually", "maya wed", "maya's away": no surname
        after = words[i + 2] if i + 2 < len(words) else ""
        if last.endswith("s") and (after in _OBJECT_WORDS
                                   or (len(after) > 4 and after.endswith("ing"))):
            # "tom brings his pay stubs", "luis sets a reminder", "grace keeps saying ...":
            # a verb, no surname
            continue
        namesakes = [c for c in caseload
                     if first in {t for n in (c.first_name, c.preferred_name) if n
                                  for t in _tokens(n)}]
        if namesakes and not any(_similar(last, t) >= FUZZY_THRESHOLD
                                 for c in namesakes for t in _tokens(c.last_name)):
            return f"{first} {last}"
    return None


def unknown_surname(text: str, caseload: Sequence[ClientLike], clinic_surnames: Iterable[str],
                    staff_names: Iterable[str] = ()) -> Optional[str]:
    """"does ortiz owe anything" when no client of the caseload is called Ortiz but a client of
    the clinic is: a surname alone that names someone else, never the client in discussion.

    Only the clinic's own surnames count (an ordinary word is no surname), and never a name
    of a client of this caseload (first, preferred or last) or of a staff member ("Dr. Ellis
    reviews it")."""
    known = {t for name in clinic_surnames for t in _tokens(name)}
    own = {t for c in caseload for n in (c.first_name, c.preferred_name, c.last_name) if n
           for t in _tokens(n)}
    staff = {t for name in staff_names for t in _tokens(name)}
    words = _tokens(text)
    for i, word in enumerate(words):
        if word in known and word not in own and word not in staff and _could_be_surname(word) \
                and word not in STOPWORDS and word not in _NOT_NAMES:
            before = words[i - 1] if i else ""
            # "pull up noah kim": the name as asked for, first name and all.
            if before and before not in STOPWORDS and before not in _NOT_NAMES \
                    and before not in _VERBS and before not in _DATE_WORDS and len(before) > 1 \
                    and not re.search(r"(?:ed|ing|ly)$", before):
                return f"{before} {word}"
            return word
    return None


_Client = TypeVar("_Client", bound=ClientLike)


def namesakes_of(full_name: str, caseload: Sequence[_Client]) -> List[_Client]:
    """The caseload's clients whose first (or preferred) name is the first word of
    `full_name`: what "Dana Ortiz" may have meant in a caseload with Dana Whitfield."""
    first = next(iter(_tokens(full_name)), "")
    return [c for c in caseload
            if first in {t for n in (c.first_name, c.preferred_name) if n for t in _tokens(n)}]


def as_typed(name: str, text: str) -> str:
    """`name` (normalized words) as the message wrote it ("Dana Ortiz"), when it can be
    found there; otherwise each word capitalised."""
    words = name.split()
    pattern = r"\b" + r"[^a-zA-Z]+".join(re.escape(w) for w in words) + r"\b"
    found = re.search(pattern, text or "", re.IGNORECASE)
    if found:
        return found.group(0)
    return " ".join(w.capitalize() for w in words)


# Stems the normalizing leaves of contractions ("didn't" -> "didn t"): never a surname.
_CONTRACTIONS = frozenset("didn doesn don hasn haven isn wasn weren won can couldn wouldn "
                          "shouldn aren ain".split())


def _could_be_surname(word: str) -> bool:
    """Whether a word after a first name could be a surname: no stop word, date word,
    verb, contraction, adverb or single letter ("dana w" is an initial, matched elsewhere)."""
    return not (word in STOPWORDS or word in _NOT_NAMES or word in _DATE_WORDS
                or word in _VERBS or word in _CONTRACTIONS or len(word) < 2
                or re.search(r"(?:ed|ing|ly)$", word))


# Words that follow a verb, not a surname: "tom brings HIS pay stubs", "luis sets A reminder".
_OBJECT_WORDS = frozenset("his her their a an the up in me us back it them my our".split())

_VERBS = frozenset("""
said says told asked wants needs hasn't isn't can't won't didn't doesn't texted emailed came
comes went goes left keeps kept missed misses cancelled cancels is was has had will would
seems seemed thinks thought wrote writes replied replies rang phoned booked rebooked
got gets feels felt might may must should could shall did does do again still also too
brings sets sends calls checks books picks drops texts emails rings signs fills
""".split())
