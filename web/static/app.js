// expodesk enhancements; every page works without this file.
(function () {
  "use strict";
  // On an agenda, offer the visitor's own time zone (from the browser) first.
  // Reading it is not free: the first Intl.DateTimeFormat of a page makes
  // ICU build its date formatter, 200 ms of main thread on a desktop and
  // well over a second on a slow phone, which Lighthouse counted as the
  // agenda's blocking time. So it is read when the visitor reaches for the
  // list (pointer down or focus come before the list opens) or presses
  // "use my zone", not at load.
  function browserZone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  }
  function addZoneOption(select, zone) {
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
      if (select.value) return;
      var zone = browserZone();
      if (zone) addZoneOption(select, zone);
    };
    select.addEventListener("pointerdown", once);
    select.addEventListener("focus", once);
    // "Use my zone" chooses the browser's zone in one press; the form's
    // GET remembers it (a cookie) like a choice from the list.
    var form = select.form;
    var label = form && form.getAttribute("data-use-zone");
    if (label) {
      var use = document.createElement("button");
      use.type = "button";
      use.className = "secondary button";
      use.textContent = label;
      use.addEventListener("click", function () {
        var zone = browserZone();
        if (!zone) return;
        addZoneOption(select, zone);
        select.value = zone;
        form.submit();
      });
      form.appendChild(use);
    }
  }

  // Where no zone was chosen, times marked data-local-time are also written
  // in the browser's zone when it is not the expo's (the booking window's
  // opening, for a company abroad). data-label holds "{time}".
  var locals = document.querySelectorAll("[data-local-time]");
  if (locals.length && window.Intl) {
    var zone = browserZone();
    var fmt = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
      { dateStyle: "full", timeStyle: "short" });
    for (var j = 0; j < locals.length; j++) {
      var el = locals[j];
      if (!zone || zone === el.getAttribute("data-expo-zone")) continue;
      var when = new Date(el.getAttribute("data-local-time"));
      if (isNaN(when.getTime())) continue;
      el.textContent = el.getAttribute("data-label").replace("{time}", fmt.format(when) + " (" + zone + ")");
      el.hidden = false;
    }
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
