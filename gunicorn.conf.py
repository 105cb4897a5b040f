"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py portal.wsgi` (see docs/deploy.md).

Every value can be changed from the environment without editing this file.
"""

import multiprocessing
import os

from portal.env import env_bool, env_int, env_str, url_prefix

wsgi_app = "portal.wsgi:application"

# Loopback only unless told otherwise: with DJANGO_TRUSTED_PROXY_COUNT set, anyone who could reach
# gunicorn directly could write their own X-Forwarded-For and dodge the admin lockout and the API
# rate limit. Put nginx on the same machine, or set GUNICORN_BIND to the private address (or a unix
# socket) that only the load balancers can reach (docs/deploy.md).
bind = env_str("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Threaded workers: keep-alive connections from the load balancer, and a slow client does not hold a whole
# process. Two processes per core plus one, each with a few threads, suits a database-backed Django app.
worker_class = "gthread"
workers = env_int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = env_int("GUNICORN_THREADS", 4)
keepalive = env_int("GUNICORN_KEEPALIVE", 5)  # seconds; keep below the load balancer's idle timeout
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)

# Load the app once before forking: faster starts and pages of memory shared between workers.
preload_app = env_bool("GUNICORN_PRELOAD", True)
# Warm every process before it serves (portal/warmup.py): the first request is as fast as the second.
warm = env_bool("GUNICORN_WARM", True)
# Recycle workers now and then so no slow leak can grow without bound; jitter avoids restarting together.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 500)

# Request limits: nothing on this site needs long lines or many headers.
limit_request_line = 8190
limit_request_fields = 100

# Trust X-Forwarded-* only from the load balancer(s): comma-separated addresses.
forwarded_allow_ips = env_str("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Mounted under a path (DJANGO_URL_PREFIX=/anli): gunicorn strips it from PATH_INFO, Django adds it to links.
_prefix = url_prefix("DJANGO_URL_PREFIX")
if _prefix:
    raw_env = [f"SCRIPT_NAME={_prefix}"]
    os.environ["SCRIPT_NAME"] = _prefix

# Django logs every request as JSON (portal.access); gunicorn's own messages go to stderr as JSON too.
accesslog = None
errorlog = "-"
loglevel = env_str("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "portal.logging.JsonFormatter"}},
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
        "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
    },
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}

# Temporary files of workers' heartbeats in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def when_ready(server):
    """In the master, before the first fork: what needs no database (jieba, URLs, templates), shared."""
    if warm and preload_app:
        from portal.warmup import warm_process

        server.log.info("warmed the master in %.2f s", warm_process())


def post_worker_init(worker):
    """In each worker, before it accepts: the database connection and one page of each type."""
    if warm:
        from portal.warmup import warm_process, warm_worker

        seconds = (0.0 if preload_app else warm_process()) + warm_worker()
        worker.log.info("warmed worker %s in %.2f s", worker.pid, seconds)
