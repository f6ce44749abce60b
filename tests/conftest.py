"""Shared test set-up: the rule-set cache (``tildeling.rules.cache``) lives in a temporary
folder for the whole session, never in the user's ``~/.cache`` (subprocesses inherit it)."""

import os
import tempfile

os.environ["TILDELING_CACHE_DIR"] = tempfile.mkdtemp(prefix="tildeling-test-cache-")

# Property tests draw the same examples on every run in CI (reproducible results and run time);
# locally they explore new examples each run. `HYPOTHESIS_PROFILE=explore` overrides in CI.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "explore"))
