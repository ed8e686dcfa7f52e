# syntax=docker/dockerfile:1
ARG BASE=python:3.12-slim
FROM ${BASE} AS build
RUN --mount=type=cache,target=/root/.cache pip install --no-cache-dir flask==3.0.0 \
    && apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
COPY --chown=10001:10001 app/ /app/
FROM build AS test
RUN <<EOF
set -e
python3 -m pytest /app
EOF
FROM gcr.io/distroless/python3@sha256:0000000000000000000000000000000000000000000000000000000000000000
COPY --from=build /app /app
USER 10001:10001
HEALTHCHECK --interval=30s CMD ["python3", "/app/health.py"]
ENTRYPOINT ["python3", "/app/app.py"]
