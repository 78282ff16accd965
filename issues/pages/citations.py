"""Numbered citations: every source a page cites gets a number, in order of first citation,
and every citing record the numbers of what it cites."""

from dataclasses import dataclass, field

from issues.models import Source

from .reading import Cited


@dataclass(frozen=True)
class Cite:
    """A citation as a page shows it: `[number]` and where in the source."""

    number: int
    locator: str
    #: The source's id: a page renumbers its citations by it after an in-place edit.
    source_id: int | None = None


@dataclass(frozen=True)
class NumberedSource:
    number: int
    source: Source


@dataclass
class CitationIndex:
    """Numbers sources as they are first cited."""

    _numbers: dict[int, int] = field(default_factory=dict)
    sources: list[NumberedSource] = field(default_factory=list)

    def cite(self, source: Source, locator: str) -> Cite:
        if source.pk not in self._numbers:
            self._numbers[source.pk] = len(self.sources) + 1
            self.sources.append(NumberedSource(self._numbers[source.pk], source))
        return Cite(self._numbers[source.pk], locator, source.pk)

    def cite_all(self, cited: list[Cited]) -> list[Cite]:
        return [self.cite(item.source, item.locator) for item in cited]
