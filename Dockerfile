FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=factcheck.settings.production
WORKDIR /app

# Exactly the pinned, hash-checked packages of the lock file (`make lock` regenerates it from pyproject.toml).
COPY requirements.txt ./
RUN pip install --require-hashes -r requirements.txt
COPY . .
# collectstatic needs a key to import production settings; the real one comes from the environment at run time.
RUN SECRET_KEY=build-only-placeholder-key-that-is-long-enough python manage.py collectstatic --noinput

RUN useradd --create-home factcheck
USER factcheck
EXPOSE 8000
# Workers, bind and the timeout a streamed export needs: gunicorn.conf.py.
CMD ["gunicorn", "factcheck.wsgi:application", "--config", "gunicorn.conf.py"]
