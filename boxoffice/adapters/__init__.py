"""Adapters: SQLAlchemy models and repositories, the Redis seat store and its Lua scripts."""
