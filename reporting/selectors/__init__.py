"""Reads of reporting, by concept: ``snapshots`` (the base every read starts from),
``dashboards``, ``signals``, ``worklists``, ``formatie`` and ``what_if``. Every selector takes
the organisation (or a membership)."""
