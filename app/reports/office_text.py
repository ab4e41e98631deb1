"""Text for Office files: XML (and so .xlsx and .docx) cannot hold most control characters.

Records may hold them (a tab is fine, a vertical tab or an escape is not); they are
dropped from the exported copy, never from the data.
"""

import re

_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def office_text(text: str) -> str:
    return _NOT_IN_XML.sub("", text)
