"""What the database can hold, so that input it cannot is refused as bad input rather than failing as it is saved."""

LARGEST_INTEGER = 2**63 - 1  # PostgreSQL's bigint and SQLite's INTEGER: every id, offset and count
SMALLEST_INTEGER = -(2**63)


class IdConverter:
    """`<id:name>` in URL patterns: `<int:name>` up to LARGEST_INTEGER. A bigger number matches no page: 404."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > LARGEST_INTEGER:
            raise ValueError(f"{value} is larger than any id")
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def storable(text: str) -> bool:
    """Text that both SQLite and PostgreSQL can save: no NUL character, and no half of a surrogate pair (which JSON
    and YAML escapes such as \\ud800 can give)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
