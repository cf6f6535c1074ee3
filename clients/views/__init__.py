"""The screens of the clients app, one module per concept (docs/clients.md, "Module map")."""
