/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  var WIDE = window.matchMedia("(min-width: 48.01rem)");

  // Copy buttons: the citation and the page's address (their text stays selectable without JS).
  function addCopyButton(source, label) {
    if (!source || !navigator.clipboard) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button secondary";
    button.textContent = label;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = "已复制";
      }, function () {
        button.textContent = "复制失败，请手动选择文字";
      });
    });
    source.insertAdjacentElement("afterend", button);
  }
  addCopyButton(document.getElementById("reference"), "复制引用");
  var shareUrl = document.getElementById("share-url");
  if (shareUrl) {
    addCopyButton(shareUrl, shareUrl.getAttribute("data-copy-label") || "复制链接");
  }

  // Print buttons are sent hidden: without JavaScript the browser's own print command does the same.
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });

  // The filters and the table of contents are sent folded (phones first); open them on wide screens.
  // There they stay open: their summary is then a heading, not a toggle (site.css lets clicks through).
  function openWide() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      var summary = details.querySelector("summary");
      if (WIDE.matches) {
        details.open = true;
      }
      if (summary) {
        summary.tabIndex = WIDE.matches ? -1 : 0;
      }
    });
  }
  openWide();
  if (WIDE.addEventListener) {
    WIDE.addEventListener("change", openWide);
  }

  // Filters apply as soon as a choice changes (WCAG 3.2.2: the form says so first). The choice
  // that changed keeps the focus after the page reloads, so keyboard users stay where they were.
  var FOCUS_KEY = "case-list-focus";
  var form = document.querySelector("form[data-auto-apply]");
  if (form) {
    var hint = form.querySelector(".filter-hint[data-js-text]");
    if (hint) {
      hint.textContent = hint.getAttribute("data-js-text");
    }
    var apply = form.querySelector(".apply-filters");
    if (apply) {
      apply.hidden = true;
    }
    form.addEventListener("change", function (event) {
      var control = event.target;
      if (!control.id) {
        return;
      }
      try {
        window.sessionStorage.setItem(FOCUS_KEY, control.id);
      } catch (error) {
        // Storage refused (private mode): the filters still apply.
      }
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    });
    var focusId = null;
    try {
      focusId = window.sessionStorage.getItem(FOCUS_KEY);
      window.sessionStorage.removeItem(FOCUS_KEY);
    } catch (error) {
      focusId = null;
    }
    var control = focusId && document.getElementById(focusId);
    if (control) {
      var parent = control.parentElement;
      while (parent) {
        if (parent.tagName === "DETAILS") {
          parent.open = true;
        }
        parent = parent.parentElement;
      }
      control.focus();
    }
  }

  // 返回顶部: hidden on short pages; on long ones it floats once the reader has scrolled a screen down.
  var backRow = document.querySelector(".back-to-top-row");
  var back = backRow && backRow.querySelector(".back-to-top");
  if (back) {
    var update = function () {
      var tall = document.documentElement.scrollHeight > window.innerHeight * 2;
      backRow.classList.toggle("is-short", !tall);
      back.classList.toggle("floating", tall && window.scrollY > window.innerHeight);
    };
    update();
    window.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
  }
})();
