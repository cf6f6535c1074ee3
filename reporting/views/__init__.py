"""Pages of reporting, by audience: ``dashboards`` (board, management), ``worklists`` (team
leaders, care professionals), ``formatie``, ``signals`` (one client), ``transparency`` (the
organisation's reports) and ``vilans`` (the reporting party's portal)."""
