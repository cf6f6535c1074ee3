"""Pages of the programme (domain page section 10), by audience: ``organisation`` (the
organisation's side), ``party`` (the reporting party's side); ``display`` is shared."""
