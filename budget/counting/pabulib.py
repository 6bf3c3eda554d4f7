"""Read and write Pabulib `.pb` files (https://pabulib.org/format).

A file has three sections, META, PROJECTS and VOTES, each followed by a header row;
fields are `;`-separated CSV (quoted when they hold `;`), lines end in LF or CRLF.
Reading gives an `Election`: costs and budget in cents (a value with a fraction of a
cent is refused), identical ballots merged, every META key kept verbatim, the other
non-empty PROJECTS columns kept per project. The VOTES columns other than `vote` and
`points` (voter id, age, district...) are not kept: counting never reads them.

Ballots are read as the rules need them (see /work/shared/pabulib/README.md): a
project listed twice in an approval or ordinal ballot counts once (the first place
for a ranking), in a cumulative ballot its last points value wins.

`write_text` gives Agora's canonical form: META keys, projects and ballots sorted,
voters numbered from 1, so `read_text(write_text(e)) == e` and equal elections
give byte-identical texts (what the published hash is computed on).

Any defect of the input raises `PabulibError`, a `ValueError` carrying the line
number, never another exception.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from budget.counting.types import Ballot, Election, Project, VoteType

SECTIONS = ("meta", "projects", "votes")
# Values above this many cents are refused: no budget is that large, and it keeps
# a hostile exponent ("1e999999") from allocating a huge integer.
MAX_CENTS = 10**20


class PabulibError(ValueError):
    """A malformed Pabulib file; `line` is the 1-based line number, if known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line else message)


def read_path(path: str | os.PathLike[str]) -> Election:
    """Read a `.pb` file (UTF-8, with or without BOM). OSError propagates."""
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return _read(stream)


def read_text(text: str) -> Election:
    """Read the text of a `.pb` file."""
    return _read(io.StringIO(text.removeprefix("\ufeff"), newline=""))


def parse_cents(text: str, what: str, line: int | None = None) -> int:
    """An exact decimal amount in currency units ("400000.0", "12.5") as cents."""
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise PabulibError(f"{what} {text!r} is not a number", line) from None
    if not value.is_finite() or value.adjusted() > 18:
        raise PabulibError(f"{what} {text!r} is not a usable amount", line)
    cents = value * 100
    if cents != cents.to_integral_value():
        raise PabulibError(f"{what} {text!r} has a fraction of a cent", line)
    if cents < 0:
        raise PabulibError(f"{what} {text!r} is negative", line)
    return int(cents)


