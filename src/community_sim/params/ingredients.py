"""Declaration rows of the ingredients' mechanisms that are not switches (data only).

The retention bonus is a government instrument for every firm; how a firm's offer to
its own trainee uses it is a behavioural parameter of process 5. Member-specific
modules are priced per apprentice.
"""

from __future__ import annotations

from community_sim.params.rows import Row, real

LABOUR = "labour market"
COUNCIL = "council"

INGREDIENT_MECHANISM_ROWS: tuple[Row, ...] = (
    real("bonus_pass_through", 0.5, 0.0, 1.0, "-",
         "Share of the retention bonus a firm offers its own trainee as a retention premium "
         "at graduation (no source; range for sensitivity studies)", group=LABOUR),
    real("move_premium_elasticity", 0.3, 0.0, 2.0, "1/month of wages",
         "Fall in the log share of graduates who move on from their training firm per "
         "month of wages offered as a retention premium (no source; range for "
         "sensitivity studies)", group=LABOUR),
    real("module_cost_annual", 1500.0, 0.0, 50000.0, "currency/yr per apprentice",
         "A member's cost of its module for one of its apprentices for a year (co-design "
         "and teaching hours; no source; range for sensitivity studies)", group=COUNCIL),
)  # fmt: skip
