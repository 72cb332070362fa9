"""Progress of a long run on stderr (rich), so stdout stays clean for the command's own output."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

HANDFUL = 5  # up to this many files, a bar would only flicker
T = TypeVar("T")


@contextmanager
def progress_bar(total: int, description: str) -> Iterator[Callable[[int], None]]:
    """A bar on stderr for ``total`` items when there are more than a handful; yields ``advance(n)``."""
    if total <= HANDFUL:
        yield lambda n=1: None
        return
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(task, n)


def track_items(items: list[T], description: str) -> Iterable[T]:
    """Each of ``items``, advancing a bar on stderr as each is taken."""
    with progress_bar(len(items), description) as advance:
        for item in items:
            yield item
            advance(1)
