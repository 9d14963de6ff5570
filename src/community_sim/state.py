"""The model's state: a few typed containers the monthly processes read and write.

The students' arrays are :class:`~community_sim.agents.student.StudentArrays`
(rows with status codes); firms, colleges, the sector's technology and the
ties are the containers below, each a set of aligned arrays (index = firm or
college), and :class:`TieRegistry` holds the tie objects and each firm's terms.
A process takes the containers it works on, the parameters and the random
generator; :class:`~community_sim.model.CommunityModel` builds them and keeps
the schedule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from community_sim.geography import Geography, RegionFits, region_of
from community_sim.mechanics.skills import demand_profiles
from community_sim.mechanics.technology import emerging_profiles
from community_sim.params.integration import PER_FIRM

if TYPE_CHECKING:
    from community_sim.agents.enterprise import Enterprise
    from community_sim.agents.partnership import Partnership
    from community_sim.agents.school import School
    from community_sim.policies import TieTerms

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

NO_TIE, PROJECT, INTEGRATED = 0, 1, 2
"""Status codes of :attr:`Ties.kind`: a firm without a tie, with a project contract, in a
council (industrial college)."""
KIND_CODE = {"project": PROJECT, "integrated": INTEGRATED}


@dataclass(eq=False)
class Emergence:
    """New competencies: the last ones of the profile, required as far as adopted."""

    first: int
    """Index of the first emerging competency (the rest of the profile emerges)."""
    rate: float
    """Adoption rate (1/yr) of the exponential diffusion curve."""
    lead: FloatArray
    """Months each firm adopts ahead of the sector (F,; negative: later)."""
    walk: FloatArray
    """The sector's undirected profile (K,): the drift, emerging competencies at maturity."""
    months: int = 0
    """Months since the sector began to adopt (drift steps taken)."""


@dataclass(eq=False)
class Technology:
    """The sector's demand profile and its history (negative months: pre-history)."""

    sector: FloatArray
    """The sector's current demand profile (K,)."""
    history: FloatArray
    """The profile of every month, pre-history first: row ``pre + month``."""
    pre: int
    """Months of pre-history (long enough for every lag)."""
    emergence: Emergence | None = None
    """Emerging competencies (None: none; the sector profile is the drift itself)."""

    def at(self, month: int) -> FloatArray:
        """The sector profile at ``month`` (negative months are pre-history)."""
        return self.history[max(self.pre + month, 0)]

    def demand(self, niche: FloatArray, deviation: FloatArray) -> FloatArray:
        """Firms' demand: sector + niche + deviation in range, emerging competencies as
        far as each firm has adopted them."""
        em = self.emergence
        if em is None:
            return demand_profiles(self.sector, niche, deviation)
        full = demand_profiles(em.walk, niche, deviation)
        return emerging_profiles(full, em.first, em.months + em.lead, em.rate)  # type: ignore[no-any-return]


@dataclass(eq=False)
class Firms:
    """Per-firm arrays: workforce, demand, hiring records (index = firm)."""

    headcount0: FloatArray
    """Skilled workers at the start (the growth path's base)."""
    headcount: IntArray
    """Skilled workers now."""
    capacity: IntArray
    """Apprentice places."""
    wage: FloatArray
    """Monthly skilled wage."""
    niche: FloatArray
    """Fixed deviation of each firm's demand from the sector's (F, K)."""
    deviation: FloatArray
    """Drifting firm-specific deviation of demand (F, K)."""
    demand: FloatArray
    """This month's demand profile of each firm (F, K)."""
    hire_hist: IntArray
    """Hires per firm in each of the last 12 months (row ``month % 12``)."""
    sep_due: IntArray
    """Untracked (external) hires due to separate early, by month and firm."""
    region: IntArray
    """Each firm's region (:func:`~community_sim.geography.region_of`)."""
    n_regions: int

    @classmethod
    def create(
        cls,
        p: Mapping[str, Any],
        tech: Technology,
        niche: FloatArray,
        deviation: FloatArray,
        horizon: int,
        rng_size: np.random.Generator,
    ) -> Firms:
        """Leading firms, then SMEs whose sizes are lognormal draws from ``rng_size``."""
        sd = float(p["sme_size_sd"])
        sme = float(p["sme_headcount"]) * rng_size.lognormal(-0.5 * sd**2, sd, int(p["n_smes"]))
        heads = [int(p["leading_headcount"])] * int(p["n_leading"])
        heads += [max(round(float(h)), 2) for h in sme]
        h0 = np.array(heads, dtype=np.float64)
        n_f = h0.size
        return cls(
            headcount0=h0,
            headcount=np.array(heads, dtype=np.int64),
            capacity=np.maximum(1, np.rint(float(p["apprentice_ratio"]) * h0)).astype(np.int64),
            wage=np.full(n_f, float(p["skilled_wage"])),
            niche=niche,
            deviation=deviation,
            demand=tech.demand(niche, deviation),
            hire_hist=np.zeros((12, n_f), dtype=np.int64),
            sep_due=np.zeros((horizon + 13, n_f), dtype=np.int64),
            region=region_of(np.arange(n_f), int(p["n_regions"])),
            n_regions=int(p["n_regions"]),
        )