def format_units(cents: int) -> str:
    """Cents as an exact decimal string in currency units: 9920000 -> "99200",
    123450 -> "1234.5" (as Pabulib and expected.json write amounts)."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    if not rest:
        return f"{sign}{units}"
    return f"{sign}{units}.{rest:02d}".rstrip("0")


def _read(stream: Iterable[str]) -> Election:
    reader = csv.reader(stream, delimiter=";", quotechar='"', strict=False)
    parser = _Parser()
    try:
        for row in reader:
            parser.feed(row, reader.line_num)
    except csv.Error as error:
        raise PabulibError(f"bad CSV: {error}", reader.line_num) from None
    except UnicodeDecodeError as error:
        raise PabulibError(
            f"not UTF-8 text: {error.reason}", reader.line_num + 1
        ) from None
    return parser.finish(reader.line_num)


class _Parser:
    """A state machine fed one CSV row at a time."""

    def __init__(self) -> None:
        self.section = ""
        self.header: list[str] | None = None
        self.meta: dict[str, str] = {}
        self.meta_lines: dict[str, int] = {}
        self.projects: dict[str, Project] = {}
        self.vote_type: VoteType | None = None
        self.ballots: dict[tuple[tuple[str, ...], tuple[int, ...]], int] = {}
        self.parsed: dict[tuple[str, str], tuple[tuple[str, ...], tuple[int, ...]]] = {}
        self.vote_col = self.points_col = -1

    def feed(self, row: list[str], line: int) -> None:
        cells = [cell.strip() for cell in row]
        if not any(cells):
            return
        name = cells[0].lower()
        if name in SECTIONS and not any(cells[1:]):
            self.start_section(name, line)
        elif not self.section:
            raise PabulibError("the file must start with META", line)
        elif self.header is None:
            self.start_header(cells, line)
        else:
            while cells and not cells[-1] and len(cells) > len(self.header):
                cells.pop()
            if len(cells) > len(self.header):
                raise PabulibError(
                    f"{len(cells)} fields but the header has {len(self.header)}", line
                )
            cells += [""] * (len(self.header) - len(cells))
            getattr(self, f"row_{self.section}")(cells, line)

    def start_section(self, name: str, line: int) -> None:
        following = (*SECTIONS, "end of file")
        expected = (
            following[following.index(self.section) + 1] if self.section else "meta"
        )
        if name != expected:
            raise PabulibError(
                f"section {name.upper()} where {expected.upper()} was expected", line
            )
        if name == "projects":
            self.check_meta(line)
        self.section, self.header = name, None

    def start_header(self, cells: list[str], line: int) -> None:
        if len(set(cells)) != len(cells) or "" in cells:
            raise PabulibError("header with an empty or repeated column name", line)
        required = {
            "meta": ("key",),
            "projects": ("project_id", "cost"),
            "votes": ("vote",),
        }
        for column in required[self.section]:
            if column not in cells:
                raise PabulibError(
                    f"{self.section.upper()} header lacks {column!r}", line
                )
        self.header = cells
        if self.section == "votes":
            self.vote_col = cells.index("vote")
            if self.vote_type is VoteType.CUMULATIVE:
                if "points" not in cells:
                    raise PabulibError("cumulative VOTES need a 'points' column", line)
                self.points_col = cells.index("points")

    def row_meta(self, cells: list[str], line: int) -> None:
        key, value = cells[0], cells[1] if len(cells) > 1 else ""
        if not key:
            raise PabulibError("META row without a key", line)
        if key in self.meta:
            raise PabulibError(f"META key {key!r} given twice", line)
        self.meta[key] = value
        self.meta_lines[key] = line

    def check_meta(self, line: int) -> None:
        for key in ("budget", "vote_type"):
            if key not in self.meta:
                raise PabulibError(f"META lacks {key!r}", line)
        try:
            self.vote_type = VoteType(self.meta["vote_type"])
        except ValueError:
            known = ", ".join(VoteType)
            raise PabulibError(
                f"vote_type {self.meta['vote_type']!r} is not one of {known}",
                self.meta_lines["vote_type"],
            ) from None
        self.budget = parse_cents(
            self.meta["budget"], "budget", self.meta_lines["budget"]
        )

    def row_projects(self, cells: list[str], line: int) -> None:
        assert self.header is not None
        row = dict(zip(self.header, cells, strict=True))
        pid = row.pop("project_id")
        if not pid or "," in pid:
            raise PabulibError(f"project id {pid!r} is empty or holds a comma", line)
        if pid in self.projects:
            raise PabulibError(f"project {pid!r} given twice", line)
        cost = parse_cents(row.pop("cost"), f"cost of project {pid!r}", line)
        fields = {key: value for key, value in row.items() if value}
        self.projects[pid] = Project(pid, cost, fields)

    def row_votes(self, cells: list[str], line: int) -> None:
        vote = cells[self.vote_col]
        points = cells[self.points_col] if self.points_col >= 0 else ""
        key = self.parsed.get((vote, points))
        if key is None:
            key = self.parse_ballot(vote, points, line)
            self.parsed[(vote, points)] = key
        self.ballots[key] = self.ballots.get(key, 0) + 1

    def parse_ballot(
        self, vote: str, points: str, line: int
    ) -> tuple[tuple[str, ...], tuple[int, ...]]:
        ids = [item.strip() for item in vote.split(",")] if vote else []
        for pid in ids:
            if pid not in self.projects:
                raise PabulibError(f"vote for unknown project {pid!r}", line)
        if self.vote_type is VoteType.CUMULATIVE:
            values = [item.strip() for item in points.split(",")] if points else []
            if len(values) != len(ids):
                raise PabulibError(
                    f"{len(ids)} projects but {len(values)} points values", line
                )
            given: dict[str, int] = {}
            for pid, value in zip(ids, values, strict=True):
                if not value.isdigit() or not value.isascii() or len(value) > 18:
                    raise PabulibError(f"points {value!r} not a whole number", line)
                given[pid] = int(value)  # a repeated project: the last value wins
            pairs = sorted(given.items())
            return tuple(p for p, _ in pairs), tuple(v for _, v in pairs)
        unique = tuple(dict.fromkeys(ids))  # keeps the first place of a ranking
        if self.vote_type is not VoteType.ORDINAL:
            unique = tuple(sorted(unique))
        return unique, ()

    def finish(self, line: int) -> Election:
        if self.section != "votes" or self.header is None:
            raise PabulibError(
                "the file must hold META, PROJECTS and VOTES", line or None
            )
        assert self.vote_type is not None
        self.parsed.clear()  # before the election is built: less memory at peak
        ballots = [Ballot(p, pts, n) for (p, pts), n in self.ballots.items()]
        self.ballots.clear()
        return Election(
            self.budget,
            self.vote_type,
            tuple(self.projects.values()),
            tuple(ballots),
            self.meta,
        )


def write_text(election: Election) -> str:
    """The canonical Pabulib text of an election (everything sorted, LF line ends).

    META is written as kept, except that `budget` and `vote_type` are set from the
    election when missing or disagreeing with it.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quotechar='"', lineterminator="\n")
    meta = dict(election.meta)
    if _meta_budget(meta) != election.budget:
        meta["budget"] = format_units(election.budget)
    if meta.get("vote_type") != election.vote_type:
        meta["vote_type"] = str(election.vote_type)
    for key, value in meta.items():
        if key.strip().lower() in SECTIONS and not value.strip():
            raise ValueError(f"META key {key!r} with an empty value reads as a section")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    writer.writerows(sorted(meta.items()))
    columns = sorted({key for p in election.projects for key in p.fields})
    writer.writerow(["PROJECTS"])
    writer.writerow(["project_id", "cost", *columns])
    for project in election.projects:
        extra = [project.fields.get(key, "") for key in columns]
        writer.writerow([project.id, format_units(project.cost), *extra])
    cumulative = election.vote_type is VoteType.CUMULATIVE
    writer.writerow(["VOTES"])
    writer.writerow(["voter_id", "vote", *(["points"] if cumulative else [])])
    voter = 0
    for ballot in election.ballots:
        row = [",".join(ballot.projects)]
        if cumulative:
            row.append(",".join(map(str, ballot.points)))
        for _ in range(ballot.count):
            voter += 1
            writer.writerow([voter, *row])
    return out.getvalue()


def _meta_budget(meta: Mapping[str, str]) -> int | None:
    try:
        return parse_cents(meta["budget"], "budget")
    except (KeyError, PabulibError):
        return None
