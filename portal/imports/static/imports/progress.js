// The progress bar of a running import: polls the import's status (JSON) and reloads
// the page when the run is over, which then shows the counts and rejected rows.
(function () {
    "use strict";
    const box = document.querySelector("[data-import-progress]");
    if (!box) return;
    const bar = box.querySelector("progress");
    const text = box.querySelector("[data-progress-text]");
    const url = box.dataset.statusUrl;
    let delay = 1000;

    function poll() {
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
            .then((status) => {
                bar.value = status.percent;
                text.textContent = status.text;
                if (!status.running) {
                    window.location.reload();
                    return;
                }
                delay = 1000;
                window.setTimeout(poll, delay);
            })
            .catch(() => {
                delay = Math.min(delay * 2, 15000);
                window.setTimeout(poll, delay);
            });
    }
    window.setTimeout(poll, delay);
})();
