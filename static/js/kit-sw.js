// Service worker of the session kit. Kit pages, their style, script and recordings are
// put in the cache by the page itself (kit.js); this worker answers from that cache
// first, so that the kit opens without network, and from the network otherwise. The
// status of the pack (status.json) always goes to the network. Recordings are answered
// in the byte ranges an audio element asks for.
var CACHE = "agreed-terms-kit-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function ranged(response, header) {
  var match = /^bytes=(\d+)-(\d*)$/.exec(header || "");
  if (!match) { return response; }
  return response.arrayBuffer().then(function (buffer) {
    var start = Number(match[1]);
    var end = match[2] ? Math.min(Number(match[2]), buffer.byteLength - 1) : buffer.byteLength - 1;
    if (start > end) { return new Response(null, { status: 416 }); }
    return new Response(buffer.slice(start, end + 1), {
      status: 206,
      headers: {
        "Content-Type": response.headers.get("Content-Type") || "application/octet-stream",
        "Content-Range": "bytes " + start + "-" + end + "/" + buffer.byteLength,
        "Content-Length": String(end - start + 1),
        "Accept-Ranges": "bytes"
      }
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin ||
      url.pathname.slice(-12) === "/status.json") {
    return;
  }
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(request.url, { ignoreVary: true }).then(function (hit) {
      if (hit) { return ranged(hit, request.headers.get("range")); }
      return fetch(request);
    });
  }));
});
