"""Fetching the photo an Open311 client names by ``media_url``, without letting a client make
the platform reach where it should not.

A client names any address it likes, so the fetch is guarded as for any server-side request
on someone else's behalf: http or https only; the host's addresses are resolved here and each
must be on the public internet (or in a network the operator allows,
``EGOV_FEEDBACK_MEDIA_FETCH_NETWORKS``: a city's own app servers); the connection goes to the
address that was checked (a second DNS answer cannot swap in an internal one), with the host's
name for TLS and the Host header; redirects are followed by hand, each checked again; the body
is read up to the largest accepted file within a time limit.
"""

import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from django.utils.translation import gettext as _

MAX_REDIRECTS = 3
CHUNK = 64 * 1024


class FetchFailed(Exception):
    """The file could not be had; ``permanent`` when trying again cannot help."""

    def __init__(self, reason: str, *, permanent: bool):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def _allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.is_global and not ip.is_multicast:
        return True
    networks = settings.EGOV_FEEDBACK_MEDIA_FETCH_NETWORKS
    return any(ip in ipaddress.ip_network(network, strict=False) for network in networks)


def _address(host: str, port: int) -> str:
    """The address to connect to, once every address of the host is allowed."""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:  # no resolving: an address given as such is judged as it is
        if not _allowed(host):
            raise FetchFailed(_private_network(), permanent=True)
        return host
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed(
            _("The server %(host)s could not be found.") % {"host": host}, permanent=False
        ) from exc
    addresses = [str(entry[4][0]) for entry in found]
    if not addresses or not all(_allowed(address) for address in addresses):
        raise FetchFailed(_private_network(), permanent=True)
    return addresses[0]


def _private_network() -> str:
    return _("The address points into a private network; only public addresses are fetched.")


def _pool(scheme: str, host: str, address: str, port: int):
    timeout = urllib3.Timeout(
        connect=settings.EGOV_FEEDBACK_MEDIA_FETCH_TIMEOUT,
        read=settings.EGOV_FEEDBACK_MEDIA_FETCH_TIMEOUT,
    )
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            server_hostname=host,
            assert_hostname=host,
        )
    return urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)


def fetch(url: str, *, max_bytes: int) -> bytes:
    """The body at ``url``; raises FetchFailed saying why not."""
    deadline = time.monotonic() + settings.EGOV_FEEDBACK_MEDIA_FETCH_TIMEOUT * 3
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise FetchFailed(_("Only http and https addresses are fetched."), permanent=True)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise FetchFailed(_("The address has an invalid port."), permanent=True) from exc
        host = parts.hostname
        address = _address(host, port)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        with _pool(parts.scheme, host, address, port) as pool:
            found = _get(pool, url, target, parts.netloc, max_bytes, deadline)
        if isinstance(found, bytes):
            return found
        url = found  # redirected: the next address is checked like the first
    raise FetchFailed(_("The address redirects too many times."), permanent=True)


def _get(pool, url: str, target: str, netloc: str, max_bytes: int, deadline: float):
    """The body, or the address a redirect points to."""
    try:
        response = pool.urlopen(
            "GET",
            target,
            headers={
                "Host": netloc.rsplit("@", 1)[-1],  # never the credentials of a user:pass@ URL
                "User-Agent": "egov-feedback/1 (Open311 media_url)",
                "Accept": "image/*, video/*",
            },
            redirect=False,
            retries=False,
            preload_content=False,
        )
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise FetchFailed(
            _("The server could not be reached: %(error)s") % {"error": type(exc).__name__},
            permanent=False,
        ) from exc
    try:
        if response.status in {301, 302, 303, 307, 308} and response.headers.get("Location"):
            return urljoin(url, response.headers["Location"])
        if response.status != 200:
            raise FetchFailed(
                _("The server answered HTTP %(status)s.") % {"status": response.status},
                permanent=response.status not in {408, 425, 429} and response.status < 500,
            )
        return _body(response, max_bytes, deadline)
    finally:
        response.release_conn()


def _body(response, max_bytes: int, deadline: float) -> bytes:
    too_large = FetchFailed(
        _("The file is larger than %(limit)s MB.") % {"limit": round(max_bytes / 1_048_576, 1)},
        permanent=True,
    )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    body = bytearray()
    try:
        for chunk in response.stream(CHUNK):
            body += chunk
            if len(body) > max_bytes:
                raise too_large
            if time.monotonic() > deadline:  # a server that trickles bytes
                raise FetchFailed(_("The server sent the file too slowly."), permanent=False)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise FetchFailed(
            _("The download broke off: %(error)s") % {"error": type(exc).__name__},
            permanent=False,
        ) from exc
    return bytes(body)
