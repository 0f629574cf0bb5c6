// Filter boxes for the long workplace and employer lists of the bulletin send form
// (branches/includes/choice_filter.html). Without this script the lists are shown whole.
// Matching ignores case and accents ("ostersund" finds Östersund); ticked items always
// stay listed, so a choice never disappears from view.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  document.querySelectorAll("[data-choice-filter]").forEach(function (box) {
    var search = box.querySelector(".choice-filter__search");
    var input = box.querySelector("[data-filter-input]");
    var status = box.querySelector("[data-filter-status]");
    var items = Array.prototype.slice.call(box.querySelectorAll("[data-filter-item]"));
    if (!input || items.length < 8) { return; }
    search.hidden = false;
    function update() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var text = fold(item.textContent);
        var ticked = item.querySelector("input").checked;
        var match = ticked || words.every(function (w) { return text.indexOf(w) !== -1; });
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      if (!words.length) { status.textContent = ""; return; }
      status.textContent = shown ? status.dataset.some.replace("{shown}", shown)
        .replace("{total}", items.length) : status.dataset.none;
    }
    input.addEventListener("input", update);
    // Enter in the filter box must not submit the form half-filled.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  });
}());
