"""Vietnamese texts of problems, for ``Accept-Language: vi`` (see app.core.i18n).

The service writes its messages in English where they arise; they are translated when a
problem is rendered:

* ``TITLES``: one title per problem type (the slug of its ``type`` URI);
* ``translate``: a message the service writes itself, exactly (``EXACT``) or by its
  shape (``PATTERNS``: "No agency with code 'x'." and the like). A message not known here
  stays in English;
* ``pydantic_message``: pydantic's own messages, by their error ``type`` and context.

A message reworded in English must be reworded here too (tests/core/test_errors_teach.py
checks the common ones).
"""

import re
from collections.abc import Callable
from typing import Any

TITLES = {
    "bad-request": "Yêu cầu không hợp lệ",
    "unauthorized": "Cần khóa API",
    "forbidden": "Không có quyền",
    "not-found": "Không tìm thấy",
    "method-not-allowed": "Phương thức không được hỗ trợ",
    "not-acceptable": "Không có định dạng phù hợp",
    "conflict": "Xung đột",
    "precondition-failed": "Điều kiện không thỏa mãn",
    "payload-too-large": "Nội dung quá lớn",
    "unsupported-media-type": "Kiểu nội dung không được hỗ trợ",
    "invalid-input": "Dữ liệu không hợp lệ",
    "too-many-requests": "Quá nhiều yêu cầu",
    "service-unavailable": "Dịch vụ tạm thời không sẵn sàng",
    "internal-error": "Lỗi nội bộ",
    "idempotency-key-reused": "Idempotency-Key đã được dùng",
    "idempotency-key-in-flight": "Yêu cầu đang được xử lý",
    "idempotency-response-not-stored": "Phản hồi không được lưu",
    "error": "Lỗi",
}

# What the service's records are called, in "No agency with code 'x'." and the like.
NOUNS = {
    "agency": "cơ quan",
    "agency group": "nhóm cơ quan",
    "group": "nhóm",
    "plan": "kế hoạch",
    "task": "nhiệm vụ",
    "indicator": "chỉ tiêu",
    "API key": "khóa API",
    "channel": "kênh",
    "media product": "sản phẩm truyền thông",
    "broadcast": "buổi phát thanh",
    "training session": "buổi tập huấn",
    "figure": "số liệu",
    "budget line": "dòng kinh phí",
    "report": "báo cáo",
    "report request": "yêu cầu báo cáo",
    "progress update": "cập nhật tiến độ",
}

# Python's json module: why a body is not JSON.
JSON_REASONS = {
    "Expecting value": "thiếu một giá trị",
    "Expecting property name enclosed in double quotes": "cần tên thuộc tính trong dấu nháy kép",
    "Expecting ',' delimiter": "thiếu dấu phẩy ','",
    "Expecting ':' delimiter": "thiếu dấu hai chấm ':'",
    "Unterminated string starting at": "chuỗi chưa được đóng",
    "Invalid control character at": "có ký tự điều khiển không hợp lệ",
    "Invalid control character": "có ký tự điều khiển không hợp lệ",
    "Extra data": "có dữ liệu thừa sau giá trị JSON",
    "Invalid \\escape": "chuỗi thoát (\\) không hợp lệ",
    "Invalid \\uXXXX escape": "chuỗi thoát \\uXXXX không hợp lệ",
    "Illegal trailing comma before end of object": "dấu phẩy thừa trước khi đóng đối tượng",
    "Illegal trailing comma before end of array": "dấu phẩy thừa trước khi đóng mảng",
}

INSTANT_EXAMPLE = "2026-03-20T09:15:00+07:00"
DAY_EXAMPLE = "2026-03-20"

