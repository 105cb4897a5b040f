// The export page's 全选 box (templates/admin/import_export/export.html): checks or clears every
// column box. A static file, because the CSP blocks inline handlers such as onchange="...".
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("select-all-toggle");
  if (!toggle) {
    return;
  }
  const boxes = () => document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]');
  toggle.addEventListener("change", () => {
    boxes().forEach((box) => {
      box.checked = toggle.checked;
    });
  });
  // Keep 全选 truthful when single boxes change.
  document.addEventListener("change", (event) => {
    if (event.target !== toggle && event.target.closest(".selectable-field-export-row")) {
      toggle.checked = Array.from(boxes()).every((box) => box.checked);
    }
  });
});
