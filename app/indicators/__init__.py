"""The indicator catalogue: a plan's targets and their measures (evaluated in app/status)."""
