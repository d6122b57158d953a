/* Live filtering of activities by responsible party, phase and workstream.
 *
 * The page works without this script: without JavaScript the filter controls are
 * hidden (noscript.css) and the static party pages list the same work. With it,
 * the choice is kept in the URL query (?party=provider&phase=1&workstream=technology)
 * so a filtered view can be shared and survives a reload, and the number of
 * matching activities is announced in a live region.
 *
 * Matching (the same as playbook/render/browse.py): an activity matches a party when the
 * party is one of the words in its data-party attribute. Several values of one
 * kind widen the choice (OR); different kinds narrow it (AND).
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-filter]");
  if (!root || !window.URLSearchParams || !window.history || !history.replaceState) {
    return;
  }
  var form = root.querySelector("[data-filter-form]");
  var status = root.querySelector("[data-filter-count]");
  var clear = root.querySelector("[data-filter-clear]");
  var scope = document.getElementById("main-content") || document.body;
  var items = Array.prototype.slice.call(scope.querySelectorAll(".pb-activity[data-party]"));
  var groups = Array.prototype.slice.call(scope.querySelectorAll("[data-filter-group]"));
  var empty = scope.querySelector("[data-filter-empty]");
  var noun = status.getAttribute("data-noun") || "activities";
  var KINDS = ["party", "phase", "workstream"].filter(function (kind) {
    return form.querySelector('input[name="' + kind + '"]');
  });

  // Keep each activity's number when others are hidden, so "step 4" stays step 4.
  Array.prototype.forEach.call(scope.querySelectorAll("ol.pb-activities"), function (ol) {
    Array.prototype.forEach.call(ol.children, function (li, i) {
      if (li.tagName === "LI") {
        li.value = i + 1;
      }
    });
  });

  function boxes(kind) {
    return Array.prototype.slice.call(form.querySelectorAll('input[name="' + kind + '"]'));
  }

  function valuesOf(item, kind) {
    if (kind === "party") {
      return (item.getAttribute("data-party") || "").split(/\s+/);
    }
    var holder = item.closest("[data-" + kind + "]");
    return holder ? [holder.getAttribute("data-" + kind)] : [];
  }

  function chosen() {
    var out = {};
    KINDS.forEach(function (kind) {
      out[kind] = boxes(kind).filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    });
    return out;
  }

  function fromUrl() {
    var params = new URLSearchParams(window.location.search);
    KINDS.forEach(function (kind) {
      var wanted = [];
      params.getAll(kind).forEach(function (v) { wanted = wanted.concat(v.split(",")); });
      boxes(kind).forEach(function (b) { b.checked = wanted.indexOf(b.value) !== -1; });
    });
  }

  function toUrl(sel) {
    var params = new URLSearchParams(window.location.search);
    KINDS.forEach(function (kind) {
      params.delete(kind);
      sel[kind].forEach(function (v) { params.append(kind, v); });
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    history.replaceState(history.state, "", url);
  }

  function matches(item, sel) {
    return KINDS.every(function (kind) {
      if (!sel[kind].length) {
        return true;
      }
      var have = valuesOf(item, kind);
      return sel[kind].some(function (v) { return have.indexOf(v) !== -1; });
    });
  }

  function apply(writeUrl) {
    var sel = chosen();
    var active = KINDS.some(function (kind) { return sel[kind].length > 0; });
    var shown = 0;
    items.forEach(function (item) {
      var ok = matches(item, sel);
      item.hidden = !ok;
      if (ok) {
        shown += 1;
      }
    });
    groups.forEach(function (g) {
      g.hidden = active && !g.querySelector(".pb-activity[data-party]:not([hidden])");
    });
    if (empty) {
      empty.hidden = shown > 0;
    }
    status.textContent = active
      ? "Showing " + shown + " of " + items.length + " " + noun
      : "Showing all " + items.length + " " + noun;
    status.setAttribute("data-shown", String(shown));
    clear.disabled = !active;
    if (writeUrl) {
      toUrl(sel);
    }
  }

  form.addEventListener("change", function () { apply(true); });
  clear.addEventListener("click", function () {
    KINDS.forEach(function (kind) { boxes(kind).forEach(function (b) { b.checked = false; }); });
    apply(true);
    var first = form.querySelector("input");
    if (first) {
      first.focus();
    }
  });
  // A page restored from the back/forward cache keeps its boxes; read the URL again.
  window.addEventListener("pageshow", function () { fromUrl(); apply(false); });

  fromUrl();
  apply(false);
})();
