"""Settings shared by the discovery methods, validated once at the edge."""

from __future__ import annotations

from dataclasses import dataclass

from community_sim.errors import UserError


@dataclass(frozen=True)
class Settings:
    """How boxes are searched for and which are kept.

    ``min_density``: a box is kept only if at least this share of its points
    are cases; ``max_boxes``: at most this many boxes (PRIM's covering stops
    earlier when no box of that density remains); ``mass_min``: the smallest
    share of points a box may hold (PRIM stops peeling there, CART leaves are
    at least this large); ``peel_alpha``/``paste_alpha``: the share of points
    PRIM removes or adds per step (Friedman & Fisher 1999 recommend 0.05–0.10);
    ``max_qp``: PRIM drops a box's restrictions whose quasi-p-value exceeds it
    while the box keeps ``min_density`` (None: keep every restriction).
    """

    min_density: float = 0.8
    max_boxes: int = 3
    mass_min: float = 0.05
    peel_alpha: float = 0.05
    paste_alpha: float = 0.05
    max_qp: float | None = 0.05

    def __post_init__(self) -> None:
        checks = [
            ("--min-density", self.min_density, 0.0 < self.min_density <= 1.0, "(0, 1]"),
            ("--max-boxes", self.max_boxes, 1 <= self.max_boxes <= 20, "1..20"),
            ("--mass-min", self.mass_min, 0.0 < self.mass_min < 0.5, "(0, 0.5)"),
            ("--peel-alpha", self.peel_alpha, 0.0 < self.peel_alpha < 0.5, "(0, 0.5)"),
            ("--paste-alpha", self.paste_alpha, 0.0 < self.paste_alpha < 0.5, "(0, 0.5)"),
        ]
        if self.max_qp is not None:
            checks.append(("--max-qp", self.max_qp, 0.0 < self.max_qp <= 1.0, "(0, 1]"))
        for option, value, ok, allowed in checks:
            if not ok:
                raise UserError(f"{value:g} is out of bounds; allowed {allowed}", source=option)
