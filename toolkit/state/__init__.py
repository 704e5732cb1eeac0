"""The state toolkit: how the toolkit keeps what it remembers between runs.

- `toolkit.state.sqlite`: open a SQLite state file at its schema version (PRAGMA
  user_version), migrating older files, setting an unusable one aside;
- `toolkit.state.files`: set any unusable state file aside (one suffix scheme:
  `<name>.corrupt-<UTC time>`);
- `toolkit.state.lock`: one exclusive file lock (one run per folder, one send per day),
  on toolkit.fsutil's lock primitive (which also locks every temp file while it is written,
  so that the next writer removes only those a killed writer left);
- `toolkit.state.tsv`: tab-separated files read into rows that know their file and line;
- `toolkit.state.settings`: the declared table of every `TOOLKIT_*` setting, read through
  one accessor; docs/limits.md's settings table is generated from it.

The bottom layer: it imports nothing from the toolkit but toolkit.errors and toolkit.fsutil.
"""
