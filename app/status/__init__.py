"""Indicator status: how far a plan's targets are, evaluated over the records.

- ``windows``: the period an indicator looks at and the expected trajectory;
- ``inputs``: what indicators read besides records (groups, figures, training);
- ``record_filters``: SQL for a measure's record filter;
- ``counting``: counting records from the records themselves or from the tallies;
- ``tallies/``: the write-time counts, kept exact as records are written;
- ``evaluation``: one function per measure kind;
- ``service``, ``router``, ``schemas``: the status answers of the API.
"""