EXACT = {
    # app.core.i18n: date and time messages (see teach there)
    f"expected an instant such as {INSTANT_EXAMPLE} (RFC 3339, with its offset)": (
        f"cần một thời điểm như {INSTANT_EXAMPLE} (RFC 3339, kèm độ lệch múi giờ)"
    ),
    f"expected a day such as {DAY_EXAMPLE}": f"cần một ngày như {DAY_EXAMPLE}",
    f"expected a day such as {DAY_EXAMPLE}, without a time": (
        f"cần một ngày như {DAY_EXAMPLE}, không kèm giờ"
    ),
    "expected a time of day such as 09:15:00": "cần một giờ trong ngày như 09:15:00",
    f"expected a day such as {DAY_EXAMPLE} or an instant such as {INSTANT_EXAMPLE}, not a number": (
        f"cần một ngày như {DAY_EXAMPLE} hoặc một thời điểm như {INSTANT_EXAMPLE}, không phải "
        "một con số"
    ),
    "an ISO 8601 date or date-time is expected": ("cần một ngày hoặc thời điểm theo ISO 8601"),
    # app.core.errors
    "The request is not valid.": "Yêu cầu không hợp lệ.",
    "The change conflicts with existing data (a unique key or a reference).": (
        "Thay đổi xung đột với dữ liệu hiện có (một khóa duy nhất hoặc một tham chiếu)."
    ),
    "The database is unavailable or busy; nothing was written. Retry later.": (
        "Cơ sở dữ liệu không truy cập được hoặc đang bận; chưa có gì được ghi. Hãy thử lại sau."
    ),
    "The database refused the request.": "Cơ sở dữ liệu từ chối yêu cầu.",
    "An unexpected error occurred; it has been logged.": (
        "Đã xảy ra lỗi ngoài dự kiến; lỗi đã được ghi nhận."
    ),
    "The body could not be parsed as JSON.": "Không đọc được nội dung yêu cầu dưới dạng JSON.",
    "Not Found": "Không có đường dẫn này.",
    "Method Not Allowed": "Đường dẫn này không hỗ trợ phương thức đã dùng.",
    "Not Acceptable": "Không có định dạng phản hồi phù hợp với Accept.",
    # app.core.middleware
    "The URL contains a NUL character.": "URL chứa ký tự NUL.",
    "Invalid Content-Length.": "Content-Length không hợp lệ.",
    # app.auth.security
    "The API key is not valid.": "Khóa API không hợp lệ.",
    "The API key has been revoked.": "Khóa API đã bị thu hồi.",
    "The API key has expired.": "Khóa API đã hết hạn.",
    "An API key is required to read this service.": "Cần khóa API để đọc dữ liệu của dịch vụ.",
    "Records need an API key (Authorization: Bearer …).": (
        "Cần khóa API để truy cập hồ sơ (Authorization: Bearer …)."
    ),
    "This key is read-only; writing needs the 'write' scope.": (
        "Khóa này chỉ được đọc; muốn ghi cần phạm vi 'write'."
    ),
    "Only an admin key may do this.": "Chỉ khóa quản trị (admin) mới được làm việc này.",
    # app.core.idempotency
    "Idempotency-Key must be one value of 1 to 200 printable ASCII characters, e.g. a UUID.": (
        "Idempotency-Key phải là một giá trị gồm 1 đến 200 ký tự ASCII in được, ví dụ một UUID."
    ),
    "1 to 200 printable ASCII characters": "1 đến 200 ký tự ASCII in được",
    "This Idempotency-Key was used with another request (method, path, query or body); "
    "use a new key for a new request.": (
        "Idempotency-Key này đã được dùng cho một yêu cầu khác (phương thức, đường dẫn, tham "
        "số truy vấn hoặc nội dung); hãy dùng khóa mới cho yêu cầu mới."
    ),
    "key already used with another payload": "khóa đã được dùng với nội dung khác",
    "A request with this Idempotency-Key is still being processed; retry shortly.": (
        "Một yêu cầu với Idempotency-Key này vẫn đang được xử lý; hãy thử lại sau giây lát."
    ),
    "The first request with this Idempotency-Key succeeded; its answer held a secret, which "
    "is shown once and never stored. Nothing new was done. If the secret was lost, revoke "
    "that key and create another.": (
        "Yêu cầu đầu tiên với Idempotency-Key này đã thành công; phản hồi của nó chứa một bí "
        "mật, chỉ hiện một lần và không bao giờ được lưu. Không có gì mới được thực hiện. Nếu "
        "đã mất bí mật, hãy thu hồi khóa đó và tạo khóa khác."
    ),
    # app.core.pagination
    "The cursor is not one this service issued; start again without it.": (
        "Con trỏ (cursor) này không do dịch vụ cấp; hãy bắt đầu lại mà không dùng nó."
    ),
    "invalid cursor": "con trỏ không hợp lệ",
    # app.core.push
    "source and external_id go together: give both or neither.": (
        "source và external_id đi cùng nhau: hãy gửi cả hai hoặc không gửi cả hai."
    ),
    "source and external_id go together": "source và external_id phải đi cùng nhau",
    # app.core.schemas and app.core.filters
    "may not be null": "không được là null",
    "must not be blank": "không được để trống",
    "text must not contain NUL characters": "văn bản không được chứa ký tự NUL",
    "text must be valid Unicode (no lone surrogates)": (
        "văn bản phải là Unicode hợp lệ (không có surrogate lẻ)"
    ),
    "Input should be a boolean": "Phải là giá trị logic (true hoặc false)",
    "Input should be a number": "Phải là một số",
    "`from` is after `to`.": "`from` muộn hơn `to`.",
    "from must not be after to": "from không được muộn hơn to",
    # records
    "An agency cannot be its own ancestor.": "Một cơ quan không thể là cấp trên của chính nó.",
    "cycle": "tạo vòng lặp cấp trên",
    "A broadcast needs a title unless it names a media product.": (
        "Buổi phát thanh cần có tiêu đề, trừ khi nêu một sản phẩm truyền thông."
    ),
    "required when media_product_id is not given": "bắt buộc khi không có media_product_id",
    "Only the coordinator (an admin key) approves budget lines.": (
        "Chỉ đơn vị điều phối (khóa quản trị) mới phê duyệt dòng kinh phí."
    ),
    "Some channel ids name no channel.": "Một số mã kênh không ứng với kênh nào.",
    "Give either `period` (with `plan`) or `request`.": (
        "Hãy cho `period` (kèm `plan`) hoặc `request`."
    ),
    "period or request": "period hoặc request",
    "plan is required with period": "cần plan khi có period",
    "The measure is not valid.": "Thước đo không hợp lệ.",
    "the same party is listed twice": "một bên được liệt kê hai lần",
    "the groups have no active agency": "các nhóm không có cơ quan nào đang hoạt động",
    "name at least one agency or group": "hãy nêu ít nhất một cơ quan hoặc nhóm",
    "give exactly one of agency_code and group_code": (
        "hãy cho đúng một trong agency_code và group_code"
    ),
    "a url evidence needs an http:// or https:// address": (
        "minh chứng dạng url cần địa chỉ http:// hoặc https://"
    ),
    "value cannot be null; delete the figure instead.": (
        "value không được là null; hãy xóa số liệu nếu muốn bỏ."
    ),
}


