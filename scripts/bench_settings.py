"""Settings of the gunicorn server that `scripts/benchmark.py` and `scripts/loadtest.py` start
on loopback: the production settings (``ipvb.settings.production``: DEBUG off, MFA required,
e-mail verification mandatory, whitenoise's manifest storage, the API throttle) with three
differences, each because of the benchmark's situation, not to make it faster:

* plain HTTP on 127.0.0.1: no HTTPS redirect, no HSTS, cookies without the Secure flag (set
  through the environment variables production reads, as docker-compose.yml documents for a
  local try-out);
* the BSN keys are the public development keys, because the generated data was encrypted with
  them (production refuses to start with them: they are passed under a throw-away key and
  replaced after the import). Never for real data: these servers only ever serve generated
  data on loopback;
* console e-mail allowed (no mail is sent during a benchmark).
"""

from __future__ import annotations

import base64
import hashlib
import os

os.environ.setdefault("DJANGO_SECRET_KEY", "ipvb-benchmark-loopback-only")
os.environ["IPVB_BSN_KEYS"] = base64.urlsafe_b64encode(
    hashlib.sha256(b"ipvb-bench-throwaway").digest()
).decode()
os.environ["IPVB_BSN_HASH_KEY"] = "ipvb-bench-throwaway-hash-key"
for _name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
    os.environ[_name] = "false"
os.environ["SECURE_HSTS_SECONDS"] = "0"
os.environ.setdefault("IPVB_ALLOW_CONSOLE_EMAIL", "true")

from ipvb.settings.production import *  # noqa: E402, F403
from ipvb.settings.production import DEV_BSN_HASH_KEY, DEV_BSN_KEY  # noqa: E402

IPVB_BSN_KEYS = [DEV_BSN_KEY]
IPVB_BSN_HASH_KEY = DEV_BSN_HASH_KEY
