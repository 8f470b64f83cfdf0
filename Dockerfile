# motcua production image: gunicorn + the system libraries WeasyPrint and pyusb need.
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      libusb-1.0-0 fonts-dejavu-core curl espeak-ng \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 motcua
WORKDIR /app
COPY pyproject.toml constraints.txt README.md LICENSE ./
COPY platform platform
COPY plugins plugins
COPY device_drivers device_drivers
COPY forms forms
COPY tenants tenants
RUN pip install --no-cache-dir -c constraints.txt . && mkdir -p /data && chown motcua /data

USER motcua
ENV MOTCUA_DATA_DIR=/data \
    MOTCUA_TENANTS_DIR=/app/tenants \
    MOTCUA_BIND=0.0.0.0:8000 \
    PYTHONUNBUFFERED=1
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
# DATABASE_URL=postgresql://… in production; run `motcua db upgrade` once per release.
CMD ["motcua", "serve"]
