"""The message catalogue: every text a user sees, in bokmål, nynorsk and English, from the
gettext files under ``locale/`` (``catalogue``), with rendering helpers (``diagnostic_messages``,
``messages``) and YAML problems in Norwegian (``yaml_problems``). Imports nothing of tildeling.
"""
