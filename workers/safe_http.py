"""Dialling http(s) URLs only at addresses outside the desk's own network (webhooks, feeds).

The host is resolved when each request is sent (not when the URL was saved), every
address it resolves to must be public unless ``LINGUADESK_WEBHOOK_ALLOW`` names it, and the
connection goes to the address that was checked, so a DNS answer that changes between the
check and the connect cannot redirect it. Redirects are never followed.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Sequence
from urllib.parse import urlsplit

from workflow.services.webhooks import Refused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _allowed_by_list(ip: IPAddress, host: str, allow: Sequence[str]) -> bool:
    for entry in allow:
        if entry.lower() == host.lower():
            return True
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def address_allowed(ip: IPAddress, host: str, allow: Sequence[str] = ()) -> bool:
    """True for a public unicast address, or one the allow-list names (by host or network)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_global and not ip.is_multicast:
        return True
    return _allowed_by_list(ip, host, allow)


def refused_host(url: str, allow: Sequence[str] = ()) -> str | None:
    """The host of a URL refused for naming an internal address or ``localhost``, else None
    (the page that asked says why, in its reader's words)."""
    host = urlsplit(url.strip()).hostname or ""
    if host.lower() in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        ip: IPAddress | None = ipaddress.ip_address("127.0.0.1")
    else:
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            ip = None  # a name: checked when a delivery is sent, against what it resolves to
    if ip is not None and not address_allowed(ip, host, allow):
        return host
    return None


def resolve(host: str, port: int, allow: Sequence[str]) -> str:
    """The address to connect to; ``Refused`` unless every address of ``host`` is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise Refused("the host name does not resolve") from exc
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses or not all(address_allowed(ip, host, allow) for ip in addresses):
        raise Refused("the host resolves to a loopback, private, link-local or reserved "
                      "address, which webhooks may not reach")
    return str(addresses[0])


class PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address we dialled.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def connect(url: str, timeout: float,
            allow: Sequence[str]) -> tuple[http.client.HTTPConnection, str]:
    """A connection pinned to the checked address of ``url``'s host, and the request path.

    ``Refused`` when the URL is not http(s) or its host resolves to an address not allowed.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("the URL is not an http(s) URL")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(parts.hostname, port, allow)
    kind = PinnedHTTPS if parts.scheme == "https" else PinnedHTTP
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return kind(parts.hostname, port, address, timeout), path
