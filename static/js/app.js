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
