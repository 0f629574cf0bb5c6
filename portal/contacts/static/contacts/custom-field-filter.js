/* The people list's custom-field filter (contacts/filters.py): shows the value inputs
 * the chosen field needs — a text value, a from–to range for numbers and dates, none
 * for a choice (its value is chosen with the field). Without this script the server
 * shows those of the field last applied (all of them before one is chosen).
 * A static file: the admin's Content-Security-Policy runs no inline scripts. */
(function () {
    "use strict";

    function setup(box) {
        var select = box.querySelector("select");
        var form = box.closest("form");
        var kinds = JSON.parse(box.getAttribute("data-kinds") || "{}");
        function update() {
            var pk = select.value.split("=")[0];
            var kind = pk ? (kinds[pk] || "text") : "";
            form.querySelectorAll("[data-value-kind]").forEach(function (part) {
                var shown = kind !== "" && part.getAttribute("data-value-kind") === kind;
                part.hidden = !shown;
                // A hidden input sends nothing: a stale value does not filter.
                part.querySelectorAll("input").forEach(function (input) {
                    input.disabled = !shown;
                });
            });
        }
        select.addEventListener("change", update);
        update();
    }

    function init() {
        document.querySelectorAll("[data-custom-field-filter]").forEach(setup);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
