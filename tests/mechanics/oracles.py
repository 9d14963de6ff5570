"""Reference formulations of the model's rules, written out in NumPy for the tests only.

Each is the rule as the ODD and the cited sources state it, computed element by
element in plain NumPy (sums over competencies added in order, as the compiled
rules add them), so that the compiled rules and kernels can be checked against
an independent text to the last bit.
"""

import math

import numpy as np

SEARCH, DISRUPTION, POST_MATCH = 0.21, 0.26, 0.53  # Muehlemann & Strupler Leiser (2018)
M0, CAP = 0.20, 3.0
RAMP = np.array([0.20, 0.47, 0.63])  # Muehlemann & Wolter (2014), Fig. 2
APPRENTICE_MISMATCH = (0.172, 0.043)
MAX_RELATIVE_FIT = 1.25


def skill_match(skills, demand):
    """1 - sum(max(d - s, 0)) / sum(d), summed competency by competency."""
    s, d = np.broadcast_arrays(np.asarray(skills, float), np.asarray(demand, float))
    short = np.zeros(s.shape[:-1])
    need = np.zeros(s.shape[:-1])
    for k in range(s.shape[-1]):
        short = short + np.maximum(d[..., k] - s[..., k], 0.0)
        need = need + d[..., k]
    return 1.0 - short / np.maximum(need, 1e-12)


def mismatch(match, aptitude):
    return np.clip(1.0 - match * np.minimum(aptitude, 1.0), 0.0, 1.0)


def seen(aptitude, signal):
    return np.minimum(aptitude * signal, 1.0)


def hire_weeks(factor, search, mis):
    return factor * (SEARCH * search + DISRUPTION + POST_MATCH * np.minimum(mis / M0, CAP))


def factor(rate, unemployment, base_weeks, convexity, elasticity):
    level = base_weeks * (1.0 - elasticity) ** (100.0 * (unemployment - 0.05))
    return level * (np.maximum(rate, 1e-6) / 0.17) ** convexity


def separation(mis, ms):
    return np.clip(ms * mis, 0.0, 1.0)


def termination(base, mis, ref):
    return np.clip(base * np.minimum(mis / ref, CAP), 0.0, 1.0)


def credit(weeks, separated, market, market_sep):
    return market * (1.0 + market_sep) - (weeks + np.where(separated, market, 0.0))


def currency(weeks, wage):
    return weeks * wage * 12.0 / 52.0


def ramp(month):
    return RAMP[np.clip(np.asarray(month) // 12, 0, 2)]


def reference(first):
    return np.where(first, APPRENTICE_MISMATCH[0], APPRENTICE_MISMATCH[1])


def relative_fit(mis, ref):
    return np.clip((1.0 - mis) / (1.0 - ref), 0.0, MAX_RELATIVE_FIT)


def learn(skills, target, rate, disuse, depreciation):
    gap = target - skills
    step = np.where(gap > 0.0, np.minimum(rate, 1.0)[:, None], disuse)
    return (gap * step + skills) * (1.0 - depreciation)


def emerging_profiles(full, first, months, rate, low=0.05):
    """Emerging competencies at low + A·(mature − low), A = 1 − exp(−rate·months/12) (0 before)."""
    out = np.array(full, dtype=float, copy=True)
    share = np.array([1.0 - math.exp(-rate * x / 12.0) if x > 0.0 else 0.0 for x in months])
    out[:, first:] = low + share[:, None] * (out[:, first:] - low)
    return out


def rotation_target(host, union, share):
    """(1 - s) host + s union: a share of the training aimed at the members' union."""
    return (1.0 - share) * host + share * union


def spread_rate(rate, skills, host, target):
    """The same total shortfall closed a month, spread over the broader target's gaps."""
    s, h, t = (np.asarray(a, float) for a in (skills, host, target))
    host_gap = np.zeros(s.shape[:-1])
    target_gap = np.zeros(s.shape[:-1])
    for k in range(s.shape[-1]):  # added in order, as the rule adds them
        host_gap = host_gap + np.maximum(h[..., k] - s[..., k], 0.0)
        target_gap = target_gap + np.maximum(t[..., k] - s[..., k], 0.0)
    broader = (target_gap > host_gap) & (target_gap > 0.0)
    return np.where(broader, rate * host_gap / np.where(broader, target_gap, 1.0), rate)


def module_rate(firm_rate, share, college_rate):
    """What the host teaches plus the member's module: a share of the college rate."""
    return firm_rate + share * college_rate


def tenure_noise(factor, rate, months):
    """The noise factor falling exponentially with years of membership."""
    return factor * np.exp(-rate * np.maximum(months, 0.0) / 12.0)


def move_on(share, premium, wage, elasticity):
    """The share moving on, falling exponentially with the premium in months of wages."""
    return share * np.exp(-elasticity * np.maximum(premium, 0.0) / wage)
