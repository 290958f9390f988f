"""Read-only page queries of the website: one module per group of pages."""
