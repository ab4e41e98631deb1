# syntax=docker/dockerfile:1
# Build stage: install the project and its dependencies into a virtual environment.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
RUN /opt/venv/bin/pip install --no-cache-dir .

# Runtime stage: the virtual environment and the files migrations need, as a non-root user.
FROM python:3.11-slim AS runtime
ENV PATH="/opt/venv/bin:$PATH" PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
RUN groupadd --system --gid 10001 nq57 \
    && useradd --system --uid 10001 --gid nq57 --home-dir /srv nq57
WORKDIR /srv
COPY --from=build /opt/venv /opt/venv
COPY --chown=nq57:nq57 alembic.ini ./
COPY --chown=nq57:nq57 migrations ./migrations
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=5 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2).status != 200)"]
# Migrations are a separate step: `docker run IMAGE nq57 db upgrade` (then `nq57 seed`);
# compose.yaml runs it as a one-shot service. `nq57 serve` logs JSON lines and one access
# line per request (uvicorn's own access log is off). With --workers N, set
# PROMETHEUS_MULTIPROC_DIR to an empty directory (see compose.yaml).
CMD ["nq57", "serve", "--host", "0.0.0.0", "--port", "8000"]
