// The session kit on a phone: filter the words as one types, keep the page, its style
// and its recordings in the cache the service worker (kit-sw.js) serves from, so that
// the kit opens in airplane mode, and, when online, say whether a newer pack exists.
(function () {
  var body = document.body;
  var state = document.querySelector("[data-kit-state]");
  var newer = document.querySelector("[data-kit-newer]");
  var cacheName = body.getAttribute("data-kit-cache");
  var page = location.href.split("#")[0];

  function say(name) { state.textContent = state.getAttribute(name) || ""; }

  function fold(text) {
    return (text || "").normalize("NFKD").replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, "")
      .toLocaleLowerCase();
  }

  var entries = Array.prototype.slice.call(document.querySelectorAll("[data-kit-entry]"));
  var folded = entries.map(function (entry) { return fold(entry.getAttribute("data-search")); });
  var none = document.querySelector("[data-kit-none]");
  document.querySelector("[data-kit-filter]").addEventListener("input", function (event) {
    var query = fold(event.target.value.trim());
    var shown = 0;
    entries.forEach(function (entry, i) {
      var match = !query || folded[i].indexOf(query) >= 0;
      entry.hidden = !match;
      if (match) { shown += 1; }
    });
    none.hidden = shown > 0;
  });

  // One shared player for every recording (a media element per word made the kit slow
  // to reopen): each word's button plays its sound, and pressed again stops it. Of each
  // recording only the form this browser plays is used and kept (Opus, else AAC): half
  // the bytes on the phone.
  var player = document.querySelector("[data-kit-player]");
  var format = player.canPlayType("audio/ogg; codecs=opus") ? "data-ogg" : "data-m4a";
  var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-kit-play]"));
  var playing = null;

  function release() {
    if (playing) { playing.setAttribute("aria-pressed", "false"); }
    playing = null;
  }

  document.querySelector("main").addEventListener("click", function (event) {
    var button = event.target.closest("[data-kit-play]");
    if (!button) { return; }
    var same = button === playing;
    player.pause();
    release();
    if (same) { return; }
    playing = button;
    button.setAttribute("aria-pressed", "true");
    player.src = button.getAttribute(format);
    player.play().catch(release);
  });
  player.addEventListener("ended", release);
  player.addEventListener("error", release);

  function assets() {
    var urls = [page];
    document.querySelectorAll("link[rel=stylesheet], link[rel=manifest], link[rel=icon], " +
                              "link[rel=apple-touch-icon], " +
                              "script[src]").forEach(function (element) {
      urls.push(element.href || element.src);
    });
    buttons.forEach(function (button) { urls.push(button.getAttribute(format)); });
    return urls.filter(function (url, i) { return url && urls.indexOf(url) === i; });
  }

  function keep() {
    if (!("serviceWorker" in navigator) || !window.caches) { return; }
    navigator.serviceWorker.register(body.getAttribute("data-kit-worker"),
                                     { scope: body.getAttribute("data-kit-scope") });
    navigator.serviceWorker.ready.then(function () {
      return caches.open(cacheName);
    }).then(function (cache) {
      // Only what is not kept yet: reopening a kept kit stores nothing again (the worker
      // answers from this cache first, so storing again copied the cache onto itself).
      return cache.keys().then(function (requests) {
        var kept = {};
        requests.forEach(function (request) { kept[request.url] = true; });
        return cache.addAll(assets().filter(function (url) {
          return !kept[new URL(url, location.href).href];
        }));
      });
    }).then(function () {
      body.setAttribute("data-kit-ready", "offline");
      if (newer.hidden) { say("data-msg-ready"); }
    }).catch(function () { /* offline already, or storage refused: the page still works */ });
  }

  function forget() {
    return caches.open(cacheName).then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.map(function (request) { return cache.delete(request); }));
      });
    });
  }

  function checkNewer() {
    if (!navigator.onLine) { return; }
    fetch(body.getAttribute("data-kit-status"), { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 410) {
          forget().then(function () { say("data-msg-withdrawn"); });
          document.querySelector("main").hidden = true;
          return null;
        }
        return response.ok ? response.json() : null;
      })
      .then(function (status) {
        if (status && status.hash && status.hash !== body.getAttribute("data-kit-hash")) {
          newer.hidden = false;
          body.setAttribute("data-kit-newer-hash", status.hash);
          say("data-msg-newer");
        }
      })
      .catch(function () { /* no network: the kept copy is what there is */ });
  }

  document.querySelector("[data-kit-update]").addEventListener("click", function () {
    caches.open(cacheName).then(function (cache) { return cache.delete(page); })
      .then(function () { location.reload(); });
  });

  keep();
  checkNewer();
})();
