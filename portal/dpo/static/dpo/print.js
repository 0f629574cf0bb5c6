// The printable worksheet's Print button (the CSP allows no inline handlers).
document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
});
