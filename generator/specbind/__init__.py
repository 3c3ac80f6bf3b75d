"""specbind: typed bindings, clients and docs from one YAML spec of an API."""
