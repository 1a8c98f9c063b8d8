"""Guarded URL fetching with the standard library (http.client + ssl).

Guards against server-side request forgery: only http/https; every address the host resolves to
must be public (no loopback, private, link-local, multicast, reserved, unspecified, shared/CGNAT
or cloud metadata addresses) unless the host or address is in `policy.allow_hosts`; the
connection goes to the address that was checked (no second DNS lookup an attacker could answer
differently) while the Host header, SNI and certificate check use the name; redirects are
followed by hand and every hop is checked again. Bodies are streamed and cut off at
`policy.max_bytes`; connect and read timeouts apply per operation and `policy.deadline` to the
whole fetch. Environment proxies are not used.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from .items import MB

HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
FEED_CONTENT_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/feed+json",
        "text/html",
        "text/plain",
    }
)
_METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    }
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


class FetchError(Exception):
    """The URL could not be fetched; the message is meant for a person."""


@dataclass(frozen=True)
class FetchPolicy:
    allow_hosts: frozenset[str] = frozenset()  # names/IPs exempt from the address block: tests only
    timeout: float = 10.0  # seconds, per connect and per read
    deadline: float = 30.0  # seconds for the whole fetch, redirects included
    max_bytes: int = 5 * MB
    max_redirects: int = 5
    user_agent: str = "FactcheckBot/0.1 (+article import for a fact-checking desk)"
    content_types: frozenset[str] = field(default=HTML_CONTENT_TYPES)


DEFAULT_POLICY = FetchPolicy()
FEED_POLICY = FetchPolicy(content_types=FEED_CONTENT_TYPES)


@dataclass
class FetchedPage:
    url: str
    final_url: str
    status: int
    content_type: str  # media type only, lower case ("text/html")
    body: bytes
    charset: str = ""  # from the Content-Type header, if given


def fetch_url(url: str, *, policy: FetchPolicy = DEFAULT_POLICY) -> FetchedPage:
    """GET url under the policy; raises FetchError with a plain message on any refusal or failure."""
    deadline = time.monotonic() + policy.deadline
    current = url.strip()
    for _hop in range(policy.max_redirects + 1):
        scheme, host, port, target = _check_url(current)
        addresses = _resolve(host, port, policy)
        response, connection = _request(scheme, host, port, target, addresses, policy, deadline)
        try:
            if response.status in _REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"{current} redirects without saying where to.")
                current = urljoin(current, location.strip())
                continue
            if not 200 <= response.status < 300:
                raise FetchError(f"The server answered {response.status} {response.reason} for {current}.")
            media_type, charset = _content_type(response.getheader("Content-Type", ""))
            if media_type and media_type not in policy.content_types:
                raise FetchError(
                    f"{current} is not a web page (it is {media_type}). Only HTML and text pages can be imported."
                )
            body = _read_body(response, connection.live_sock, policy, deadline, current)
            return FetchedPage(
                url=url, final_url=current, status=response.status, content_type=media_type, body=body, charset=charset
            )
        finally:
            response.close()
            connection.close()
    raise FetchError(f"{url} redirects more than {policy.max_redirects} times; giving up.")


def check_destination(url: str, *, policy: FetchPolicy = DEFAULT_POLICY) -> list[str]:
    """The addresses `url`'s host resolves to, if every one may be reached under the policy; raises FetchError
    (a sentence for people) otherwise. The same checks as fetch_url, for callers that send rather than fetch."""
    _scheme, host, port, _target = _check_url(url.strip())
    return _resolve(host, port, policy)


@dataclass
class PostResponse:
    status: int
    reason: str
    body: bytes  # at most `max_body` bytes of what the server answered


def post_url(
    url: str, body: bytes, *, headers: dict[str, str], policy: FetchPolicy = DEFAULT_POLICY, max_body: int = 1024
) -> PostResponse:
    """POST `body` to `url` under the same address checks as fetch_url, connecting to the address it checked.
    Redirects are not followed (a 3xx is returned as it came); raises FetchError when the request fails."""
    deadline = time.monotonic() + policy.deadline
    scheme, host, port, target = _check_url(url.strip())
    addresses = _resolve(host, port, policy)
    send = {"User-Agent": policy.user_agent, "Connection": "close", **headers}
    response, connection = _request(scheme, host, port, target, addresses, policy, deadline, "POST", body, send)
    try:
        return PostResponse(status=response.status, reason=response.reason, body=response.read(max_body))
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"The connection to {url} broke off ({exc}).") from exc
    finally:
        response.close()
        connection.close()


def _check_url(url: str) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"“{url}” is not a valid web address ({exc}).") from exc
    scheme = parts.scheme.casefold()
    if scheme not in ("http", "https"):
        shown = f"{scheme}: addresses" if scheme else "addresses without http:// or https://"
        raise FetchError(f"Refused: {shown} can't be imported; use an http:// or https:// link.")
    if parts.username is not None or parts.password is not None:
        raise FetchError("Refused: links with a user name or password in them can't be imported.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchError(f"“{url}” has no host name.")
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return scheme, host, port or (443 if scheme == "https" else 80), target


def blocked_reason(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """Why an address may not be fetched from, or "" when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address in _METADATA_ADDRESSES:
        return "a cloud metadata address"
    checks = (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
    )
    for attribute, reason in checks:
        if getattr(address, attribute):
            return reason
    if not address.is_global:  # e.g. 100.64.0.0/10 shared address space
        return "a non-public address"
    return ""


