"""Declaration rows of the government's instruments for integration (data only).

The tax credit of certified production-education integration enterprises, the
surcharge liability that caps it, and the convening role that lowers joining
costs. Subsidies, retention bonuses and the budget are in :mod:`.table`; co-funding
is an ingredient (:mod:`.integration`).
"""

from __future__ import annotations

from community_sim.params.rows import Row, flag, real

GOV = "government"

GOVERNMENT_ROWS: tuple[Row, ...] = (
    real("integration_tax_credit", 0.3, 0.0, 1.0, "-",
         "Share of a certified member's investment in vocational education (its council set-up, "
         "fees and masters' hours) it may offset against its education surcharge liability of "
         "the year, capped by that liability; unused credit is carried forward (0 = off)",
         group=GOV,
         source="NDRC & MOE 2019, 建设产教融合型企业实施办法 (发改社会〔2019〕590号) and "
         "国家产教融合建设试点实施方案 (发改社会〔2019〕1558号): 30% of investment in vocational "
         "education offset against education surcharges"),
    real("surcharge_wage_share", 0.015, 0.0, 0.05, "-",
         "A firm's education surcharge liability as a share of its wage bill: 3% + 2% local of "
         "the VAT and consumption tax it pays, with VAT about 13% of value added and a labour "
         "share of value added near 0.45 (rates statutory; the VAT-to-wage-bill ratio: no "
         "source; sensitivity range 0.005-0.03)", group=GOV,
         source="State Council, Interim Provisions on the Collection of the Education "
         "Surcharge (1986, as amended 2005: 3%); MOF 2010, 财综〔2010〕98号 (local education "
         "surcharge 2%)"),
    real("convening_share", 0.0, 0.0, 1.0, "-",
         "Convening role: share of each joining member's set-up cost that the convener "
         "(government, from its support budget) pays for finding and signing up members "
         "(0 = off); no source; sensitivity range 0-0.8", group=GOV),
    flag("council_convening", True,
         "Convening: each August a college (with the government) signs up its council's new "
         "members together, so a firm values membership at the size the council will have "
         "with the group that joins with it (off: at today's size plus itself)", group=GOV),
    real("convening_cost_annual", 5000.0, 0.0, 50000.0, "currency/yr",
         "The convener's cost of a convening round, per college and year, paid by the "
         "government from its support budget (no round when the budget cannot pay it); no "
         "source; sensitivity range 0-20,000", group=GOV),
)  # fmt: skip
"""The government's integration instruments, in declaration order."""
