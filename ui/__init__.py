"""PySide6 user interface. Talks to boxoffice services only through ui.tasks (never on the GUI thread)."""
