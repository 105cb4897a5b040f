// Every admin page (templates/admin/base_site.html); a static file, as the CSP forbids inline scripts.
// Django's two-pane selector (主题) puts aria-label on a bare <span> (its search icon), which ARIA
// does not allow on an element without a role: give those icons the role of an image.
window.addEventListener("load", () => {
  setTimeout(() => {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
  }, 0);
});