def _noun(text: str) -> str:
    return NOUNS.get(text, text)


def _comparison(word: str) -> str:
    return {
        "before": "trước",
        "after": "sau",
        "exceed": "vượt quá",
    }.get(word, word)


def _json_reason(text: str) -> str:
    return JSON_REASONS.get(text, text)


def _or(text: Any) -> str:
    """pydantic's "'a', 'b' or 'c'" and the service's lists of the same shape."""
    head, sep, tail = str(text).rpartition(" or ")
    return f"{head} hoặc {tail}" if sep else str(text)


_PERIOD_WORDS = {
    "(year)": "(năm)",
    "(half)": "(nửa năm)",
    "(half-year)": "(nửa năm)",
    "(quarter)": "(quý)",
    "(month)": "(tháng)",
}


def _forms(text: str) -> str:
    for english, vietnamese in _PERIOD_WORDS.items():
        text = text.replace(english, vietnamese)
    return _or(text)


_HINTS = {"": "", " (send [] to empty a list)": " (gửi [] để làm rỗng danh sách)"}


_Template = str | Callable[[dict[str, str]], str]

# (English shape, Vietnamese): a template's fields are the pattern's named groups.
_PATTERN_SOURCES: list[tuple[str, _Template]] = [
    (
        r"No (?P<noun>[\w ]+?) with code '(?P<code>.*)'\.",
        lambda g: f"Không có {_noun(g['noun'])} nào có mã '{g['code']}'.",
    ),
    (
        r"No (?P<noun>[\w ]+?) with id (?P<id>\S+)\.",
        lambda g: f"Không có {_noun(g['noun'])} nào có id {g['id']}.",
    ),
    (
        r"No API key with prefix '(?P<prefix>.*)'\.",
        "Không có khóa API nào có tiền tố '{prefix}'.",
    ),
    (
        r"No (?P<noun>budget line|report request|report) (?P<id>\d+)\.",
        lambda g: f"Không có {_noun(g['noun'])} số {g['id']}.",
    ),
    (
        r"Plan '(?P<plan>.*)' has no task (?P<number>\S+)\.",
        "Kế hoạch '{plan}' không có nhiệm vụ {number}.",
    ),
    (
        r"Plan '(?P<plan>.*)' has no indicator '(?P<code>.*)'\.",
        "Kế hoạch '{plan}' không có chỉ tiêu '{code}'.",
    ),
    (
        r"No indicator '(?P<code>.*)' in plan '(?P<plan>.*)'\.",
        "Kế hoạch '{plan}' không có chỉ tiêu '{code}'.",
    ),
    (
        r"Task (?P<number>\S+) has no progress update (?P<id>\S+)\.",
        "Nhiệm vụ {number} không có cập nhật tiến độ {id}.",
    ),
    (
        r"An? (?P<noun>[\w ]+?) with code '(?P<code>.*)' exists already\.",
        lambda g: f"Đã có {_noun(g['noun'])} với mã '{g['code']}'.",
    ),
    (
        r"Plan '(?P<plan>.*)' has a task (?P<number>\S+) already\.",
        "Kế hoạch '{plan}' đã có nhiệm vụ {number}.",
    ),
    (
        r"Plan '(?P<plan>.*)' has an indicator '(?P<code>.*)' already\.",
        "Kế hoạch '{plan}' đã có chỉ tiêu '{code}'.",
    ),
    (
        r"Plan '(?P<plan>.*)' still has (?P<tasks>\d+) task\(s\) and (?P<indicators>\d+) "
        r"indicator\(s\); delete them first\.",
        "Kế hoạch '{plan}' vẫn còn {tasks} nhiệm vụ và {indicators} chỉ tiêu; hãy xóa chúng trước.",
    ),
    (
        r"Task (?P<number>\S+) of plan '(?P<plan>.*)' has progress updates; delete them first\.",
        "Nhiệm vụ {number} của kế hoạch '{plan}' đã có cập nhật tiến độ; hãy xóa chúng trước.",
    ),
    (
        r"'(?P<agency>.*)' has an update for task (?P<number>\S+) and period (?P<period>\S+) "
        r"already \(id (?P<id>\d+)\); PATCH it instead\.",
        "'{agency}' đã có cập nhật cho nhiệm vụ {number} kỳ {period} (id {id}); hãy sửa nó "
        "bằng PATCH.",
    ),
    (
        r"'(?P<agency>.*)' has a budget line for task (?P<number>\S+) in (?P<year>\d+) already "
        r"\(id (?P<id>\d+)\); PATCH it instead\.",
        "'{agency}' đã có dòng kinh phí cho nhiệm vụ {number} năm {year} (id {id}); hãy sửa "
        "nó bằng PATCH.",
    ),
    (
        r"'(?P<agency>.*)' has a report for (?P<label>.*) already \(id (?P<id>\d+)\)\.",
        "'{agency}' đã có báo cáo cho {label} (id {id}).",
    ),
    (
        r"Agency '(?P<code>.*)' is still referenced by records, keys, tasks or other agencies; "
        r"set valid_to to retire it instead\.",
        "Cơ quan '{code}' vẫn được hồ sơ, khóa, nhiệm vụ hoặc cơ quan khác tham chiếu; hãy "
        "đặt valid_to để thôi dùng thay vì xóa.",
    ),
    (
        r"Agency group '(?P<code>.*)' is still used by tasks or indicators\.",
        "Nhóm cơ quan '{code}' vẫn được nhiệm vụ hoặc chỉ tiêu sử dụng.",
    ),
    (
        r"Channel (?P<id>\d+) is still referenced by media products or broadcasts; set "
        r"closed_on to retire it instead\.",
        "Kênh {id} vẫn được sản phẩm truyền thông hoặc buổi phát thanh tham chiếu; hãy đặt "
        "closed_on để thôi dùng thay vì xóa.",
    ),
    (
        r"Budget line (?P<id>\d+) has been approved; ask the coordinator to change its "
        r"estimate\.",
        "Dòng kinh phí {id} đã được phê duyệt; hãy đề nghị đơn vị điều phối sửa dự toán.",
    ),
    (
        r"Budget line (?P<id>\d+) has been approved; only the coordinator may delete it\.",
        "Dòng kinh phí {id} đã được phê duyệt; chỉ đơn vị điều phối mới được xóa.",
    ),
    (
        r"(?P<count>\d+) report\(s\) answer request (?P<id>\d+); it cannot be deleted\.",
        "Có {count} báo cáo trả lời yêu cầu {id}; không thể xóa yêu cầu này.",
    ),
    (
        r"(?P<count>\d+) agencies have filed for request (?P<id>\d+); its window can no longer "
        r"change\.",
        "Đã có {count} cơ quan nộp báo cáo cho yêu cầu {id}; không thể đổi thời hạn nữa.",
    ),
    (
        r"A key of '(?P<agency>.*)' may not write records of '(?P<other>.*)'\.",
        "Khóa của '{agency}' không được ghi hồ sơ của '{other}'.",
    ),
    (
        r"A key of '(?P<agency>.*)' may not link records to channel (?P<id>\d+) of "
        r"'(?P<other>.*)'\.",
        "Khóa của '{agency}' không được liên kết hồ sơ với kênh {id} của '{other}'.",
    ),
    (r"channel (?P<id>\d+) belongs to '(?P<code>.*)'", "kênh {id} thuộc về '{code}'"),
    (
        r"unknown (?P<noun>agency group|agency|group|plan|channel|media product) "
        r"(?P<ref>'.*'|\d+)",
        lambda g: f"không có {_noun(g['noun'])} {g['ref']}",
    ),
    (
        r"(?P<field>\w+) (?:cannot|may not) be null(?P<hint>.*)\.",
        lambda g: f"{g['field']} không được là null{_HINTS.get(g['hint'], g['hint'])}.",
    ),
    (r"(?P<field>\w+) may not be null", "{field} không được là null"),
    (
        r"(?P<first>\w+) must not (?:be )?(?P<word>before|after|exceed) (?P<second>\w+)"
        r"(?P<end>\.?)",
        lambda g: f"{g['first']} không được {_comparison(g['word'])} {g['second']}{g['end']}",
    ),
    (r"before (?P<field>\w+)", "trước {field}"),
    (r"(?P<field>\w+) must be in the future", "{field} phải là thời điểm trong tương lai"),
    (r"(?P<field>\w+) must contain letters", "{field} phải có chữ cái"),
    (
        r"needs (?P<rule>window_start <= window_end <= due_on)",
        "cần {rule}",
    ),
    (
        r"(?P<field>\w+) needs a UTC offset, e\.g\. (?P<example>\S+)",
        "{field} cần độ lệch so với UTC, ví dụ {example}",
    ),
    (r"period (?P<period>\S+) lies outside the plan", "kỳ {period} nằm ngoài kế hoạch"),
    (r"year (?P<year>\d+) lies outside the plan", "năm {year} nằm ngoài kế hoạch"),
    (
        r"as_of is before the period (?P<period>\S+) begins",
        "as_of ở trước ngày bắt đầu của kỳ {period}",
    ),
    (
        r"period (?P<period>'.*') is not one of (?P<forms>.+)",
        lambda g: f"kỳ {g['period']} không thuộc các dạng {_forms(g['forms'])}",
    ),
    (
        r"period year (?P<year>\S+) is outside (?P<range>\S+)",
        "năm của kỳ {year} nằm ngoài khoảng {range}",
    ),
    (r"item (?P<index>\d+) is not valid", "mục {index} không hợp lệ"),
    # app.core.concurrency
    (
        r"The resource changed \(its ETag is now (?P<etag>.*)\); fetch it again\.",
        "Tài nguyên đã thay đổi (ETag hiện là {etag}); hãy tải lại rồi thử lại.",
    ),
    # app.core.ratelimit and app.core.auth_failures
    (
        r"This key may make (?P<limit>\d+) requests per minute; retry in (?P<seconds>\d+) s\.",
        "Khóa này được gửi tối đa {limit} yêu cầu mỗi phút; hãy thử lại sau {seconds} giây.",
    ),
    (
        r"Too many failed authentications; retry in (?P<seconds>\d+) s\.",
        "Xác thực thất bại quá nhiều lần; hãy thử lại sau {seconds} giây.",
    ),
    # app.core.middleware
    (r"The body is larger than (?P<limit>\d+) bytes\.", "Nội dung lớn hơn {limit} byte."),
    # app.core.errors: bodies that are not JSON, or not JSON at all
    (
        r"The body is not valid JSON: (?P<why>.+) at line (?P<line>\d+), column (?P<column>\d+)\.",
        lambda g: (
            f"Nội dung không phải JSON hợp lệ: {_json_reason(g['why'])} tại dòng {g['line']}, "
            f"cột {g['column']}."
        ),
    ),
    (
        r"(?P<why>.+) at line (?P<line>\d+), column (?P<column>\d+)",
        lambda g: f"{_json_reason(g['why'])} tại dòng {g['line']}, cột {g['column']}",
    ),
    (
        r"The body is not valid UTF-8 \(byte (?P<byte>0x[0-9a-f]+) at position (?P<at>\d+)\); "
        r"send JSON encoded in UTF-8\.",
        "Nội dung không phải UTF-8 hợp lệ (byte {byte} ở vị trí {at}); hãy gửi JSON mã hóa UTF-8.",
    ),
    (
        r"This operation takes a JSON body: send it with `Content-Type: application/json` "
        r"\(the request said `(?P<given>.*)`\)\.",
        "Thao tác này nhận nội dung JSON: hãy gửi kèm `Content-Type: application/json` "
        "(yêu cầu đã ghi `{given}`).",
    ),
    (
        r"This operation takes a JSON body: send it with `Content-Type: application/json` "
        r"\(the request had no Content-Type\)\.",
        "Thao tác này nhận nội dung JSON: hãy gửi kèm `Content-Type: application/json` "
        "(yêu cầu không có Content-Type).",
    ),
]