@dataclass(eq=False)
class Colleges:
    """Per-college arrays (index = college)."""

    curricula: FloatArray
    """Each college's taught profile (S, K)."""
    currency: FloatArray
    """Teacher currency θ (0–1): the share of what teachers know that is up to date."""
    geo: Geography
    """The regions of colleges and firms, and each firm's candidate colleges."""
    fit: tuple[FloatArray, FloatArray, RegionFits] | None = None
    """Curricula, firms' demands and the fits of candidate pairs, once computed for
    those arrays (:meth:`fits`)."""

    def fits(self, demand: FloatArray) -> RegionFits:
        """Match of every firm's candidate colleges to its ``demand`` row, region by region.

        Firms rank colleges at every review and entry, and the month's curriculum gap
        is the mean over same-region pairs: computed once for the current curricula and
        demands (each month's are new arrays), the same numbers as matching one pair
        at a time.
        """
        cached = self.fit
        if cached is None or cached[0] is not self.curricula or cached[1] is not demand:
            cached = self.fit = (self.curricula, demand, self.geo.fits(self.curricula, demand))
        return cached[2]

    def candidates(self, demand: FloatArray, firm: int) -> tuple[list[int], list[float], int]:
        """Firm ``firm``'s candidate colleges (its region's first), their fits as Python
        floats, and how many are in its own region."""
        return self.geo.candidates(self.fits(demand), firm)

    def scored_candidates(
        self, demand: FloatArray, bonus: FloatArray
    ) -> tuple[Sequence[tuple[list[int], list[float], int]], FloatArray | None]:
        """Every firm's :meth:`candidates`, each fit plus ``bonus`` of its college (with one
        region, also as one array)."""
        return self.geo.scored_candidates(self.fits(demand), bonus)

    def same_region_fits(self, demand: FloatArray) -> list[FloatArray]:
        """Per region, the match of its colleges (rows) to its firms (columns)."""
        return self.fits(demand).tables

    @classmethod
    def create(cls, p: Mapping[str, Any], tech: Technology) -> Colleges:
        """Colleges teaching the public signal of demand; teacher currency at its stationary
        value without partners, r / (r + drift)."""
        n_s = int(p["n_schools"])
        refresh = float(p["teacher_training_rate"]) + float(p["teacher_placement_rate"])
        ageing = float(p["tech_drift"])
        return cls(
            curricula=np.repeat(tech.at(-int(p["curriculum_lag_months"]))[None, :], n_s, 0),
            currency=np.full(n_s, refresh / (refresh + ageing) if refresh + ageing > 0 else 1.0),
            geo=Geography.create(p),
        )


@dataclass(eq=False)
class Ties:
    """Each firm's tie: its status code (:data:`NO_TIE`, :data:`PROJECT`, :data:`INTEGRATED`)
    and its college (-1 without a tie). The tie objects live with the firms' agents."""

    kind: IntArray
    school: IntArray


@dataclass(eq=False, frozen=True)
class Terms:
    """Each firm's terms of cooperation from its tie (all off without a tie), read-only here.

    The registry's arrays themselves (:attr:`TieRegistry.council`, :attr:`TieRegistry.levels`),
    gathered for the processes that read them.
    """

    council: NDArray[np.bool_]
    codesign: FloatArray
    rotation: FloatArray
    noise: FloatArray
    masters: FloatArray
    discount: FloatArray
    first: NDArray[np.bool_]


@dataclass(eq=False)
class ExternalMarket:
    """The external labour market's fixed sample of workers behind the hiring benchmark."""

    noise: FloatArray
    """Each sampled worker's skill deviation from the vintage, before scaling (W, K)."""
    mean_performance: float
    """Mean on-the-job performance of a worker (over the aptitude distribution)."""
    benchmark: tuple[int, FloatArray, FloatArray] | None = None
    """This month's expected mismatch per firm and the skills vintage, once computed."""


