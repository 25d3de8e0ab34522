"""gunicorn settings for a shared deployment: ``gunicorn -c gunicorn.conf.py``.

Every value can be set from the environment, so one file serves a laptop and a server:

    GLOSSARY_BIND      where to listen (default 127.0.0.1:8000: behind a reverse proxy)
    GLOSSARY_WORKERS   worker processes (default: 2 per CPU core, at least 2)
    GLOSSARY_THREADS   threads per worker (default 4)
    GLOSSARY_ACCESS_LOG  a file, or "-" for standard output (default: no access log)
    GLOSSARY_MAX_REQUESTS  replace a worker after this many requests (default 50000;
                       0: never)

Run ``glossary init`` (migrations) before starting or restarting after an upgrade;
workers do not migrate, so two of them never race to change the schema.
"""

import os

wsgi_app = "glossary:create_app()"
bind = os.environ.get("GLOSSARY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GLOSSARY_WORKERS", max(2, 2 * (os.cpu_count() or 1))))
# Threads let one worker serve several requests while another waits on the database;
# the GIL still shares one core per worker, so workers bring the parallelism.
worker_class = "gthread"
threads = int(os.environ.get("GLOSSARY_THREADS", "4"))
# A request that takes longer than this is a stuck worker: it is killed and replaced.
timeout = 120
graceful_timeout = 30
keepalive = 5
# Replace each worker now and then, so that slow growth in memory never accumulates.
# Not too often: a new worker spends a second or more of CPU warming up (and rebuilds
# the search index, seconds at 150,000 terms) while the others carry its load. At
# 5,000 a worker under full load was replaced every minute and pages p99 rose to 1.7 s
# (bench/RESULTS.md).
max_requests = int(os.environ.get("GLOSSARY_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# Each worker opens its own database connections after the fork.
preload_app = False
# The reverse proxy on this machine may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 25+ opens a control socket at one fixed path in the home folder; instances
# would share it, and nothing here uses it.
control_socket_disable = True
accesslog = os.environ.get("GLOSSARY_ACCESS_LOG") or None
errorlog = "-"
loglevel = "info"



def post_worker_init(worker):
    """Compile templates and build the search index before this worker takes requests
    (glossary/warmup.py): a new worker's first requests are then as fast as the rest."""
    from glossary.warmup import warm

    seconds = warm(worker.wsgi)
    worker.log.info("worker %s warmed up in %.2f s", worker.pid, seconds)
