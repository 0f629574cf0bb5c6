{% load static %}// Member card service worker: network first, the last good copy when offline.
// Only the card page and the stylesheets it needs are kept; nothing else is cached.
const CACHE = "member-card-v1";
const KEEP = ["{{ card_url|escapejs }}", "{{ theme_url|escapejs }}", "{% static 'themes/portal.css' %}", "{% static 'themes/portal.js' %}"];

self.addEventListener("install", (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || !KEEP.includes(url.pathname)) {
    return;
  }
  event.respondWith(
    fetch(request)
      .then((response) => {
        // Keep only real pages: not a redirect to the sign-in page.
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
        }
        return response;
      })
      .catch(() => caches.match(url.pathname).then((hit) => hit || Response.error()))
  );
});
