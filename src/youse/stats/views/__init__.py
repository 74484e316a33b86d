"""The statistics pages: reports (entry, review, import) and indicators (targets dashboard, warnings)."""
