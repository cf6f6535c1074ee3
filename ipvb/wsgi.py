import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipvb.settings.production")

application = get_wsgi_application()

# The garbage collector (issue 16, load): a request allocates some 100,000 objects, so with
# Python's default thresholds (700, 10, 10) the collector ran several times per request and
# scanned every module, model and template loaded at start-up again and again. Those are
# frozen (never scanned again), and a collection runs every 50,000 new objects instead of 700;
# the young generation still collects each request's reference cycles. Measured in
# docs/performance.md ("Load test, fifth round").
gc.collect()
gc.freeze()
gc.set_threshold(50_000, 50, 100)
