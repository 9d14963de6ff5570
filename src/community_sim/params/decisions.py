"""Declaration rows of firms' partnership decisions: commitment and the trust verdict (data only).

How long a council membership binds, what leaving it early costs, and how far
what a partner delivered may fall short of what the firm expected before the
firm rates the year as bad. The other trust parameters are in :mod:`.table`.
"""

from __future__ import annotations

from community_sim.params.rows import Row, integer, real

DECISIONS = "trust"

DECISION_ROWS: tuple[Row, ...] = (
    integer("council_term_months", 36, 12, 60, "months",
            "Term of a council membership: a member leaves for free only at a term's end "
            "(rounded up to whole academic years). No source; the range 12-60 spans one "
            "review cycle to a five-year agreement", group=DECISIONS),
    real("council_exit_fee", 10000.0, 0.0, 100000.0, "currency",
         "Fee a member pays to leave its council before its term ends. No source; the default "
         "equals the joining set-up cost (integration_setup_cost), 0 makes the term non-binding",
         group=DECISIONS),
    real("delivery_tolerance", 0.1, 0.0, 0.5, "-",
         "Shortfall of what a partner delivered (apprentices retained x their fit, relative to "
         "what the firm expected) that a firm still rates as a good year. No source; at the "
         "default 13 % of project ties' reviews are bad at the baseline, as under the surplus "
         "rule it replaces (13.2 %)", group=DECISIONS),
    real("membership_surplus_prior", 0.2, -0.5, 1.0, "-",
         "Firms' mean prior belief of how much more gross surplus per place a council "
         "membership yields than a project contract, held until each form has results the "
         "community publishes (the published ratio then replaces every firm's prior). A "
         "belief, not an outcome: it moves decisions only. No source; sensitivity range "
         "0-0.5", group=DECISIONS),
    real("membership_prior_sd", 0.2, 0.0, 1.0, "-",
         "Dispersion of firms' prior beliefs about membership around membership_surplus_prior "
         "(normal, each firm's drawn once from its own stream). No source; sensitivity range "
         "0-0.4", group=DECISIONS),
)  # fmt: skip
"""The decision parameters, in declaration order."""
