/* Search suggestions for the site's search boxes: the ARIA 1.2 combobox pattern with a list
   popup (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/). Progressive enhancement only:
   without this file the boxes are plain search fields that submit to the case list.

   Keys: Down/Up move through the suggestions (Alt+Down opens them), Enter opens the chosen one
   (or searches what was typed when none is chosen), Escape closes the list, or clears the box
   when it is closed. Suggestions come from GET /api/v1/suggest/?q= (address in data-suggest-url). */
(function () {
  "use strict";

  var script = document.currentScript;
  var endpoint = script && script.getAttribute("data-suggest-url");
  if (!endpoint || !window.fetch) {
    return;
  }
  var KIND_LABELS = { title: "案例", place: "地区", term: "搜索词" };
  var DELAY = 150;

  function Combobox(input) {
    this.input = input;
    this.id = (input.id || "search") + "-suggest";
    this.items = [];
    this.active = -1;
    this.timer = null;
    this.request = null;
    this.typed = "";

    this.list = document.createElement("ul");
    this.list.id = this.id + "-list";
    this.list.className = "suggest-list";
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", "搜索建议");
    this.list.hidden = true;

    this.status = document.createElement("div");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);
    input.setAttribute("autocomplete", "off");
    input.parentElement.classList.add("suggest-host");
    input.insertAdjacentElement("afterend", this.list);
    this.list.insertAdjacentElement("afterend", this.status);

    input.addEventListener("input", this.onInput.bind(this));
    input.addEventListener("keydown", this.onKeydown.bind(this));
    input.addEventListener("blur", this.onBlur.bind(this));
    this.list.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the box while choosing with the mouse
    });
    this.list.addEventListener("click", this.onClick.bind(this));
  }

  Combobox.prototype.onInput = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.typed = this.input.value;
    if (!this.typed.trim()) {
      this.items = []; // an emptied box has no suggestions to reopen
      this.close();
      return;
    }
    this.timer = window.setTimeout(function () {
      self.fetch(self.typed);
    }, DELAY);
  };

  Combobox.prototype.fetch = function (text) {
    var self = this;
    if (this.request && this.request.abort) {
      this.request.abort();
    }
    this.request = window.AbortController ? new AbortController() : null;
    var options = { headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (this.request) {
      options.signal = this.request.signal;
    }
    window.fetch(endpoint + "?q=" + encodeURIComponent(text), options)
      .then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      })
      .then(function (data) {
        if (self.input.value === text) {
          self.show(data.suggestions || []);
        }
      })
      .catch(function () {
        /* Network trouble or an aborted request: the box still searches on submit. */
      });
  };

  Combobox.prototype.show = function (suggestions) {
    var self = this;
    this.items = suggestions;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.list.textContent = "";
    suggestions.forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = self.id + "-option-" + index;
      option.className = "suggest-option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      var text = document.createElement("span");
      text.className = "suggest-text";
      text.textContent = item.text;
      var kind = document.createElement("span");
      kind.className = "suggest-kind";
      kind.textContent = KIND_LABELS[item.kind] || "";
      // A separator for screen readers: the option's name is "凉山，地区", not "凉山地区".
      var separator = document.createElement("span");
      separator.className = "visually-hidden";
      separator.textContent = "，";
      option.appendChild(text);
      if (kind.textContent) {
        text.appendChild(separator);
      }
      option.appendChild(kind);
      self.list.appendChild(option);
    });
    if (suggestions.length) {
      this.list.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
      this.status.textContent = "有 " + suggestions.length + " 条搜索建议，按上下方向键选择。";
    } else {
      this.close();
    }
  };

  Combobox.prototype.close = function () {
    this.list.hidden = true;
    this.status.textContent = ""; // the live region no longer speaks of a closed list
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  };

  Combobox.prototype.isOpen = function () {
    return !this.list.hidden;
  };

  Combobox.prototype.move = function (step) {
    if (!this.items.length) {
      return;
    }
    if (!this.isOpen()) {
      this.show(this.items);
    }
    var next = this.active + step;
    if (next < -1) {
      next = this.items.length - 1;
    } else if (next >= this.items.length) {
      next = -1;
    }
    this.select(next);
  };

  Combobox.prototype.select = function (index) {
    var options = this.list.querySelectorAll("[role=option]");
    for (var i = 0; i < options.length; i += 1) {
      options[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    this.active = index;
    if (index >= 0) {
      this.input.setAttribute("aria-activedescendant", options[index].id);
      this.input.value = this.items[index].text;
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
      this.input.value = this.typed;
    }
  };

  Combobox.prototype.choose = function (index) {
    var item = this.items[index];
    if (item) {
      this.close();
      window.location.assign(item.url);
    }
  };

  Combobox.prototype.onKeydown = function (event) {
    if (event.key === "ArrowDown" || event.key === "Down") {
      if (event.altKey && this.items.length) {
        this.show(this.items);
      } else {
        this.move(1);
      }
      event.preventDefault();
    } else if (event.key === "ArrowUp" || event.key === "Up") {
      this.move(-1);
      event.preventDefault();
    } else if (event.key === "Enter") {
      if (this.isOpen() && this.active >= 0) {
        event.preventDefault();
        this.choose(this.active);
      } else {
        this.close(); // the form submits what was typed
      }
    } else if (event.key === "Escape" || event.key === "Esc") {
      if (this.isOpen()) {
        this.select(-1);
        this.close();
      } else {
        this.input.value = "";
        this.typed = "";
        this.items = []; // ArrowDown must not bring back the cleared text's suggestions
      }
      event.preventDefault();
    } else if (event.key === "Tab") {
      this.close();
    }
  };

  Combobox.prototype.onBlur = function () {
    this.close();
  };

  Combobox.prototype.onClick = function (event) {
    var option = event.target.closest("[role=option]");
    if (option) {
      this.choose(Number(option.getAttribute("data-index")));
    }
  };

  var boxes = document.querySelectorAll("form[role=search] input[type=search][name=q]");
  for (var i = 0; i < boxes.length; i += 1) {
    new Combobox(boxes[i]);
  }
})();
