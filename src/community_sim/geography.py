"""Regions (cities): who is where, and which colleges each firm considers.

Colleges and firms are dealt to ``n_regions`` regions in turn (college ``i`` to region
``i mod R``, firm ``j`` to ``j mod R``), so every region holds the same number of each,
±1, leading firms and SMEs alike. A firm's candidate colleges are its own region's and
``distant_colleges`` in other regions (one in each of the next regions, the one in
the same position there as the firm is among its region's firms): a sparse
candidate set of O(colleges / R + distant) per firm, so that ranking, convening and
the fit tables cost O(firms × colleges / R), linear in the institutions when regions
grow with them. With one region every college is a candidate, in college order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from community_sim.errors import UserError
from community_sim.mechanics.skills import match_pairs, match_table

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def region_of(index: IntArray, n_regions: int) -> IntArray:
    """The region of colleges or firms ``index``: dealt in turn, ``index mod n_regions``."""
    return np.asarray(index, dtype=np.int64) % n_regions  # type: ignore[no-any-return]


WEYL = (5.0**0.5 - 1.0) / 2.0
"""Step of the sequence that marks migrants (the golden ratio's fraction): equidistributed."""


def migrants(rows: IntArray, share: float) -> NDArray[np.bool_]:
    """Whether the graduates of student ``rows`` search the whole country.

    Fixed by the row, frac(row × 0.618…) < ``share`` (a Weyl sequence): any run of
    consecutive rows, so any cohort of a college, has ``share`` migrants up to one, and
    no random draw is spent (the draws of a run without regions stay the same).
    """
    return np.modf(np.asarray(rows, dtype=np.float64) * WEYL)[0] < share  # type: ignore[no-any-return]


@dataclass(eq=False)
class RegionFits:
    """This month's match of candidate colleges' curricula to firms' demands."""

    tables: list[FloatArray]
    """Per region: its colleges (rows) against its firms (columns)."""
    distant: FloatArray
    """Each firm's match to its distant colleges (F, d)."""
    by_slot: list[list[list[float]] | None] = field(default_factory=list)
    """Per region, each of its firms' row of local fits as Python floats (made on use)."""
    distant_rows: list[list[float]] | None = None


class ScoredRows(Sequence[tuple[list[int], list[float], int]]):
    """With one region, each firm's candidates, scores and how many are local, a row of
    ``table`` (firms × colleges) made Python floats on first read: a round of decisions
    reads a few firms' (:meth:`Geography.scored_candidates`)."""

    def __init__(self, cols: list[int], table: FloatArray) -> None:
        self.cols, self.table = cols, table
        self.made: list[tuple[list[int], list[float], int] | None] = [None] * table.shape[0]

    def __len__(self) -> int:
        return len(self.made)

    def __getitem__(self, j: Any) -> Any:
        got = self.made[j]
        if got is None:
            got = self.made[j] = (self.cols, self.table[j].tolist(), len(self.cols))
        return got


@dataclass(eq=False)
class Geography:
    """Regions of colleges and firms, each firm's candidate colleges."""

    n_regions: int
    college_region: IntArray
    firm_region: IntArray
    local: list[IntArray]
    """The colleges of each region, in college order."""
    firms_in: list[IntArray]
    """The firms of each region, in firm order."""
    distant: IntArray
    """Each firm's colleges in other regions (F, d); d = 0 with one region."""
    _local_lists: list[list[int]] = field(default_factory=list)
    _distant_lists: list[list[int]] | None = None
    _sizes: list[int] | None = None

    def sizes(self) -> list[int]:
        """How many candidate colleges each firm has (its region's and the distant ones)."""
        if self._sizes is None:
            d = self.distant.shape[1]
            self._sizes = [len(self._local_lists[r]) + d for r in self.firm_region.tolist()]
        return self._sizes

    @classmethod
    def create(cls, p: Mapping[str, Any]) -> Geography:
        n_s = int(p["n_schools"])
        n_f = int(p["n_leading"]) + int(p["n_smes"])
        n_r = int(p["n_regions"])
        if n_r > n_s:
            raise UserError(
                f"{n_r} regions but {n_s} colleges: every region needs a college "
                "(set n_regions at most n_schools)",
                key="n_regions",
            )
        college_region = region_of(np.arange(n_s), n_r)
        firm_region = region_of(np.arange(n_f), n_r)
        local = [np.arange(r, n_s, n_r, dtype=np.int64) for r in range(n_r)]
        firms_in = [np.arange(r, n_f, n_r, dtype=np.int64) for r in range(n_r)]
        d = min(int(p["distant_colleges"]), n_r - 1)
        slot = np.arange(n_f, dtype=np.int64) // n_r  # position among its region's firms
        distant = np.empty((n_f, d), dtype=np.int64)
        for m in range(1, d + 1):
            other = (firm_region + m) % n_r
            sizes = np.array([c.size for c in local], dtype=np.int64)[other]
            # region r2's k-th college is r2 + k R (dealt in turn)
            distant[:, m - 1] = other + (slot % sizes) * n_r
        return cls(
            n_r, college_region, firm_region, local, firms_in, distant,
            [c.tolist() for c in local],
        )  # fmt: skip

    def fits(self, curricula: FloatArray, demand: FloatArray) -> RegionFits:
        """Match of each firm's candidate colleges to its demand (:func:`match_table`'s)."""
        if self.n_regions == 1:  # the whole table, as without geography
            tables = [match_table(curricula, demand)]
        else:
            tables = [
                match_table(curricula[c], demand[f])
                for c, f in zip(self.local, self.firms_in, strict=True)
            ]
        n_f, d = self.distant.shape
        if d == 0:  # one region: no distant colleges (the month's table, without the calls)
            return RegionFits(tables, np.zeros((n_f, 0)), [None] * self.n_regions)
        firms = np.repeat(np.arange(n_f, dtype=np.int64), d)
        distant = match_pairs(curricula, self.distant.ravel(), demand, firms).reshape(n_f, d)
        return RegionFits(tables, distant, [None] * self.n_regions)

    def scored_candidates(
        self, fits: RegionFits, bonus: FloatArray
    ) -> tuple[Sequence[tuple[list[int], list[float], int]], FloatArray | None]:
        """Every firm's :meth:`candidates`, each fit plus ``bonus`` of its college (all firms
        at once: the same sums as one pair at a time); with one region, also as one array
        (firms × colleges), whose rows are made Python floats when read (:class:`ScoredRows`)."""
        n_f, d = self.distant.shape
        far = (fits.distant + bonus[self.distant]).tolist() if d else None
        if self._distant_lists is None:
            self._distant_lists = self.distant.tolist()
        out: list[tuple[list[int], list[float], int]] = [([], [], 0)] * n_f
        for r, cols in enumerate(self._local_lists):
            table = (fits.tables[r] + bonus[self.local[r]][:, None]).T
            if self.n_regions == 1:  # every firm in it, in firm order, no distant college
                return ScoredRows(cols, table), table
            rows = table.tolist()
            for slot, j in enumerate(self.firms_in[r].tolist()):
                if far is None:
                    out[j] = (cols, rows[slot], len(cols))
                else:
                    out[j] = (cols + self._distant_lists[j], rows[slot] + far[j], len(cols))
        return out, None

    def candidates(self, fits: RegionFits, firm: int) -> tuple[list[int], list[float], int]:
        """Firm ``firm``'s candidate colleges, their fits, and how many are local (first)."""
        r = int(self.firm_region[firm])
        rows = fits.by_slot[r]
        if rows is None:
            rows = fits.by_slot[r] = np.ascontiguousarray(fits.tables[r].T).tolist()
        local = rows[firm // self.n_regions]
        if self.distant.shape[1] == 0:
            return self._local_lists[r], local, len(local)
        if fits.distant_rows is None:
            fits.distant_rows = fits.distant.tolist()
        if self._distant_lists is None:
            self._distant_lists = self.distant.tolist()
        return (
            self._local_lists[r] + self._distant_lists[firm],
            local + fits.distant_rows[firm],
            len(local),
        )
