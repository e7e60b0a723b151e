# Production image: gunicorn serves the app, WhiteNoise the collected static files.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend ./frontend
RUN npm run build

FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
COPY . .
COPY --from=assets /app/build ./build
RUN pip install --no-cache-dir . \
    && SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
       DATABASE_URL=postgres://unused/unused REDIS_URL=redis://unused:6379/0 \
       python manage.py collectstatic --no-input
RUN useradd --create-home casework && chown -R casework /app
USER casework
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--config", "python:config.gunicorn"]
