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

// Draftail writes the text into the form's hidden input a moment (250 ms) after the last
// change. A save pressed within that moment would post the text as it was before, and a
// new bulletin would come back empty: hold the submission until the moment has passed.
(function () {
  "use strict";
  var SETTLE_MS = 300;
  var lastEdit = 0;
  function noteEdit(event) {
    var target = event.target;
    if (target && target.closest && target.closest(".Draftail-Editor, .modal")) {
      lastEdit = Date.now();
    }
  }
  ["keydown", "input", "paste", "cut", "drop", "mouseup", "focusout"].forEach(function (name) {
    document.addEventListener(name, noteEdit, true);
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.querySelector || !form.querySelector(".Draftail-Editor")) { return; }
    if (form.dataset.draftailSettled === "1") {
      delete form.dataset.draftailSettled;
      return;
    }
    var wait = lastEdit + SETTLE_MS - Date.now();
    if (wait <= 0) { return; }
    event.preventDefault();
    var submitter = event.submitter || null;
    window.setTimeout(function () {
      form.dataset.draftailSettled = "1";
      if (form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
    }, wait);
  }, true);
}());
