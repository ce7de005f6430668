"""Medical vocabulary Relief ships: abbreviation <-> expansion lists (TSV) and
the script that extracts the Disease Ontology's acronyms into one."""
