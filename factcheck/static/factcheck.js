// Behaviour that would otherwise be inline handlers, which the Content-Security-Policy forbids.
document.addEventListener("change", (event) => {
  const toggle = event.target.closest("[data-select-all]");
  if (!toggle) return;
  document.querySelectorAll(toggle.dataset.selectAll).forEach((box) => {
    box.checked = toggle.checked;
  });
});
