/* Person combobox of the union admin panel (adminpanel.forms.PersonCombobox).
 *
 * Search as you type: the text box asks the panel's people search (JSON, scoped to the
 * union on the server) and lists the matches; choosing one puts the person's id in the
 * hidden input. ARIA 1.2 combobox with a listbox popup: arrow keys move, Enter
 * chooses, Escape closes; a live region says how many suggestions there are.
 * A static file, as the admin's Content-Security-Policy runs no inline scripts. */
(function () {
    "use strict";

    var DELAY = 200;
    var MIN_LENGTH = 2;

    function setup(root) {
        var input = root.querySelector("[data-combobox-input]");
        var value = root.querySelector("[data-combobox-value]");
        var list = root.querySelector("[data-combobox-list]");
        var status = root.querySelector("[data-combobox-status]");
        var url = root.getAttribute("data-search-url");
        var timer = null;
        var request = null;
        var results = [];
        var active = -1;
        var chosenText = input.value;

        function close() {
            list.hidden = true;
            list.innerHTML = "";
            input.setAttribute("aria-expanded", "false");
            input.removeAttribute("aria-activedescendant");
            active = -1;
        }

        function highlight(index) {
            var options = list.querySelectorAll("[role=option]");
            options.forEach(function (option, i) {
                option.setAttribute("aria-selected", i === index ? "true" : "false");
            });
            active = index;
            if (index >= 0 && options[index]) {
                input.setAttribute("aria-activedescendant", options[index].id);
                options[index].scrollIntoView({block: "nearest"});
            } else {
                input.removeAttribute("aria-activedescendant");
            }
        }

        function choose(index) {
            var person = results[index];
            if (!person) { return; }
            value.value = person.id;
            input.value = person.name;
            chosenText = person.name;
            close();
            status.textContent = person.name + (person.detail ? ", " + person.detail : "");
        }

        function show(people) {
            results = people;
            list.innerHTML = "";
            if (!people.length) {
                var empty = document.createElement("li");
                empty.className = "person-combobox__empty";
                empty.textContent = root.getAttribute("data-text-none");
                list.appendChild(empty);
                status.textContent = root.getAttribute("data-text-none");
            }
            people.forEach(function (person, i) {
                var option = document.createElement("li");
                option.id = input.id + "_option_" + i;
                option.className = "person-combobox__option";
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                var name = document.createElement("span");
                name.className = "person-combobox__name";
                name.textContent = person.name;
                option.appendChild(name);
                if (person.detail) {
                    var detail = document.createElement("span");
                    detail.className = "person-combobox__detail";
                    detail.textContent = person.detail;
                    option.appendChild(detail);
                }
                // mousedown, not click: the text box must not lose the choice on blur first.
                option.addEventListener("mousedown", function (event) {
                    event.preventDefault();
                    choose(i);
                });
                list.appendChild(option);
            });
            if (people.length) {
                status.textContent = root.getAttribute("data-text-count")
                    .replace("{count}", String(people.length));
            }
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
            active = -1;
        }

        function search() {
            var query = input.value.trim();
            if (request) { request.abort(); }
            if (query.length < MIN_LENGTH) { close(); return; }
            request = new AbortController();
            fetch(url + "?q=" + encodeURIComponent(query), {
                credentials: "same-origin",
                headers: {"Accept": "application/json"},
                signal: request.signal
            }).then(function (response) {
                if (!response.ok) { throw new Error(String(response.status)); }
                return response.json();
            }).then(function (data) {
                if (input.value.trim() === query) { show(data.results || []); }
            }).catch(function (error) {
                if (error.name !== "AbortError") {
                    status.textContent = root.getAttribute("data-text-error");
                }
            });
        }

        input.addEventListener("input", function () {
            // Typed text is no longer the chosen person: nobody is chosen until picked.
            if (input.value !== chosenText) { value.value = ""; }
            clearTimeout(timer);
            timer = setTimeout(search, DELAY);
        });

        input.addEventListener("keydown", function (event) {
            var count = results.length;
            if (event.key === "ArrowDown") {
                event.preventDefault();
                if (list.hidden) { search(); return; }
                if (count) { highlight((active + 1) % count); }
            } else if (event.key === "ArrowUp") {
                event.preventDefault();
                if (count && !list.hidden) { highlight(active <= 0 ? count - 1 : active - 1); }
            } else if (event.key === "Enter") {
                if (!list.hidden && active >= 0) {
                    event.preventDefault();  // choose, do not submit the form
                    choose(active);
                }
            } else if (event.key === "Escape") {
                if (!list.hidden) { event.preventDefault(); close(); }
            }
        });

        input.addEventListener("blur", function () { close(); });
    }

    function init() {
        document.querySelectorAll("[data-person-combobox]").forEach(setup);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
