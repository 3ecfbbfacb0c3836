"""Files into the store: expanding what to import, reading each file in a worker held to limits, and writing the declarations, alignments, review files and concept mappings in one transaction."""
