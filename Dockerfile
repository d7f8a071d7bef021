# speedmatch service image: slim, non-root; migrates the database, then serves with uvicorn.
# Build: docker build -t speedmatch .      Run with PostgreSQL and Redis: docker compose up -d
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
# The versions the test suite last passed with (pyproject.toml keeps the ranges).
COPY .ci/constraints.txt ./
COPY app ./app
COPY matching ./matching
COPY rooms ./rooms
COPY migrations ./migrations
# Importing the kernels compiles them once into numba's cache, so no plan waits for it.
RUN pip install -c constraints.txt . && python -m compileall -q /opt/venv && python -c "import matching.anneal_kernel"

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SPEEDMATCH_DATA_DIR=/data
RUN groupadd --system --gid 10001 speedmatch \
    && useradd --system --uid 10001 --gid speedmatch --home-dir /data --create-home speedmatch
COPY --from=build /opt/venv /opt/venv
USER speedmatch
WORKDIR /data
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health', timeout=4)"]
# Migrations first (the app never creates tables itself), then uvicorn as PID 1 via exec.
# --backlog 4096 absorbs reconnect storms; behind a proxy, forwarded headers are trusted.
CMD ["sh", "-c", "speedmatch db upgrade && exec uvicorn app.main:create_app --factory --host 0.0.0.0 --port 8000 --proxy-headers --forwarded-allow-ips=* --backlog 4096 --ws-per-message-deflate false --ws-max-size 65536 --no-access-log"]
