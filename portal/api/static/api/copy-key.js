// The API client's new key: the copy button puts it on the clipboard (or selects it
// where the clipboard API is not there, e.g. on plain http), and says so.
document.querySelectorAll("[data-copy-key]").forEach((button) => {
  button.addEventListener("click", async () => {
    const input = document.getElementById(button.dataset.copyKey);
    const status = document.getElementById("api-key-status");
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      if (status) status.textContent = button.dataset.copied;
    } catch (error) {
      // Selected above: if this fails too, the admin copies the selection by hand.
      if (document.execCommand("copy") && status) status.textContent = button.dataset.copied;
    }
  });
});
