// The case form's sections (CaseSectionInline): 上移 / 下移 buttons that swap two sections' 顺序
// (saved atomically by the server, cases.editorial.admin_parts.SectionFormSet), and a new
// section's 顺序 prefilled after the last one. A static file: the CSP forbids inline scripts.
(function () {
  "use strict";
  const GROUP = "#sections-group";

  function rows() {
    return Array.from(document.querySelectorAll(GROUP + " .inline-related"))
      .filter((row) => !row.classList.contains("empty-form") && row.id && !row.id.endsWith("-empty"));
  }

  function orderInput(row) {
    return row.querySelector('input[name$="-order"]');
  }

  function label(row) {
    const heading = row.querySelector('input[name$="-heading"]');
    return heading && heading.value ? heading.value : "导语";
  }

  function move(row, step) {
    const list = rows();
    const index = list.indexOf(row);
    const other = list[index + step];
    if (!other) {
      return;
    }
    const a = orderInput(row);
    const b = orderInput(other);
    if (a && b) {
      [a.value, b.value] = [b.value, a.value];
    }
    if (step < 0) {
      other.parentNode.insertBefore(row, other);
    } else {
      other.parentNode.insertBefore(other, row);
    }
    const status = document.getElementById("sections-move-status");
    if (status) {
      status.textContent = `已把“${label(row)}”${step < 0 ? "上移" : "下移"}，保存后生效。`;
    }
    row.querySelector(step < 0 ? ".section-up" : ".section-down").focus();
  }

  function addButtons(row) {
    if (row.querySelector(".section-move")) {
      return;
    }
    const bar = document.createElement("span");
    bar.className = "section-move";
    for (const [cls, text, step] of [["section-up", "上移", -1], ["section-down", "下移", 1]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button " + cls;
      button.textContent = text;
      button.setAttribute("aria-label", `${text}章节`);
      button.addEventListener("click", () => move(row, step));
      bar.appendChild(button);
    }
    const title = row.querySelector("h3") || row.firstElementChild;
    title.appendChild(bar);
  }

  function nextOrder(except) {
    let max = -1;
    for (const row of rows()) {
      const input = orderInput(row);
      if (row !== except && input && input.value !== "" && !Number.isNaN(Number(input.value))) {
        max = Math.max(max, Number(input.value));
      }
    }
    return max + 1;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const group = document.querySelector(GROUP);
    if (!group) {
      return;
    }
    const status = document.createElement("p");
    status.id = "sections-move-status";
    status.className = "help";
    status.setAttribute("role", "status");
    group.insertBefore(status, group.firstChild);
    rows().forEach(addButtons);
  });

  document.addEventListener("formset:added", (event) => {
    if (!event.detail || event.detail.formsetName !== "sections") {
      return;
    }
    const row = event.target;
    const input = orderInput(row);
    if (input && input.value === "") {
      input.value = nextOrder(row);
    }
    addButtons(row);
  });
})();
