// Only elements the app rendered may send htmx requests (glossary/page_nonce.py): each
// carries data-hx-nonce with the nonce of the page or of a fragment the page received.
// Anything else (markup that slipped into user text) is stopped before a request is made,
// and only a trusted request gets the CSRF token.
(function () {
  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute("content") : null;
  }
  var trusted = new Set();
  var own = meta("hx-nonce");
  if (own) { trusted.add(own); }

  function isTrusted(element) {
    var nonce = element && element.getAttribute && element.getAttribute("data-hx-nonce");
    return !!nonce && trusted.has(nonce);
  }

  document.addEventListener("htmx:confirm", function (event) {
    if (!isTrusted(event.detail.elt)) {
      event.preventDefault();
      console.warn("htmx request refused: element not rendered by the app", event.detail.elt);
    }
  });
  document.addEventListener("htmx:configRequest", function (event) {
    if (!isTrusted(event.detail.elt)) {
      event.preventDefault();
      return;
    }
    var token = meta("csrf-token");
    if (token) { event.detail.headers["X-CSRFToken"] = token; }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var nonce = event.detail.xhr && event.detail.xhr.getResponseHeader("X-Hx-Nonce");
    if (nonce) { trusted.add(nonce); }
  });
})();

// Keep keyboard and screen-reader users oriented after htmx swaps a panel in place:
// the button they pressed is gone, so move focus to the panel's status message.
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail.target;
  if (!target || !target.querySelector) { return; }
  var panel = document.getElementById(target.id) || target;
  var status = panel.querySelector(".live .notice") || panel.querySelector("h3");
  if (status) {
    status.setAttribute("tabindex", "-1");
    status.focus();
  }
});
