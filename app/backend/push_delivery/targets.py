"""Where the hub may post a push: https, port 443, a public address. The address is
checked on the connection itself: the name is resolved once, every address it gives
must be public, and the connection goes to the checked address (TLS still checks the
certificate for the name), so a name that answers differently a moment later cannot
reach inside the network."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, Mapping

import httpcore
import httpx

PORT = 443
MAX_ADDRESSES = 2  # addresses of one name tried in turn, each with the connect timeout
# IPv6 prefixes whose addresses carry the IPv4 address that is reached in the end.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# The addresses a host name resolves to.
Resolver = Callable[[str, int], Awaitable[list[str]]]
StandIns = Mapping[str, tuple[str, int]]
SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


class RefusedConnection(httpcore.ConnectError):
    """The endpoint is not a public address on port 443: no connection was made."""


class RefusedTarget(httpx.ConnectError):
    """The endpoint as written is not https on port 443: nothing was sent."""


def refused(error: BaseException) -> bool:
    """Whether a send failed because the hub refused the target (not the network)."""
    return isinstance(error, RefusedTarget) or isinstance(error.__cause__, RefusedConnection)


async def resolve(host: str, port: int) -> list[str]:
    found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in found]


def public_address(text: str) -> bool:
    """A unicast address on the public internet: not loopback, private, link-local,
    shared (100.64/10), multicast, reserved or unspecified, and an IPv6 address that
    carries an IPv4 one (mapped, 6to4, NAT64) only if that one is public."""
    try:
        address = ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        carried = address.ipv4_mapped or address.sixtofour
        if carried is None and address in NAT64:
            carried = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if carried is not None:
            return public_address(str(carried))
        if address.is_site_local:
            return False
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_link_local
        or address.is_loopback
        or address.is_private
        or address.is_unspecified
    )


def parse_stand_ins(entries: Iterable[str]) -> dict[str, tuple[str, int]]:
    """`name=host:port` entries (tests and development only): pushes to `name` go to
    `host:port`, which may be inside the network."""
    found: dict[str, tuple[str, int]] = {}
    for entry in entries:
        name, _, target = entry.strip().partition("=")
        host, _, port = target.rpartition(":")
        if not (name and host and port.isdigit()):
            raise ValueError(f"a push stand-in is name=host:port, not {entry!r}")
        found[name.strip().lower()] = (host.strip("[]"), int(port))
    return found


class CheckedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to public addresses on port 443
    (or to a configured stand-in)."""

    def __init__(
        self,
        *,
        resolver: Resolver = resolve,
        stand_ins: StandIns | None = None,
        network: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.resolver = resolver
        self.stand_ins = dict(stand_ins or {})
        self.network = network or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's signature)
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stand_in = self.stand_ins.get(host.lower())
        if stand_in is not None and port == PORT:
            return await self.network.connect_tcp(*stand_in, timeout, local_address, socket_options)
        if port != PORT:
            raise RefusedConnection(f"port {port} is not {PORT}")
        try:
            addresses = await asyncio.wait_for(self.resolver(host, port), timeout)
        except (OSError, TimeoutError) as error:
            raise httpcore.ConnectError(f"{host} was not found: {error}") from error
        inside = [a for a in addresses if not public_address(a)]
        if inside or not addresses:
            raise RefusedConnection(f"{host} resolves to {inside or 'nothing'}, not public")
        failure: Exception = httpcore.ConnectError(f"{host} could not be reached")
        for address in addresses[:MAX_ADDRESSES]:
            try:
                return await self.network.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        raise failure

    async def sleep(self, seconds: float) -> None:
        await self.network.sleep(seconds)


class PushTransport(httpx.AsyncHTTPTransport):
    """Sends only to https on port 443 as written; directly through `backend`, or
    through an outbound proxy, which resolves the name and is where the rule on
    addresses then lives."""

    def __init__(
        self,
        backend: CheckedBackend | None,
        *,
        limits: httpx.Limits,
        proxy: str | None = None,
        http2: bool = False,
    ) -> None:
        super().__init__(limits=limits, proxy=proxy if backend is None else None, http2=http2)
        if backend is not None:
            self._pool = httpcore.AsyncConnectionPool(
                ssl_context=httpx.create_ssl_context(),
                http2=http2,
                max_connections=limits.max_connections,
                max_keepalive_connections=limits.max_keepalive_connections,
                keepalive_expiry=limits.keepalive_expiry,
                network_backend=backend,
            )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme != "https" or (PORT if url.port is None else url.port) != PORT:
            raise RefusedTarget(f"{url.scheme}:{url.port} is not https on {PORT}", request=request)
        return await super().handle_async_request(request)
