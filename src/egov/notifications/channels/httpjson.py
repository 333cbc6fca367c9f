"""JSON over HTTPS for the SMS and Zalo providers, with errors sorted into retry or not."""

import json
import urllib.error
import urllib.parse
import urllib.request

from egov.notifications.channels import ChannelUnavailable, PermanentError, TemporaryError


def post_json(url: str, payload: dict, *, headers: dict | None = None, timeout: float) -> dict:
    data = json.dumps(payload, ensure_ascii=False).encode()
    return _post(url, data, "application/json", headers, timeout)


def post_form(url: str, fields: dict, *, headers: dict | None = None, timeout: float) -> dict:
    data = urllib.parse.urlencode(fields).encode()
    return _post(url, data, "application/x-www-form-urlencoded", headers, timeout)


def _post(url: str, data: bytes, content_type: str, headers: dict | None, timeout: float) -> dict:
    request = urllib.request.Request(  # noqa: S310 - the URL comes from settings, https in production
        url,
        data=data,
        headers={"Content-Type": content_type, "Accept": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as exc:
        status = exc.code
        if status == 429 or status >= 500:
            raise TemporaryError(f"HTTP {status} from the provider", str(status)) from exc
        raise PermanentError(f"HTTP {status} from the provider", str(status)) from exc
    except TimeoutError as exc:
        # The request may have arrived: the next attempt carries the same request id.
        raise TemporaryError("the provider did not answer in time", "timeout") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise TemporaryError("the provider did not answer in time", "timeout") from exc
        raise ChannelUnavailable(f"cannot reach the provider: {exc.reason}") from exc
    except OSError as exc:
        raise TemporaryError(f"connection to the provider broke: {exc}") from exc
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise TemporaryError("the provider's answer is not JSON") from exc
    if not isinstance(body, dict):
        raise TemporaryError("the provider's answer is not a JSON object")
    return body
