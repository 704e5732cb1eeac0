"""The state toolkit: how the toolkit keeps what it remembers between runs.

- `toolkit.state.sqlite`: open a SQLite state file at its schema version (PRAGMA
  user_version), migrating older files, setting an unusable one aside;
- `toolkit.state.files`: set any unusable state file aside (one suffix scheme:
  `<name>.corrupt-<UTC time>`), temp files that the next run removes when a run dies;
- `toolkit.state.lock`: one exclusive file lock (one run per folder, one send per day);
- `toolkit.state.tsv`: tab-separated files read into rows that know their file and line;
- `toolkit.state.settings`: the declared table of every `TOOLKIT_*` setting, read through
  one accessor; docs/limits.md's settings table is generated from it.

The bottom layer: it imports nothing from the toolkit but toolkit.errors.
"""
