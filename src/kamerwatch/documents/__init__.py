"""Documents: per-format conversion to text and a sanitised HTML preview, link enrichment."""
