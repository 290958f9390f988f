"""kamerwatch: mirror, search and watch the open data of the Tweede Kamer."""

__version__ = "0.1.0"
USER_AGENT = f"kamerwatch/{__version__} (+https://github.com/kamerwatch/kamerwatch)"
