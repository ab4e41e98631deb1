"""Text for Office files, the one place the exports make outside text safe to write.

XML (and so .xlsx and .docx) cannot hold most control characters. Records may hold them
(a tab is fine, a vertical tab or an escape is not); they are dropped from the exported
copy, never from the data.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula the
moment someone edits it, pastes it or reopens the sheet saved as CSV; a tab, a carriage
return or a blank before it may be dropped on the way and leave the formula first.
Following OWASP's "CSV Injection" advice, a cell of outside text that starts so gets a
leading single quote. The quote stays visible on purpose: it survives a save as CSV,
where Excel's own "quote prefix" style flag would be lost.
"""

import re

# What XML 1.0 text cannot hold: C0 controls other than tab, LF and CR; lone surrogates
# (no UTF-8 file can hold them either); U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = re.compile(r"\s*[=+\-@\t\r]")


def office_text(text: str) -> str:
    """``text`` without the characters XML cannot hold."""
    return _NOT_IN_XML.sub("", text)


def cell_text(text: str) -> str:
    """Outside text for a spreadsheet cell: XML-safe, and never read as a formula.

    The control characters go first: ``"\\x07=1"`` is written as ``"=1"``, so the quote is
    decided on what the file will hold. The caller still types the cell as a string.
    """
    safe = office_text(text)
    return "'" + safe if _FORMULA_START.match(safe) else safe
