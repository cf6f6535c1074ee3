"""Who may read and write what in costing (the pages and the API use the same sets)."""

from ipvb.roles import Role

FIN = frozenset({Role.FINANCIAL})
READ = frozenset({Role.FINANCIAL, Role.MANAGER, Role.ORG_ADMIN})
GROUP_READ = frozenset({Role.FINANCIAL, Role.MANAGER, Role.ORG_ADMIN, Role.TEAM_LEADER})
GROUP_EDIT = frozenset({Role.FINANCIAL, Role.TEAM_LEADER})
CLIENT_READ = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.MANAGER, Role.ORG_ADMIN})
