"""The month's hires and what they cost: the trial-and-error ledger of process 5.

:class:`Hires` collects a month's own-trainee, partner-graduate and external
hires as :mod:`~community_sim.processes.labour_market` makes them; :func:`book`
costs them together (:func:`~community_sim.mechanics.labour.hire_weeks` at each firm's
:func:`~community_sim.mechanics.labour.hire_cost_factor`),
schedules early separations, pays retention bonuses and credits each tie with
what its hires saved against the market.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from community_sim.agents.student import EXTERNAL, OWN, StudentArrays
from community_sim.mechanics.bookkeeping import schedule_separations
from community_sim.mechanics.kernels import hire_costs
from community_sim.mechanics.labour import cost_level, hire_cost_factors
from community_sim.state import Firms, TieRegistry, Ties

if TYPE_CHECKING:
    from community_sim.agents.government import Government
    from community_sim.metrics import Recorder


def cost_kw(p: Mapping[str, Any]) -> dict[str, float]:
    """The market-wide arguments of :func:`~community_sim.mechanics.labour.hire_cost_factor`."""
    return dict(
        unemployment=float(p["unemployment_rate"]),
        base_weeks=float(p["hire_cost_weeks"]),
        convexity=float(p["hire_cost_convexity"]),
        elasticity=float(p["unemployment_cost_elasticity"]),
    )


def hire_rate(firms: Firms) -> np.ndarray:
    """Each firm's hires over the last 12 months per worker (the convexity's argument)."""
    # Whole numbers: np.add.reduce gives ndarray.sum's counts, without its dispatch.
    return np.add.reduce(firms.hire_hist, axis=0) / np.maximum(firms.headcount, 1)


def cost_factors(firms: Firms, p: Mapping[str, Any]) -> np.ndarray:
    """Each firm's hiring-cost factor now,
    ``hire_cost_factor(hire_rate(firms), **cost_kw(p))``, in one compiled pass
    (:func:`~community_sim.mechanics.labour.hire_cost_factors`)."""
    kw = cost_kw(p)
    level = cost_level(kw["unemployment"], kw["base_weeks"], kw["elasticity"])
    return hire_cost_factors(firms.hire_hist, firms.headcount, level, kw["convexity"])  # type: ignore[no-any-return]


class Hires:
    """Candidate hires of one month, costed together at the end.

    Own and partner hires come in groups for one firm (kept as the firm and the
    group's size); the external market's hires, last, name a firm each.
    """

    def __init__(self) -> None:
        self.firms: list[int] = []
        self.sources: list[int] = []
        self.counts: list[int] = []
        self.match: list[np.ndarray] = []
        self.mis: list[np.ndarray] = []
        self.row: list[np.ndarray] = []
        self.external: np.ndarray | None = None

    def add(
        self,
        firms: list[int],
        source: int,
        counts: list[int],
        match: np.ndarray,
        mis: np.ndarray,
        rows: np.ndarray,
    ) -> None:
        """Groups for several firms at once, ``counts`` hires each, in that order."""
        self.firms.extend(firms)
        self.sources.extend([source] * len(firms))
        self.counts.extend(counts)
        self.match.append(match)
        self.mis.append(mis)
        self.row.append(rows)

    def add_external(self, firms: np.ndarray, match: np.ndarray, mis: np.ndarray) -> None:
        self.external = firms
        self.match.append(match)
        self.mis.append(mis)
        self.row.append(np.full(firms.size, -1, dtype=np.int64))

    def n_known(self) -> int:
        """How many hires are students (own and partner hires), all before the external ones."""
        return sum(self.counts)

    def kept(self, n_f: int) -> np.ndarray:
        """Hires per firm so far (before the external market's)."""
        out = np.zeros(n_f, dtype=np.int64)
        for j, n in zip(self.firms, self.counts, strict=True):
            out[j] += n
        return out

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Firm, source, match, effective mismatch and student row (-1: external) per hire."""
        ext = self.external
        firm = np.repeat(np.array(self.firms, dtype=np.int64), self.counts)
        sources, sizes = self.sources, self.counts
        if ext is not None:  # the external hires, last, as one more group
            firm = np.concatenate([firm, ext])
            sources, sizes = [*sources, EXTERNAL], [*sizes, ext.size]
        source = np.repeat(np.array(sources, dtype=np.int64), sizes)
        match = np.concatenate(self.match).astype(np.float64, copy=False)
        mis = np.concatenate(self.mis).astype(np.float64, copy=False)
        rows = np.concatenate(self.row).astype(np.int64, copy=False)
        return firm, source, match, mis, rows


def book(
    st: StudentArrays,
    firms: Firms,
    registry: TieRegistry,
    gov: Government,
    rec: Recorder,
    hires: Hires,
    ext_mis: np.ndarray,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    month: int,
) -> None:
    """Cost the month's hires (:func:`cost`); pay retention bonuses (from ``gov``), credit
    ties and the firms' ledgers, record the hires in ``rec``."""
    firms.hire_hist[month % 12] = 0  # this month's row, also when nobody is hired
    if not hires.row:
        rec.add_hires(*(np.zeros(0),) * 5)
        return
    columns = hires.columns()
    source, match = columns[1], columns[2]
    # Own and partner hires (students, tracked) come first, the external market's last.
    nk = hires.n_known()
    paid = each = 0.0
    if nk:
        # Retention bonuses for own trainees, pro rata if the budget runs short.
        n_own = float(sum(n for s, n in zip(hires.sources, hires.counts, strict=True) if s == OWN))
        paid = gov.pay(float(p["retention_bonus"]) * n_own)
        each = paid / n_own if n_own else 0.0
    weeks, cost_, sep, credit, bonus = cost(
        st, firms, registry.arrays, columns, nk, ext_mis, each, p, rng, month
    )
    if nk:
        credit_j, bonus_j = credit.tolist(), bonus.tolist()
        ents = registry.enterprises
        tied_bonus = 0.0  # bonuses of firms in a tie: part of what their ties return
        for j in ((credit != 0.0) | (bonus != 0.0)).nonzero()[0].tolist():
            ent = ents[j]
            ent.net_benefit += bonus_j[j]
            if ent.tie is not None:
                ent.tie.period_surplus += credit_j[j]
                ent.tie.surplus_enterprise += credit_j[j]
                tied_bonus += bonus_j[j]
        rec.add_bonus(paid, tied_bonus)
    rec.add_hires(source, weeks, cost_, match, sep)


def cost(
    st: StudentArrays,
    firms: Firms,
    ties: Ties,
    columns: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    nk: int,
    ext_mis: np.ndarray,
    bonus_each: float,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    month: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cost the month's hires (:meth:`Hires.columns`, the first ``nk`` students), record them
    in the firms' hiring history and schedule early separations.

    Costs, early separations and, for own and partner hires, what each saved its tie
    against the market: the market hire's cost and expected re-hire, minus this hire's
    cost and its re-hire if it failed (external hires credit nobody); compiled
    (:func:`~community_sim.mechanics.kernels.hire_costs`). Own trainees carry the
    retention bonus ``bonus_each``. Returns each hire's weeks, cost and separation,
    and per firm the credit and the bonuses.
    """
    firm, source, _, mis, rows = columns
    firms.hire_hist[month % 12] = np.bincount(firm, minlength=firms.wage.shape[0])
    level_scale = cost_factors(firms, p)
    uniforms = rng.random(firm.size)
    when = month + rng.integers(1, 13, firm.size)
    weeks, cost_, sep, credit, bonus = hire_costs(
        firm,
        source,
        mis,
        rows,
        nk,
        level_scale,
        np.array([0.0, float(p["partner_search_share"]), 1.0]),  # by OWN, PARTNER, EXTERNAL
        firms.wage,
        ext_mis,
        float(p["mismatch_separation"]),
        uniforms,
        bonus_each,
        st.school,
        ties.school,
    )
    schedule_separations(sep, when, rows, firm, nk, st.sep_month, firms.sep_due)
    return weeks, cost_, sep, credit, bonus
