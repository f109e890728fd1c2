"""Server-rendered pages (HTML), one module per page."""
