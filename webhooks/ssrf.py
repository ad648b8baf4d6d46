"""Refuse webhook targets inside our own network unless an admin allowed it."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class AddressNotAllowed(Exception):
    pass


def resolve_public(url: str, *, allow_private: bool) -> list[str]:
    """The addresses `url`'s host resolves to; raises if any is private and not allowed.

    Every resolved address is checked (a name with one public and one private record
    must not slip through), and the caller connects to these addresses only.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressNotAllowed("Only http(s) URLs with a host name are allowed.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise AddressNotAllowed(f"Cannot resolve {parts.hostname}: {exc}") from None
    addresses = sorted({str(info[4][0]) for info in infos})
    if not allow_private:
        for address in addresses:
            ip = ipaddress.ip_address(address)
            if (
                ip.is_private
                or ip.is_loopback
                or ip.is_link_local
                or ip.is_multicast
                or ip.is_reserved
                or ip.is_unspecified
            ):
                raise AddressNotAllowed(
                    f"{parts.hostname} resolves to {address}, a non-public address."
                )
    return addresses
