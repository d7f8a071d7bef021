// While registration is open, the organiser's participant list updates by itself every 15 s.
"use strict";

(function () {
  var box = document.getElementById("people-list");
  var url = box && box.getAttribute("data-refresh");
  if (!url) return;
  var status = document.getElementById("people-status");
  var count = function () { return box.querySelectorAll("tbody tr").length; };
  var known = count();
  var timer = setInterval(function () {
    if (document.hidden || box.contains(document.activeElement)) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        // Signed out (here or in another tab): the list was redirected to the sign-in page,
        // which is no list. Say so once and stop asking.
        if (response.redirected) {
          clearInterval(timer);
          var notice = document.getElementById("people-signed-out");
          if (notice) notice.hidden = false;
          return null;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null) return;
        box.innerHTML = html;
        if (window.speedmatch) window.speedmatch.localise(box);
        var now = count();
        // One polite announcement when someone new registered, not on every poll.
        if (now !== known && status) status.textContent = box.querySelector("h2").textContent;
        known = now;
      })
      .catch(function () { /* try again at the next tick */ });
  }, 15000);
})();
