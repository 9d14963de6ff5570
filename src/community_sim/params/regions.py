"""Declaration rows of geography: regions (cities), distance and migration (data only).

Colleges and firms are dealt to ``n_regions`` regions in turn (``community_sim.geography``).
One region, the default, is the model without geography.
"""

from __future__ import annotations

from community_sim.params.rows import Row, integer, real

REGIONS = "regions"

REGION_ROWS: tuple[Row, ...] = (
    integer("n_regions", 1, 1, 100, "regions",
            "Regions (prefecture-level cities) the colleges and firms are dealt to in turn; "
            "a Chinese province has about 10-16 (1 = no geography)",
            source="China Statistical Yearbook (prefecture-level divisions per province)",
            group="scale"),
    integer("distant_colleges", 2, 0, 50, "colleges",
            "Colleges in other regions each firm knows of and may cooperate with, besides "
            "its own region's (no source; range for sensitivity studies)", group=REGIONS),
    real("distance_cost", 0.05, 0.0, 5.0, "score",
         "A firm's handicap of a college in another region, in units of its ranking score "
         "(curriculum fit plus reputation_weight x reputation): travel, supervising "
         "apprentices away from home; a distant college whose score net of it is not positive "
         "is not considered (no source; 0-5, 5 closes every region)", group=REGIONS),
    real("migration_share", 0.2, 0.0, 1.0, "-",
         "Share of graduates who search the whole country for a partner firm's job rather "
         "than their college's region (outside employers are national; no source; range "
         "0-0.5 for sensitivity studies)", group=REGIONS),
)  # fmt: skip
"""Regions, distance and migration."""
