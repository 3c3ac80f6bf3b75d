"""Reading a spec: YAML with line and column, the spec language's JSON Schema, type expressions."""
