"""Choosing organisations by name: a form field that takes one name or GSS code per line (or, through the API, a list of
them) and says, line by line, which it could not find."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from nps.organisations.models import Organisation

SUGGESTIONS = 3


class OrganisationsField(forms.Field):
    """Organisations from `queryset`, each named in full: its GSS code, name or official name, any case. A page sends
    one per line; the API sends a list."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *, queryset: QuerySet[Organisation], described: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.queryset, self.described = queryset, described

    def to_python(self, value: Any) -> list[Organisation]:
        listed = isinstance(value, list | tuple)
        entries = [str(entry).strip() for entry in (value if listed else str(value or "").splitlines())]
        entries = [entry for entry in entries if entry]
        found = self.named(entries)
        place = "Item" if listed else "Line"
        errors = [
            f"{place} {number}, “{entry}”: {problem}"
            for number, entry in enumerate(entries, 1)
            if (problem := self.unmatched(entry, found))
        ]
        if errors:
            raise forms.ValidationError(errors)
        return list({found[entry.casefold()][0].pk: found[entry.casefold()][0] for entry in entries}.values())

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(item.name if isinstance(item, Organisation) else str(item) for item in value)
        return value

    def named(self, entries: list[str]) -> dict[str, list[Organisation]]:
        """Every organisation any entry names, by each of its names in lower case: one query however many lines."""
        if not entries:
            return {}
        wanted = Q()
        for entry in entries:
            wanted |= Q(gss_code__iexact=entry) | Q(name__iexact=entry) | Q(official_name__iexact=entry)
        found: dict[str, list[Organisation]] = {}
        for organisation in self.queryset.filter(wanted).order_by("name"):
            names = {organisation.gss_code, organisation.name, organisation.official_name} - {""}
            for name in {name.casefold() for name in names}:
                found.setdefault(name, []).append(organisation)
        return found

    def unmatched(self, entry: str, found: dict[str, list[Organisation]]) -> str | None:
        """What is wrong with one entry, if anything: nothing has that name, or more than one organisation has."""
        matches = found.get(entry.casefold(), [])
        if len(matches) == 1:
            return None
        if matches:
            codes = ", ".join(organisation.gss_code for organisation in matches)
            return f"more than one {self.described} has this name ({codes}); enter the GSS code"
        similar = list(self.queryset.search(entry).order_by("name")[:SUGGESTIONS])  # type: ignore[attr-defined]
        if not similar:
            return f"no {self.described} has this name or GSS code; check the spelling"
        names = " or ".join(f"{organisation.name} ({organisation.gss_code})" for organisation in similar)
        return f"no {self.described} has this name or GSS code in full; did you mean {names}?"
