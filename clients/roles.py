"""Who may do what in the clients app (docs/clients.md, "Roles"): the role sets of its web
views and API."""

from __future__ import annotations

from ipvb.roles import Role

READERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.MANAGER, Role.ORG_ADMIN})
WRITERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.ORG_ADMIN})
LEADERS = frozenset({Role.TEAM_LEADER, Role.ORG_ADMIN})
BSN_VIEWERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.ORG_ADMIN})
ADMIN = frozenset({Role.ORG_ADMIN})
LOG_READERS = frozenset({Role.TEAM_LEADER, Role.ORG_ADMIN})
# The client list as CSV: for those who plan care and report on it. Not the functional
# administrator: it holds client data their work (users, departments, settings) does not need.
EXPORTERS = frozenset({Role.TEAM_LEADER, Role.MANAGER})
