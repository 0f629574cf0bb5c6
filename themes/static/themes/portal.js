// The only script of the member-facing site (no inline scripts: CSP script-src 'self').
// It registers the service worker that keeps the member card for offline use, and
// forgets that copy once nobody is signed in on this device.
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
