"""Error pages and JSON errors, always with a Vietnamese (and English) message."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from motcua.errors import UserError
from motcua.i18n import T, Text

log = logging.getLogger(__name__)

HTTP_TEXTS: dict[int, Text] = {
    400: T("Yêu cầu không hợp lệ", "Bad request"),
    401: T("Cần đăng nhập", "Sign-in required"),
    403: T("Bạn không có quyền làm việc này", "You may not do this"),
    404: T("Không tìm thấy trang hoặc dữ liệu", "Page or data not found"),
    405: T("Phương thức không được phép", "Method not allowed"),
    409: T("Dữ liệu đã bị người khác thay đổi; tải lại và thử lại", "Someone else changed this first; reload and retry"),
    413: T("Tệp hoặc dữ liệu gửi lên quá lớn", "The upload is too large"),
    422: T("Dữ liệu chưa hợp lệ", "The data is not valid"),
    429: T("Quá nhiều yêu cầu; vui lòng chờ một lát rồi thử lại", "Too many requests; please wait a moment and retry"),
    500: T("Lỗi hệ thống; đã ghi nhận để xử lý", "Server error; it has been logged"),
}
CSRF_TEXT = T(
    "Thiếu hoặc sai mã bảo vệ biểu mẫu (CSRF); tải lại trang rồi gửi lại",
    "The form's protection code (CSRF) is missing or wrong; reload the page and submit again",
)


def wants_json() -> bool:
    """Return True when the answer should be JSON (API paths and JSON clients)."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(text: Text, status: int, **details: object) -> ResponseReturnValue:
    """Return the error as JSON for API clients or as an HTML page for people."""
    if wants_json():
        return jsonify(error={"message": text.as_dict(), "status": status, **details}), status
    return render_template("error.html", message=text, status=status, details=details), status


def init_errors(app: Flask) -> None:
    """Register the handlers on ``app``."""

    @app.errorhandler(UserError)
    def _user_error(exc: UserError) -> ResponseReturnValue:
        if wants_json():
            body = exc.as_dict()
            body["error"]["status"] = exc.status
            return jsonify(body), exc.status
        return render_template("error.html", message=exc.text, status=exc.status, details=exc.details), exc.status

    @app.errorhandler(CSRFError)
    def _csrf(_exc: CSRFError) -> ResponseReturnValue:
        return error_response(CSRF_TEXT, 400, reason="csrf")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> ResponseReturnValue:
        status = exc.code or 500
        return error_response(HTTP_TEXTS.get(status, HTTP_TEXTS[400]), status)

    @app.errorhandler(Exception)
    def _crash(exc: Exception) -> ResponseReturnValue:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(HTTP_TEXTS[500], 500)
