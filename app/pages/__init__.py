"""Pages people read and widgets portals embed: the indicator status and the report
compliance board rendered as HTML (Jinja2, no client framework, nothing loaded from
outside the service) and SVG.

Every number comes from the services the API calls (``app.status.service``,
``app.reports.compliance``); nothing here evaluates an indicator another way. Only
``app.main`` imports this package.
"""
