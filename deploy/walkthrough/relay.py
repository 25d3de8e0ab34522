"""A small HTTP forward proxy for the walk-through container (deploy/walkthrough/README.md).

The container has a private network (no route out, the host has no NAT tools), so apt
and pip inside it reach the package mirrors through this relay, which listens on the
host's end of the veth pair. It forwards plain-HTTP requests with an absolute URI (apt)
and tunnels CONNECT (pip over HTTPS). Not for any other use: no access control beyond
the address it listens on.

    python3 relay.py 10.231.0.1 3128
"""

import asyncio
import sys
from urllib.parse import urlsplit


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
    try:
        head = await client_r.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        client_w.close()
        return
    first, _, rest = head.partition(b"\r\n")
    method, target, version = first.decode("latin-1").split(" ", 2)
    try:
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            up_r, up_w = await asyncio.open_connection(host, int(port))
            client_w.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await client_w.drain()
        else:
            url = urlsplit(target)
            up_r, up_w = await asyncio.open_connection(url.hostname, url.port or 80)
            path = url.path or "/"
            if url.query:
                path += "?" + url.query
            lines = [ln for ln in rest.split(b"\r\n")
                     if ln and not ln.lower().startswith(b"proxy-")]
            request_line = f"{method} {path} {version}\r\n".encode("latin-1")
            up_w.write(request_line + b"\r\n".join(lines) + b"\r\n\r\n")
            await up_w.drain()
    except (OSError, ValueError) as exc:
        client_w.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
        print(f"relay: {method} {target} failed: {exc}", file=sys.stderr, flush=True)
        client_w.close()
        return
    print("relay:", method, target, flush=True)
    await asyncio.gather(pipe(client_r, up_w), pipe(up_r, client_w))


async def main(host: str, port: int) -> None:
    server = await asyncio.start_server(handle, host, port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
