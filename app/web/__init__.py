"""Server-rendered pages for organisers and participants (Jinja2 + small vanilla JS)."""
