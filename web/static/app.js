// expodesk enhancements; every page works without this file.
(function () {
  "use strict";
  // On an agenda, offer the visitor's own time zone (from the browser) first.
  // Reading it is not free: the first Intl.DateTimeFormat of a page makes
  // ICU build its date formatter, 200 ms of main thread on a desktop and
  // well over a second on a slow phone, which Lighthouse counted as the
  // agenda's blocking time. So it is read when the visitor reaches for the
  // list (pointer down or focus come before the list opens), not at load.
  function offerOwnZone(select) {
    if (select.value) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === zone) return;
    }
    var opt = document.createElement("option");
    opt.value = zone;
    opt.textContent = zone;
    select.insertBefore(opt, select.options[1] || null);
  }
  var select = document.querySelector("select[data-detect-zone]");
  if (select && window.Intl) {
    var once = function () {
      select.removeEventListener("pointerdown", once);
      select.removeEventListener("focus", once);
      offerOwnZone(select);
    };
    select.addEventListener("pointerdown", once);
    select.addEventListener("focus", once);
  }

  // After a search as you type, tell screen readers how many exhibitors
  // were found (see #results-status in directory.templ).
  document.addEventListener("htmx:afterSettle", function () {
    var status = document.getElementById("results-status");
    var count = document.querySelector("#results .result-count");
    if (status && count) status.textContent = count.textContent;
  });

  // When a search-as-you-type pushes a new URL, point the language switch
  // at it, so that switching language keeps what the visitor searched for.
  document.addEventListener("htmx:pushedIntoHistory", function () {
    var links = document.querySelectorAll(".lang-switch a[hreflang]");
    for (var i = 0; i < links.length; i++) {
      var lang = new URL(links[i].href).searchParams.get("lang");
      if (!lang) continue;
      var url = new URL(window.location.href);
      url.searchParams.set("lang", lang);
      links[i].setAttribute("href", url.pathname + url.search);
    }
  });
})();
