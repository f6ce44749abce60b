"""Shared test set-up: the rule-set cache (``tildeling.rules.cache``) lives in a temporary
folder for the whole session, never in the user's ``~/.cache`` (subprocesses inherit it)."""

import os
import tempfile

os.environ["TILDELING_CACHE_DIR"] = tempfile.mkdtemp(prefix="tildeling-test-cache-")
