"""Loaded by pytest (`-p luoshi.testing`) before the settings are read: the environment a test run
needs when nothing else provides it. A real deployment never imports this."""

import os

# A developer's .env (written by `make demo`) does not reach the tests.
os.environ.setdefault("LUOSHI_ENV_FILE", "")
os.environ.setdefault("SECRET_KEY", "test-only-key-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Background jobs run where they are enqueued, in the test's own thread.
os.environ.setdefault("TASKS_BACKEND", "immediate")
