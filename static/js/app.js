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
    // The page's language: an error answer after the session ended is still in it.
    event.detail.headers["X-UI-Locale"] = document.documentElement.lang;
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

// When an htmx request fails, say so beside the form that sent it and swap nothing, so
// what the person typed stays where it was. The server's answer carries the message in
// the interface language (templates/partials/_error.html), with a "sign in again" link
// back to this page when the session ended; for a lost connection or a timeout, or an
// answer that is not the app's, the words come from the page's own meta tags.
(function () {
  function pageMessage(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute("content") : "";
  }

  function anchorFor(element) {
    if (!element || !element.closest) { return null; }
    return element.closest("form") || element;
  }

  function clearError(anchor) {
    var old = anchor && anchor.previousElementSibling;
    if (old && old.classList.contains("htmx-error")) { old.remove(); }
  }

  function showError(element, text, signInHref) {
    var anchor = anchorFor(element);
    if (!anchor || !anchor.parentNode) { return; }
    clearError(anchor);
    var box = document.createElement("div");
    box.className = "notice error htmx-error";
    box.setAttribute("role", "alert");
    box.setAttribute("tabindex", "-1");
    var paragraph = document.createElement("p");
    paragraph.textContent = text;
    box.appendChild(paragraph);
    if (signInHref) {
      var link = document.createElement("a");
      link.className = "sign-in-again";
      link.href = signInHref;
      link.textContent = pageMessage("msg-sign-in-again");
      var line = document.createElement("p");
      line.appendChild(link);
      box.appendChild(line);
    }
    anchor.parentNode.insertBefore(box, anchor);
    box.focus();
  }

  // Only the text and a same-site link are taken from the answer: it is parsed inert
  // and never inserted as markup.
  function fromAnswer(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("text/html") !== 0) { return null; }
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var box = doc.querySelector(".htmx-error");
    if (!box) { return null; }
    var text = box.querySelector(".error-text");
    var link = box.querySelector("a.sign-in-again");
    var href = link && link.getAttribute("href");
    return {
      text: (text ? text.textContent : box.textContent).trim(),
      signIn: href && href.charAt(0) === "/" && href.charAt(1) !== "/" ? href : null
    };
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    clearError(anchorFor(event.detail.elt));
  });
  document.addEventListener("htmx:responseError", function (event) {
    var answer = fromAnswer(event.detail.xhr);
    if (answer && answer.text) {
      showError(event.detail.elt, answer.text, answer.signIn);
    } else {
      showError(event.detail.elt, pageMessage("msg-server-error"), null);
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    showError(event.detail.elt, pageMessage("msg-network-error"), null);
  });
  document.addEventListener("htmx:timeout", function (event) {
    showError(event.detail.elt, pageMessage("msg-timeout"), null);
  });
})();

// "Sign in again" leaves the page: keep what was typed in this tab's session storage and
// put it back when the sign-in returns here (only into fields that are still empty).
(function () {
  var KEY = "typed-before-sign-in";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.sign-in-again");
    if (!link) { return; }
    var typed = {};
    document.querySelectorAll("main textarea[id], main input[type=text][id], main input[type=search][id]").forEach(function (field) {
      if (field.value) { typed[field.id] = field.value; }
    });
    try {
      sessionStorage.setItem(KEY, JSON.stringify({page: location.pathname + location.search, typed: typed}));
    } catch (e) { /* storage refused: the link still works */ }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { saved = null; }
    if (!saved || saved.page !== location.pathname + location.search) { return; }
    sessionStorage.removeItem(KEY);
    Object.keys(saved.typed || {}).forEach(function (id) {
      var field = document.getElementById(id);
      if (!field || field.value || !("value" in field)) { return; }
      field.value = saved.typed[id];
      var details = field.closest("details");
      if (details) { details.open = true; }
    });
  });
})();
