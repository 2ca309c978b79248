// @ts-check
// The moderation desk's select-all box. The page works without it (each row
// has its own box); with it, the header's box ticks or clears every row and
// shows when only some are ticked.
(() => {
  const all = document.getElementById("select-all");
  const table = all?.closest("table");
  if (!(all instanceof HTMLInputElement) || !table) return;
  const rows = () => [...table.querySelectorAll('tbody input[type="checkbox"][name="id"]')].filter((box) => box instanceof HTMLInputElement);
  const sync = () => {
    const boxes = rows();
    const ticked = boxes.filter((box) => box.checked).length;
    all.checked = boxes.length > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  };
  all.hidden = false;
  all.addEventListener("change", () => {
    for (const box of rows()) box.checked = all.checked;
  });
  table.addEventListener("change", (event) => {
    if (event.target !== all) sync();
  });
  sync();
})();
