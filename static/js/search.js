/* Site search: loads the Pagefind component UI (about 45 kB gzipped of script and style) the
 * first time a reader asks for it, not in the head of every page.
 *
 * The header holds a search button (shown only with JavaScript: noscript.css) in a box whose size
 * the stylesheet fixes, so nothing moves when the page loads. The first click (or Ctrl+K / Cmd+K)
 * adds Pagefind's stylesheet and module script; once its custom elements are defined, the
 * <pagefind-modal> already in the page opens. Closing it returns focus to the button.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-search]");
  var button = box && box.querySelector("[data-search-open]");
  if (!button || !window.customElements || !window.Promise) {
    return;
  }
  var bundle = box.getAttribute("data-bundle");
  var ready = null;

  function add(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attrs).forEach(function (name) { el.setAttribute(name, attrs[name]); });
      el.onload = resolve;
      el.onerror = function () { reject(new Error("could not load " + (attrs.href || attrs.src))); };
      document.head.appendChild(el);
    });
  }

  function load() {
    if (!ready) {
      ready = Promise.all([
        add("link", { rel: "stylesheet", href: bundle + "pagefind-component-ui.css" }),
        add("script", { type: "module", src: bundle + "pagefind-component-ui.js" })
      ]).then(function () {
        return window.customElements.whenDefined("pagefind-modal");
      });
      ready.catch(function () { ready = null; }); // a failed load may be tried again
    }
    return ready;
  }

  function open() {
    button.setAttribute("aria-busy", "true");
    load().then(function () {
      var modal = box.querySelector("pagefind-modal");
      modal.open();
      var dialog = modal.querySelector("dialog");
      if (dialog && !dialog.hasAttribute("data-watched")) {
        dialog.setAttribute("data-watched", "");
        dialog.addEventListener("close", function () {
          button.setAttribute("aria-expanded", "false");
          button.focus();
        });
      }
      button.setAttribute("aria-expanded", "true");
    }, function () {
      button.setAttribute("data-failed", "");
    }).then(function () {
      button.removeAttribute("aria-busy");
    });
  }

  button.addEventListener("click", open);
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey &&
        (event.key === "k" || event.key === "K")) {
      var modal = box.querySelector("pagefind-modal");
      if (!(modal && modal.isOpen)) {
        event.preventDefault();
        open();
      }
    }
  });
})();
