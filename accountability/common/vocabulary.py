"""The regulation's terms as Django choices, read from the rulebook's tables (one vocabulary).

The roles of Art 5 (``Person.role``, a case party's role) and the severities of Art 10's
tiers (``CaseParty.severity``) are the rulebook's, not spelled again here: a new version's
tables change them without a code change. The model fields take the functions below as
their ``choices`` (a callable, so a migration names the function, never the list), and
``Person.Role`` and ``CaseParty.Severity`` are choices classes built from the same tables.

A stored value must stay valid when a newer version is in force, so the choices are every
shipped version's names, in the order they first appear, labelled as the latest version
that has them labels them. Nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import models

import rulebook


def _versions() -> tuple[rulebook.RulebookVersion, ...]:
    return rulebook.load().versions


def _merged(
    pairs: Callable[[rulebook.RulebookVersion], Iterable[tuple[str, str]]],
) -> list[tuple[str, str]]:
    merged: dict[str, str] = {}
    for version in _versions():
        for name, label in pairs(version):
            merged[name] = label
    return list(merged.items())


def role_choices() -> list[tuple[str, str]]:
    """第五条: the responsible subjects, as the rulebook names and labels them."""
    return _merged(lambda v: ((r.name, r.label) for r in v.role_info.values()))


def severity_choices() -> list[tuple[str, str]]:
    """第十条: the severities, one per tier (情节较轻 …), lightest first."""
    return _merged(lambda v: ((t.name, t.label) for t in v.tiers.values()))


def leading_roles() -> frozenset[str]:
    """The roles of leading cadres (领导干部), whom Art 11 lets the commission above pursue
    directly: those the rulebook marks ``leading`` (the subjects of Art 6)."""
    return frozenset(r.name for v in _versions() for r in v.role_info.values() if r.leading)


def referral_severity() -> str:
    """The severity whose case is referred to the judicial organs (涉嫌犯罪, 第十条)."""
    tiers = {v.referral_tier for v in _versions()}
    if len(tiers) != 1:  # pragma: no cover - a version that changes it needs a decision here
        raise LookupError(f"the versions disagree on the referral tier: {sorted(tiers)}")
    return tiers.pop()


def choices_class(name: str, choices: Iterable[tuple[str, str]]) -> type[models.TextChoices]:
    """A TextChoices class (``.choices``, ``.values``, ``.labels``, iterable) of ``choices``;
    its members are named by their values (the regulation's words)."""
    return models.TextChoices(name, [(value, (value, label)) for value, label in choices])
