/* The USWDS banner's "Here's how you know" panel: the one behaviour of USWDS's script (79 kB) the
 * layouts use, done as USWDS's banner does it: the button's aria-expanded, the panel's hidden
 * attribute and the header's expanded class. Without JavaScript the panel stays closed, as with
 * USWDS's own script.
 */
(function () {
  "use strict";

  var button = document.querySelector(".usa-banner__button[aria-controls]");
  var panel = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!panel) {
    return;
  }
  var header = button.closest(".usa-banner__header");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
    if (header) {
      header.classList.toggle("usa-banner__header--expanded", open);
    }
  });
})();
