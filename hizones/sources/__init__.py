"""The first layer: the files as received. Read the data package and the briefing, validate
them, and locate each figure in the text. Plain Python (``csv``, ``json``, ``re``): validating
the data never needs pandas. Nothing here imports ``hizones.analysis`` or ``hizones.build``."""
