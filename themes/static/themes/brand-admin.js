/* Brand settings in the admin (themes/brand_admin.py): a colour picker beside each
   #rrggbb field, and a preview of the top bar, a button and a link that follows the
   fields as they change, with the WCAG contrast of the pair (themes/contrast.py). */
(function () {
  "use strict";

  var HEX = /^#[0-9a-f]{6}$/i;
  var AA = 4.5;
  var SURFACE = "#ffffff";
  var TEXT = "#1d1d1f";

  function channel(value) {
    var c = value / 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  function luminance(colour) {
    var n = parseInt(colour.slice(1), 16);
    return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) +
      0.0722 * channel(n & 255);
  }

  function contrast(a, b) {
    var x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }

  // The colour a field stands for: its value, or the union's colour while it is empty.
  function colourOf(text) {
    var value = text.value.trim();
    if (value === "") { return text.dataset.fallback || null; }
    return HEX.test(value) ? value.toLowerCase() : null;
  }

  function init() {
    var texts = Array.prototype.slice.call(document.querySelectorAll("[data-brand-colour-text]"));
    var preview = document.querySelector("[data-brand-preview]");
    var byRole = {};

    texts.forEach(function (text) {
      var picker = document.querySelector('[data-brand-colour-picker][data-for="' + text.id + '"]');
      if (text.dataset.brandColourRole) { byRole[text.dataset.brandColourRole] = text; }
      if (!picker) { return; }
      picker.addEventListener("input", function () {
        text.value = picker.value;
        text.dispatchEvent(new Event("change", { bubbles: true }));
        draw();
      });
      text.addEventListener("input", function () {
        var colour = colourOf(text);
        if (colour) { picker.value = colour; }
        draw();
      });
    });

    var font = document.getElementById("id_font");
    var stacks = {};
    if (preview && preview.dataset.fontStacks) {
      try { stacks = JSON.parse(preview.dataset.fontStacks); } catch (error) { stacks = {}; }
    }
    if (font) { font.addEventListener("change", draw); }

    function draw() {
      if (!preview) { return; }
      var primary = byRole.primary && colourOf(byRole.primary);
      var secondary = byRole.secondary && colourOf(byRole.secondary);
      var message = preview.querySelector("[data-brand-preview-contrast]");
      if (font && stacks[font.value]) {
        preview.style.setProperty("--preview-font", stacks[font.value]);
      }
      if (!primary || !secondary) {
        preview.classList.add("brand-preview--invalid");
        message.textContent = preview.dataset.textInvalid;
        return;
      }
      var ratio = contrast(primary, secondary);
      var link = contrast(primary, SURFACE) >= AA ? primary :
        (contrast(secondary, SURFACE) >= AA ? secondary : TEXT);
      preview.classList.remove("brand-preview--invalid");
      preview.style.setProperty("--preview-primary", primary);
      preview.style.setProperty("--preview-on-primary", secondary);
      preview.style.setProperty("--preview-link", link);
      var ok = ratio >= AA;
      preview.classList.toggle("brand-preview--low", !ok);
      message.textContent = (ok ? preview.dataset.textOk : preview.dataset.textLow)
        .replace("{ratio}", ratio.toLocaleString(document.documentElement.lang || undefined,
          { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
    }

    draw();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
