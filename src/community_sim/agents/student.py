"""Students: a thin Mesa agent over one row of model-level numpy arrays.

All numeric state (skills, aptitude, programme month, placement, employment)
lives in :class:`StudentArrays`, one row per student ever enrolled, so that
monthly updates are vectorised. Once the model's agents are looked at, a
:class:`Student` agent exists while the student is in the model (enrolled,
job-seeking, or employed by a modelled enterprise) and is removed when they
leave (:mod:`.population`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from community_sim.model import CommunityModel

ENROLLED, SEEKING, EMPLOYED, LEFT, DROPPED = 0, 1, 2, 3, 4
STATUS_NAMES = ("enrolled", "seeking", "employed", "left", "dropped")

# Hire sources (also used by the hire ledger).
OWN, PARTNER, EXTERNAL = 0, 1, 2


class StudentArrays:
    """Column arrays for every student row; capacity fixed at construction."""

    def __init__(self, capacity: int, n_skills: int) -> None:
        self.n = 0
        self.skills = np.zeros((capacity, n_skills))
        self.aptitude = np.ones(capacity)
        self.school = np.full(capacity, -1, dtype=np.int64)
        self.month = np.zeros(capacity, dtype=np.int64)  # programme month (0-based)
        self.status = np.full(capacity, LEFT, dtype=np.int64)
        self.host = np.full(capacity, -1, dtype=np.int64)
        self.host_start = np.full(capacity, -1, dtype=np.int64)
        self.terminated = np.zeros(capacity, dtype=bool)  # placement ended early this year
        self.trained_by = np.full(capacity, -1, dtype=np.int64)
        self.grad_month = np.full(capacity, -1, dtype=np.int64)
        self.employer = np.full(capacity, -1, dtype=np.int64)
        self.employed_month = np.full(capacity, -1, dtype=np.int64)  # any job, in or outside
        self.left_month = np.full(capacity, -1, dtype=np.int64)  # left the modelled employer
        self.sep_month = np.full(capacity, -1, dtype=np.int64)  # scheduled early separation
        self.moved_on = np.zeros(capacity, dtype=bool)  # chose to leave the training firm
        self.first = 0  # rows before this are no longer enrolled (cohorts are contiguous)
        self.seeking_from = 0  # rows before this are not seeking work and never will be

    def add(self, count: int) -> slice:
        """Reserve ``count`` new rows and return their slice."""
        start = self.n
        if start + count > self.skills.shape[0]:
            raise RuntimeError("student capacity exceeded; increase the preallocation")
        self.n += count
        return slice(start, start + count)

    def rows(self, status: int, lo: int = 0) -> NDArray[np.int64]:
        """Row indices (from ``lo``) with the given status."""
        return lo + (self.status[lo : self.n] == status).nonzero()[0]

    def seeking(self) -> NDArray[np.int64]:
        """The rows seeking work (``rows(SEEKING)``), scanning from the first seeker found last
        time: only graduating students (rows from :attr:`first` on) start to seek work."""
        rows = self.rows(SEEKING, self.seeking_from)
        self.seeking_from = min(int(rows[0]), self.first) if rows.size else self.first
        return rows


def group_rows(rows: NDArray[np.int64], keys: NDArray[np.int64], n: int) -> list[NDArray[np.int64]]:
    """Split ``rows`` by ``keys`` in ``range(n)``, keeping their order within each group.

    One stable sort instead of a mask per group, so grouping students by college
    costs O(rows log rows) rather than O(rows × colleges).
    """
    order = keys.argsort(kind="stable")
    bounds = keys[order].searchsorted(np.arange(n + 1))
    return [rows[order[bounds[g] : bounds[g + 1]]] for g in range(n)]


class Student(mesa.Agent):
    """A student or apprentice; reads their row of :class:`StudentArrays`.

    Made only when the model's agents are looked at (:mod:`.population`, which also
    says what ``unique_id`` means here); ``row`` is the student's identity.
    """

    def __init__(self, model: CommunityModel, row: int) -> None:
        super().__init__(model)
        self.row = row

    @property
    def _arr(self) -> StudentArrays:
        return self.model.students  # type: ignore[attr-defined, no-any-return]

    @property
    def skills(self) -> NDArray[np.float64]:
        return self._arr.skills[self.row]

    @property
    def aptitude(self) -> float:
        return float(self._arr.aptitude[self.row])

    @property
    def stage(self) -> int:
        """Training stage 1–4 while enrolled, 0 otherwise."""
        if self._arr.status[self.row] != ENROLLED:
            return 0
        return int(self.model.stage_of(self._arr.month[self.row : self.row + 1])[0])  # type: ignore[attr-defined]

    @property
    def status(self) -> str:
        return STATUS_NAMES[int(self._arr.status[self.row])]

    @property
    def school(self) -> int:
        return int(self._arr.school[self.row])

    @property
    def host(self) -> int:
        return int(self._arr.host[self.row])

    @property
    def employer(self) -> int:
        return int(self._arr.employer[self.row])
