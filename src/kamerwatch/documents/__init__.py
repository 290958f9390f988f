"""Documents: download the files of the mirror (fetch) and turn them into text and HTML (convert)."""
