"""Who may do what with conversations and packages (docs/conversations.md), for the screens and
the API alike. Conversations and packages are care work: the functional administrator (org
admin) and the manager read them but hold no conversation and compose no package (domain
page, section 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipvb.roles import Role

if TYPE_CHECKING:
    from ipvb.models import Membership

READERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.MANAGER, Role.ORG_ADMIN})
WRITERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER})
LEADERS = frozenset({Role.TEAM_LEADER})


def can_write(membership: Membership | None) -> bool:
    """May this member hold conversations and compose packages (the screens' ``can_write``)?"""
    return membership is not None and membership.has_role(*WRITERS)
