/* Terbuka — while a person writes what information they request, list public DIP entries
   that may already hold it ("Mungkin sudah tersedia:"), so they can read it at once instead
   of waiting for an answer. The form works the same without this script.

   The region (#saran-dip) comes from the page with the endpoint, the field it listens to and
   its translated texts as data attributes; results are built with textContent only. */
(function () {
  "use strict";

  var MIN_CHARS = 3;
  var DELAY_MS = 300;

  function init() {
    var region = document.getElementById("saran-dip");
    if (!region || !window.fetch) {
      return;
    }
    var field = document.getElementById(region.dataset.field);
    if (!field) {
      return;
    }
    // Under the field and its help text, where a person reading the form meets it.
    (field.closest(".mb-3") || field.parentNode).appendChild(region);

    var timer = null;
    var controller = null;
    var shownFor = "";

    function clear() {
      region.classList.remove("alert", "alert-info", "mt-2", "mb-0");
      while (region.firstChild) {
        region.removeChild(region.firstChild);
      }
    }

    function show(results) {
      clear();
      if (!results.length) {
        return;
      }
      region.classList.add("alert", "alert-info", "mt-2", "mb-0");
      var heading = document.createElement("p");
      heading.className = "fw-semibold mb-1";
      heading.textContent = region.dataset.heading;
      var list = document.createElement("ul");
      list.className = "mb-0";
      results.forEach(function (item) {
        var entry = document.createElement("li");
        var link = document.createElement("a");
        link.href = item.url;
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = item.title;
        var hint = document.createElement("span");
        hint.className = "visually-hidden";
        hint.textContent = " " + region.dataset.newTab;
        link.appendChild(hint);
        entry.appendChild(link);
        entry.appendChild(document.createTextNode(" — " + item.body));
        list.appendChild(entry);
      });
      region.appendChild(heading);
      region.appendChild(list);
    }

    function lookUp() {
      var query = field.value.trim();
      if (query === shownFor) {
        return;
      }
      shownFor = query;
      if (controller) {
        controller.abort();
        controller = null;
      }
      if (query.length < MIN_CHARS) {
        clear();
        return;
      }
      controller = window.AbortController ? new AbortController() : null;
      var url = region.dataset.url + "?q=" + encodeURIComponent(query);
      fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          show(data.results || []);
        })
        .catch(function () {
          // Aborted by newer typing, or offline: the form is unaffected.
        });
    }

    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, DELAY_MS);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
