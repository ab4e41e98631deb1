"""The spreadsheet intake's own texts, in the request's language.

app.core.messages_vi translates the messages every domain shares (and the push rules'
rejections, which reach the rows through them); what only a spreadsheet needs to say
(a date typed as 31/02/2026, a commune not in the list, a template that does not match)
is written here in both languages and chosen by ``app.core.i18n.current_language``.
"""

from app.core.i18n import VI, current_language


def say(en: str, vi: str) -> str:
    """``vi`` when the request asked for Vietnamese (``Accept-Language: vi``), else ``en``."""
    return vi if current_language() == VI else en
