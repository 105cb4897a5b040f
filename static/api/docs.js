/* Swagger UI in Chinese, with labels it leaves out (our own file: CSP allows no inline script).

Swagger UI has no translations of its own; this puts its fixed controls and headings into Chinese as
it draws them, names each parameter field after its parameter and lets the keyboard reach (and
scroll) each example. What comes from the OpenAPI description (paths, field names, types, media
types) stays as it is; so does the curl command line (README.md, "JSON API and open data"). */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || !window.MutationObserver) {
    return;
  }
  var WORDS = {
    "Try it out": "试用",
    "Cancel": "取消",
    "Execute": "执行",
    "Clear": "清除",
    "Parameters": "参数",
    "Responses": "响应",
    "Response": "响应",
    "Name": "名称",
    "Description": "说明",
    "Code": "状态码",
    "Links": "链接",
    "No links": "无链接",
    "Media type": "媒体类型",
    "Example Value": "示例值",
    "Schema": "结构",
    "Schemas": "数据结构",
    "Download": "下载",
    "Request URL": "请求地址",
    "Server response": "服务器响应",
    "Response body": "响应正文",
    "Response headers": "响应头",
    "Details": "详情",
    "Curl": "curl 命令",
    "No parameters": "无参数",
    "Loading...": "加载中…",
    "Undocumented": "未说明",
    "Controls Accept header.": "决定 Accept 请求头。",
    "Servers": "服务器",
    "Reset": "重置",
    "Expand all": "全部展开",
    "Collapse all": "全部收起",
    "Example": "示例",
    "Default value": "默认值",
    "Available values": "可选值",
    "Send empty value": "发送空值",
    "Add string item": "添加一项",
    "Add item": "添加一项",
    "Failed to fetch.": "请求失败。",
    "Possible Reasons:": "可能的原因：",
    "Copy to clipboard": "复制到剪贴板",
  };
  var LABELS = {
    "Copy to clipboard": "复制到剪贴板",
    "Expand operation": "展开接口",
    "Collapse operation": "收起接口",
    "Media Type": "媒体类型",
  };
  function translateText(node) {
    var text = node.nodeValue;
    var key = text && text.trim();
    if (key && Object.prototype.hasOwnProperty.call(WORDS, key)) {
      node.nodeValue = text.replace(key, WORDS[key]);
    }
  }
  function translate(scope) {
    var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      translateText(walker.currentNode);
    }
    scope.querySelectorAll("[aria-label], [title]").forEach(function (element) {
      ["aria-label", "title"].forEach(function (name) {
        var value = element.getAttribute(name);
        if (value && LABELS[value]) {
          element.setAttribute(name, LABELS[value]);
        }
      });
    });
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
    translate(root);
  }
  var pending = false;
  new MutationObserver(function () {
    if (pending) {
      return;
    }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      mend();
    });
  }).observe(root, { childList: true, subtree: true, characterData: true });
})();
