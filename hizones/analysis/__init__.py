"""The second layer: what the chapters import. Figures as bounds (`figures`, `intervals`), the
checks a chapter makes (`checks`), derived figures several chapters share (`derived`), the
chapter object (`chapter`), glue, tables and charts for the page, and the text analysis
(`text`, `policy`). Reads the data only through `hizones.sources`; imports nothing of
`hizones.build`."""
