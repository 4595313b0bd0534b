# klyngebot in a container: `python -m bot run` as an unprivileged user.
# Recipes (docker run, compose with PostgreSQL, backups, upgrades): docs/deploy.md
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
RUN pip install . \
 && useradd --system --create-home --uid 10001 klyngebot \
 && mkdir /data \
 && chown klyngebot /data

# SQLite on the /data volume unless DATABASE_URL names PostgreSQL (compose.yaml does).
ENV DATABASE_URL=sqlite+aiosqlite:////data/klynge.db \
    PORT=3000
VOLUME /data
WORKDIR /data
USER klyngebot
EXPOSE 3000

# /healthz: 200 when the database answers (and, in Socket Mode, the connection to Slack is up).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '3000') + '/healthz', timeout=4)"]

# SIGTERM (docker stop): finishes acknowledged work and exits within 10 seconds.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "run"]
