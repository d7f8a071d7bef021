// The participant page's "Plan for today" list, kept current while the page stays open:
// participant.js calls `update(view, roundsDone)` after every change it shows.
"use strict";

(function () {
  var cfg = window.speedmatchLive.readConfig("sm-live") || {};

  // "Plan for today" as a reload would show it (pages_participant.plan_for_today): the current
  // round with its real start, the rounds done, and the rounds to come never before it ends.
  function update(view, done) {
    var earliest = null;
    document.querySelectorAll(".plan-list li[data-round]").forEach(function (item) {
      var n = Number(item.getAttribute("data-round"));
      if (n === view.current) item.setAttribute("aria-current", "step");
      else item.removeAttribute("aria-current");
      var mark = item.querySelector("[data-done]");
      if (mark) mark.hidden = n > done;
      var time = item.querySelector("time");
      if (!time) return;
      var shown = Date.parse(time.getAttribute("datetime"));
      var at = shown;
      var mine = n === view.current && view.round;
      if (mine && view.round.starts_at) at = Date.parse(view.round.starts_at);
      else if (n > view.current && earliest !== null) at = Math.max(at, earliest);
      if (at !== shown) {
        time.setAttribute("datetime", new Date(at).toISOString());
        if (window.speedmatch && window.speedmatch.localise) window.speedmatch.localise(item);
      }
      earliest = mine && view.round.ends_at
        ? Date.parse(view.round.ends_at) + cfg.breakSeconds * 1000
        : at + (cfg.roundSeconds + cfg.breakSeconds) * 1000;
    });
  }

  window.speedmatchPlan = { update: update };
})();
