# Summit dossiers under gunicorn. Built by docker-compose.yml for a production-like run.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH="/opt/venv/bin:$PATH"

# DejaVu: the share images (issues/share.py) draw their text with it.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv && useradd --create-home --uid 1000 app
WORKDIR /app

COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# Static files are collected at build time: hashed names, compressed, served by WhiteNoise.
RUN python manage.py collectstatic --no-input \
    && chown -R app:app /app/var
USER app

EXPOSE 8000
CMD ["gunicorn", "summit.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
