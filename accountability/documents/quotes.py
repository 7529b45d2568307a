"""Quoting the regulation on paper: article texts, the references a sentence cites."""

from __future__ import annotations

import re

from accountability.assessment.current import rulebook_versions
from accountability.documents.formatting import typeset
from rulebook import regulation

_REF = re.compile(r"第[一二三四五六七八九十]+条(?:第\([一二三四五六七八九十]+\)项)?")


def quote_text(ref: str) -> str:
    """The words of `ref`: an item's text, an article's text, or an article's lead sentence
    when it has items (so that 第十四条 does not quote all three of them)."""
    target = regulation.lookup(ref)
    if isinstance(target, regulation.Article) and target.items:
        return typeset(target.text.splitlines()[0])
    return typeset("".join(target.text.splitlines()))


def article(ref: str) -> dict[str, str]:
    """{"ref": "第八条第（三）项", "text": …} as the templates quote it."""
    return {"ref": typeset(ref), "text": quote_text(ref)}


def refs_in(text: str) -> list[str]:
    """The references a sentence cites, in order, each once (unknown ones dropped); the
    sentence may be typeset already (第八条第（三）项)."""
    seen: list[str] = []
    for ref in _REF.findall(text.replace("（", "(").replace("）", ")")):
        if ref not in seen and regulation.exists(ref):
            seen.append(ref)
    return seen


def sorted_refs(refs: set[str]) -> list[str]:
    return sorted((r for r in refs if regulation.exists(r)), key=regulation.sort_key)


_QUOTE_AFTER_REF = re.compile(
    r"(第[一二三四五六七八九十]+条(?:第[(（][一二三四五六七八九十]+[)）]项)?)“([^”]*)”"
)


def _exact_quote(match: re.Match[str]) -> str:
    """A reference's quote in the regulation's own words: the rulebook's tables name factors
    by a shortened text (“对存在问题认真整改,成效明显”, without the item's closing 的), which a
    document may not pass off as a quotation."""
    ref, words = match.group(1), match.group(2)
    plain = ref.replace("（", "(").replace("）", ")")
    if not regulation.exists(plain):
        return match.group(0)
    exact = quote_text(plain).rstrip("。；;")
    shortened = typeset(words)
    if shortened != exact and exact.startswith(shortened.rstrip("。；;")):
        return f"{ref}“{exact}”"
    return match.group(0)


def humanise(sentence: str) -> str:
    """A rulebook sentence for paper: version ids (“zx-2020-10-30”) become the title, and
    quoted items read as the regulation does."""
    for version in rulebook_versions():
        sentence = sentence.replace(f"“{version.id}”", f"《{version.title}》")
    return _QUOTE_AFTER_REF.sub(_exact_quote, typeset(sentence))
