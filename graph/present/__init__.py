"""Show: the interactive graph page (view) and the report (HTML and Markdown)."""
