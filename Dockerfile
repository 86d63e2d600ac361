# One image for the web, the workers and beat; the command picks the role.
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends apertium apertium-eng-spa apertium-fr-es \
      apertium-es-pt apertium-spa-ita apertium-eng-cat curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The CPU build of PyTorch first, so nothing pulls the multi-GB CUDA build.
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY workflow ./workflow
COPY workers ./workers
COPY web ./web
# The interface catalogues are compiled (.po → .mo) before the package copies them in.
RUN pip install --no-cache-dir babel && pybabel -q compile -d web/translations \
    && pip install --no-cache-dir .

ENV LINGUADESK_MODELS_DIR=/models \
    LINGUADESK_ENV=production \
    PYTHONUNBUFFERED=1
RUN useradd --create-home desk && mkdir -p /app/instance /models && chown desk /app/instance /models
USER desk
EXPOSE 8000
CMD ["gunicorn", "-w", "4", "-b", "0.0.0.0:8000", "web.wsgi:app"]