class TieRegistry:
    """The ties: every spell, each firm's open tie and the per-firm arrays derived from it.

    The processes that open, close or pay into ties take the registry; it keeps
    :attr:`arrays` (status codes and colleges) and each firm's terms (:attr:`terms`)
    in step with the firms' tie objects through :meth:`refresh`.
    """

    def __init__(
        self,
        firms: Firms,
        enterprises: list[Enterprise],
        schools: list[School],
        terms_by_kind: Mapping[str, TieTerms],
        off: Mapping[str, Any],
    ) -> None:
        n_f = len(enterprises)
        self.firms = firms
        self.enterprises = enterprises
        self.schools = schools
        self.spells: list[Partnership] = []
        """Every spell, open or closed, in the order they opened."""
        self.arrays = Ties(
            kind=np.zeros(n_f, dtype=np.int64), school=np.full(n_f, -1, dtype=np.int64)
        )
        self.council = np.zeros(n_f, dtype=bool)
        """Whether each firm sits on its college's council."""
        self.levels = {i.term: np.full(n_f, i.off) for i in PER_FIRM}
        """Each firm's level of every ingredient read firm by firm (by its term)."""
        fields = {i.per_firm.removeprefix("f_"): self.levels[i.term] for i in PER_FIRM}
        self.terms = Terms(council=self.council, **fields)
        """The firms' tie-term arrays, as the processes read them (updated in place)."""
        self.finishing: dict[int, Partnership] = {}
        """A firm's closed spell whose apprentices stay to finish their placements."""
        self._terms_by_kind = terms_by_kind
        self._off = off  # a firm's ingredient levels without a tie
        # During a convening round: each college's founding group (members, apprentice
        # places) that a joining firm values its council at (processes.convening).
        self.convened: dict[int, tuple[int, float]] = {}
        self.convened_for: dict[int, int] = {}  # firm -> the college it signed up with
        self._active: list[Partnership] | None = []
        self._college: tuple[np.ndarray, list[int]] | None = None
        self._places: np.ndarray | None = None

    def terms_of(self, tie: Partnership) -> TieTerms:
        return self._terms_by_kind[tie.kind]

    def tie_of(self, firm: int) -> Partnership | None:
        """Firm ``firm``'s open tie, if any."""
        return self.enterprises[firm].tie

    def host_tie(self, firm: int) -> Partnership | None:
        """The tie that books firm ``firm``'s apprentices: its open tie, else a finishing one."""
        return self.enterprises[firm].tie or self.finishing.get(firm)

    @property
    def active(self) -> list[Partnership]:
        """Active ties in firm order, so iteration does not depend on when they formed.

        Rebuilt on first use after a tie change, not at every change: a month with
        many openings or closings at the province scale then costs one pass over firms.
        """
        if self._active is None:
            self._active = [e.tie for e in self.enterprises if e.tie is not None]
        return self._active

    def college_ties(self) -> tuple[np.ndarray, list[int]]:
        """Per college: its council's members, and its partners' apprentice places.

        Read at every review and entry decision; recomputed only after a tie change.
        """
        if self._college is None:
            n_s = len(self.schools)
            school = self.arrays.school
            members = np.bincount(school[self.council.nonzero()[0]], minlength=n_s)
            # One pass over firms, not a mask per college (whole numbers: exact in doubles).
            tied = school >= 0
            places = np.bincount(school[tied], weights=self.firms.capacity[tied], minlength=n_s)
            self._college = (members, places.astype(np.int64).tolist())
        return self._college

    def council_places(self) -> np.ndarray:
        """Apprentice places of each college's council members (read-only; recomputed only
        after a tie change), as :func:`~community_sim.processes.council` weighs fees by size."""
        if self._places is None:
            members = self.council.nonzero()[0]
            school = self.arrays.school[members]
            self._places = np.bincount(
                school, weights=self.firms.capacity[members], minlength=len(self.schools)
            )
        return self._places

    def refresh(self, ent: Enterprise | None = None) -> None:
        """Recompute the per-firm tie arrays after a tie change (of ``ent``, or all).

        A firm holds at most one tie, so a change to one firm's tie touches only its
        own entries: updating them keeps tie changes O(1), not O(firms).
        """
        self._active = None
        if ent is None:
            self._college = None
            self._places = None
        for e in self.enterprises if ent is None else [ent]:
            j = e.idx
            tie = e.tie
            tt = None if tie is None else self.terms_of(tie)
            was = (int(self.arrays.school[j]), bool(self.council[j]))
            now = (-1 if tie is None else tie.school.idx, tt is not None and tt.council)
            self.arrays.kind[j] = 0 if tie is None else KIND_CODE[tie.kind]
            self.arrays.school[j], self.council[j] = now
            levels = self._off if tt is None else tt.levels
            for term, per_firm in self.levels.items():
                per_firm[j] = levels[term]
            if ent is not None:
                self._move(j, was, now)

    def _move(self, firm: int, was: tuple[int, bool], now: tuple[int, bool]) -> None:
        """Update the per-college counts (:meth:`college_ties`, :meth:`council_places`) for
        one firm's change of college or council seat, without a pass over all firms.

        The counts are whole numbers (places are whole), so adding and removing one firm's
        gives exactly what a recount gives. New arrays: callers may hold the old ones.
        """
        if was == now:
            return
        cap = int(self.firms.capacity[firm])
        if self._college is not None:
            # A change of college without a council seat leaves the members as they were.
            members = self._college[0].copy() if was[1] or now[1] else self._college[0]
            places = list(self._college[1])
            (left, seat_left), (joined, seat_joined) = was, now
            if left >= 0:
                places[left] -= cap
                if seat_left:
                    members[left] -= 1
            if joined >= 0:
                places[joined] += cap
                if seat_joined:
                    members[joined] += 1
            self._college = (members, places)
        if self._places is not None and (was[1] or now[1]):  # else no member's places moved
            council = self._places.copy()
            for (school, seat), sign in ((was, -1.0), (now, 1.0)):
                if school >= 0 and seat:
                    council[school] += sign * cap
            self._places = council
