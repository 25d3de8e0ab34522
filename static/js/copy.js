// Copy buttons (loaded only by pages that show a secret once, such as a new API token).
// Without JavaScript the value stays in a read-only field to select and copy by hand;
// with it, focusing the field selects the whole value and a button copies it through
// the Clipboard API, then says so in the button's status line.
(function () {
  function selectAll(event) { event.target.select(); }

  function setUp(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    if (!field) { return; }
    field.addEventListener("focus", selectAll);
    field.addEventListener("click", selectAll);
    if (!navigator.clipboard) { return; }  // not a secure context: copy by hand
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) { status.textContent = button.getAttribute("data-copied"); }
      }, function () {
        field.focus();
        if (status) { status.textContent = button.getAttribute("data-failed"); }
      });
    });
  }

  document.querySelectorAll("button[data-copy]").forEach(setUp);
})();
