"""Loading a file named on the command line: the same errors, worded the same, for every kind of file."""

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.core.management.base import CommandError

from nps.frameworks.schema import MAX_FILE_BYTES, FrameworkFileError, decoded

Loaded = TypeVar("Loaded")


def load_file(path: Path, load: Callable[[str], Loaded]) -> Loaded:
    """`load` applied to the file's text; a missing or unreadable file, or one `load` refuses, is a CommandError
    listing every problem with its place."""
    try:
        with path.open("rb") as file:
            return load(decoded(file.read(MAX_FILE_BYTES + 1)))
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except OSError as error:
        raise CommandError(f"{path} cannot be read: {error.strerror}") from None
    except FrameworkFileError as error:
        lines = "\n".join(f"  {problem}" for problem in error.problems)
        raise CommandError(f"{path} was not loaded; {len(error.problems)} problem(s):\n{lines}") from None