PATTERNS: list[tuple[re.Pattern[str], _Template]] = [
    (re.compile(source, re.DOTALL), template) for source, template in _PATTERN_SOURCES
]


def translate(text: str) -> str | None:
    """The Vietnamese of a message the service writes itself; None when unknown."""
    exact = EXACT.get(text)
    if exact is not None:
        return exact
    for pattern, template in PATTERNS:
        match = pattern.fullmatch(text)
        if match is not None:
            groups = {k: v or "" for k, v in match.groupdict().items()}
            return template(groups) if callable(template) else template.format(**groups)
    return None


def _value_error(ctx: dict[str, Any]) -> str:
    error = str(ctx.get("error", ""))
    return f"Giá trị không hợp lệ: {translate(error) or error}"


# pydantic's messages by error type, with its context (``ctx``).
PYDANTIC: dict[str, str | Callable[[dict[str, Any]], str]] = {
    "missing": "Thiếu trường bắt buộc",
    "extra_forbidden": "Không có trường này (trường lạ không được chấp nhận)",
    "string_too_short": "Cần ít nhất {min_length} ký tự",
    "string_too_long": "Tối đa {max_length} ký tự",
    "too_short": "Cần ít nhất {min_length} phần tử",
    "too_long": "Tối đa {max_length} phần tử",
    "greater_than": "Phải lớn hơn {gt}",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}",
    "less_than": "Phải nhỏ hơn {lt}",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}",
    "multiple_of": "Phải là bội số của {multiple_of}",
    "finite_number": "Phải là số hữu hạn",
    "literal_error": lambda ctx: f"Phải là một trong các giá trị {_or(ctx.get('expected'))}",
    "enum": lambda ctx: f"Phải là một trong các giá trị {_or(ctx.get('expected'))}",
    "int_parsing": "Phải là số nguyên hợp lệ",
    "int_type": "Phải là số nguyên",
    "int_from_float": "Phải là số nguyên, không có phần lẻ",
    "int_parsing_size": "Số nguyên vượt quá giới hạn",
    "float_parsing": "Phải là số hợp lệ",
    "float_type": "Phải là một số",
    "decimal_parsing": "Phải là số thập phân hợp lệ",
    "decimal_type": "Phải là số thập phân",
    "decimal_max_digits": "Tối đa {max_digits} chữ số",
    "decimal_max_places": "Tối đa {decimal_places} chữ số thập phân",
    "bool_parsing": "Phải là giá trị logic hợp lệ (true hoặc false)",
    "bool_type": "Phải là giá trị logic (true hoặc false)",
    "string_type": "Phải là chuỗi ký tự",
    "string_unicode": "Phải là chuỗi Unicode hợp lệ",
    "string_pattern_mismatch": "Không khớp mẫu '{pattern}'",
    "json_invalid": lambda ctx: f"JSON không hợp lệ: {_json_reason(str(ctx.get('error', '')))}",
    "json_type": "Phải là chuỗi JSON",
    "url_parsing": "Phải là URL hợp lệ",
    "url_type": "Phải là URL",
    "url_scheme": "Lược đồ URL phải là {expected_schemes}",
    "url_too_long": "URL dài tối đa {max_length} ký tự",
    "value_error": _value_error,
    "assertion_error": lambda ctx: f"Kiểm tra không đạt: {ctx.get('error', '')}",
    "dict_type": "Phải là một đối tượng JSON",
    "model_type": "Phải là một đối tượng JSON",
    "model_attributes_type": "Phải là một đối tượng JSON",
    "list_type": "Phải là một mảng JSON",
    "tuple_type": "Phải là một mảng JSON",
    "set_type": "Phải là một mảng JSON",
    "uuid_parsing": "Phải là UUID hợp lệ",
    "uuid_type": "Phải là UUID",
    "none_required": "Phải là null",
    "date_future": "Phải là một ngày trong tương lai",
    "date_past": "Phải là một ngày trong quá khứ",
    "datetime_future": "Phải là một thời điểm trong tương lai",
    "datetime_past": "Phải là một thời điểm trong quá khứ",
    "frozen_field": "Trường này không được thay đổi",
    "union_tag_invalid": "Giá trị '{tag}' của {discriminator} không hợp lệ; cần một trong "
    "{expected_tags}",
    "union_tag_not_found": "Thiếu trường phân loại {discriminator}",
    "null": "không được là null",
    "string_blank": "không được để trống",
}


def pydantic_message(error_type: str, ctx: dict[str, Any] | None) -> str | None:
    """The Vietnamese of pydantic's message for ``error_type``; None when not known."""
    template = PYDANTIC.get(error_type)
    if template is None:
        return None
    context = ctx or {}
    if callable(template):
        return template(context)
    try:
        return template.format(**context)
    except (KeyError, IndexError, ValueError):
        return None