def _resolve(host: str, port: int, policy: FetchPolicy) -> list[str]:
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        found = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(f"The host {host} could not be found ({exc}). Check the link.") from exc
        found = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos))
    if host.casefold() not in policy.allow_hosts:
        for address in found:
            if str(address) in policy.allow_hosts:
                continue
            reason = blocked_reason(address)
            if reason:
                if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
                    address = address.ipv4_mapped
                resolves = "is" if literal is not None else "resolves to"
                raise FetchError(f"Refused: {host} {resolves} {reason} ({address}).")
    return [str(address) for address in found]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address we already checked; self.host stays the name for the Host header."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address
        # Kept because http.client drops self.sock once the response owns the connection, and
        # the body reader shortens the timeout as the deadline nears.
        self.live_sock: socket.socket | None = None

    def connect(self) -> None:
        self.sock = self.live_sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(host, port, address, timeout)
        self._context = context

    def connect(self) -> None:
        super().connect()
        self.sock = self.live_sock = self._context.wrap_socket(self.sock, server_hostname=self.host)


def _tls_context() -> ssl.SSLContext:
    try:
        import certifi  # optional: slim images may lack a system CA store

        return ssl.create_default_context(cafile=certifi.where())
    except ImportError:
        return ssl.create_default_context()


def _remaining(deadline: float, url: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"Fetching {url} took too long; the server is too slow. Try again later.")
    return left


def _request(
    scheme: str,
    host: str,
    port: int,
    target: str,
    addresses: list[str],
    policy: FetchPolicy,
    deadline: float,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[http.client.HTTPResponse, _PinnedHTTPConnection]:
    url = f"{scheme}://{host}{target}"
    last_error: Exception | None = None
    for address in addresses:
        timeout = min(policy.timeout, _remaining(deadline, url))
        if scheme == "https":
            connection: _PinnedHTTPConnection = _PinnedHTTPSConnection(host, port, address, timeout, _tls_context())
        else:
            connection = _PinnedHTTPConnection(host, port, address, timeout)
        try:
            connection.request(
                method,
                target,
                body=body,
                headers=headers
                or {
                    "User-Agent": policy.user_agent,
                    "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
                    "Accept-Encoding": "gzip, deflate",
                    "Connection": "close",
                },
            )
            return connection.getresponse(), connection
        except TimeoutError as exc:
            connection.close()
            raise FetchError(f"{url} did not answer within {timeout:g} seconds. Try again later.") from exc
        except ssl.SSLError as exc:
            connection.close()
            raise FetchError(f"The secure connection to {host} failed ({exc.reason or exc}).") from exc
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            last_error = exc
    raise FetchError(f"Could not connect to {host} ({last_error}).")


def _content_type(header: str) -> tuple[str, str]:
    media_type, _, params = header.partition(";")
    charset = ""
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().casefold() == "charset":
            charset = value.strip().strip('"').casefold()
    return media_type.strip().casefold(), charset


def _read_body(
    response: http.client.HTTPResponse, sock: socket.socket | None, policy: FetchPolicy, deadline: float, url: str
) -> bytes:
    too_big = FetchError(
        f"{url} is larger than {policy.max_bytes // MB} MB, too large to be an article page; it was not imported."
    )
    length = response.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > policy.max_bytes:
        raise too_big
    encoding = (response.getheader("Content-Encoding") or "identity").strip().casefold()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise FetchError(f"{url} was sent in an encoding we can't read ({encoding}).")
    # wbits 47 accepts gzip and zlib headers; deflate servers vary.
    decompressor = zlib.decompressobj(47) if encoding != "identity" else None
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            if sock is not None:
                sock.settimeout(min(policy.timeout, _remaining(deadline, url)))
            chunk = response.read1(_CHUNK)  # read() would block until the whole chunk arrived
            if not chunk:
                break
            if decompressor is not None:
                # max_length keeps a gzip bomb from inflating past the limit in memory.
                chunk = decompressor.decompress(chunk, policy.max_bytes + 1 - size)
            size += len(chunk)
            if size > policy.max_bytes:
                raise too_big
            chunks.append(chunk)
            _remaining(deadline, url)
    except TimeoutError as exc:
        raise FetchError(f"{url} stopped sending data; the server is too slow. Try again later.") from exc
    except zlib.error as exc:
        raise FetchError(f"{url} sent a damaged compressed page ({exc}).") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"The connection to {url} broke off ({exc}).") from exc
    return b"".join(chunks)
