// Discussions: new messages without reloading, by light polling (docs/discussions.md says
// why not server-sent events: each open stream would hold one of gunicorn's sync workers).
(function () {
  "use strict";
  var VISIBLE_EVERY = 4000, HIDDEN_EVERY = 30000;

  function setBadge(count) {
    document.querySelectorAll(".mainbar__link--discussions").forEach(function (link) {
      var badge = link.querySelector(".badge");
      if (!count) { if (badge) badge.remove(); return; }
      if (!badge) {
        badge = document.createElement("span");
        badge.className = "badge";
        link.appendChild(document.createTextNode(" "));
        link.appendChild(badge);
      }
      badge.textContent = String(count);
    });
  }

  function poll(box, render) {
    var failures = 0;
    function next() {
      window.setTimeout(tick, (document.hidden ? HIDDEN_EVERY : VISIBLE_EVERY) * (1 + failures));
    }
    function tick() {
      var url = box.dataset.pollUrl + "?v=" + encodeURIComponent(box.dataset.token || "");
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) {
          failures = 0;
          if (typeof data.unread === "number") setBadge(data.unread);
          if (data.changed) { box.dataset.token = data.token; render(data.html); }
        })
        .catch(function () { failures = Math.min(failures + 1, 7); })
        .then(next);
    }
    next();
  }

  function bindConfirms(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var thread = document.getElementById("thread");
    if (thread) {
      bindConfirms(thread);
      // The newest message in sight, the composer under it.
      var last = thread.querySelector(".msg:last-child");
      if (last && !window.location.hash && !thread.hasAttribute("data-paused")) {
        // At once, not the site's smooth scrolling: the page opens where the talk is.
        var top = last.getBoundingClientRect().top + window.scrollY;
        window.scrollTo({ top: Math.max(0, top - window.innerHeight / 2), behavior: "instant" });
      }
      if (!thread.hasAttribute("data-paused")) {
        poll(thread, function (html) { thread.innerHTML = html; bindConfirms(thread); });
      }
    }
    var inbox = document.getElementById("inbox");
    if (inbox) poll(inbox, function (html) { inbox.innerHTML = html; });
    // After the call link is used, the "I called" note is the next thing to press.
    var call = document.querySelector("[data-call-link]");
    var note = document.querySelector("[data-call-note] button");
    if (call && note) call.addEventListener("click", function () { note.focus(); });
  });
})();
