// Every admin page (templates/admin/base_site.html); a static file, as the CSP forbids inline scripts.
// Django's two-pane selector (主题) puts aria-label on a bare <span> (its search icon), which ARIA
// does not allow on an element without a role: give those icons the role of an image.
// The search-select boxes (单位, 案例) are select2 comboboxes named only by their shown value, so an
// empty one has no name: name each after its field's label (and the value it shows).
function nameSearchSelects(root) {
  root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
    const label = select.id && document.querySelector(`label[for="${select.id}"]`);
    const box = select.parentElement && select.parentElement.querySelector(".select2-selection[role=combobox]");
    if (!label || !box) return;
    if (!label.id) label.id = `${select.id}-label`;
    const shown = box.querySelector(".select2-selection__rendered");
    box.setAttribute("aria-labelledby", shown && shown.id ? `${label.id} ${shown.id}` : label.id);
    if (shown) shown.setAttribute("aria-labelledby", label.id); // select2's role=textbox span
  });
}

window.addEventListener("load", () => {
  setTimeout(() => {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
    nameSearchSelects(document);
  }, 0);
});
document.addEventListener("formset:added", (event) => setTimeout(() => nameSearchSelects(event.target), 0));
