// Small helpers every page uses: times in the viewer's own zone, copy-to-clipboard buttons.
"use strict";

(function () {
  // The page language, in the viewer's regional variant when it matches (en-GB: 24-hour clock).
  var lang = document.documentElement.lang || "en";
  var browserLang = navigator.language || "";
  if (browserLang.split("-")[0].toLowerCase() === lang) lang = browserLang;

  function localise(root) {
    var nodes = (root || document).querySelectorAll("time[data-local]");
    nodes.forEach(function (node) {
      var when = new Date(node.getAttribute("datetime"));
      if (isNaN(when.getTime())) return;
      var style = node.getAttribute("data-local");
      var opts = style === "time"
        ? { hour: "2-digit", minute: "2-digit" }
        : { dateStyle: style === "short" ? "short" : "medium", timeStyle: "short" };
      try {
        node.textContent = new Intl.DateTimeFormat(lang, opts).format(when);
      } catch (e) {
        node.textContent = when.toLocaleString();
      }
    });
    var zoneName = "";
    try { zoneName = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* old browser */ }
    document.querySelectorAll("[data-viewer-zone]").forEach(function (node) {
      node.textContent = zoneName ? "(" + zoneName + ")" : "";
    });
  }

  function wireCopyButtons() {
    document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy-target"));
        if (!target) return;
        var text = target.value !== undefined ? target.value : target.textContent;
        var status = document.getElementById(button.getAttribute("data-copy-status"));
        var done = function () { if (status) status.textContent = button.getAttribute("data-copied"); };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, function () {
            if (target.select) { target.select(); }
          });
        } else if (target.select) {
          target.select();
          document.execCommand("copy");
          done();
        }
      });
    });
  }

  // A form posted once is not posted again while its answer is on the way: a second press on a
  // slow network would, say, register twice and show "already registered" instead of the link.
  // A download keeps the page, and so does the back button (bfcache): the form works again then.
  var RESUBMIT_AFTER_MS = 10000;
  function guardResubmit(event) {
    var form = event.target;
    if (event.defaultPrevented || !form || (form.method || "").toLowerCase() !== "post") return;
    if (form.getAttribute("data-sending")) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sending", "true");
    setTimeout(function () { form.removeAttribute("data-sending"); }, RESUBMIT_AFTER_MS);
  }
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      form.removeAttribute("data-sending");
    });
  });
  document.addEventListener("submit", guardResubmit);

  window.speedmatch = { localise: localise };
  document.addEventListener("DOMContentLoaded", function () {
    localise(document);
    wireCopyButtons();
  });
})();
