FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=ipvb.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . \
    && DJANGO_SECRET_KEY=build python manage.py compilemessages \
    && DJANGO_SECRET_KEY=build python manage.py collectstatic --noinput
RUN useradd --create-home ipvb && chown -R ipvb /app
USER ipvb
EXPOSE 8000
CMD ["gunicorn", "ipvb.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
