"""The monthly processes of the model, one module each, in schedule order.

``technology`` (drift of demand), ``teaching`` (intake, learning, drop-out),
``curriculum`` (taught profiles and teacher currency), ``placement``
(allocation and apprentice economics), ``labour_market`` (separations and
hiring, with firms' picking in ``recruiting`` and the month's hires costed in
``hire_ledger``), ``council`` (the industrial college's club costs and
membership), ``college`` (the college's own review of its ties and its
budget) and ``cooperation`` (reviews, conversion, entry).
Agents and records live in :mod:`community_sim.agents`; the state's arrays and
the tie registry in :mod:`community_sim.state`; pure maths in
:mod:`community_sim.mechanics`. Every process takes the state containers it
works on, the parameters, the random generator and the month, and the
collaborators it writes to (the tie registry, the government, the recorder);
none takes the model.
"""
