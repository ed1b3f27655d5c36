"""Pure domain values: no I/O, no database, no Redis, no Qt."""
