/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  // A copy button for the citation reference.
  var reference = document.getElementById("reference");
  if (reference && navigator.clipboard) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "复制引用";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(reference.textContent.trim()).then(function () {
        button.textContent = "已复制";
      }, function () {
        button.textContent = "复制失败，请手动选择文字";
      });
    });
    reference.insertAdjacentElement("afterend", button);
  }

  // On a phone the filter panel starts closed unless a filter is active, so results come first.
  var panel = document.querySelector(".filters-panel");
  if (panel && window.matchMedia("(max-width: 48rem)").matches && !document.querySelector(".chips")) {
    panel.removeAttribute("open");
  }
})();
