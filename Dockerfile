# kamerwatch: one image for the website (`serve`) and the pipeline (`update --loop`).
# Debian slim, runs as the unprivileged user "kamerwatch"; antiword (.doc), tesseract with
# Dutch data (scanned PDFs) and the PostgreSQL client (pg_dump/psql for backups) included.
# See docs/operations.md ("Containers").
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Debian's stable packages get security updates under the same name: not pinned on purpose.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        antiword \
        tesseract-ocr \
        tesseract-ocr-nld \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# a fixed numeric id, so volumes and `runAsNonRoot` checks agree with the image
RUN groupadd --system --gid 10001 kamerwatch \
    && useradd --system --uid 10001 --gid kamerwatch --home-dir /var/lib/kamerwatch \
        --create-home --shell /usr/sbin/nologin kamerwatch

WORKDIR /opt/kamerwatch
COPY pyproject.toml README.md ./
COPY src ./src
RUN python -m venv /opt/kamerwatch/venv \
    && /opt/kamerwatch/venv/bin/pip install ./ \
    && rm -rf /opt/kamerwatch/src

ENV PATH=/opt/kamerwatch/venv/bin:$PATH \
    KAMERWATCH_DATA_DIR=/var/lib/kamerwatch

USER 10001:10001
WORKDIR /var/lib/kamerwatch
VOLUME ["/var/lib/kamerwatch"]
EXPOSE 8000

# `serve` answers /healthz (200 while the database answers); `update` overrides this.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

# SIGTERM (docker stop): serve finishes the requests in flight, update stops its stage cleanly.
STOPSIGNAL SIGTERM
ENTRYPOINT ["kamerwatch"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
