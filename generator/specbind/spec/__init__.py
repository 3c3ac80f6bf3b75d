"""The spec front end: load YAML with positions, validate, build the IR."""
