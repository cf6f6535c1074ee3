"""The screens of the family's view: ``pages`` (the family's own pages), ``invitation`` (the
link in the invitation e-mail) and ``staff`` (inviting and ending access, the client-page
panel)."""
