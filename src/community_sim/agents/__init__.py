"""The model's agents: students, colleges, enterprises, government; and partnership records."""

from community_sim.agents.enterprise import Enterprise
from community_sim.agents.government import Government
from community_sim.agents.partnership import Partnership
from community_sim.agents.school import School
from community_sim.agents.student import Student, StudentArrays

__all__ = ["Enterprise", "Government", "Partnership", "School", "Student", "StudentArrays"]
