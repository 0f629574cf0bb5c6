// A minimal toolbar for the bulletin textarea: wraps the selection in a tag.
// The server sanitises whatever arrives (nh3), so this is a convenience only.
(function () {
  "use strict";
  var area = document.querySelector("textarea[data-bulletin-editor]");
  var bar = document.querySelector(".editor-toolbar");
  if (!area || !bar) { return; }
  bar.hidden = false;
  function wrap(open, close) {
    var start = area.selectionStart, end = area.selectionEnd, text = area.value;
    var selected = text.slice(start, end);
    area.value = text.slice(0, start) + open + selected + close + text.slice(end);
    area.focus();
    area.setSelectionRange(start + open.length, start + open.length + selected.length);
  }
  bar.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    if (button.dataset.link) {
      var href = window.prompt(button.dataset.prompt, "https://");
      if (href && /^(https?:|mailto:)/i.test(href)) {
        wrap('<a href="' + href.replace(/"/g, "%22") + '">', "</a>");
      }
      return;
    }
    var tag = button.dataset.wrap;
    if (tag === "ul") { wrap("<ul><li>", "</li></ul>"); } else { wrap("<" + tag + ">", "</" + tag + ">"); }
  });
}());
