"""ConText-style modifiers: is a mention negated, about someone else, past,
hypothetical or hedged?

After Chapman et al.'s ConText algorithm: trigger terms open a scope that runs
forwards (or, for a few, backwards) until the end of the clause or a
termination term. The trigger lists live in lexicon.yml under `context`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

FORWARD = (
    "negation_forward",
    "family",
    "historical",
    "hypothetical",
    "uncertain",
    "supposed",
)
BACKWARD = ("negation_backward", "historical")
# "painful the first day but not anymore": reaches back over "but" and commas.
NO_LONGER = "no_longer"
NO_LONGER_WINDOW = 8
# How far (in tokens) a trigger reaches; long lists like "no pain, redness,
# swelling or numbness" still fit.
FORWARD_WINDOW = 9
BACKWARD_WINDOW = 4
HISTORY_BACKWARD_WINDOW = 8  # "slurred once after a dental anaesthetic years ago"
ASIDE = 4  # tokens in a bracketed aside that does not break a scope: "(79)"
CHAT_AND = {"n", "&", "+", "plus", "an", "nd"}
# Words after a comma that start a new statement: ", my face droops".
SCOPE_BREAKERS = ("terminate", "reporter_verbs")
NEW_STATEMENT = {"my", "i", "it", "its", "it'", "the", "but", "now", "there", "this",
                 # ", left cheek, 9 days": a side after a comma starts the report
                 "left", "right", "both", "lower", "upper", "bottom", "top"}  # fmt: skip


@dataclass
class Modifier:
    category: str
    start: int  # token index
    end: int


@dataclass
class Flags:
    negated: bool = False
    other_person: bool = False
    historical: bool = False
    hypothetical: bool = False
    uncertain: bool = False
    # "I thought it had spread...": a belief that may be taken back later in the
    # sentence ("...but no"); then the mention is `retracted` (bot extraction).
    supposed: bool = False
    retracted: bool = False
    ended: bool = False  # "...but not anymore": false now, whatever it was then
    who: str = ""  # the person word that made it someone else's ("brother", "her")
    # said by the writer of themselves in a message about someone else
    # ("I'm stressed too"): not the patient's (bot extraction)
    writer: bool = False

    @property
    def plain(self) -> bool:
        """No modifier applies (`who` and `writer` only say whose it is)."""
        return replace(self, who="", writer=False) == Flags()


def _overlaps(a: Modifier, b: Modifier) -> bool:
    return a.start < b.end and b.start < a.end


def clean_modifiers(modifiers: list[Modifier], doc) -> list[Modifier]:
    """Drop triggers that are part of a pseudo-trigger ("not sure", "no doubt")
    and a leading interjection "No," which answers rather than negates."""
    pseudo = [m for m in modifiers if m.category == "pseudo"]
    kept = []
    for mod in modifiers:
        if mod.category == "pseudo":
            continue
        # "not sure" is no negation; "mum of 3" is the writer, not a relative
        if mod.category.startswith(
            ("negation", "family", "historical", "hypothetical")
        ) and any(_overlaps(mod, p) for p in pseudo):
            continue
        # "but no numbness": a negation; "but no, it hadn't": a retraction
        if mod.category == "retraction" and doc[mod.start].norm_ == "but":
            if mod.end < len(doc) and doc[mod.end].is_alpha:
                continue
        if mod.category == "negation_forward" and mod.end < len(doc):
            if doc[mod.end].is_punct and doc[mod.start].norm_ in {"no", "nope", "nah"}:
                continue
        kept.append(mod)
    # Keep the longest trigger where several overlap ("not sure if" is a hedge,
    # not a conditional "if"); scope breakers are kept as they are.
    breakers = [m for m in kept if m.category in SCOPE_BREAKERS]
    triggers = [m for m in kept if m.category not in SCOPE_BREAKERS]
    triggers.sort(key=lambda m: (-(m.end - m.start), m.start))
    result: list[Modifier] = []
    for mod in triggers:
        if any(_overlaps(r, mod) for r in result):
            continue
        result.append(mod)
    return sorted(result + breakers, key=lambda m: m.start)


def _blocked(doc, lo: int, hi: int, terminators: set[int], reporters: set[int]) -> bool:
    """Is there a scope break between token lo (inclusive) and hi (exclusive)?"""
    i = lo
    while i < hi:
        tok = doc[i]
        # "My father (79) has...": a short aside in brackets is no break
        if tok.text == "(":
            close = next(
                (j for j in range(i + 1, min(hi, i + ASIDE + 2)) if doc[j].text == ")"),
                None,
            )
            if close is not None:
                i = close + 1
                continue
        if i in terminators:
            return True
        if tok.text in {";", ":", "(", ")", "—", "–", "-", "=", "--", "+", "&"}:
            return True
        # "no sleep n my eye twitches": a new subject after a chat "and"
        if (
            tok.norm_ in CHAT_AND
            and i + 1 < len(doc)
            and doc[i + 1].norm_ in {"my", "i"}
        ):
            return True
        if tok.text == "," and i + 1 < len(doc) and doc[i + 1].norm_ in NEW_STATEMENT:
            return True
        i += 1
    return False


# Owners that can sit inside a place ("the corner of her mouth"); not "their
# own" of "shut on their own" nor the "baby" of "new baby".
OWNER_INSIDE = {"her", "his"}


def flags_for(
    start: int,
    end: int,
    modifiers: list[Modifier],
    doc,
    terminators: set[int],
    reporters: set[int],
    sentence: tuple[int, int],
) -> Flags:
    """The ConText flags of the target spanning tokens [start, end)."""
    flags = Flags()
    s_lo, s_hi = sentence
    for mod in modifiers:
        if not (s_lo <= mod.start < s_hi):
            continue
        cat = mod.category
        # "the corner of her mouth": the owner named inside the place
        if (
            cat == "family"
            and start <= mod.start
            and mod.end <= end
            and doc[mod.start].lower_ in OWNER_INSIDE
        ):
            _set(flags, cat, doc[mod.start : mod.end].text.lower())
        elif cat in FORWARD and mod.end <= start:
            if start - mod.end > FORWARD_WINDOW:
                continue
            if _blocked(doc, mod.end, start, terminators, reporters):
                continue
            # "my wife noticed my face droops": the wife reports, I experience.
            if cat == "family" and any(mod.end <= r < start for r in reporters):
                continue
            # "no sleep cos of the baby, loads of coffee": a person named as the
            # object of "of"/"with"/"after" is not the subject of what follows.
            if cat == "family" and _object_of_preposition(doc, mod.start):
                continue
            _set(flags, cat, doc[mod.start : mod.end].text.lower())
        elif cat == NO_LONGER and end <= mod.start <= end + NO_LONGER_WINDOW:
            flags.negated = flags.ended = True
        elif cat in BACKWARD and mod.start >= end:
            window = HISTORY_BACKWARD_WINDOW if cat == "historical" else BACKWARD_WINDOW
            if mod.start - end > window:
                continue
            if any(doc[i].is_punct for i in range(end, mod.start)):
                continue
            if _blocked(doc, end, mod.start, terminators, reporters):
                continue
            _set(flags, cat)
    return flags


# ("typing for my mum", "on behalf of my dad" do name the patient)
PREPOSITIONS = {"of", "with", "after", "from", "about", "by"}
PRONOUNS = {"he", "she", "they", "his", "her", "their", "him", "them"}
DETERMINERS = {"my", "our", "the", "a", "new", "little", "young"}


def _object_of_preposition(doc, i: int) -> bool:
    if doc[i].lower_ in PRONOUNS:  # "both of her eyelids": hers
        return False
    j = i - 1
    while j >= 0 and doc[j].lower_ in DETERMINERS:
        j -= 1
    behalf = j >= 1 and doc[j - 1].lower_ == "behalf"
    if j >= 0 and doc[j].lower_ in PREPOSITIONS and not behalf:
        return True
    # "like someone tugging it": a simile; "since my baby was born": a date
    after = " ".join(t.lower_ for t in doc[i + 1 : i + 3])
    return j >= 0 and (
        doc[j].lower_ == "like"
        and doc[i].lower_ in {"someone", "somebody"}
        or doc[j].lower_ == "since"
        and after.startswith(("was born", "arrived", "came"))
    )


def _set(flags: Flags, category: str, said: str = "") -> None:
    if category.startswith("negation"):
        flags.negated = True
    elif category == "family":
        flags.other_person, flags.who = True, said
    else:
        setattr(flags, category, True)
