// The only script of the member-facing site (no inline scripts: CSP script-src 'self').
// It registers the service worker that keeps the member card for offline use, forgets
// that copy once nobody is signed in on this device, and runs the top bar's search
// suggestions. Everything works without it (the search form submits to the results page).
(function () {
  "use strict";
  var CARD_CACHE = "member-card-v1";
  var signedIn = document.body && document.body.getAttribute("data-signed-in") === "true";
  if (!signedIn && window.caches && navigator.onLine) {
    window.caches.delete(CARD_CACHE);
  }
  if ("serviceWorker" in navigator && document.querySelector('link[rel="manifest"]')) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    });
  }
  // The top bar's search: a WAI-ARIA 1.2 combobox whose suggestions, grouped by type,
  // come from the autocomplete JSON. Focus stays in the input; arrow keys move the
  // active option (aria-activedescendant), Enter opens it, Escape closes the list.
  // Text is put in with textContent only: titles are user content.
  var input = document.getElementById("main-search");
  var listbox = document.getElementById("main-search-suggestions");
  var status = document.getElementById("main-search-status");
  if (input && listbox && input.getAttribute("data-autocomplete-url")) {
    var endpoint = input.getAttribute("data-autocomplete-url");
    var timer = null;
    var controller = null;
    var options = [];
    var active = -1;

    var setActive = function (index) {
      if (active >= 0 && options[active]) { options[active].setAttribute("aria-selected", "false"); }
      active = index;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    };
    var close = function () {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    };
    var open = function (url) { window.location.assign(url); };
    var option = function (id, title, subtitle, url) {
      var element = document.createElement("div");
      element.id = id;
      element.className = "suggestions__option";
      element.setAttribute("role", "option");
      element.setAttribute("aria-selected", "false");
      element.setAttribute("data-url", url);
      var name = document.createElement("span");
      name.className = "suggestions__title";
      name.textContent = title;
      element.appendChild(name);
      if (subtitle) {
        var more = document.createElement("span");
        more.className = "suggestions__subtitle";
        more.textContent = subtitle;
        element.appendChild(more);
      }
      return element;
    };
    var render = function (query, groups) {
      listbox.textContent = "";
      options = [];
      active = -1;
      var count = 0;
      groups.forEach(function (group, g) {
        var box = document.createElement("div");
        box.setAttribute("role", "group");
        box.setAttribute("aria-labelledby", "main-search-group-" + g);
        var label = document.createElement("div");
        label.id = "main-search-group-" + g;
        label.className = "suggestions__label suggestions__label--" + group.type;
        label.setAttribute("role", "presentation");
        label.textContent = group.label;
        box.appendChild(label);
        group.items.forEach(function (item) {
          var element = option("main-search-option-" + options.length, item.title, item.subtitle, item.url);
          options.push(element);
          box.appendChild(element);
          count += 1;
        });
        listbox.appendChild(box);
      });
      var form = input.form;
      var all = new URL(form.getAttribute("action"), window.location.href);
      all.searchParams.set("q", query);
      var allLabel = (listbox.getAttribute("data-all-results") || "").replace("{query}", query);
      var allOption = option("main-search-option-" + options.length, allLabel, "", all.toString());
      allOption.classList.add("suggestions__option--all");
      options.push(allOption);
      listbox.appendChild(allOption);
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      if (status) {
        status.textContent = count
          ? (status.getAttribute("data-some") || "").replace("{count}", String(count))
          : (status.getAttribute("data-none") || "");
      }
    };
    var suggest = function () {
      var query = input.value.trim();
      if (controller) { controller.abort(); }
      if (!query) { close(); return; }
      controller = window.AbortController ? new AbortController() : null;
      var url = new URL(endpoint, window.location.href);
      url.searchParams.set("q", query);
      fetch(url.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        return response.ok ? response.json() : { groups: [] };
      }).then(function (data) {
        if (input.value.trim() === query) { render(query, data.groups || []); }
      }).catch(function () {});
    };
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (listbox.hidden) {
          if (input.value.trim()) { suggest(); }
          return;
        }
        event.preventDefault();
        // Cycles through the options and back to the input itself (-1).
        var next = active + (event.key === "ArrowDown" ? 1 : -1);
        if (next < -1) { next = options.length - 1; }
        if (next >= options.length) { next = -1; }
        setActive(next);
      } else if (event.key === "Enter" && !listbox.hidden && active >= 0) {
        event.preventDefault();
        open(options[active].getAttribute("data-url"));
      } else if (event.key === "Escape" && !listbox.hidden) {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
    // Keep focus in the input while a suggestion is clicked.
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    listbox.addEventListener("click", function (event) {
      var target = event.target.closest('[role="option"]');
      if (target) { open(target.getAttribute("data-url")); }
    });
    input.addEventListener("blur", close);
  }

  // Close the open user menu with Escape and return focus to its toggle.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector(".usermenu__details[open]");
    if (open) {
      open.removeAttribute("open");
      open.querySelector("summary").focus();
    }
  });
})();
