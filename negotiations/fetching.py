"""Fetching a web page for import, safely: the server asks for an address an editor typed, so it
must not become a way into the networks behind it, nor be held up or filled by the answer.

Only http and https; every address the host name resolves to is checked (private, loopback,
link-local, reserved, multicast and unspecified addresses are refused unless
``IMPORT_ALLOW_PRIVATE_ADDRESSES``), and the connection goes to the very address checked, so a
second DNS answer cannot switch it (DNS rebinding). Redirects are followed here, each hop checked
the same way. Each read waits at most ``IMPORT_TIMEOUT`` seconds and the whole fetch at most
twice that; reading stops past ``IMPORT_MAX_BYTES``. Every refusal is a ``FetchError`` whose
message an editor can act on.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
USER_AGENT = "negotiations-knowledge-base/1 (an editor's import of one page)"


class FetchError(Exception):
    """A page that cannot be imported, with the reason in an editor's words."""


@dataclass
class Page:
    """A fetched answer: what was asked, where it ended, and the bytes as they came."""

    requested_url: str
    final_url: str
    status: int
    content_type: str
    content: bytes
    retrieved_at: object  # an aware datetime


def timeout():
    return float(getattr(settings, "IMPORT_TIMEOUT", 10))


def max_bytes():
    return int(getattr(settings, "IMPORT_MAX_BYTES", 5_000_000))


def max_redirects():
    return int(getattr(settings, "IMPORT_MAX_REDIRECTS", 5))


def private_addresses_allowed():
    return bool(getattr(settings, "IMPORT_ALLOW_PRIVATE_ADDRESSES", False))


def check_scheme(url):
    """The address split in parts, if it is an http or https address with a host."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(
            _("Only http and https addresses can be imported, not “%(scheme)s:”.")
            % {"scheme": parts.scheme or _("no scheme")}
        )
    if not parts.hostname:
        raise FetchError(_("The address names no host: give a full address, https://…"))
    return parts


def refused_address(ip):
    """Why the server must not connect to ``ip``, or None."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return _("a loopback address")
    if ip.is_link_local:
        return _("a link-local address")
    if ip.is_multicast:
        return _("a multicast address")
    if ip.is_unspecified or ip.is_reserved:
        return _("a reserved address")
    if ip.is_private or not ip.is_global:
        return _("a private network address")
    return None


def resolve(host, port):
    """Every address ``host`` resolves to (a module-level function, so tests can point a made-up
    name at the local test server)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def checked_address(host, port):
    """The address to connect to for ``host``: every one it resolves to must be allowed."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        addresses = [str(literal)]
    except ValueError:
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError):
            raise FetchError(_("The host %(host)s was not found.") % {"host": host}) from None
    if not addresses:
        raise FetchError(_("The host %(host)s was not found.") % {"host": host})
    if not private_addresses_allowed():
        for address in addresses:
            reason = refused_address(ipaddress.ip_address(address.split("%")[0]))
            if reason:
                raise FetchError(
                    _(
                        "The address %(host)s leads to %(reason)s (%(ip)s): pages there are "
                        "not fetched by the server. Save the page in your browser and upload it."
                    )
                    % {"host": host, "reason": reason, "ip": address}
                )
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address already checked, whatever the name resolves to now."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        # The certificate is checked against the name asked for, as a browser would.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch(url):
    """Fetch ``url`` (following redirects), or raise ``FetchError``. Only an HTML answer with
    a 2xx status is returned."""
    requested = url.strip()
    deadline = time.monotonic() + 2 * timeout()
    current = requested
    for _hop in range(max_redirects() + 1):
        status, headers, content = _get(current, deadline)
        if status in REDIRECTS:
            location = headers.get("Location")
            if not location:
                raise FetchError(_("The page redirects without saying where to."))
            current = urljoin(current, location.strip())
            continue
        if status >= 400:
            raise FetchError(
                _("The server answered %(status)d %(reason)s for %(url)s: nothing was imported.")
                % {
                    "status": status,
                    "reason": http.client.responses.get(status, ""),
                    "url": current,
                }
            )
        if not 200 <= status < 300:
            raise FetchError(_("The server answered %(status)d, not a page.") % {"status": status})
        content_type = headers.get("Content-Type", "")
        media_type = content_type.split(";")[0].strip().lower()
        if media_type not in HTML_TYPES:
            raise FetchError(
                _(
                    "The address gives %(type)s, not a web page (HTML): only web pages can be "
                    "imported. For a PDF, paste its text into a new source instead."
                )
                % {"type": media_type or _("content of no stated type")}
            )
        return Page(
            requested_url=requested,
            final_url=current,
            status=status,
            content_type=content_type[:200],
            content=content,
            retrieved_at=timezone.now(),
        )
    raise FetchError(
        _("The page redirects more than %(n)d times: nothing was imported.")
        % {"n": max_redirects()}
    )


def _get(url, deadline):
    """One GET: (status, headers, body). The body is read only for a 2xx answer."""
    parts = check_scheme(url)
    https = parts.scheme.lower() == "https"
    port = parts.port or (443 if https else 80)
    address = checked_address(parts.hostname, port)
    connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address, timeout=timeout())
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(
            "GET",
            path,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
                "Accept-Encoding": "identity",
            },
        )
        response = connection.getresponse()
        headers = response.headers
        body = b""
        if 200 <= response.status < 300:
            body = _read_limited(response, deadline)
        return response.status, headers, body
    except TimeoutError:
        raise FetchError(
            _("The server did not answer within %(seconds)s seconds: nothing was imported.")
            % {"seconds": f"{timeout():g}"}
        ) from None
    except ssl.SSLError as error:
        raise FetchError(
            _("The secure connection failed (%(error)s): nothing was imported.")
            % {"error": error.reason or error}
        ) from None
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(
            _("The page could not be fetched (%(error)s): nothing was imported.")
            % {"error": error.__class__.__name__ if not str(error) else error}
        ) from None
    finally:
        connection.close()


def _read_limited(response, deadline):
    limit = max_bytes()
    too_big = FetchError(
        _("The page is larger than %(limit)s: nothing was imported. Save it and upload the file.")
        % {"limit": f"{limit:,} bytes"}
    )
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_big
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)
