/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  var WIDE = window.matchMedia("(min-width: 48.01rem)");

  // Copy buttons: the citation and the page's address (their text stays selectable without JS).
  // Without the Clipboard API (plain http, older browsers) or when it refuses, the button selects the
  // text and says how to copy it by hand; it never throws.
  function selectText(source) {
    try {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return true;
    } catch (error) {
      return false;
    }
  }
  function addCopyButton(source, label) {
    if (!source) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button secondary";
    button.textContent = label;
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    function byHand() {
      status.textContent = selectText(source)
        ? "已选中，请按 Ctrl+C（手机上长按）复制"
        : "请手动选择上面的文字复制";
    }
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      var clipboard = navigator.clipboard;
      if (!clipboard || typeof clipboard.writeText !== "function") {
        byHand();
        return;
      }
      try {
        clipboard.writeText(text).then(function () {
          status.textContent = "已复制";
        }, byHand);
      } catch (error) {
        byHand();
      }
    });
    source.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", status);
  }
  addCopyButton(document.getElementById("reference"), "复制引用");
  var shareUrl = document.getElementById("share-url");
  if (shareUrl) {
    addCopyButton(shareUrl, shareUrl.getAttribute("data-copy-label") || "复制链接");
  }

  // A form sent back with errors: its error summary takes the focus (it is also autofocused without JS).
  var errorSummary = document.querySelector("[data-focus-on-load]");
  if (errorSummary && document.activeElement !== errorSummary) {
    errorSummary.focus();
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
    // A select changes only on an explicit choice (WCAG 3.2.2): a pick with the mouse or Enter, never
    // while the arrow keys move through its options; then its own button (排序) applies it.
    var keyed = false;
    function submitKeepingFocus(control) {
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
    }
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          submitKeepingFocus(select);
        } else if (event.key !== "Tab" && event.key !== "Shift") {
          keyed = true;
        }
      });
      select.addEventListener("pointerdown", function () {
        keyed = false;
      });
    });
    form.addEventListener("change", function (event) {
      var control = event.target;
      if (!control.id) {
        return;
      }
      if (control.tagName === "SELECT" && keyed) {
        var applyChoice = form.querySelector(".apply-select[data-for='" + control.id + "']");
        if (applyChoice) {
          applyChoice.hidden = false;
        }
        return;
      }
      submitKeepingFocus(control);
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
  // It must never hide the focused element (WCAG 2.4.11): a focused element under it is scrolled above
  // it, and where the page cannot scroll further the button steps aside until the focus moves on.
  var backRow = document.querySelector(".back-to-top-row");
  var back = backRow && backRow.querySelector(".back-to-top");
  if (back) {
    var update = function () {
      var tall = document.documentElement.scrollHeight > window.innerHeight * 2;
      var floating = tall && window.scrollY > window.innerHeight;
      backRow.classList.toggle("is-short", !tall);
      back.classList.toggle("floating", floating);
      document.documentElement.classList.toggle("back-to-top-floating", floating);
    };
    var covers = function (element) {
      if (!back.classList.contains("floating") || element === back || back.classList.contains("stepped-aside")) {
        return 0;
      }
      var a = element.getBoundingClientRect();
      var b = back.getBoundingClientRect();
      var apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
      return apart ? 0 : a.bottom - b.top + 8;
    };
    var unobscure = function (element) {
      var overlap = covers(element);
      if (overlap > 0) {
        window.scrollBy(0, overlap);
        update();
        if (covers(element) > 0) {
          back.classList.add("stepped-aside");
        }
      }
    };
    update();
    window.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    document.addEventListener("focusin", function (event) {
      var target = event.target;
      back.classList.remove("stepped-aside");
      unobscure(target);
      // The browser may still scroll the element into view after this event: check again then.
      window.requestAnimationFrame(function () {
        unobscure(target);
      });
    });
  }
})();
