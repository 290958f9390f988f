"""The website and its JSON twins (Starlette + Jinja2)."""
