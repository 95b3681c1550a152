// expodesk enhancements; every page works without this file.
(function () {
  "use strict";
  // On an agenda, offer the visitor's own time zone (from the browser) first.
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("select[data-detect-zone]");
    if (!select || !window.Intl) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || select.value) return;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === zone) return;
    }
    var opt = document.createElement("option");
    opt.value = zone;
    opt.textContent = zone;
    select.insertBefore(opt, select.options[1] || null);
  });

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
