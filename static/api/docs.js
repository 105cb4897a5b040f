/* Labels Swagger UI leaves out (our own file: CSP allows no inline script). Swagger UI draws its
   parameter fields without labels and its scrolling examples without a way in for the keyboard; this
   names each field after its parameter and lets the keyboard reach (and scroll) each example. */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || !window.MutationObserver) {
    return;
  }
  function mend() {
    root.querySelectorAll("tr[data-param-name]").forEach(function (row) {
      var name = row.getAttribute("data-param-name");
      row.querySelectorAll("select, input, textarea").forEach(function (control) {
        if (!control.hasAttribute("aria-label") && !(control.labels && control.labels.length)) {
          control.setAttribute("aria-label", "参数 " + name);
        }
      });
    });
    root.querySelectorAll("pre, .microlight").forEach(function (block) {
      if (!block.hasAttribute("tabindex")) {
        block.setAttribute("tabindex", "0");
      }
    });
  }
  new MutationObserver(mend).observe(root, { childList: true, subtree: true });
})();
