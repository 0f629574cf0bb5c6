// Wagtail's Draftail in the front-end bulletin form (the rest of its scripts are
// Wagtail's own, see branches/includes/draftail_media.html). Officials who rarely write
// find the formatting buttons more easily when the toolbar stays in view: pinned
// unless the user has chosen otherwise (Draftail's own "pin toolbar" switch).
(function () {
  "use strict";
  try {
    if (!window.localStorage.getItem("wagtail:draftail-toolbar")) {
      window.localStorage.setItem("wagtail:draftail-toolbar", "sticky");
    }
  } catch (error) { /* storage disabled: Draftail's default */ }
}());
