"""The screens of the conversations app, one module per screen group: ``conversations`` (the
conversation record), ``composer`` (start, compose, agree), ``packages`` (a package, its
versions, swaps, print and PDF), ``approvals`` (a team leader's queue and decision) and
``overview`` (a department's clients)."""
