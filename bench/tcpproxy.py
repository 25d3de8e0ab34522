"""A loopback TCP proxy that can be cut and restored, to make a shared database
"unreachable" for one app without touching the server other people use.

    proxy = TcpProxy(("127.0.0.1", 5432)).start()   # listens on 127.0.0.1:<proxy.port>
    proxy.cut()        # closes every connection and refuses new ones
    proxy.restore()    # accepts again on the same port
    proxy.stop()

Given several targets it is a round-robin balancer: each new connection goes to the next
target in turn, and ``proxy.served`` lists the target index of every connection so far
(one request per connection alternates requests between app servers).
"""

from __future__ import annotations

import contextlib
import socket
import threading


class TcpProxy:
    """Forward 127.0.0.1:port to ``target`` (or to each of a list of targets in turn)
    with one thread per direction."""

    def __init__(self, target: tuple[str, int] | list[tuple[str, int]], port: int = 0):
        self.targets = list(target) if isinstance(target, list) else [target]
        self.served: list[int] = []
        self.port = port
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> TcpProxy:
        """Listen (on a free port the first time, the same port after a cut)."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            with self._lock:
                chosen = len(self.served) % len(self.targets)
                self.served.append(chosen)
            try:
                upstream = socket.create_connection(self.targets[chosen], timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
                with self._lock:
                    self._sockets.discard(sock)

    def cut(self) -> None:
        """Stop listening and close every open connection: the database is gone."""
        if self._listener is not None:
            with contextlib.suppress(OSError):  # wakes the thread blocked in accept()
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            sockets = list(self._sockets)
            self._sockets.clear()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def restore(self) -> None:
        """Listen again on the same port: the database is back."""
        self.start()

    def stop(self) -> None:
        """Close everything for good."""
        self.cut()
