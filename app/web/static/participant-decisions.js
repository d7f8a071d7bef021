// The participant page's "People you met" forms (share my contact details? did we meet?):
// saved one at a time in the background, and refreshed after a round only when nobody is
// filling one in. participant.js calls `refresh()` when a round ends or the person is moved.
"use strict";

(function () {
  var L = window.speedmatchLive;
  var cfg = L.readConfig("sm-live");
  var area = document.getElementById("met-area");
  var stale = false; // a refresh waits for the answers being filled in

  function markDirty(event) {
    if (event.target.form) event.target.form.setAttribute("data-dirty", "");
  }

  // Never over an answer being filled in: then once the last one being filled in is saved.
  function refresh() {
    if (!cfg || !area) return;
    stale = !!area.querySelector("form[data-dirty]");
    if (!stale) L.refreshFragment(cfg.fragments.met, "met-area");
  }

  // Saving one answer must keep the others being filled in (a room of three, several rounds):
  // a page reload would drop them, and a later save would record "no" for a "yes" clicked.
  // So the form goes in the background and only it is replaced; on any trouble the plain
  // post shows the page or the reason.
  function save(event) {
    var form = event.target;
    if (!window.fetch || !window.DOMParser || !form.id) return;
    event.preventDefault();
    if (form.hasAttribute("data-sending")) return;
    form.setAttribute("data-sending", "");
    var body = new URLSearchParams(new FormData(form));
    // Nothing saved, the form says why: 422 choose first; 409 changed on another device, so it
    // shows the answers stored now (with the note typed here kept) and the next Save counts.
    var refused = false;
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        refused = response.status === 422 || response.status === 409;
        return response.ok || refused ? response.text() : Promise.reject(response);
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(form.id);
        if (!fresh) throw new Error("no form");
        form.replaceWith(fresh);
        if (refused) {
          // Still being filled in; its alert is read out as it enters the page.
          fresh.setAttribute("data-dirty", "");
          var first = fresh.querySelector("input[type=radio]");
          if (first) first.focus();
          return;
        }
        var button = fresh.querySelector("button[type=submit]");
        if (button) button.focus();
        // Its "Saved." is a status region: filled once it is in the page, so it is read out.
        var saved = fresh.querySelector("[role=status]");
        if (saved) {
          var text = saved.textContent;
          saved.textContent = "";
          setTimeout(function () { saved.textContent = text; }, 50);
        }
        L.refreshFragment(cfg.fragments.contacts, "contacts-area");
        if (stale) refresh();
      })
      .catch(function () { form.submit(); });
  }

  if (cfg && area) {
    area.addEventListener("input", markDirty);
    area.addEventListener("change", markDirty);
    area.addEventListener("submit", save);
  }
  window.speedmatchDecisions = { refresh: refresh };
})();
