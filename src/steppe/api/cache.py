"""An in-process cache of whole GET responses, keyed by the warehouse generation.

A loaded release never changes and a writer swaps in a new file (new inode and
mtime) for every ingest, so a response is a pure function of (warehouse
generation, method, path, sorted query, ``Accept``, language cookie,
``Accept-Language``). :class:`ResponseCache` is a plain ASGI middleware that answers
repeated requests from memory, and answers ``If-None-Match`` with ``304`` before
any DuckDB work. Only ``200`` answers to anonymous requests are kept, and only when
the generation did not change while the response was being built, so a swap makes
the very next request read the new file.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from steppe.warehouse import Warehouse

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CACHED_PREFIXES = ("/api/v1/", "/country/", "/corridor/")
CACHED_PATHS = ("/", "/data")
NEVER = ("/api/v1/microdata",)
PRIVATE_HEADERS = (b"authorization", b"x-api-key")
KEY_HEADERS = (b"accept", b"accept-language")


@dataclass(frozen=True)
class Entry:
    """A stored response: status, headers (ETag included) and body."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


def cacheable_path(path: str) -> bool:
    """Whether answers under ``path`` depend only on the request and the warehouse."""
    if path.startswith(NEVER):
        return False
    return path in CACHED_PATHS or path.startswith(CACHED_PREFIXES)


def request_key(scope: Scope, generation: tuple[int, int]) -> tuple[object, ...]:
    """The cache key of an HTTP request at one warehouse generation."""
    query = tuple(sorted(parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                                   keep_blank_values=True)))
    headers = dict(scope["headers"])
    cookie = headers.get(b"cookie", b"")
    lang = b""
    for part in cookie.split(b";"):
        name, _, value = part.strip().partition(b"=")
        if name == b"steppe_lang":
            lang = value
    return (generation, scope["method"], scope["path"], query, lang,
            *(headers.get(h, b"") for h in KEY_HEADERS))


def matches(if_none_match: bytes, etag: bytes) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (or ``*``)."""
    tags = [t.strip() for t in if_none_match.split(b",")]
    return etag in tags or b"*" in tags or (b"W/" + etag) in tags


class ResponseCache:
    """ASGI middleware keeping up to ``max_bytes`` of GET responses in an LRU.

    Parameters
    ----------
    app
        The application to wrap.
    warehouse
        Its warehouse: :meth:`Warehouse.generation` (one ``stat``) versions the keys.
    max_bytes
        Memory budget for stored bodies; responses over an eighth of it are not kept.
    """

    def __init__(self, app: ASGIApp, warehouse: Warehouse, max_bytes: int = 64 << 20) -> None:
        self.app = app
        self.warehouse = warehouse
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[object, ...], Entry] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _generation(self) -> tuple[int, int] | None:
        try:
            return self.warehouse.generation()
        except OSError:
            return None

    def get(self, key: tuple[object, ...]) -> Entry | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                self._items.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return entry

    def put(self, key: tuple[object, ...], entry: Entry) -> None:
        if len(entry.body) > self.max_bytes // 8:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self._size -= len(old.body) if old else 0
            self._items[key] = entry
            self._size += len(entry.body)
            while self._size > self.max_bytes and self._items:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not cacheable_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        generation = self._generation()
        if generation is None or any(h in headers for h in PRIVATE_HEADERS):
            await self.app(scope, receive, send)
            return
        key = request_key(scope, generation)
        entry = self.get(key)
        if entry is not None:
            await _replay(entry, headers.get(b"if-none-match"), send)
            return
        await self._fill(scope, receive, send, key, generation)

    async def _fill(self, scope: Scope, receive: Receive, send: Send,
                    key: tuple[object, ...], generation: tuple[int, int]) -> None:
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and start.get("status") == 200:
                    self._store(key, generation, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, key: tuple[object, ...], generation: tuple[int, int], start: Message,
               body: bytes) -> None:
        if self._generation() != generation:
            return  # a swap happened meanwhile: the body may come from either file
        headers = [(k.lower(), v) for k, v in start.get("headers", [])]
        etag = next((v for k, v in headers if k == b"etag"), b"")
        if not etag:
            etag = b'"' + hashlib.sha256(body).hexdigest()[:24].encode() + b'"'
            headers.append((b"etag", etag))
        self.put(key, Entry(200, headers, body, etag))


async def _replay(entry: Entry, if_none_match: bytes | None, send: Send) -> None:
    if if_none_match is not None and matches(if_none_match, entry.etag):
        kept = [(k, v) for k, v in entry.headers if k in (b"etag", b"cache-control")]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": entry.status,
                "headers": entry.headers})
    await send({"type": "http.response.body", "body": entry.body})
