// The statement list's bulk bar: show "select all on this page" (useless without a script, so hidden until
// now), keep it in step with the single boxes, and say how many are selected. Ticking it is factcheck.js's
// data-select-all; the form itself works without any of this.
(() => {
  "use strict";

  const all = document.getElementById("bulk-all");
  const count = document.getElementById("bulk-count");
  if (!all) return;
  const boxes = () => Array.from(document.querySelectorAll(all.dataset.selectAll));

  const update = () => {
    const ticked = boxes().filter((box) => box.checked).length;
    const total = boxes().length;
    all.checked = total > 0 && ticked === total;
    all.indeterminate = ticked > 0 && ticked < total;
    count.textContent = ticked ? `${ticked} selected` : "";
  };

  document.getElementById("bulk-select-all").hidden = boxes().length === 0;
  document.addEventListener("change", (event) => {
    if (event.target === all || event.target.matches(all.dataset.selectAll)) update();
  });
  update();
})();
