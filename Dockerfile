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
RUN groupadd --system nq57 && useradd --system --gid nq57 --home-dir /srv nq57
WORKDIR /srv
COPY --from=build /opt/venv /opt/venv
COPY --chown=nq57:nq57 alembic.ini ./
COPY --chown=nq57:nq57 migrations ./migrations
USER nq57
EXPOSE 8000
# Migrations are a separate step: `docker run IMAGE nq57 db upgrade` (then `nq57 seed`).
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]
