"""Dossier files: a versioned format (YAML or JSON, see docs/dossier-format.md) to write
dossiers out and read them in, history included."""
