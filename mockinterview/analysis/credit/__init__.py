"""Which strong phrases and signals an answer earned, and how: the literal matcher, credit by meaning,
the claim rules and the reading of a sentence's frame. Import the modules themselves (no re-exports: the
sections module imports the matcher, and the answer module imports the sections)."""
