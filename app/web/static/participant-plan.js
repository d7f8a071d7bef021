// The participant page's "Plan for today" list, kept current while the page stays open:
// participant.js calls `update(view, roundsDone, serverNow)` after every change it shows.
"use strict";

(function () {
  var cfg = window.speedmatchLive.readConfig("sm-live") || {};

  // "Plan for today" as a reload would show it (pages_participant.plan_for_today): the current
  // round with its real start, the rounds done, and the rounds to come never before it ends.
  function update(view, done, now) {
    var earliest = null;
    var list = document.querySelector(".plan-list");
    var minutesText = list && list.getAttribute("data-minutes-text");
    document.querySelectorAll(".plan-list li[data-round]").forEach(function (item) {
      var n = Number(item.getAttribute("data-round"));
      if (n === view.current) item.setAttribute("aria-current", "step");
      else item.removeAttribute("aria-current");
      var mark = item.querySelector("[data-done]");
      if (mark) mark.hidden = n > done;
      var seconds = n === view.current ? length(view.round, now) : null;
      var minutes = item.querySelector("[data-minutes]");
      if (minutes && minutesText && seconds !== null) {
        minutes.textContent = window.speedmatchLive.format(minutesText, { minutes: Math.round(seconds / 60) });
      }
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
        ? Date.parse(view.round.ends_at) + (cfg.breakSeconds + (view.round.break_held_s || 0)) * 1000
        : at + (cfg.roundSeconds + cfg.breakSeconds) * 1000;
    });
  }

  // The round's real length (extended, paused), as pages_participant.round_length: a paused
  // round would end its time left after now. Null when the page does not know its times.
  function length(round, now) {
    if (!round || !round.starts_at) return null;
    var start = Date.parse(round.starts_at);
    if (round.status === "paused" && round.remaining_s !== null && round.remaining_s !== undefined) {
      return (now - start) / 1000 + round.remaining_s;
    }
    if (!round.ends_at) return null;
    return (Date.parse(round.ends_at) - start) / 1000;
  }

  window.speedmatchPlan = { update: update };
})();
