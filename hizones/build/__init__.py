"""The third layer: making the book from the chapters. Parallel execution into Jupyter Book's
cache, keyed on everything a chapter reads (`execute`, `inputs`), the Sphinx extension
(`sphinx`), Chromium on a local server (`browser`) and the PDF (`pdf`). Imports the other two
layers; nothing imports it but the command line and the tests."""
