// The employment form's employer and workplace fields as WAI-ARIA 1.2 comboboxes that
// search as you type (the JSON of /search/organisations/; workplaces only of the chosen
// employer). Without this script each field has a Search button that posts the form back
// with the matches as radio buttons, so the page works without it. A static file: the
// CSP allows no inline scripts. Titles are put in with textContent only.
(function () {
  "use strict";
  var form = document.querySelector("form.employment-form");
  if (!form || !window.fetch) { return; }
  var endpoint = form.getAttribute("data-choices-url");
  var pickers = {};

  function Picker(fieldset) {
    var self = this;
    this.kind = fieldset.getAttribute("data-picker");
    this.dependsOn = fieldset.getAttribute("data-depends-on");
    this.fieldset = fieldset;
    this.input = fieldset.querySelector(".picker__input");
    var checked = fieldset.querySelector('input[type="radio"]:checked');
    // The chosen id travels in a hidden field of the form field's own name; the radio
    // buttons and the Search button are for the page without JavaScript.
    this.hidden = document.createElement("input");
    this.hidden.type = "hidden";
    this.hidden.name = this.kind;
    this.hidden.value = checked ? checked.value : "";
    this.chosenTitle = checked ? checked.getAttribute("data-title") : "";
    Array.prototype.forEach.call(fieldset.querySelectorAll(".picker__options, .picker__find, p[role=status]"),
      function (element) { element.parentNode.removeChild(element); });
    fieldset.appendChild(this.hidden);

    var wrap = document.createElement("div");
    wrap.className = "combobox";
    this.input.parentNode.insertBefore(wrap, this.input);
    wrap.appendChild(this.input);
    this.listbox = document.createElement("div");
    this.listbox.id = this.kind + "-options";
    this.listbox.className = "suggestions";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.setAttribute("aria-label", fieldset.querySelector("legend").textContent.trim());
    this.listbox.hidden = true;
    wrap.appendChild(this.listbox);
    this.status = document.createElement("p");
    this.status.id = this.kind + "-status";
    this.status.className = "picker__status";
    this.status.setAttribute("role", "status");
    fieldset.appendChild(this.status);

    this.input.removeAttribute("name");
    this.input.value = this.chosenTitle;
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", this.listbox.id);
    this.input.setAttribute("aria-describedby", this.status.id);

    this.options = [];
    this.active = -1;
    this.timer = null;
    this.controller = null;

    this.input.addEventListener("input", function () {
      // What is shown is no longer the choice: choose again (or leave it empty).
      self.choose(null, true);
      window.clearTimeout(self.timer);
      self.timer = window.setTimeout(function () { self.suggest(); }, 150);
    });
    this.input.addEventListener("focus", function () {
      // A chosen employer's workplaces are offered before anything is typed.
      if (self.dependsOn && !self.input.value.trim()) { self.suggest(); }
    });
    this.input.addEventListener("keydown", function (event) { self.keydown(event); });
    this.input.addEventListener("blur", function () { self.close(); });
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", function (event) {
      var target = event.target.closest('[role="option"]');
      if (target) { self.pick(target); }
    });
  }

  Picker.prototype.message = function (name, count) {
    this.status.textContent = (this.fieldset.getAttribute("data-" + name) || "")
      .replace("{count}", String(count || 0));
  };

  Picker.prototype.setActive = function (index) {
    if (this.active >= 0 && this.options[this.active]) {
      this.options[this.active].setAttribute("aria-selected", "false");
    }
    this.active = index;
    if (index >= 0 && this.options[index]) {
      this.options[index].setAttribute("aria-selected", "true");
      this.input.setAttribute("aria-activedescendant", this.options[index].id);
      this.options[index].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Picker.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.setActive(-1);
  };

  Picker.prototype.render = function (results) {
    var self = this;
    this.listbox.textContent = "";
    this.options = [];
    this.active = -1;
    results.forEach(function (result, i) {
      var option = document.createElement("div");
      option.id = self.kind + "-option-" + i;
      option.className = "suggestions__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-id", String(result.id));
      option.setAttribute("data-title", result.title);
      var title = document.createElement("span");
      title.textContent = result.title;
      option.appendChild(title);
      if (result.subtitle) {
        var more = document.createElement("span");
        more.className = "suggestions__subtitle";
        more.textContent = result.subtitle;
        option.appendChild(more);
      }
      self.options.push(option);
      self.listbox.appendChild(option);
    });
    this.listbox.hidden = results.length === 0;
    this.input.setAttribute("aria-expanded", results.length ? "true" : "false");
    this.message(results.length ? "some" : "none", results.length);
  };

  Picker.prototype.suggest = function () {
    var self = this;
    var query = this.input.value.trim();
    var url = new URL(endpoint, window.location.href);
    url.searchParams.set("kind", this.kind);
    url.searchParams.set("q", query);
    if (this.dependsOn) {
      var parent = pickers[this.dependsOn];
      if (!parent || !parent.hidden.value) { this.close(); this.message("needs"); return; }
      url.searchParams.set("employer", parent.hidden.value);
    } else if (!query) {
      this.close();
      this.status.textContent = "";
      return;
    }
    if (this.controller) { this.controller.abort(); }
    this.controller = window.AbortController ? new AbortController() : null;
    fetch(url.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: this.controller ? this.controller.signal : undefined
    }).then(function (response) {
      return response.ok ? response.json() : { results: [] };
    }).then(function (data) {
      if (self.input.value.trim() === query && document.activeElement === self.input) {
        self.render(data.results || []);
      }
    }).catch(function () {});
  };

  // Set the field's value (null: nothing chosen). `typing`: the text stays as typed.
  Picker.prototype.choose = function (option, typing) {
    var id = option ? option.getAttribute("data-id") : "";
    var changed = this.hidden.value !== id;
    this.hidden.value = id;
    this.chosenTitle = option ? option.getAttribute("data-title") : "";
    if (!typing) { this.input.value = this.chosenTitle; }
    this.input.removeAttribute("aria-invalid");
    if (changed) {
      // A workplace belongs to one employer: choosing another employer empties it.
      Object.keys(pickers).forEach(function (key) {
        var other = pickers[key];
        if (other.dependsOn === this.kind) { other.choose(null); other.status.textContent = ""; }
      }, this);
    }
  };

  Picker.prototype.pick = function (option) {
    this.choose(option);
    this.close();
    this.status.textContent = "";
  };

  Picker.prototype.keydown = function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (this.listbox.hidden) { this.suggest(); return; }
      var next = this.active + (event.key === "ArrowDown" ? 1 : -1);
      if (next < -1) { next = this.options.length - 1; }
      if (next >= this.options.length) { next = -1; }
      this.setActive(next);
    } else if (event.key === "Enter") {
      // Enter chooses; it never submits the form from here.
      event.preventDefault();
      if (!this.listbox.hidden && this.active >= 0) { this.pick(this.options[this.active]); }
    } else if (event.key === "Escape" && !this.listbox.hidden) {
      event.preventDefault();
      this.close();
    }
  };

  Array.prototype.forEach.call(form.querySelectorAll(".picker"), function (fieldset) {
    var picker = new Picker(fieldset);
    pickers[picker.kind] = picker;
  });

  // A name typed but not chosen from the list would be lost: say so instead of saving.
  form.addEventListener("submit", function (event) {
    Object.keys(pickers).forEach(function (key) {
      var picker = pickers[key];
      if (picker.input.value.trim() && !picker.hidden.value && !event.defaultPrevented) {
        event.preventDefault();
        picker.input.setAttribute("aria-invalid", "true");
        picker.message("unchosen");
        picker.input.focus();
      }
    });
  });
})();
