# Regiomonitor image: one image for web, worker and beat (see docker-compose.yml).
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 regiomonitor
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY --chown=regiomonitor . .
COPY --from=assets --chown=regiomonitor /app/node_modules ./node_modules
RUN python manage.py compilemessages --ignore=node_modules -v0 \
    && python manage.py collectstatic --noinput -v0 \
    && chown -R regiomonitor /app/.local
USER regiomonitor
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4"]
