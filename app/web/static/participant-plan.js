// The participant page's "Plan for today" list, kept current while the page stays open:
// participant.js calls `update(view, roundsDone, serverNow)` after every change it shows.
"use strict";

(function () {
  var cfg = window.speedmatchLive.readConfig("sm-live") || {};

  // "Plan for today" as a reload would show it (pages_participant.plan_for_today): the current
  // round with its real start, the rounds done, and once a round has started the rounds to come
  // following it (its end and the break), not the planned clock. After an early finish the
  // rounds never started are marked not played.
  function update(view, done, now) {
    var earliest = null;
    var list = document.querySelector(".plan-list");
    if (!list) return;
    document.querySelectorAll(".plan-list li[data-round]").forEach(function (item) {
      var n = Number(item.getAttribute("data-round"));
      if (n === view.current) item.setAttribute("aria-current", "step");
      else item.removeAttribute("aria-current");
      // A round they were moved into is theirs after all (the page marked it missed at load).
      if (n === view.current && view.room) item.removeAttribute("data-missed");
      var missed = item.hasAttribute("data-missed");
      var mark = item.querySelector("[data-done]");
      if (mark) mark.hidden = n > done || missed;
      var missedMark = item.querySelector("[data-missed-mark]");
      if (missedMark) missedMark.hidden = n > done || !missed;
      var notPlayed = view.phase === "finished" && n > done;
      var when = item.querySelector("[data-when]");
      var skipped = item.querySelector("[data-not-played]");
      if (when && skipped) {
        when.hidden = notPlayed;
        skipped.hidden = !notPlayed;
      }
      var seconds = n === view.current ? length(view.round, now) : null;
      var minutes = item.querySelector("[data-minutes]");
      if (minutes && seconds !== null) minutes.textContent = lengthText(list, seconds);
      var time = item.querySelector("time");
      if (!time) return;
      var shown = Date.parse(time.getAttribute("datetime"));
      var at = shown;
      var mine = n === view.current && view.round;
      if (mine && view.round.starts_at) at = Date.parse(view.round.starts_at);
      else if (n > view.current && earliest !== null) at = view.current > 0 ? earliest : Math.max(at, earliest);
      if (at !== shown) {
        time.setAttribute("datetime", new Date(at).toISOString());
        if (window.speedmatch && window.speedmatch.localise) window.speedmatch.localise(item);
      }
      earliest = mine && view.round.ends_at
        ? Date.parse(view.round.ends_at) + (cfg.breakSeconds + (view.round.break_held_s || 0)) * 1000
        : at + (cfg.roundSeconds + cfg.breakSeconds) * 1000;
    });
  }

  // A length as the page writes it (templates/_duration.html): under a minute in seconds, whole
  // minutes with their plural form (every catalog's rule is n != 1), else "1 min 30 s".
  function lengthText(list, seconds) {
    var s = Math.round(seconds);
    var format = window.speedmatchLive.format;
    if (s < 60) return format(list.getAttribute("data-length-seconds"), { s: s });
    if (s % 60 === 0) {
      var m = s / 60;
      return format(list.getAttribute(m === 1 ? "data-length-one" : "data-length-other"), { n: m });
    }
    return format(list.getAttribute("data-length-mixed"), { m: Math.floor(s / 60), s: s % 60 });
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
